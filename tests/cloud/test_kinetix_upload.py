"""Large streamed uploads: bytes intact, progress monotonic to 100 %, bounded memory, cancel."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tracemalloc
from pathlib import Path

import pytest

from animaze_panel.cloud.kinetix import KinetixClient
from animaze_panel.cloud.kinetix_models import EmoteSubmission
from animaze_panel.fakes.kinetix_server import FakeKinetixServer

from .conftest import make_client

MB = 1024 * 1024


def write_big_file(path: Path, size: int) -> str:
    """Write ``size`` pseudo-random bytes; return their SHA-256."""
    digest = hashlib.sha256()
    block = os.urandom(MB)
    with open(path, "wb") as out:
        for index in range(size // MB):
            # Vary each block so a misplaced chunk changes the hash.
            chunk = index.to_bytes(8, "little") + block[8:]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def big_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("big") / "long take.mov"
    return path, write_big_file(path, 200 * MB)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_200mb_upload_arrives_intact_with_monotonic_progress(
    server: FakeKinetixServer, big_video: tuple[Path, str]
) -> None:
    path, sha = big_video
    client = make_client(server.base_url, timeout=30)
    progress: list[tuple[int, int]] = []
    tracemalloc.start()
    try:
        token = await client.create_token("player-1")
        process = await client.create_process(
            token, EmoteSubmission(path, "Long take", False, 0, 4000),
            lambda sent, total: progress.append((sent, total)),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await client.aclose()
    upload = server.uploads[-1]
    assert upload.size == 200 * MB and upload.sha256 == sha
    assert upload.process_uuid == process.uuid and upload.filename == "long take.mov"
    # Streamed on both ends: neither side held more than a few chunks at once.
    assert upload.max_chunk <= 256 * 1024
    assert peak < 24 * MB, f"peak Python allocations {peak / MB:.1f} MB during a 200 MB upload"
    sent = [s for s, _ in progress]
    assert sent == sorted(sent) and sent[0] == 0 and progress[-1] == (200 * MB, 200 * MB)
    assert {total for _, total in progress} == {200 * MB} and len(progress) > 100


@pytest.mark.slow
@pytest.mark.asyncio
async def test_cancel_mid_upload_aborts_and_token_stays_usable(
    server: FakeKinetixServer, client: KinetixClient, big_video: tuple[Path, str], video: Path
) -> None:
    path, _ = big_video
    token = await client.create_token("player-1")
    halfway = asyncio.get_running_loop().create_future()

    def on_progress(sent: int, total: int) -> None:
        if sent >= 20 * MB and not halfway.done():
            halfway.set_result(sent)

    upload = asyncio.create_task(
        client.create_process(token, EmoteSubmission(path, "x", False, 0, 1000), on_progress)
    )
    await asyncio.wait_for(halfway, 30)
    upload.cancel()
    with pytest.raises(asyncio.CancelledError):
        await upload
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not server.aborted_uploads:  # the server notices the dropped connection
        assert loop.time() < deadline, "server never saw the aborted upload"
        await asyncio.sleep(0.02)
    assert 0 < server.aborted_uploads[0] < 200 * MB
    assert server.uploads == []
    # Nothing was created, so the same token still works for a new attempt.
    process = await client.create_process(token, EmoteSubmission(video, "x", False, 0, 1000))
    assert server.uploads[-1].process_uuid == process.uuid
