"""The hotkeys.toml example in README.md is a valid profile (docs that cannot rot)."""

from __future__ import annotations

import re
from pathlib import Path

from animaze_panel.hotkeys.bindings import Binding
from animaze_panel.hotkeys.store import loads

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_profile_example_loads_without_problems() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has no toml example"
    for block in blocks:
        result = loads(block)
        assert result.problems == ()
        bindings: tuple[Binding, ...] = result.profile.bindings
        assert bindings and any(b.is_hold for b in bindings)


def test_readme_example_keys_exist_on_a_standard_keyboard() -> None:
    # F13-F24 and media keys are not on a stock keymap: an example using them cannot work.
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    extra = {f"F{n}" for n in range(13, 25)}
    for block in blocks:
        for binding in loads(block).profile.bindings:
            assert binding.keys.key not in extra, binding.keys
            assert not binding.keys.key.startswith(("Media", "Volume")), binding.keys
