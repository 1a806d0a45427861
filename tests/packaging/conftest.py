"""Make packaging/winbuild importable (packaging/ is a folder of scripts, not a package)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))

# pynsist imports yarg, whose source has invalid escape sequences; compiling it emits a
# SyntaxWarning that filterwarnings=error would turn into a collection error. Import it once here
# with that warning silenced; later imports come from sys.modules.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    import nsist  # noqa: F401
