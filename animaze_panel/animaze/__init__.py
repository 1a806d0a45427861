"""Animaze WebSocket API: the pure protocol core and the asyncio client beside it.

Lowest layer first:

* :mod:`.errors` - the exception hierarchy of this boundary.
* :mod:`.overrides` - the catalogue of the 19 override behaviours and their wire spellings.
* :mod:`.messages` - typed requests, responses and triggers with ``to_wire()`` / ``from_wire()``.
* :mod:`.protocol` - sans-I/O connection state: ``send_request()`` / ``data_to_send()`` /
  ``receive_data()`` and request/response correlation.
* :mod:`.geometry` - Euler angles <-> the right-handed (OpenGL) quaternions the API uses.
* :mod:`.client` - :class:`AnimazeClient`, asyncio + websockets glue around the protocol.
"""
