"""Fixtures shared by the whole suite.

Qt runs offscreen unless a test starts its own Xvfb; config and cache directories point into a
per-session temporary folder so tests never touch the developer's real settings.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep every platformdirs/QSettings path of the app inside a throwaway folder.
_HOME = tempfile.mkdtemp(prefix="animaze-panel-tests-")
for _var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = os.path.join(_HOME, _var.lower())
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Web pages get Chromium's fake microphone/camera (permission prompts still go to the app).
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--use-fake-device-for-media-stream")

# The app:// scheme of the Akool live view must be registered before the QApplication exists.
import animaze_panel.ui.akool.scheme  # noqa: E402, F401
