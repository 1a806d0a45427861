"""SinkWorker: the ``QAudioSink`` and its 10 ms feeding timer, on a thread of their own.

A sink fed from the GUI thread runs dry whenever a repaint or a layout pass holds that thread
longer than the sink's buffer; on its own thread (a ``QThread`` running an event loop, which the
sink and the timer need) it is fed on time whatever the window does. The worker reads the
thread-safe :class:`~.pcm_queue.PcmQueue` the receiver fills, keeps the sink full, drops what
would exceed the lip-sync budget, and counts underruns. Its figures are plain attributes read
by the GUI thread (single int/float stores: atomic under the GIL).

Only ``Signal(str)``/``Signal(float)``/argument-free signals cross threads here (PySide6 6.12
crashed on cross-thread ``Signal(object)`` carrying ``None``/``bool``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QIODevice, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QtAudio

from .pcm_queue import PcmQueue

FEED_INTERVAL_MS = 10


class SinkWorker(QObject):
    """Owns the sink; every slot runs on the worker's thread."""

    statusChanged = Signal(str)

    def __init__(
        self,
        device: QAudioDevice,
        audio_format: QAudioFormat,
        queue: PcmQueue,
        *,
        buffer_bytes: int,
        prime_bytes: int,
        max_delay_bytes: int,
    ) -> None:
        """Prepare (the sink is made by :meth:`open`, on the worker thread).

        Args:
            device: The output device.
            audio_format: The sink's format (the queue's bytes are in it).
            queue: Where the sound comes from.
            buffer_bytes: The sink's buffer (kept full).
            prime_bytes: Sound gathered before playing starts or resumes after an underrun.
            max_delay_bytes: Queue + sink beyond this is dropped, oldest first (lip sync).
        """
        super().__init__()
        self._device = device
        self._format = audio_format
        self._queue = queue
        self._buffer_bytes = buffer_bytes
        self._prime_bytes = prime_bytes
        self._max_delay_bytes = max_delay_bytes
        self._sink: QAudioSink | None = None
        self._io: QIODevice | None = None
        self._timer: QTimer | None = None
        self._volume = 1.0
        self._wrote = False
        self._priming = True
        self.underruns = 0
        self.fill_bytes = 0
        """Bytes in the sink's buffer at the last feed."""
        self.processed_us = 0
        """Microseconds of sound the sink has played."""

    @Slot()
    def open(self) -> None:
        """Create and start the sink and the feeding timer."""
        sink = QAudioSink(self._device, self._format)
        sink.setBufferSize(self._buffer_bytes)
        sink.setVolume(self._volume)
        self._io = sink.start()
        self._sink = sink
        self._wrote, self._priming = False, True
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(FEED_INTERVAL_MS)
        timer.timeout.connect(self._feed)
        timer.start()
        self._timer = timer

    @Slot()
    def close(self) -> None:
        """Stop the sink and hand this object back to the GUI thread (to be deleted there)."""
        if self._timer is not None:
            self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
        # Dropping the last references deletes both here, on the thread that owns them.
        self._timer = self._sink = self._io = None
        self.fill_bytes = 0
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())

    @Slot(float)
    def set_volume(self, volume: float) -> None:
        """Set the sink's linear volume."""
        self._volume = volume
        if self._sink is not None:
            self._sink.setVolume(volume)

    def _feed(self) -> None:
        sink, io, queue = self._sink, self._io, self._queue
        if sink is None or io is None:
            return
        self.processed_us = sink.processedUSecs()
        # The sink's state is read here rather than through stateChanged: PySide6 cannot
        # convert that signal's QAudio::State argument ("cannot be converted" TypeError).
        state = sink.state()
        if state == QtAudio.State.IdleState and self._wrote:
            self.underruns += 1  # push mode goes idle exactly when the buffer ran dry
            self._wrote = False  # one gap, one count: until sound flows again
            self._priming = True
        elif state == QtAudio.State.StoppedState:
            error = sink.error()
            if error not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
                self.statusChanged.emit(f"Sound stopped: the output device failed "
                                        f"({error.name}); check it and restart the session")
                return
        free = sink.bytesFree()
        self.fill_bytes = max(0, sink.bufferSize() - free)
        # Drift control where the whole delay is known: the sink's fill plus the queue. Bursts
        # after a network gap fill the drained sink first, so only real excess is dropped.
        queue.drop_to(self._max_delay_bytes - self.fill_bytes)
        if free <= 0:
            return
        if self._priming:
            if len(queue) < self._prime_bytes:
                return
            self._priming = False
        data = queue.pull(free)
        if data:
            io.write(data)
            self._wrote = True
            self.fill_bytes += len(data)
