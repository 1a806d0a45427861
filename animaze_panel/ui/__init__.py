"""Qt widgets and view-models. The only package (with platform/ and app.py) that imports PySide6."""
