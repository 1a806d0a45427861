"""The Animaze address a user types: ``ws://host:port``, or ``host:port`` for short.

Shared by the window's address field, the GUI's ``--url`` and ``animaze-panel call --url`` so
the same text is accepted (and refused with the same words) everywhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def validate_url(text: str) -> str:
    """Check an Animaze address typed by the user.

    Args:
        text: e.g. ``"ws://localhost:9000"`` or ``"192.168.1.20:9000"``.

    Returns:
        The cleaned URL (``ws://`` added when no scheme was given).

    Raises:
        ValueError: Not a ``ws://host:port`` URL (the message says what is wrong).
    """
    url = text.strip()
    if "://" not in url:
        url = f"ws://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        raise ValueError("the address must start with ws:// (e.g. ws://localhost:9000)")
    if not parts.hostname:
        raise ValueError("the address needs a host (e.g. ws://localhost:9000)")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError("the port must be a number between 1 and 65535") from None
    return url

LAST_URL_KEY = "connection/lastUrl"
"""Where the panel's settings keep the last address used (read by ``call`` too)."""
