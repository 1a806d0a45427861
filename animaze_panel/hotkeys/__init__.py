"""Hotkeys, macros and camera presets: the pure model (no Qt, no OS calls).

* :mod:`.keys` - key combinations (``"Ctrl+Shift+F1"``): parsing, canonical formatting.
* :mod:`.actions` - what a hotkey does: each action kind and the typed request it sends.
* :mod:`.bindings` - bindings, macros, hold (press/release) actions, cooldowns, overlap policy.
* :mod:`.presets` - camera presets (camera transform + FOV, optionally the avatar transform).
* :mod:`.conflicts` - duplicate, reserved and OS-refused combinations, found before saving.
* :mod:`.store` - the human-readable TOML profile: validated on load (bad entries are reported
  with their line and kept verbatim on save), export/import.
* :mod:`.macro` - the macro runner (asyncio, injectable clock, cancellation, cooldowns).

Errors of this package::

    HotkeyError                  everything raised here
    +-- KeyParseError (ValueError)    a key combination that cannot be read
    +-- EntryError (ValueError)       a binding / preset entry with a bad field
"""
