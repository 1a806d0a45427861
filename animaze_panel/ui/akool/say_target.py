"""The Akool avatar as a target of the panel's shared say box."""

from __future__ import annotations

from .live_session import LiveSessionModel


class AkoolSayTarget:
    """``key``/``title``/``is_live()``/``say()`` for the shared say box."""

    key = "akool"
    title = "Akool avatar"

    def __init__(self, live: LiveSessionModel) -> None:
        """Speak through ``live``."""
        self._live = live

    def is_live(self) -> bool:
        """Whether a session is live (text would be spoken now)."""
        return self._live.live

    async def say(self, text: str) -> None:
        """Send ``text`` to the avatar (it answers or repeats it, per the session's mode).

        Raises:
            NotLive: No live session ("start a session on the Akool page first").
            ValueError: ``text`` is empty.
            LiveError: The message could not be delivered.
        """
        await self._live.say(text)
