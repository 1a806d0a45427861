"""Platform integrations (global hotkeys); one module per OS, imported lazily."""
