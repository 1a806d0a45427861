"""The control API room: the service that runs the local API server and its settings dialog."""
