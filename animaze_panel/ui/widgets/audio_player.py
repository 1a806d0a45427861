"""AudioPlayer: live decoded audio frames to the default output through a ``QAudioSink``.

Frames come from the WebRTC receiver (any thread) as ``av.AudioFrame`` (Opus decodes to 48 kHz);
they are resampled to the sink's format with ``av.AudioResampler`` and queued in a small
:class:`~.pcm_queue.PcmQueue`. A precise 10 ms timer on the GUI thread moves what the sink has
room for into it (push mode). The delay audio adds is the queue plus the sink's buffer; what
exceeds :data:`MAX_DELAY_MS` is dropped, oldest first, rather than drift, so sound stays within
100 ms of the picture (which is painted as it arrives). Underruns (the sink ran dry while
live) are counted; the benchmark wants none.

No output device (a headless box) is not an error: :attr:`AudioPlayer.available` is false,
:attr:`AudioPlayer.status` says so in words, and frames are ignored.
"""

from __future__ import annotations

import logging
import threading

import av
from PySide6.QtCore import QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices, QtAudio

from .pcm_queue import PcmQueue

log = logging.getLogger(__name__)

RATE = 48_000
"""Opus's own rate: no resampling when the device takes it."""
FEED_INTERVAL_MS = 10
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
        self._sink: QAudioSink | None = None
        self._io: QIODevice | None = None
        self._queue: PcmQueue | None = None
        self._resampler: av.AudioResampler | None = None
        self._resampler_lock = threading.Lock()
        self._wrote = False
        self._priming = True
        self._prime_bytes = 0
        self._max_delay_bytes = 0
        self._playing = False
        self.underruns = 0
        """Times the sink ran out of sound while playing."""
        self.status = ""
        self._format = QAudioFormat()
        self._av_format = "s16"
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FEED_INTERVAL_MS)
        self._timer.timeout.connect(self._feed)
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
    def dropped_ms(self) -> float:
        """Sound thrown away to keep the delay bounded, in milliseconds."""
        if self._queue is None:
            return 0.0
        return self._queue.dropped_bytes / self._bytes_per_ms()

    def delay_ms(self) -> float:
        """Sound waiting to be heard (queue + sink buffer), in milliseconds."""
        if self._queue is None:
            return 0.0
        buffered = len(self._queue)
        if self._sink is not None:
            buffered += max(0, self._sink.bufferSize() - self._sink.bytesFree())
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
        if self._sink is not None:
            self._sink.setVolume(0.0 if self._muted else self._volume)

    def start(self) -> None:
        """Open the sink and start feeding it (no-op without a device or when playing)."""
        if self._queue is None or self._playing:
            return
        self._queue.clear()
        sink = QAudioSink(self._device, self._format, self)
        sink.setBufferSize(self._format.bytesForDuration(SINK_BUFFER_MS * 1000))
        self._sink = sink
        self._apply_volume()
        self._io = sink.start()
        self._wrote = False
        self._priming = True
        self._playing = True
        self._timer.start()
        self._set_status("Playing")

    def stop(self) -> None:
        """Stop playing and drop whatever is queued."""
        if not self._playing:
            return
        self._playing = False
        self._timer.stop()
        sink, self._sink, self._io = self._sink, None, None
        if sink is not None:
            sink.stop()
            sink.deleteLater()
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

    def _feed(self) -> None:
        sink, io, queue = self._sink, self._io, self._queue
        if sink is None or io is None or queue is None:
            return
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
                self._set_status(f"Sound stopped: the output device failed ({error.name}); "
                                 "check it and restart the session")
                return
        free = sink.bytesFree()
        # Drift control where the whole delay is known: the sink's fill plus the queue. Bursts
        # after a network gap fill the drained sink first, so only real excess is dropped.
        queue.drop_to(self._max_delay_bytes - max(0, sink.bufferSize() - free))
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

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.statusChanged.emit(text)
