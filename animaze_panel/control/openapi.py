"""The control API's OpenAPI 3.1 document and its short how-to page (static data)."""

from __future__ import annotations

from typing import Any

from ..hotkeys.actions import BY_KIND

_ERR = {"$ref": "#/components/responses/Error"}
_AUTH_ERRORS = {"401": _ERR, "429": _ERR}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_RUN_RESPONSES = {
    "200": _json(_ref("RunOutcome"), "It ran (once)."),
    "400": _ERR, "404": _ERR, "413": _ERR, "422": _ERR, "502": _ERR, "503": _ERR,
    **_AUTH_ERRORS,
}
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The binding's name (case-insensitive)."}
_IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
                "schema": {"type": "string", "maxLength": 128},
                "description": "A retry with the same key answers from the first run."}
_named = {"type": "array", "items": _ref("Named")}
_indexed = {"type": "array", "items": _ref("Indexed")}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``/v1/openapi.json``."""
    kinds = sorted([*BY_KIND, "macro"])
    return {
        "openapi": "3.1.0",
        "info": {"title": "animaze-panel control API", "version": "1",
                 "description": "Drive the running panel from a deck, a bot or a script."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/v1/state": {"get": {
                "operationId": "getState", "summary": "The panel's state",
                "responses": {"200": _json(_ref("State"), "Current state."), **_AUTH_ERRORS}}},
            "/v1/catalog": {"get": {
                "operationId": "getCatalog", "summary": "What can be run",
                "responses": {"200": _json(_ref("Catalog"), "Everything runnable."),
                              **_AUTH_ERRORS}}},
            "/v1/actions/run": {"post": {
                "operationId": "runAction", "summary": "Run one action (as a hotkey would)",
                "parameters": [_IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("Action")}}},
                "responses": _RUN_RESPONSES}},
            "/v1/bindings/{name}/press": {"post": {
                "operationId": "pressBinding", "summary": "Press a named binding",
                "parameters": [_NAME, _IDEMPOTENCY], "responses": _RUN_RESPONSES}},
            "/v1/bindings/{name}/release": {"post": {
                "operationId": "releaseBinding", "summary": "Release a named binding",
                "parameters": [_NAME, _IDEMPOTENCY], "responses": _RUN_RESPONSES}},
            "/v1/animaze": {"post": {
                "operationId": "callAnimaze",
                "summary": "Send one raw Animaze API request over the panel's connection",
                "parameters": [_IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"type": "object", "required": ["action"],
                               "properties": {"action": {"type": "string"}},
                               "additionalProperties": True}}}},
                "responses": {**_RUN_RESPONSES, "200": _json(
                    {"type": "object", "required": ["action"],
                     "properties": {"action": {"type": "string"}},
                     "additionalProperties": True}, "Animaze's response.")}}},
            "/v1/macros/stop": {"post": {
                "operationId": "stopMacros", "summary": "Cancel running macros",
                "parameters": [_IDEMPOTENCY],
                "responses": {"200": _json({"type": "object", "required": ["ok", "stopped"],
                                            "properties": {"ok": {"type": "boolean"},
                                                           "stopped": {"type": "integer"}}},
                                           "How many were cancelled."),
                              "422": _ERR, **_AUTH_ERRORS}}},
            "/v1/openapi.json": {"get": {
                "operationId": "getOpenApi", "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1."),
                              **_AUTH_ERRORS}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": _json(_ref("Error"), "An error, in words.")},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "retry_after": {"type": "number"}}}}},
                "Action": {"type": "object", "required": ["type"],
                           "additionalProperties": True,
                           "properties": {"type": {"type": "string", "enum": kinds}},
                           "description": "An action table as in hotkeys.toml, e.g. "
                                          "{\"type\": \"emote\", \"name\": \"Emote_Wave\"}."},
                "RunOutcome": {"type": "object", "required": ["ok", "ran"],
                               "properties": {"ok": {"type": "boolean"},
                                              "ran": {"type": "string"}}},
                "Named": {"type": "object", "required": ["name", "label"],
                          "properties": {"name": {"type": "string"},
                                         "label": {"type": "string"}}},
                "Indexed": {"type": "object", "required": ["index", "label"],
                            "properties": {"index": {"type": "integer"},
                                           "label": {"type": "string"}}},
                "Binding": {"type": "object",
                            "required": ["name", "keys", "does", "hold", "macro"],
                            "properties": {"name": {"type": "string"},
                                           "keys": {"type": "string"},
                                           "does": {"type": "string"},
                                           "hold": {"type": "boolean"},
                                           "macro": {"type": "boolean"}}},
                "State": {"type": "object", "required": [
                    "connection", "avatar", "scene", "broadcast", "speaking", "behaviours",
                    "hotkeys_enabled", "cloud"], "properties": {
                    "connection": {"type": "string",
                                   "enum": ["connected", "connecting", "disconnected"]},
                    "avatar": {"type": ["string", "null"]},
                    "scene": {"type": ["string", "null"]},
                    "broadcast": {"type": ["boolean", "null"]},
                    "speaking": {"type": "boolean"},
                    "behaviours": {"type": "object",
                                   "additionalProperties": {"type": "boolean"}},
                    "hotkeys_enabled": {"type": "boolean"},
                    "cloud": {"type": "array", "items": {
                        "type": "object", "required": ["service", "live"],
                        "properties": {"service": {"type": "string"},
                                       "live": {"type": "boolean"}}}}}},
                "Catalog": {"type": "object", "required": [
                    "avatars", "scenes", "emotes", "special_actions", "poses", "idles",
                    "quickscenes", "behaviours", "camera_presets", "bindings", "say_targets"],
                    "properties": {
                        "avatars": _named, "scenes": _named, "emotes": _named,
                        "special_actions": _indexed, "poses": _indexed, "idles": _indexed,
                        "quickscenes": _indexed, "behaviours": _named,
                        "camera_presets": _named,
                        "bindings": {"type": "array", "items": _ref("Binding")},
                        "say_targets": _named}},
            },
        },
    }


INDEX_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>animaze-panel control API</title></head>
<body style="font-family: sans-serif; max-width: 46em">
<h1>animaze-panel control API</h1>
<p>Every <code>/v1</code> request needs the token shown in the panel under
<b>Settings &gt; Control API</b>: send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<ul>
<li><code>POST /v1/actions/run</code> with e.g. <code>{"type": "emote", "name": "Emote_Wave"}</code>
 (any action a hotkey can run, or <code>{"type": "macro", "name": "Intro"}</code>)</li>
<li><code>POST /v1/bindings/&lt;name&gt;/press</code> and <code>/release</code> (hold bindings)</li>
<li><code>POST /v1/macros/stop</code></li>
<li><code>GET /v1/state</code>, <code>GET /v1/catalog</code></li>
<li><code>WS /v1/events</code> (header, or <code>?token=</code>): state changes as they happen</li>
<li><code>GET /v1/openapi.json</code>: the OpenAPI 3.1 description</li>
</ul>
<p>Example: <code>curl -X POST -H "Authorization: Bearer $TOKEN"
 -d '{"type":"emote","name":"Emote_Wave"}' http://127.0.0.1:8765/v1/actions/run</code></p>
</body></html>
"""
