"""The hotkeys room: the Hotkeys dock, the binding editor and the service that runs bindings."""
