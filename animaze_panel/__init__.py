"""animaze-panel: a desktop control panel for the Animaze avatar app."""

__version__ = "0.1.0"
