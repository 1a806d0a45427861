"""PE import-table reading on a synthetic PE32+ image, and the dangling-import check."""

from __future__ import annotations

import struct

import pytest
from winbuild.pe_imports import PEFormatError, dangling_imports, dll_imports

SECTION_RVA = 0x1000
SECTION_RAW = 0x200


def make_pe(imports: list[str], delay: list[str], pe32plus: bool = True) -> bytes:
    """A minimal PE image: one section holding import and delay-import descriptors + names."""
    body = bytearray()
    names_at = 0x200  # inside the section: descriptors first, strings after
    strings = bytearray()
    name_rvas = []
    for name in imports + delay:
        name_rvas.append(SECTION_RVA + names_at + len(strings))
        strings += name.encode() + b"\0"
    imp = b"".join(struct.pack("<IIIII", 0, 0, 0, rva, 0) for rva in name_rvas[: len(imports)])
    imp += bytes(20)
    dly = b"".join(
        struct.pack("<8I", 1, rva, 0, 0, 0, 0, 0, 0) for rva in name_rvas[len(imports) :]
    )
    dly += bytes(32)
    body += imp
    delay_off = len(body)
    body += dly
    body += bytes(names_at - len(body))
    body += strings
    body += bytes((-len(body)) % 0x200)

    n_dirs = 16
    dirs = [(0, 0)] * n_dirs
    dirs[1] = (SECTION_RVA, len(imp))
    if delay:
        dirs[13] = (SECTION_RVA + delay_off, len(dly))
    magic = 0x20B if pe32plus else 0x10B
    fixed = 112 if pe32plus else 96
    opt = bytearray(fixed)
    struct.pack_into("<H", opt, 0, magic)
    struct.pack_into("<I", opt, fixed - 4, n_dirs)
    opt += b"".join(struct.pack("<II", *d) for d in dirs)
    coff = struct.pack("<HHIIIHH", 0x8664, 1, 0, 0, 0, len(opt), 0x2022)
    section = struct.pack(
        "<8sIIIIIIHHI", b".idata", len(body), SECTION_RVA, len(body), SECTION_RAW, 0, 0, 0, 0, 0
    )
    dos = bytearray(0x40)
    dos[:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x40)
    headers = bytes(dos) + b"PE\0\0" + coff + bytes(opt) + section
    return headers + bytes(SECTION_RAW - len(headers)) + bytes(body)


def test_reads_normal_and_delay_imports() -> None:
    image = make_pe(["KERNEL32.dll", "Qt6Core.dll"], ["Qt6Network.dll"])
    assert dll_imports(image) == {"kernel32.dll", "qt6core.dll", "qt6network.dll"}


def test_reads_pe32() -> None:
    assert dll_imports(make_pe(["python3.dll"], [], pe32plus=False)) == {"python3.dll"}


def test_no_imports() -> None:
    assert dll_imports(make_pe([], [])) == set()


@pytest.mark.parametrize("data", [b"", b"not a PE at all", b"MZ" + bytes(0x3A) + b"\x40\0\0\0"])
def test_garbage_raises(data: bytes) -> None:
    with pytest.raises(PEFormatError):
        dll_imports(data)


def test_truncated_image_raises() -> None:
    image = make_pe(["Qt6Core.dll"], [])
    with pytest.raises(PEFormatError):
        dll_imports(image[:0x150])


def test_dangling_imports_only_flags_trimmed_dlls_we_shipped() -> None:
    kept = {
        "PySide6/QtMultimedia.pyd": {"qt6multimedia.dll", "python3.dll", "kernel32.dll"},
        "PySide6/plugins/webview/x.dll": {"Qt6WebEngineCore.dll"},
    }
    kept_names = ["QtMultimedia.pyd", "Qt6Multimedia.dll", "x.dll"]
    shipped = [*kept_names, "Qt6WebEngineCore.dll"]
    # python3.dll / kernel32.dll were never in the wheels: not ours to check.
    assert dangling_imports(kept, kept_names, shipped) == [
        ("PySide6/plugins/webview/x.dll", "qt6webenginecore.dll")
    ]
    assert dangling_imports(kept, [*kept_names, "qt6webenginecore.dll"], shipped) == []
