"""A simulated Animaze: the whole WebSocket API with state, for tests, benchmarks and --demo.

* :mod:`.catalogue` - avatars, scenes, emotes, props (and per-avatar animations).
* :mod:`.icons` - generated PNG icons and quickscene thumbnails.
* :mod:`.state` - the world and what each of the 29 actions does to it (no I/O).
* :mod:`.chatpal` - canned ChatPal replies.
* :mod:`.faults` - thread-safe fault knobs (latency, dropped ids, drops, garbage, stalls).
* :mod:`.server` - :class:`Simulator`, the asyncio websockets server.
* :mod:`.thread` - :class:`SimulatorThread`, a simulator on its own loop in a thread.
"""

from __future__ import annotations

from .faults import FaultSettings
from .server import ReceivedFrame, Simulator, frame_is
from .thread import SimulatorThread

__all__ = ["FaultSettings", "ReceivedFrame", "Simulator", "SimulatorThread", "frame_is"]
