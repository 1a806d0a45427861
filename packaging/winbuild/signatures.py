"""Authenticode checks: is this binary signed by the Python Software Foundation?

Two verifiers, same verdict:

- ``osslsigncode verify`` (Linux, Debian package ``osslsigncode``), and
- PowerShell ``Get-AuthenticodeSignature`` (Windows runners, where osslsigncode is not installed).

Parsing is kept apart from running so the verdict logic is unit-tested on recorded outputs.

Errors: :class:`SignatureError` (a file is not validly signed by the PSF, or no verifier works).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PSF = "Python Software Foundation"
CA_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")


class SignatureError(RuntimeError):
    """A binary is not signed by the PSF, or its signature could not be checked."""


@dataclass(frozen=True)
class Verdict:
    """Result of checking one file.

    Attributes:
        ok: True when the signature is valid and the signer is the PSF.
        signer: Signer subject as printed by the verifier ("" when none was found).
        reason: Why it failed, or a short note of what was verified.
    """

    ok: bool
    signer: str
    reason: str


_DN_COMMA = re.compile(r'\s*([A-Za-z.0-9]+)=("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)')


def parse_dn(subject: str) -> dict[str, str]:
    """Parse an X.500 name in OpenSSL slash form or Windows comma form.

    Args:
        subject: e.g. ``/C=US/O=Python Software Foundation/CN=Python Software Foundation`` or
            ``CN=Python Software Foundation, O=Python Software Foundation, C=US``.

    Returns:
        Attribute name (upper case) -> value; quotes of comma form removed.
    """
    subject = subject.strip()
    out: dict[str, str] = {}
    if subject.startswith("/"):
        for part in subject.split("/")[1:]:
            key, sep, value = part.partition("=")
            if sep:
                out[key.strip().upper()] = value.strip()
        return out
    for match in _DN_COMMA.finditer(subject):
        key, value = match.group(1), match.group(2).strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('""', '"')
        out[key.upper()] = value
    return out


def is_psf(subject: str) -> bool:
    """True when both the organisation and the common name are the PSF (not a look-alike CN)."""
    dn = parse_dn(subject)
    return dn.get("CN") == PSF and dn.get("O") == PSF


def parse_osslsigncode(output: str, returncode: int) -> Verdict:
    """Turn ``osslsigncode verify`` output into a verdict.

    What must hold, and why:

    - exit code 0 and a final ``Succeeded``: osslsigncode checked the digest, the PKCS#7
      signature and the certificate chain up to a root in the CA bundle.
    - the *primary* signature's leaf ("Signer #0" under "Signer's certificate:") is the PSF.
      Later signatures (nested ones) and the chain/timestamp certificates don't count.
    - ``Signature verification: ok`` in the primary section and equal current/calculated digests
      (osslsigncode already enforces both; checked again so a format change can't slip through).
    - when a timestamp is present, ``Timestamp Server Signature verification: ok``. This matters:
      the PSF's certificates are short-lived (the 3.11.9 one expired in January 2025), and the
      chain validates only *at the timestamp's time*. osslsigncode falls back to "now" when the
      timestamp does not verify, which then fails with "certificate has expired"; we report that
      as a timestamp problem rather than a bad signature.

    Args:
        output: Combined stdout and stderr of ``osslsigncode verify``.
        returncode: Its exit code.

    Returns:
        The verdict.
    """
    sections = re.split(r"^Signature Index: ", output, flags=re.MULTILINE)
    if len(sections) < 2 or "No signature found" in output:
        return Verdict(False, "", "no Authenticode signature found")
    primary = sections[1]
    current = re.search(r"Current message digest\s*:\s*([0-9A-Fa-f]+)", primary)
    calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-Fa-f]+)", primary)
    signer_match = re.search(
        r"Signer's certificate:\s*-+\s*Signer #0:\s*Subject:\s*(.+)", primary, re.MULTILINE
    )
    signer = signer_match.group(1).strip() if signer_match else ""
    if not current or not calculated or current.group(1) != calculated.group(1):
        return Verdict(False, signer, "file digest does not match the signature (modified file)")
    if not signer:
        return Verdict(False, "", "signature present but its signer could not be read")
    if not is_psf(signer):
        return Verdict(False, signer, "signed, but not by the Python Software Foundation")
    timestamp = re.search(r"Timestamp Server Signature verification:\s*(\w+)", primary)
    if timestamp and timestamp.group(1) != "ok":
        return Verdict(False, signer, "timestamp did not verify (expired signing certificate?)")
    sig_ok = re.search(r"^Signature verification:\s*(\w+)", primary, re.MULTILINE)
    if not sig_ok or sig_ok.group(1) != "ok":
        return Verdict(False, signer, "signature or certificate chain did not verify")
    if returncode != 0 or not output.rstrip().endswith("Succeeded"):
        return Verdict(False, signer, f"osslsigncode reported failure (exit {returncode})")
    note = "valid, timestamped" if timestamp else "valid"
    return Verdict(True, signer, note)


def parse_powershell(output: str) -> Verdict:
    """Turn the JSON printed by :data:`POWERSHELL_SCRIPT` into a verdict.

    Windows checks digest, chain, timestamp and (when online) revocation; ``Status`` is
    ``Valid`` only when all of that passed.

    Args:
        output: ``{"Status": "...", "Subject": "...", "Message": "..."}`` as JSON.

    Returns:
        The verdict.
    """
    try:
        data = json.loads(output)
    except json.JSONDecodeError:
        return Verdict(False, "", f"unreadable Get-AuthenticodeSignature output: {output!r}")
    status = str(data.get("Status") or "")
    signer = str(data.get("Subject") or "")
    if not signer:
        return Verdict(False, "", f"no Authenticode signature found (status {status})")
    if not is_psf(signer):
        return Verdict(False, signer, "signed, but not by the Python Software Foundation")
    if status != "Valid":
        message = str(data.get("Message") or "")
        return Verdict(False, signer, f"status {status}: {message}".strip())
    return Verdict(True, signer, "valid")


POWERSHELL_SCRIPT = (
    "$s = Get-AuthenticodeSignature -LiteralPath $env:WINBUILD_SIGNED_FILE; "
    "[pscustomobject]@{Status = $s.Status.ToString(); "
    "Subject = if ($s.SignerCertificate) { $s.SignerCertificate.Subject } else { '' }; "
    "Message = $s.StatusMessage} | ConvertTo-Json -Compress"
)


def pick_verifier(preferred: str = "auto") -> str:
    """Choose ``osslsigncode`` or ``powershell``.

    Args:
        preferred: ``auto``, ``osslsigncode`` or ``powershell``.

    Returns:
        The verifier name.

    Raises:
        SignatureError: Neither tool is installed (or the requested one is missing).
    """
    tools = {"osslsigncode": "osslsigncode", "powershell": "powershell"}
    if preferred == "auto":
        for name in ("osslsigncode", "powershell"):
            if shutil.which(tools[name]) or (name == "powershell" and shutil.which("pwsh")):
                return name
        raise SignatureError(
            "no Authenticode verifier: install osslsigncode (apt-get install osslsigncode) "
            "or run on Windows (PowerShell)"
        )
    if preferred not in tools:
        raise SignatureError(f"unknown verifier {preferred!r}")
    return preferred


def osslsigncode_command(path: Path) -> list[str]:
    """The ``osslsigncode verify`` command line for one file.

    ``-ignore-crl``: the build must work offline, and fetching CRLs from the CA fails there; the
    cryptographic checks (digest, signature, chain to a trusted root, timestamp) all still run.
    """
    cmd = ["osslsigncode", "verify", "-ignore-crl"]
    for bundle in CA_BUNDLES:
        if Path(bundle).is_file():
            cmd += ["-CAfile", bundle, "-TSA-CAfile", bundle]
            break
    return cmd + ["-in", str(path)]


def verify_file(path: Path, verifier: str) -> Verdict:
    """Run the verifier on one file.

    Args:
        path: File to check.
        verifier: ``osslsigncode`` or ``powershell``.

    Returns:
        The verdict.
    """
    if verifier == "osslsigncode":
        proc = subprocess.run(osslsigncode_command(path), capture_output=True, text=True)
        return parse_osslsigncode(proc.stdout + proc.stderr, proc.returncode)
    exe = shutil.which("powershell") or shutil.which("pwsh") or "powershell"
    # The path goes in through the environment: with -Command, extra arguments are pasted into
    # the command text (not bound to $args), which would break on spaces and quotes.
    env = {**os.environ, "WINBUILD_SIGNED_FILE": str(path)}
    proc = subprocess.run(
        [exe, "-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
    )
    return parse_powershell(proc.stdout.strip())


def require_psf(paths: Sequence[Path], verifier: str) -> dict[Path, Verdict]:
    """Verify every file; raise if any is not validly signed by the PSF.

    Args:
        paths: Files to check (at least one).
        verifier: ``osslsigncode`` or ``powershell``.

    Returns:
        File -> verdict (all ok).

    Raises:
        SignatureError: Naming every failing file and why.
    """
    if not paths:
        raise SignatureError("no files to verify")
    verdicts = {p: verify_file(p, verifier) for p in paths}
    bad = [f"{p.name}: {v.reason} (signer: {v.signer or 'none'})" for p, v in verdicts.items()
           if not v.ok]
    if bad:
        raise SignatureError("Authenticode check failed:\n  " + "\n  ".join(bad))
    return verdicts
