"""A real TURN relay (coturn's ``turnserver``) for the WHEP relay tests, started per test.

coturn comes from Debian's ``coturn`` package (``.ci/run`` installs it); tests using it skip
with a clear reason where it is missing. It listens on the machine's interface address (the
media of aiortc never uses loopback) with one long-term credential, as Kaltura's relay has.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

USERNAME, PASSWORD = "kaltura", "avatar"


@dataclass(frozen=True)
class Relay:
    """A running relay: where it listens."""

    host: str
    port: int

    def url(self, transport: str = "udp") -> str:
        return f"turn:{self.host}:{self.port}?transport={transport}"


def interface_address() -> str | None:
    """The machine's IPv4 address on its default route (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _answers_stun(host: str, port: int) -> bool:
    # A STUN Binding request (RFC 5389 header: type 0x0001, length 0, magic cookie, id).
    request = b"\x00\x01\x00\x00\x21\x12\xa4\x42" + os.urandom(12)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.sendto(request, (host, port))
            return sock.recvfrom(1024)[0][8:20] == request[8:20]
        except OSError:
            return False


def start_relay(host: str, port: int) -> Iterator[Relay]:
    """Run ``turnserver`` on ``host:port`` until the generator is closed."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.skip("coturn's turnserver is not installed (apt-get install coturn)")
    workdir = tempfile.mkdtemp(prefix="turn-")
    process = subprocess.Popen(
        [binary, "-n", f"--listening-ip={host}", f"--relay-ip={host}",
         f"--listening-port={port}", "--lt-cred-mech", f"--user={USERNAME}:{PASSWORD}",
         "--realm=animaze-panel.test", "--no-tls", "--no-dtls", "--no-cli",
         f"--log-file={workdir}/turn.log", f"--pidfile={workdir}/turn.pid",
         "--min-port=49160", "--max-port=49960", f"--userdb={workdir}/turn.db"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers_stun(host, port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"turnserver did not start (log in {workdir})")
        yield Relay(host, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)
