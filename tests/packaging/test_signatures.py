"""Authenticode verdicts: recorded osslsigncode 2.9 outputs, Get-AuthenticodeSignature JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from winbuild.signatures import (
    Verdict,
    is_psf,
    osslsigncode_command,
    parse_dn,
    parse_osslsigncode,
    parse_powershell,
)

DATA = Path(__file__).parent / "data"
PSF = "Python Software Foundation"
PSF_SLASH = f"/C=US/ST=Oregon/L=Beaverton/O={PSF}/CN={PSF}"
PSF_COMMA = f"CN={PSF}, O={PSF}, L=Beaverton, S=Oregon, C=US"


def recorded(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_valid_timestamped_psf_signature_passes() -> None:
    # python.exe of CPython 3.11.9: the PSF certificate expired in January 2025, and the chain
    # only validates at the timestamp's time.
    verdict = parse_osslsigncode(recorded("osslsigncode_python_exe_ok.txt"), 0)
    assert verdict == Verdict(True, PSF_SLASH, "valid, timestamped")


def test_timestamp_that_did_not_verify_fails_with_that_reason() -> None:
    # Without -ignore-crl and no network, the TSA's CRL can't be fetched; osslsigncode then
    # checks the chain at the current time and the expired certificate fails.
    verdict = parse_osslsigncode(recorded("osslsigncode_python_exe_no_crl.txt"), 1)
    assert not verdict.ok
    assert verdict.signer == PSF_SLASH
    assert "timestamp" in verdict.reason


def test_microsoft_signed_file_is_not_psf() -> None:
    verdict = parse_osslsigncode(recorded("osslsigncode_vcruntime_untrusted_root.txt"), 1)
    assert not verdict.ok
    assert "Microsoft" in verdict.signer
    assert "not by the Python Software Foundation" in verdict.reason


def test_modified_file_fails_on_digest() -> None:
    verdict = parse_osslsigncode(recorded("osslsigncode_tampered.txt"), 1)
    assert not verdict.ok
    assert "modified" in verdict.reason


def test_unsigned_file_fails() -> None:
    verdict = parse_osslsigncode(recorded("osslsigncode_unsigned.txt"), 1)
    assert verdict == Verdict(False, "", "no Authenticode signature found")


def test_exit_code_is_not_ignored() -> None:
    verdict = parse_osslsigncode(recorded("osslsigncode_python_exe_ok.txt"), 1)
    assert not verdict.ok


def test_look_alike_signer_is_rejected() -> None:
    text = recorded("osslsigncode_python_exe_ok.txt").replace(
        "O=Python Software Foundation/CN=Python Software Foundation",
        "O=Evil Corp/CN=Python Software Foundation",
    )
    verdict = parse_osslsigncode(text, 0)
    assert not verdict.ok
    assert "Evil Corp" in verdict.signer


def test_dn_parsing_both_notations() -> None:
    assert parse_dn(PSF_SLASH)["CN"] == "Python Software Foundation"
    assert parse_dn(PSF_COMMA) == {
        "CN": "Python Software Foundation",
        "O": "Python Software Foundation",
        "L": "Beaverton",
        "S": "Oregon",
        "C": "US",
    }
    quoted = 'CN=DigiCert Trusted G4, O="DigiCert, Inc.", C=US'
    assert parse_dn(quoted)["O"] == "DigiCert, Inc."
    assert is_psf(PSF_SLASH) and is_psf(PSF_COMMA)
    assert not is_psf("CN=Python Software Foundation, O=Someone Else")


def ps(status: str, subject: str, message: str = "") -> str:
    return json.dumps({"Status": status, "Subject": subject, "Message": message})


def test_powershell_valid_psf() -> None:
    assert parse_powershell(ps("Valid", PSF_COMMA)) == Verdict(True, PSF_COMMA, "valid")


@pytest.mark.parametrize(
    ("status", "subject", "reason"),
    [
        ("HashMismatch", PSF_COMMA, "status HashMismatch"),
        ("NotSigned", "", "no Authenticode signature"),
        ("Valid", "CN=Microsoft Corporation, O=Microsoft Corporation", "not by the Python"),
        ("UnknownError", PSF_COMMA, "status UnknownError"),
    ],
)
def test_powershell_failures(status: str, subject: str, reason: str) -> None:
    verdict = parse_powershell(ps(status, subject, "details"))
    assert not verdict.ok
    assert reason in verdict.reason


def test_powershell_garbage_fails() -> None:
    assert not parse_powershell("Get-AuthenticodeSignature : not recognized").ok


def test_osslsigncode_runs_offline_capable() -> None:
    cmd = osslsigncode_command(Path("python.exe"))
    assert cmd[:2] == ["osslsigncode", "verify"]
    assert "-ignore-crl" in cmd
    assert cmd[-2:] == ["-in", "python.exe"]
