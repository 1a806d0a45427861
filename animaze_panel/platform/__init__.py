"""Platform integrations (global hotkeys); one module per OS, imported lazily.

* :mod:`.base` - the :class:`~.base.HotkeyBackend` interface every backend implements.
* :mod:`.x11` - Linux/X11: ``XGrabKey`` through python-xlib.
* :mod:`.windows` - Windows: ``RegisterHotKey`` through ctypes + a native event filter.
* :mod:`.macos` - macOS: pynput when installed (needs the Accessibility permission).
* :mod:`.fallback` - in-app shortcuts (``QShortcut``), when no global backend can run.
* :mod:`.factory` - :func:`~.factory.create_backend` picks one for the running system.
"""
