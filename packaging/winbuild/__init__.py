"""Helpers for packaging/build_windows_installer.py (pure parts live here so tests can import them).

Not named ``packaging`` on purpose: that would shadow the PyPI ``packaging`` library.
"""
