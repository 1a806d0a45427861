"""AudioPlayer: live decoded audio frames to the default output through a ``QAudioSink``.

Frames come from the WebRTC receiver (any thread) as ``av.AudioFrame`` (Opus decodes to 48 kHz);
they are resampled to the sink's format with ``av.AudioResampler`` and queued in a small
:class:`~.pcm_queue.PcmQueue`. A :class:`~.audio_sink_worker.SinkWorker` on its own thread
moves what the sink has room for into it every 10 ms (push mode), whatever the GUI is doing.
The delay audio adds is the queue plus the sink's buffer; what exceeds :data:`MAX_DELAY_MS` is
dropped, oldest first, rather than drift, so sound stays within 100 ms of the picture (which
is painted as it arrives). Underruns (the sink ran dry while live) are counted; the benchmark
wants none.

No output device (a headless box) is not an error: :attr:`AudioPlayer.available` is false,
:attr:`AudioPlayer.status` says so in words, and frames are ignored.
"""

from __future__ import annotations

import logging
import threading

import av
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QMediaDevices, QtAudio

from .audio_sink_worker import SinkWorker
from .pcm_queue import PcmQueue

log = logging.getLogger(__name__)

RATE = 48_000
"""Opus's own rate: no resampling when the device takes it."""
SINK_BUFFER_MS = 60
"""The sink's own buffer, kept full: covers a GUI stall of up to ~50 ms without an underrun."""
MAX_DELAY_MS = 80
"""Lip sync: sound waiting (queue + sink) beyond this is dropped, oldest first, when fed; with
the one 20 ms frame that may arrive before the next feed, sound lags by at most 100 ms."""
QUEUE_TARGET_MS = 100
QUEUE_MAX_MS = 200
"""Hard cap of the queue itself while the GUI thread is not feeding (a frozen window)."""
PRIME_MS = 30
"""After a start or an underrun, this much sound is gathered before playing resumes, so one
late packet does not cause a string of underruns."""

_FORMATS = {
    QAudioFormat.SampleFormat.Int16: ("s16", 2),
    QAudioFormat.SampleFormat.Float: ("flt", 4),
    QAudioFormat.SampleFormat.Int32: ("s32", 4),
}


class AudioPlayer(QObject):
    """Plays pushed audio frames; volume, mute, underrun count."""

    statusChanged = Signal(str)
    """A new :attr:`status` text (GUI thread only)."""
    _openRequested = Signal()
    _closeRequested = Signal()
    _volumeRequested = Signal(float)

    def __init__(self, parent: QObject | None = None, device: QAudioDevice | None = None) -> None:
        """Open ``device`` (default output) if there is one; nothing plays until :meth:`start`.

        Args:
            parent: Qt parent.
            device: The output (default: the system's default output).
        """
        super().__init__(parent)
        self._device = device if device is not None else QMediaDevices.defaultAudioOutput()
        self._volume = 1.0
        self._muted = False
        self._worker: SinkWorker | None = None
        self._thread: QThread | None = None
        self._queue: PcmQueue | None = None
        self._resampler: av.AudioResampler | None = None
        self._resampler_lock = threading.Lock()
        self._prime_bytes = 0
        self._max_delay_bytes = 0
        self._playing = False
        self._underruns_before = 0
        self.status = ""
        self._format = QAudioFormat()
        self._av_format = "s16"
        if self._device.isNull():
            self._set_status("No audio output device: the avatar's voice cannot be played "
                             "(connect speakers or headphones and restart the session)")
            return
        self._format = self._choose_format(self._device)
        self._av_format, sample_bytes = _FORMATS[self._format.sampleFormat()]
        frame_bytes = sample_bytes * self._format.channelCount()
        per_ms = self._format.sampleRate() * frame_bytes // 1000
        self._queue = PcmQueue(frame_bytes, QUEUE_TARGET_MS * per_ms, QUEUE_MAX_MS * per_ms)
        self._prime_bytes = PRIME_MS * per_ms
        self._max_delay_bytes = MAX_DELAY_MS * per_ms
        self._set_status("Sound ready")

    @staticmethod
    def _choose_format(device: QAudioDevice) -> QAudioFormat:
        wanted = QAudioFormat()
        wanted.setSampleRate(RATE)
        wanted.setChannelCount(2)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if device.isFormatSupported(wanted):
            return wanted
        preferred = device.preferredFormat()
        if preferred.sampleFormat() not in _FORMATS:
            preferred.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        return preferred

    # ------------------------------------------------------------------ properties

    @property
    def available(self) -> bool:
        """Whether there is an output device to play to."""
        return self._queue is not None

    @property
    def playing(self) -> bool:
        """Between :meth:`start` and :meth:`stop`, with a device."""
        return self._playing

    @property
    def volume(self) -> float:
        """Linear volume 0..1 (kept while muted)."""
        return self._volume

    @property
    def muted(self) -> bool:
        """Whether the output is muted."""
        return self._muted

    @property
    def underruns(self) -> int:
        """Times the sink ran out of sound while playing (over every start)."""
        worker = self._worker
        return self._underruns_before + (worker.underruns if worker is not None else 0)

    @property
    def processed_ms(self) -> float:
        """Sound the sink has played since this start, in milliseconds."""
        worker = self._worker
        return worker.processed_us / 1000 if worker is not None else 0.0

    @property
    def dropped_ms(self) -> float:
        """Sound thrown away to keep the delay bounded, in milliseconds."""
        if self._queue is None:
            return 0.0
        return self._queue.dropped_bytes / self._bytes_per_ms()

    def delay_ms(self) -> float:
        """Sound waiting to be heard (queue + sink buffer), in milliseconds."""
        if self._queue is None:
            return 0.0
        worker = self._worker
        buffered = len(self._queue) + (worker.fill_bytes if worker is not None else 0)
        return buffered / self._bytes_per_ms()

    def _bytes_per_ms(self) -> float:
        return float(self._format.bytesForDuration(1000)) if self._queue is not None else 1.0

    # ------------------------------------------------------------------ controls (GUI)

    def set_volume(self, volume: float) -> None:
        """Set the linear volume (0..1)."""
        self._volume = min(1.0, max(0.0, volume))
        self._apply_volume()

    def set_perceived_volume(self, percent: int) -> None:
        """Set the volume from a 0..100 slider (logarithmic, as ears hear it)."""
        self.set_volume(QtAudio.convertVolume(
            percent / 100.0, QtAudio.VolumeScale.LogarithmicVolumeScale,
            QtAudio.VolumeScale.LinearVolumeScale))

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute (sound keeps flowing, so unmuting is instant and in sync)."""
        self._muted = muted
        self._apply_volume()

    def _apply_volume(self) -> None:
        self._volumeRequested.emit(0.0 if self._muted else self._volume)

    def start(self) -> None:
        """Start the sink's thread and play (no-op without a device or when playing)."""
        if self._queue is None or self._playing:
            return
        self._queue.clear()
        worker = SinkWorker(
            self._device, self._format, self._queue,
            buffer_bytes=self._format.bytesForDuration(SINK_BUFFER_MS * 1000),
            prime_bytes=self._prime_bytes, max_delay_bytes=self._max_delay_bytes,
        )
        thread = QThread()
        thread.setObjectName("audio-sink")
        worker.moveToThread(thread)
        worker.statusChanged.connect(self._set_status)
        self._openRequested.connect(worker.open)
        self._volumeRequested.connect(worker.set_volume)
        # Blocking: stop() returns once the sink is stopped, so nothing plays after it.
        self._closeRequested.connect(worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self._worker, self._thread = worker, thread
        thread.start()
        self._apply_volume()
        self._openRequested.emit()
        self._playing = True
        self._set_status("Playing")

    def stop(self) -> None:
        """Stop playing, end the sink's thread and drop whatever is queued."""
        if not self._playing:
            return
        self._playing = False
        worker, thread = self._worker, self._thread
        if worker is not None and thread is not None:
            self._closeRequested.emit()
            for signal in (self._openRequested, self._volumeRequested, self._closeRequested):
                signal.disconnect()
            thread.quit()
            thread.wait()
            self._underruns_before += worker.underruns
        self._worker = self._thread = None
        if self._queue is not None:
            self._queue.clear()
        with self._resampler_lock:
            self._resampler = None
        self._set_status("Sound ready")

    # ------------------------------------------------------------------ frames (any thread)

    def push(self, frame: av.AudioFrame) -> None:
        """Queue a decoded frame (resampled here, on the caller's thread)."""
        queue = self._queue
        if queue is None or not self._playing:
            return
        with self._resampler_lock:
            if self._resampler is None:
                self._resampler = av.AudioResampler(
                    format=self._av_format,
                    layout="stereo" if self._format.channelCount() == 2 else "mono",
                    rate=self._format.sampleRate(),
                )
            try:
                out = self._resampler.resample(frame)
            except ValueError:  # the stream's format changed: start a fresh resampler
                self._resampler = None
                return
        for chunk in out:
            size = chunk.samples * queue.frame_bytes
            queue.push(bytes(chunk.planes[0])[:size])

    # ------------------------------------------------------------------ GUI thread

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.statusChanged.emit(text)
