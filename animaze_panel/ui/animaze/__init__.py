"""The Animaze page: the docks that drive the Animaze app, and their view-models."""
