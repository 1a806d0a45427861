"""Shared widgets and helpers used by more than one page (no page imports another page's room)."""
