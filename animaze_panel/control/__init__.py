"""The local control API: an HTTP + WebSocket door for Stream Deck, Streamer.bot, Touch Portal
and scripts (no Qt).

The server (:mod:`.server`) knows nothing of the panel's widgets: it talks to a
:class:`~.backend.ControlBackend`, which the panel implements on its one send path and its one
model of Animaze state, so an action from a deck button travels exactly the road of a hotkey.
"""
