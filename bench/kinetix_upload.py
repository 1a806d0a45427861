"""Benchmark: KinetixClient.create_process upload vs a bare httpx streaming multipart upload.

Both push the same file (500 MB by default) to the fake Kinetix server (its own thread and loop,
hashing the video as it streams in) over loopback, alternating runs. Reported per method: best
wall time, throughput, and peak RSS growth over the RSS measured just before the upload
(sampled every 5 ms by a thread). Targets: throughput ratio client/httpx >= 0.8, RSS growth of
the client < 20 MB.

Usage::

    uv run python bench/kinetix_upload.py [--size-mb 500] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from animaze_panel.cloud.kinetix import KinetixClient, KinetixConfig
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.fakes.kinetix_server import FakeKinetixThread
from animaze_panel.secrets import Secret

MB = 1024 * 1024
KEY = "bench-key"


@dataclass
class Result:
    seconds: float
    peak_rss_growth: int


class RssSampler:
    """Track the peak RSS of this process in a background thread."""

    def __init__(self, interval: float = 0.005) -> None:
        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.baseline = self._process.memory_info().rss
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(self._interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)


def write_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(MB)
    with open(path, "wb") as out:
        for index in range(size // MB):
            chunk = index.to_bytes(8, "little") + block[8:]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


async def measure(upload: Callable[[], Awaitable[None]]) -> Result:
    with RssSampler() as sampler:
        start = time.perf_counter()
        await upload()
        seconds = time.perf_counter() - start
    return Result(seconds, sampler.peak - sampler.baseline)


async def main(size_mb: int, rounds: int) -> None:
    fake = FakeKinetixThread(api_key=KEY)
    base_url = fake.start()
    tmp = Path(tempfile.mkdtemp(prefix="kinetix-bench-"))
    video = tmp / "bench.mp4"
    print(f"writing {size_mb} MB test video ...", flush=True)
    sha = write_file(video, size_mb * MB)
    submission = EmoteSubmission(video, "Bench", False, 0, 1000)
    client = KinetixClient(KinetixConfig(base_url=base_url, timeout=60), api_key=Secret(KEY))
    bare = httpx.AsyncClient(base_url=base_url, timeout=60)

    async def via_client() -> None:
        token = await client.create_token("bench")
        await client.create_process(token, submission, lambda sent, total: None)

    async def via_httpx() -> None:
        token = await client.create_token("bench")
        with open(video, "rb") as handle:
            response = await bare.post(
                "/v1/process",
                headers={"x-api-key": KEY, "x-api-token": token.uuid},
                data=submission.fields(),
                files={"video": (video.name, handle, "video/mp4")},
            )
        response.raise_for_status()

    results: dict[str, list[Result]] = {"bare httpx": [], "KinetixClient": []}
    try:
        await via_client()  # warm-up: connections, imports, page cache
        for _ in range(rounds):
            for name, upload in (("bare httpx", via_httpx), ("KinetixClient", via_client)):
                results[name].append(await measure(upload))
                arrived = fake.call(lambda s: s.uploads[-1])
                assert arrived.sha256 == sha and arrived.size == size_mb * MB, name
    finally:
        await client.aclose()
        await bare.aclose()
        fake.stop()
        video.unlink()
        tmp.rmdir()

    print(f"\nUpload of {size_mb} MB to the fake Kinetix server (loopback), best of {rounds}\n")
    print(f"{'method':<15} {'seconds':>8} {'MB/s':>8} {'peak RSS growth MB':>19}")
    best = {name: min(runs, key=lambda r: r.seconds) for name, runs in results.items()}
    for name, result in best.items():
        worst_rss = max(r.peak_rss_growth for r in results[name]) / MB
        print(f"{name:<15} {result.seconds:>8.2f} {size_mb / result.seconds:>8.1f} "
              f"{worst_rss:>19.1f}")
    ratio = best["bare httpx"].seconds / best["KinetixClient"].seconds
    client_rss = max(r.peak_rss_growth for r in results["KinetixClient"]) / MB
    print(f"\nthroughput ratio client/httpx: {ratio:.2f} (target >= 0.8: "
          f"{'ok' if ratio >= 0.8 else 'MISSED'})")
    print(f"client peak RSS growth: {client_rss:.1f} MB (target < 20 MB: "
          f"{'ok' if client_rss < 20 else 'MISSED'})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.size_mb, args.rounds))
