"""The Kaltura avatar as a say target (see :mod:`animaze_panel.ui.say`)."""

from __future__ import annotations

from ..say import SayError
from .viewmodel import KalturaViewModel


class KalturaSayTarget:
    """Say lines as new turns of the page's live Kaltura session."""

    key = "kaltura"
    title = "Kaltura"

    def __init__(self, model: KalturaViewModel) -> None:
        """Speak through ``model``'s session."""
        self._model = model

    def is_live(self) -> bool:
        """Whether a Kaltura session is live."""
        return self._model.live

    async def say(self, text: str) -> None:
        """Send ``text`` as a new turn; it also appears in the page's turn list.

        Raises:
            SayError: No live session, or Kaltura did not take the line.
        """
        if not self.is_live():
            raise SayError("no Kaltura session is live; start one on the Kaltura page.")
        if not await self._model.say(text):
            raise SayError(self._model.errors.get("text")
                           or self._model.errors.get("session")
                           or "Kaltura did not take the line.")
