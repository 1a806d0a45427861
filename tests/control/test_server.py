"""The control server's own rules over real HTTP/WebSocket on loopback: auth, limits, errors,
idempotency, event pushes and the OpenAPI document matching the routes.

The panel behind it is a small recording backend here (the server's contract is the
:class:`~animaze_panel.control.backend.ControlBackend` protocol); the panel-level tests in
``tests/ui/test_control_api.py`` drive the real panel with the simulator behind it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import ClientSession, WSMsgType

from animaze_panel.animaze.requests import Request
from animaze_panel.control import openapi
from animaze_panel.control.errors import BadRequest, NotFound, Refused
from animaze_panel.control.model import Catalog, Named, PanelState, RunOutcome
from animaze_panel.control.server import ControlServer, ServerConfig
from animaze_panel.hotkeys.actions import Action
from animaze_panel.secrets import Secret

TOKEN = "t0ken-for-the-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Backend:
    """Records what ran; state changes on demand."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.avatar = "Fluffo"
        self.listeners: list[Callable[[], None]] = []
        self.gate: asyncio.Event | None = None

    def state(self) -> PanelState:
        return PanelState(connection="connected", avatar=self.avatar, scene="Room")

    def catalog(self) -> Catalog:
        return Catalog(avatars=(Named("Fluffo"), Named("Bomb")))

    async def run(self, action: Action) -> RunOutcome:
        if self.gate is not None:
            await self.gate.wait()
        self.ran.append(action.describe())
        return RunOutcome(action.describe())

    async def press(self, binding: str, *, macro: bool = False) -> RunOutcome:
        if binding != "wave":
            raise NotFound(f"no binding named {binding!r}")
        self.ran.append(f"press {binding} macro={macro}")
        return RunOutcome(f"press {binding}")

    async def release(self, binding: str) -> RunOutcome:
        self.ran.append(f"release {binding}")
        return RunOutcome(f"release {binding}")

    async def call(self, request: Request[Any]) -> dict[str, Any]:
        self.ran.append(f"call {request.ACTION}")
        return {"action": request.ACTION}  # Animaze's answers name their request's action (spec)

    async def stop_macros(self) -> int:
        return 2

    def watch(self, listener: Callable[[], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def change_avatar(self, name: str) -> None:
        self.avatar = name
        for listener in list(self.listeners):
            listener()


@pytest_asyncio.fixture
async def served() -> AsyncIterator[tuple[ControlServer, Backend, Clock]]:
    backend, clock = Backend(), Clock()
    server = ControlServer(backend, Secret(TOKEN), ServerConfig(port=0, rate=10, burst=5,
                                                                max_body=1024), clock=clock)
    await server.start()
    try:
        yield server, backend, clock
    finally:
        await server.stop()


async def post(url: str, body: Any = None, headers: dict[str, str] | None = None,
               content: bytes | None = None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        if content is not None:
            return await http.post(url, content=content, headers=headers or {})
        return await http.post(url, json=body, headers=headers or {})


async def get(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url, headers=headers or {})


@pytest.mark.asyncio
async def test_every_v1_route_needs_the_token(served: tuple[ControlServer, Backend, Clock]
                                              ) -> None:
    server, backend, clock = served
    for path in ("/v1/state", "/v1/catalog", "/v1/openapi.json"):
        clock.now += 1
        missing = await get(server.url + path)
        assert missing.status_code == 401, path
        assert missing.json()["error"]["code"] == "unauthorized"
        wrong = await get(server.url + path, {"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "wrong_token"
        assert TOKEN not in wrong.text
    run = await post(server.url + "/v1/actions/run", {"type": "emote", "name": "Emote_Wave"})
    assert run.status_code == 401
    assert backend.ran == []  # refused: nothing ran
    ok = await get(server.url + "/v1/state", AUTH)
    assert ok.status_code == 200
    assert ok.json()["avatar"] == "Fluffo"


@pytest.mark.asyncio
async def test_bad_requests_get_clear_4xx(served: tuple[ControlServer, Backend, Clock]) -> None:
    server, backend, clock = served
    url = server.url + "/v1/actions/run"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"content": b"{not json"}, 400, "bad_json"),
        ({"content": b"[1, 2]"}, 400, "bad_json"),
        ({"body": {"type": "dance"}}, 400, "invalid_action"),
        ({"body": {"type": "emote"}}, 400, "invalid_action"),
        ({"body": {"type": "macro"}}, 400, "invalid_action"),
        ({"content": b"x" * 2048}, 413, "payload_too_large"),
    ]
    for case, status, code in cases:
        clock.now += 1
        headers = {**AUTH, "Content-Type": "application/json"}
        if "content" in case:
            answer = await post(url, headers=headers, content=case["content"])
        else:
            answer = await post(url, case["body"], headers)
        assert answer.status_code == status, case
        error = answer.json()["error"]
        assert error["code"] == code
        assert error["message"]
    unknown = await get(server.url + "/v1/nothing", AUTH)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    binding = await post(server.url + "/v1/bindings/nope/press", headers=AUTH)
    assert binding.status_code == 404
    wrong_method = await get(url, AUTH)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "POST"
    assert backend.ran == []


@pytest.mark.asyncio
async def test_rate_limit_refuses_with_retry_after_and_never_runs_twice(
    served: tuple[ControlServer, Backend, Clock],
) -> None:
    server, backend, clock = served
    url = server.url + "/v1/actions/run"
    answers = [await post(url, {"type": "emote", "name": f"E{i}"}, AUTH) for i in range(8)]
    statuses = [a.status_code for a in answers]
    assert statuses == [200] * 5 + [429] * 3  # burst of 5, clock frozen
    assert answers[-1].headers["Retry-After"] == "1"
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert backend.ran == [f"Emote E{i}" for i in range(5)]
    other = await post(url, {"type": "emote", "name": "X"}, {**AUTH, "X-Client-Id": "deck"})
    assert other.status_code == 200  # another client has its own bucket
    clock.now += 0.15  # 10/s: one token back
    assert (await post(url, {"type": "emote", "name": "Y"}, AUTH)).status_code == 200


@pytest.mark.asyncio
async def test_idempotency_key_answers_a_retry_without_running_again(
    served: tuple[ControlServer, Backend, Clock],
) -> None:
    server, backend, _ = served
    url = server.url + "/v1/actions/run"
    headers = {**AUTH, "Idempotency-Key": "press-42"}
    first = await post(url, {"type": "emote", "name": "Emote_Wave"}, headers)
    again = await post(url, {"type": "emote", "name": "Emote_Wave"}, headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert backend.ran == ["Emote Emote_Wave"]
    other = await post(url, {"type": "emote", "name": "Other"}, headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert backend.ran == ["Emote Emote_Wave"]


@pytest.mark.asyncio
async def test_concurrent_retry_while_running_is_refused(
    served: tuple[ControlServer, Backend, Clock],
) -> None:
    server, backend, _ = served
    backend.gate = asyncio.Event()
    url = server.url + "/v1/actions/run"
    headers = {**AUTH, "Idempotency-Key": "k"}
    first = asyncio.ensure_future(post(url, {"type": "emote", "name": "A"}, headers))
    while not server._running:  # the first request is inside the backend
        await asyncio.sleep(0.005)
    second = await post(url, {"type": "emote", "name": "A"}, headers)
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "in_progress"
    backend.gate.set()
    assert (await first).status_code == 200
    assert backend.ran == ["Emote A"]


@pytest.mark.asyncio
async def test_press_release_macro_and_stop(served: tuple[ControlServer, Backend, Clock]) -> None:
    server, backend, clock = served
    assert (await post(server.url + "/v1/bindings/wave/press", headers=AUTH)).status_code == 200
    clock.now += 1
    assert (await post(server.url + "/v1/bindings/wave/release", headers=AUTH)).status_code == 200
    clock.now += 1
    macro = await post(server.url + "/v1/actions/run", {"type": "macro", "name": "wave"}, AUTH)
    assert macro.status_code == 200
    stop = await post(server.url + "/v1/macros/stop", headers=AUTH)
    assert stop.json() == {"ok": True, "stopped": 2}
    assert backend.ran == ["press wave macro=False", "release wave", "press wave macro=True"]


@pytest.mark.asyncio
async def test_events_push_changes_only(served: tuple[ControlServer, Backend, Clock]) -> None:
    server, backend, _ = served
    async with ClientSession() as http:
        refused = await http.get(server.url + "/v1/events")
        assert refused.status == 401
        ws = await http.ws_connect(server.url + f"/v1/events?token={TOKEN}")
        hello = await ws.receive_json(timeout=10)
        assert hello["type"] == "hello"
        assert hello["state"]["avatar"] == "Fluffo"
        assert server.clients == 1
        backend.change_avatar("Bomb")
        backend.change_avatar("Bomb")  # no change: nothing more is pushed
        push = await ws.receive_json(timeout=10)
        assert push == {"type": "state", "changes": {"avatar": "Bomb"}}
        backend.change_avatar("Fluffo")
        assert (await ws.receive_json(timeout=10))["changes"] == {"avatar": "Fluffo"}
        server.set_token(Secret("a-brand-new-token-456789"))
        closing = await ws.receive(timeout=10)
        assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
        await ws.close()
    old = await get(server.url + "/v1/state", AUTH)
    assert old.status_code == 401


def test_unsafe_configurations_are_refused() -> None:
    backend = Backend()
    with pytest.raises(BadRequest, match="other machines"):
        ControlServer(backend, Secret(TOKEN), ServerConfig(host="0.0.0.0"))
    with pytest.raises(BadRequest, match="16 characters"):
        ControlServer(backend, Secret("short"), ServerConfig(host="0.0.0.0", allow_remote=True))
    ControlServer(backend, Secret(TOKEN), ServerConfig(host="0.0.0.0", allow_remote=True))
    assert "t0ken" not in repr(ControlServer(backend, Secret(TOKEN)))


@pytest.mark.asyncio
async def test_openapi_document_matches_the_routes(
    served: tuple[ControlServer, Backend, Clock],
) -> None:
    server, _, _ = served
    served_doc = (await get(server.url + "/v1/openapi.json", AUTH)).json()
    assert served_doc == json.loads(json.dumps(openapi.document()))
    documented = {(method.upper(), path) for path, ops in served_doc["paths"].items()
                  for method in ops}
    app = server.build_app()
    routed = {(r.method, r.resource.canonical) for r in app.router.routes()
              if r.resource is not None and r.method != "HEAD"}
    routed -= {("GET", "/"), ("GET", "/v1/events")}  # a page and a WebSocket, not JSON routes
    assert documented == routed
    page = await get(server.url + "/")
    assert page.status_code == 200 and "Authorization: Bearer" in page.text


def test_refused_error_carries_retry_after() -> None:
    wire = Refused("slow down", retry_after=0.25).to_wire()
    assert wire == {"error": {"code": "rate_limited", "message": "slow down", "retry_after": 0.25}}
