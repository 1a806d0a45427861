"""Read the DLL imports of Windows PE files, to prove that trimming Qt left nothing dangling.

Trimming the PySide6 wheels (dropping Qt WebEngine, Qt 3D, the designer tools...) is only safe if
no file we keep links against a file we dropped; a missing DLL shows up on Windows as "DLL load
failed" at import time, which we cannot run here. So the build reads the import tables (normal
and delay-load) of every kept .dll/.pyd/.exe and fails if one of them names a DLL that the wheels
ship but the trimmed tree no longer has. DLLs the wheels never shipped (KERNEL32.dll,
api-ms-win-*, python3.dll from the embeddable Python...) are not our business.

Errors: :class:`PEFormatError` for files that are not valid PE images.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping

PE_SUFFIXES = (".dll", ".pyd", ".exe")


class PEFormatError(ValueError):
    """The bytes are not a PE image we can read."""


def _cstr(data: bytes, offset: int) -> str:
    end = data.find(b"\0", offset)
    if end < 0:
        raise PEFormatError("unterminated name")
    return data[offset:end].decode("ascii", "replace")


def dll_imports(data: bytes) -> set[str]:
    """Names of the DLLs a PE image imports, normally or delay-loaded.

    Args:
        data: The whole file.

    Returns:
        Lower-case DLL file names.

    Raises:
        PEFormatError: Not a PE image, or its headers point outside the file.
    """
    try:
        if data[:2] != b"MZ":
            raise PEFormatError("no MZ header")
        (pe,) = struct.unpack_from("<I", data, 0x3C)
        if data[pe : pe + 4] != b"PE\0\0":
            raise PEFormatError("no PE signature")
        coff = pe + 4
        n_sections, = struct.unpack_from("<H", data, coff + 2)
        opt_size, = struct.unpack_from("<H", data, coff + 16)
        opt = coff + 20
        magic, = struct.unpack_from("<H", data, opt)
        if magic == 0x20B:  # PE32+
            n_dirs_at, dirs_at = opt + 108, opt + 112
        elif magic == 0x10B:  # PE32
            n_dirs_at, dirs_at = opt + 92, opt + 96
        else:
            raise PEFormatError(f"unknown optional header magic {magic:#x}")
        n_dirs, = struct.unpack_from("<I", data, n_dirs_at)
        sections = []
        sec = opt + opt_size
        for i in range(n_sections):
            vsize, vaddr, rawsize, rawptr = (
                int(v) for v in struct.unpack_from("<IIII", data, sec + 40 * i + 8)
            )
            sections.append((vaddr, max(vsize, rawsize), rawptr))

        def offset(rva: int) -> int:
            for vaddr, size, rawptr in sections:
                if vaddr <= rva < vaddr + size:
                    return rva - vaddr + rawptr
            raise PEFormatError(f"RVA {rva:#x} outside every section")

        def directory(index: int) -> tuple[int, int]:
            if index >= n_dirs:
                return 0, 0
            rva, size = struct.unpack_from("<II", data, dirs_at + 8 * index)
            return int(rva), int(size)

        names: set[str] = set()
        rva, _ = directory(1)  # IMAGE_DIRECTORY_ENTRY_IMPORT, 20-byte descriptors
        if rva:
            pos = offset(rva)
            while True:
                desc = struct.unpack_from("<IIIII", data, pos)
                if not any(desc):
                    break
                names.add(_cstr(data, offset(desc[3])).lower())
                pos += 20
        rva, _ = directory(13)  # IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT, 32-byte descriptors
        if rva:
            pos = offset(rva)
            while True:
                ddesc = struct.unpack_from("<8I", data, pos)
                if not any(ddesc):
                    break
                names.add(_cstr(data, offset(ddesc[1])).lower())
                pos += 32
        return names
    except struct.error as exc:
        raise PEFormatError(f"truncated PE image: {exc}") from exc


def dangling_imports(
    kept_imports: Mapping[str, Iterable[str]], kept_names: Iterable[str], shipped: Iterable[str]
) -> list[tuple[str, str]]:
    """Find imports of kept files that point at DLLs we shipped once but trimmed away.

    Args:
        kept_imports: Path of each kept PE file -> DLL names it imports.
        kept_names: Base names of every file still in the tree.
        shipped: Base names of every file the untrimmed wheels contain.

    Returns:
        Sorted (importing file, missing DLL) pairs; empty when the trim is consistent.
    """
    kept = {n.lower() for n in kept_names}
    ours = {n.lower() for n in shipped}
    return sorted(
        (path, dll)
        for path, dlls in kept_imports.items()
        for dll in {d.lower() for d in dlls}
        if dll in ours and dll not in kept
    )
