"""scripts/vendor-agora: the pinned SDK is in place; a tarball that is not the pin is refused."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor-agora"


def _load() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("vendor_agora", str(SCRIPT))
    spec = importlib.util.spec_from_loader("vendor_agora", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_vendored_sdk_matches_the_pin() -> None:
    vendor = _load()
    assert vendor.is_vendored(), "run scripts/vendor-agora (the Akool page needs the SDK)"
    assert vendor.main(["--check"]) == 0


def test_a_tarball_that_is_not_the_pin_is_refused(tmp_path: Path) -> None:
    vendor = _load()
    forged = _tarball({vendor.MEMBER: b"window.AgoraRTC = {};"})
    with pytest.raises(vendor.VendorError, match="integrity mismatch"):
        vendor.extract(forged)
    assert not vendor.is_vendored(tmp_path / "AgoraRTC_N.js")


def test_sri_digest_format() -> None:
    vendor = _load()
    assert vendor.sri_sha512(b"") == (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==")
