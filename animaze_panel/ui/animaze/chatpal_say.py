"""ChatPal as a say target: the say box's line goes through the ChatPal dock's queue, echoed.

"Say" means the avatar speaks the line word for word, so it is sent with ChatPal's ``-echo``
prefix. It joins the dock's :class:`~.chat_queue.ChatQueue` like a typed line (it waits while
the avatar is still answering, never cutting a reply off) and appears in the transcript.
:meth:`ChatPalSayTarget.say` returns once ChatPal has answered it, and raises when it was not
sent (Animaze disconnected, or the command failed).
"""

from __future__ import annotations

import asyncio

from ...animaze.errors import ValidationError
from ...animaze.requests import ChatbotSendMessage
from ..say import SayError
from .chatpal_dock import ChatPalDock


class ChatPalSayTarget:
    """Say lines through the Animaze ChatPal dock."""

    key = "chatpal"
    title = "Animaze ChatPal"

    def __init__(self, dock: ChatPalDock) -> None:
        """Send through ``dock`` (its session tells whether Animaze is connected)."""
        self._dock = dock

    def is_live(self) -> bool:
        """Whether Animaze is connected."""
        return self._dock.session.connected

    async def say(self, text: str) -> None:
        """Queue ``text`` (echo) in the ChatPal dock and wait until ChatPal has taken it.

        Raises:
            SayError: Not connected, an invalid line, or the send failed.
        """
        try:
            ChatbotSendMessage.echo(text)
        except ValidationError as exc:
            raise SayError(f"the line {exc.reason}.") from exc
        if not self.is_live():
            raise SayError("Animaze is not connected; connect it (toolbar address) first.")
        dock, session = self._dock, self._dock.session
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[str | None] = loop.create_future()

        def replied(_reply: str) -> None:
            if not outcome.done() and dock.queue.current == line:
                outcome.set_result(None)

        def failed(action: str, message: str) -> None:
            if action == ChatbotSendMessage.ACTION and not outcome.done() and (
                dock.queue.current == line
            ):
                outcome.set_result(message)

        def connection(connected: bool) -> None:
            if not connected and not outcome.done():
                outcome.set_result("Animaze disconnected before the line was said.")

        dock.replyReceived.connect(replied)
        session.commandFailed.connect(failed)
        session.connectedChanged.connect(connection)
        try:
            line = dock.submit_line(text, echo=True)
            error = await outcome
        finally:
            dock.replyReceived.disconnect(replied)
            session.commandFailed.disconnect(failed)
            session.connectedChanged.disconnect(connection)
        if error is not None:
            raise SayError(error)
