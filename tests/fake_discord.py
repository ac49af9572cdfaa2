"""A small fake Discord on 127.0.0.1 for end-to-end tests of the real discord.py client.

* REST (`/api/v10/...`): login (`users/@me`, `oauth2/applications/@me`), command sync
  (global and guild bulk overwrite, recorded), interaction callbacks (answering discord.py's
  `with_response=1` shape), the `@original` webhook message (PATCH/GET/DELETE), follow-ups,
  channel messages, typing, and a tiny CDN for attachments. Every request is recorded with
  its method, path, query, JSON body and monotonic time. Unknown routes get a 404 (recorded).
  A message or autocomplete answer over Discord's limits (2,000 characters of content, the
  embed and component limits, 25 choices of 1-100 characters) gets Discord's 400 "Invalid
  Form Body" (code 50035) and is kept in `rejected`; `running()` fails a test that caused one.
* Gateway (websocket): HELLO, IDENTIFY -> READY + GUILD_CREATE (a guild with a text channel
  and roles), HEARTBEAT -> HEARTBEAT_ACK (heartbeat times recorded), RESUME -> RESUMED; it
  speaks zlib-stream when the client asks for it.
* Helpers inject INTERACTION_CREATE (slash commands with options, button clicks,
  autocomplete) and MESSAGE_CREATE (a mention of the bot) and wait for the bot's responses.

`patch_client()` points discord.py at the fake (`Route.BASE` and the gateway address); the bot
code itself is not modified.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import discord
import yarl
from aiohttp import WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.settings import Settings

TOKEN = "fake-token.for-tests.only"
ADMIN_ID = 777  # the one admin of the bots the tests start
CDN_CHUNK = 16 * 1024
JSON = "application/json"  # discord.py parses a body as JSON only for exactly this type

MANAGE_GUILD = 1 << 5
SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY = 1 << 11, 1 << 14, 1 << 16
EVERYONE_PERMISSIONS = (
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31) | (1 << 38)
)  # view, send, embed, history, use commands, send in threads (a new server's @everyone has them)


@dataclass
class Request:
    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    body: Any
    at: float
    headers: dict[str, str] = field(default_factory=dict)
    shown: dict | None = None  # the channel message Discord stored from it (embeds it dropped left out)

    @property
    def message_payload(self) -> dict | None:
        """The message this request sends or edits, if it is one (else None)."""
        body = self.body if isinstance(self.body, dict) else None
        if body is None:
            return None
        if self.path.endswith("/callback"):
            data = body.get("data")
            return data if body.get("type") in (4, 7) and isinstance(data, dict) else None
        if ("/webhooks/" in self.path or "/messages" in self.path) and self.method in ("POST", "PATCH"):
            return body
        return None


# Discord's documented limits (developer docs: Message, Embed, Component and autocomplete
# objects); characters are counted as code points.
MAX_CONTENT = 2000
MAX_EMBEDS, MAX_EMBED_TOTAL = 10, 6000
EMBED_TEXT_LIMITS = {"title": 256, "description": 4096}
MAX_FIELDS, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FOOTER, MAX_AUTHOR = 25, 256, 1024, 2048, 256
MAX_ROWS, MAX_ROW_ITEMS, MAX_CUSTOM_ID, MAX_LABEL = 5, 5, 100, 80
MAX_CHOICES, MAX_CHOICE_NAME, MAX_CHOICE_VALUE = 25, 100, 100


def limit_problems(data: dict) -> list[str]:
    """What of a message body breaks Discord's limits (empty: Discord takes it)."""
    problems = []
    content = data.get("content") or ""
    if len(content) > MAX_CONTENT:
        problems.append(f"content: {len(content)} characters > {MAX_CONTENT}")
    embeds = data.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"embeds: {len(embeds)} > {MAX_EMBEDS}")
    total = 0
    for n, embed in enumerate(embeds):
        for key, most in EMBED_TEXT_LIMITS.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > most:
                problems.append(f"embeds.{n}.{key}: {len(text)} characters > {most}")
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            problems.append(f"embeds.{n}.fields: {len(fields)} > {MAX_FIELDS}")
        for f, item in enumerate(fields):
            name, value = item.get("name") or "", item.get("value") or ""
            total += len(name) + len(value)
            if not name or len(name) > MAX_FIELD_NAME:
                problems.append(f"embeds.{n}.fields.{f}.name: {len(name)} characters, not 1-{MAX_FIELD_NAME}")
            if not value or len(value) > MAX_FIELD_VALUE:
                problems.append(f"embeds.{n}.fields.{f}.value: {len(value)} characters, not 1-{MAX_FIELD_VALUE}")
        for key, most in (("footer", MAX_FOOTER), ("author", MAX_AUTHOR)):
            text = (embed.get(key) or {}).get("text" if key == "footer" else "name") or ""
            total += len(text)
            if len(text) > most:
                problems.append(f"embeds.{n}.{key}: {len(text)} characters > {most}")
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds: {total} characters in all > {MAX_EMBED_TOTAL}")
    rows = data.get("components") or []
    if len(rows) > MAX_ROWS:
        problems.append(f"components: {len(rows)} rows > {MAX_ROWS}")
    for r, row in enumerate(rows):
        items = row.get("components") or []
        if len(items) > MAX_ROW_ITEMS:
            problems.append(f"components.{r}: {len(items)} items > {MAX_ROW_ITEMS}")
        for item in items:
            if len(item.get("custom_id") or "") > MAX_CUSTOM_ID:
                problems.append(f"components.{r}: a custom_id of {len(item['custom_id'])} characters")
            if len(item.get("label") or "") > MAX_LABEL:
                problems.append(f"components.{r}: a label of {len(item['label'])} characters")
    return problems


def choice_problems(data: dict) -> list[str]:
    """What of an autocomplete answer breaks Discord's limits."""
    choices = data.get("choices") or []
    problems = [f"choices: {len(choices)} > {MAX_CHOICES}"] if len(choices) > MAX_CHOICES else []
    for n, choice in enumerate(choices):
        name, value = choice.get("name") or "", choice.get("value")
        if not 1 <= len(name) <= MAX_CHOICE_NAME:
            problems.append(f"choices.{n}.name: {len(name)} characters, not 1-{MAX_CHOICE_NAME}")
        if isinstance(value, str) and not 1 <= len(value) <= MAX_CHOICE_VALUE:
            problems.append(f"choices.{n}.value: {len(value)} characters, not 1-{MAX_CHOICE_VALUE}")
    return problems


class FakeDiscord:
    """One fake Discord: start() it, patch_client(), then run the bot against it."""

    def __init__(self, *, token: str = TOKEN, heartbeat_interval_ms: int = 1000) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self.app_id = self.snowflake()
        self.bot_user = {
            "id": str(self.app_id),
            "username": "Verbatim",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "flags": 0,
        }
        self.guild_id = self.snowflake()
        self.channel_id = self.snowflake()
        self.admin_role_id = self.snowflake()
        self.bot_role_id = self.snowflake()  # the role Discord makes for an added bot, named like it
        self.requests: list[Request] = []
        self.rejected: list[tuple[Request, list[str]]] = []  # bodies Discord would refuse, and why
        self.deleted: set[str] = set()  # ids of members' messages deleted (a reply to one is refused)
        self.heartbeats: list[float] = []
        self.identifies: list[dict] = []
        self.global_commands: list[dict] = []
        self.guild_commands: dict[str, list[dict]] = {}
        self.interactions: dict[str, dict] = {}  # id -> injected payload
        self.injected_at: dict[str, float] = {}
        self.originals: dict[str, dict] = {}  # interaction token -> original response message
        self.messages: dict[str, dict] = {}
        self.files: dict[str, bytes] = {}  # CDN path -> bytes
        self.dm_channels: dict[int, int] = {}  # user id -> their DM channel with the bot
        self.closed_dms: set[int] = set()  # users who take no DM from server members (403, 50007)
        self.denied: dict[int, int] = {}  # channel id -> permissions the bot lacks there (add_channel)
        self.failures: list[tuple[str, re.Pattern[str], int, dict]] = []  # fail_next: answered first
        self.cdn_sent: dict[str, int] = {}  # CDN path -> bytes sent before the client hung up
        self.ready = asyncio.Event()
        self._changed = asyncio.Condition()
        self._ws: web.WebSocketResponse | None = None
        self._compressor: Any = None
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._undo: list[tuple[Any, str, Any]] = []

    # ------------------------------------------------------------------ lifecycle
    def snowflake(self) -> int:
        return next(self._ids)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/cdn/{path:.*}", self._cdn)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        self.unpatch_client()

    def settings(self, seeds: Path, index_dir: Path, **overrides: Any) -> Settings:
        """A bot's settings against this server: its token and guild, ADMIN_ID as the admin."""
        given: dict[str, Any] = {
            "discord_token": TOKEN,
            "dev_guild_id": self.guild_id,
            "admin_ids": frozenset({ADMIN_ID}),
        }
        return Settings(seeds_dir=seeds, index_dir=index_dir, **(given | overrides))

    def patch_client(self) -> None:
        """Point discord.py (REST base and gateway address) at this fake."""
        self._undo = [
            (Route, "BASE", Route.BASE),
            (DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY),
        ]
        Route.BASE = f"{self.base}/api/v10"
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    def unpatch_client(self) -> None:
        for owner, name, value in reversed(self._undo):
            setattr(owner, name, value)
        self._undo = []

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate, timeout: float = 10.0):
        """Wait until predicate() returns something truthy (re-checked on every request)."""

        async def check():
            async with self._changed:
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self._changed.wait()

        return await asyncio.wait_for(check(), timeout)

    # ------------------------------------------------------------------ payloads
    def now(self) -> str:
        return datetime.now(UTC).isoformat()

    def user(self, user_id: int, name: str = "tester") -> dict:
        return {
            "id": str(user_id),
            "username": name,
            "discriminator": "0",
            "global_name": name,
            "avatar": None,
            "flags": 0,
        }

    def member(self, user_id: int, *, admin: bool = False, name: str = "tester") -> dict:
        permissions = EVERYONE_PERMISSIONS | (MANAGE_GUILD if admin else 0)
        return {
            "user": self.user(user_id, name),
            "roles": [str(self.admin_role_id)] if admin else [],
            "nick": None,
            "joined_at": self.now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    def guild_payload(self) -> dict:
        return {
            "id": str(self.guild_id),
            "name": "Test Newsroom",
            "icon": None,
            "owner_id": str(self.snowflake()),
            "region": "europe",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "features": [],
            "emojis": [],
            "stickers": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "large": False,
            "unavailable": False,
            "member_count": 3,
            "joined_at": self.now(),
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": str(EVERYONE_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": str(self.admin_role_id),
                    "name": "Editors",
                    "permissions": str(EVERYONE_PERMISSIONS | MANAGE_GUILD),
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": True,
                    "flags": 0,
                },
                {
                    "id": str(self.bot_role_id),
                    "name": "Verbatim",
                    "permissions": str(EVERYONE_PERMISSIONS),
                    "position": 2,
                    "color": 0,
                    "hoist": False,
                    "managed": True,
                    "mentionable": True,
                    "flags": 0,
                    "tags": {"bot_id": str(self.app_id)},
                },
            ],
            "channels": [
                {
                    "id": str(self.channel_id),
                    "type": 0,
                    "name": "news",
                    "position": 0,
                    "guild_id": str(self.guild_id),
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                }
            ],
            "threads": [],
            "members": [{**self.member(self.app_id, name="Verbatim"), "user": self.bot_user}],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }

    def message_payload(
        self,
        data: dict,
        *,
        author: dict | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
        mtype: int = 0,
        webhook_id: int | None = None,
    ) -> dict:
        msg = {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id or self.channel_id),
            "guild_id": str(self.guild_id),
            "author": author or self.bot_user,
            "content": data.get("content") or "",
            "timestamp": self.now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": data.get("embeds") or [],
            "pinned": False,
            "type": mtype,
            "flags": int(data.get("flags") or 0),
            "components": data.get("components") or [],
        }
        if webhook_id:
            msg["webhook_id"] = str(webhook_id)
        if data.get("message_reference"):
            msg["message_reference"] = data["message_reference"]
        return msg

    # ------------------------------------------------------------------ gateway
    async def _send(self, payload: dict) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return
        text = json.dumps(payload)
        if self._compressor is not None:
            await ws.send_bytes(self._compressor.compress(text.encode()) + self._compressor.flush(zlib.Z_SYNC_FLUSH))
        else:
            await ws.send_str(text)

    async def dispatch(self, event: str, data: dict) -> None:
        self._seq += 1
        await self._send({"op": 0, "t": event, "s": self._seq, "d": data})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._ws = ws
        self._compressor = zlib.compressobj() if request.query.get("compress") == "zlib-stream" else None
        await self._send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op, data = payload.get("op"), payload.get("d")
            if op == 1:  # heartbeat
                self.heartbeats.append(time.monotonic())
                await self._send({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:  # identify
                self.identifies.append(data)
                if data.get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": self.bot_user,
                        "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                        "session_id": "fake-session",
                        "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                        "application": {"id": str(self.app_id), "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                    },
                )
                await self.dispatch("GUILD_CREATE", self.guild_payload())
                self.ready.set()
            elif op == 6:  # resume
                await self.dispatch("RESUMED", {})
        return ws

    # ------------------------------------------------------------------ REST
    def _json(self, data: Any, status: int = 200) -> web.Response:
        return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": JSON})

    async def _cdn(self, request: web.Request) -> web.Response:
        raw = request.rel_url.raw_path[len("/cdn/") :]  # file names are percent-encoded in the URL
        status = re.fullmatch(r"status/(\d{3})/.*", raw)
        if status:  # `/cdn/status/500/name`: a host failing with that status
            return web.Response(status=int(status[1]))
        folder, _, name = raw.rpartition("/")  # the client may decode `%28` to `(`: compare re-encoded
        data = self.files.get(raw, self.files.get(f"{folder}/{quote(unquote(name), safe='')}"))
        if data is None:
            return web.Response(status=404)
        self.requests.append(
            Request("GET", "/cdn/" + request.match_info["path"], dict(request.query), None, time.monotonic())
        )
        # Streamed in chunks without a Content-Length, counting what was sent, so that a test can
        # see whether the bot stopped reading a file that turned out larger than announced.
        path = request.match_info["path"]
        self.cdn_sent[path] = 0
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            for start in range(0, len(data), CDN_CHUNK):
                await response.write(data[start : start + CDN_CHUNK])
                self.cdn_sent[path] += len(data[start : start + CDN_CHUNK])
            await response.write_eof()
        except (ConnectionError, RuntimeError):  # the client hung up: what it wanted was enough
            pass
        return response

    async def _rest(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == JSON:
                body = json.loads(raw or b"null")
            elif request.content_type.startswith("multipart/"):
                body = {"multipart": True}
        rec = Request(
            request.method,
            path,
            dict(request.query),
            body,
            at,
            {k: v for k, v in request.headers.items() if k.lower() != "authorization"},
        )
        self.requests.append(rec)
        try:
            return self._route(request, rec)
        finally:
            await self._notify()

    def _route(self, request: web.Request, rec: Request) -> web.Response:
        m, p, body = rec.method, rec.path.rstrip("/"), rec.body
        parts = p.strip("/").split("/")
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        for n, (method, pattern, status, failure) in enumerate(self.failures):
            if m == method and pattern.search(p):
                del self.failures[n]
                response = self._json(failure, status)
                if status == 429:  # Discord's own 429 (discord.py reads one without `Via` as Cloudflare's ban)
                    wait = str(failure.get("retry_after", 1))
                    response.headers.update({"Via": "1.1 google", "Retry-After": wait, "X-RateLimit-Scope": "user"})
                return response
        problems = self._limit_problems(rec)
        if problems:
            self.rejected.append((rec, problems))
            errors = {"limits": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": why} for why in problems]}}
            return self._json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, 400)
        if (m, p) == ("GET", "/users/@me"):
            if request.headers.get("Authorization") != f"Bot {self.token}":
                return self._json({"message": "401: Unauthorized", "code": 0}, 401)
            return self._json(self.bot_user)
        if (m, p) == ("GET", "/oauth2/applications/@me"):
            return self._json(
                {
                    "id": str(self.app_id),
                    "name": "Verbatim",
                    "icon": None,
                    "description": "",
                    "rpc_origins": [],
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": self.user(self.snowflake(), "owner"),
                    "summary": "",
                    "verify_key": "00",
                    "team": None,
                    "flags": 0,
                    "interactions_endpoint_url": None,
                    "bot": self.bot_user,
                }
            )
        if parts[:1] == ["applications"] and parts[-1] == "commands":
            scope = parts[3] if len(parts) == 5 else None
            if m == "PUT":
                registered = [
                    {
                        **c,
                        "id": str(self.snowflake()),
                        "application_id": str(self.app_id),
                        "version": "1",
                        **({"guild_id": scope} if scope else {}),
                    }
                    for c in (body or [])
                ]
                if scope:
                    self.guild_commands[scope] = registered
                else:
                    self.global_commands = registered
                return self._json(registered)
            if m == "GET":
                return self._json(self.guild_commands.get(scope, []) if scope else self.global_commands)
        if parts[0] == "interactions" and parts[-1] == "callback" and m == "POST":
            return self._callback(parts[1], parts[2], body or {})
        if parts[0] == "webhooks" and len(parts) >= 3:
            return self._webhook(m, parts, body or {}, rec)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages" and m == "POST":
            denied, sent = self.denied.get(int(parts[1]), 0), dict(body or {})
            if denied & SEND_MESSAGES:
                return self._json({"message": "Missing Permissions", "code": 50013}, 403)
            if denied & READ_MESSAGE_HISTORY and sent.get("message_reference"):
                refused = "Cannot reply without permission to read message history"
                return self._json({"message": refused, "code": 160002}, 403)
            if str((sent.get("message_reference") or {}).get("message_id")) in self.deleted:
                unknown = {"_errors": [{"code": "REPLIES_UNKNOWN_MESSAGE", "message": "Unknown message"}]}
                errors = {"message_reference": unknown}
                return self._json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, 400)
            if denied & EMBED_LINKS:  # Discord drops a bot's embeds where it may not embed links
                sent.pop("embeds", None)
            if not sent.get("content") and not sent.get("embeds") and not sent.get("components"):
                return self._json({"message": "Cannot send an empty message", "code": 50006}, 400)
            msg = self.message_payload(sent, channel_id=int(parts[1]), mtype=19 if sent.get("message_reference") else 0)
            self.messages[msg["id"]] = rec.shown = msg
            return self._json(msg)
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "messages" and m == "GET":
            if self.denied.get(int(parts[1]), 0) & READ_MESSAGE_HISTORY:
                return self._json({"message": "Missing Access", "code": 50001}, 403)
            stored = [*self.messages.values(), *self.originals.values()]  # what the bot sent, and answered
            found = next((x for x in stored if x["id"] == parts[3] and x["channel_id"] == parts[1]), None)
            if found is None:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            return self._json(found)
        if (m, p) == ("POST", "/users/@me/channels"):  # the bot opens a DM with a user
            recipient = int((body or {}).get("recipient_id") or 0)
            if recipient in self.closed_dms:
                return self._json({"message": "Cannot send messages to this user", "code": 50007}, 403)
            channel = {"id": str(self.dm_channel_id(recipient)), "type": 1, "last_message_id": None}
            return self._json(channel | {"recipients": [self.user(recipient)]})
        if parts[0] == "channels" and parts[-1] == "typing" and m == "POST":
            return web.Response(status=204)
        return self._json({"message": f"404: Not Found ({m} {p})", "code": 0}, 404)

    @staticmethod
    def _limit_problems(rec: Request) -> list[str]:
        """Discord's limits on what this request sends (a message, an edit, autocomplete choices)."""
        body = rec.body if isinstance(rec.body, dict) else None
        if body is None or rec.method not in ("POST", "PATCH"):
            return []
        if rec.path.endswith("/callback"):
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            if body.get("type") == 8:
                return choice_problems(data)
            return limit_problems(data) if body.get("type") in (4, 7) else []
        return limit_problems(body) if rec.message_payload is not None else []

    def _callback(self, interaction_id: str, token: str, body: dict) -> web.Response:
        itype = body.get("type")
        injected = self.interactions.get(interaction_id, {})
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        response = {
            "interaction": {
                "id": interaction_id,
                "type": injected.get("type", 2),
                "response_message_loading": itype == 5,
                "response_message_ephemeral": bool(flags & 64),
            }
        }
        if itype in (4, 5):
            msg = self.message_payload(data, mtype=20, webhook_id=self.app_id)
            if itype == 5:
                msg["flags"] = flags | 128  # loading
            self.originals[token] = msg
            response["interaction"]["response_message_id"] = msg["id"]
            response["resource"] = {"type": itype, "message": msg}
        elif itype in (6, 7):
            original = injected.get("message") or {}
            msg = {**original, **{k: v for k, v in data.items() if k in ("content", "embeds", "components", "flags")}}
            if msg:
                response["interaction"]["response_message_id"] = msg.get("id")
                response["resource"] = {"type": itype, "message": msg}
        else:
            response["resource"] = {"type": itype}
        return self._json(response)

    def _webhook(self, m: str, parts: list[str], body: dict, rec: Request) -> web.Response:
        token = parts[2]
        if len(parts) == 3 and m == "POST":  # follow-up
            msg = self.message_payload(body, webhook_id=self.app_id)
            self.messages[msg["id"]] = msg
            return self._json(msg)
        if len(parts) == 5 and parts[3] == "messages":
            target = parts[4]
            if target == "@original":
                original = self.originals.get(token)
                if original is None:
                    return self._json({"message": "Unknown Message", "code": 10008}, 404)
            else:
                original = self.messages.get(target)
                if original is None:
                    return self._json({"message": "Unknown Message", "code": 10008}, 404)
            if m == "GET":
                return self._json(original)
            if m == "DELETE":
                self.originals.pop(token, None) if target == "@original" else self.messages.pop(target, None)
                return web.Response(status=204)
            if m == "PATCH":
                original.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
                original["flags"] = int(original.get("flags", 0)) & ~128
                original["edited_timestamp"] = self.now()
                return self._json(original)
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    def fail_next(self, method: str, path: str, status: int, body: dict | None = None) -> None:
        """Answer the next `method` request whose path (after /api/v10) matches the regex `path`
        with `status` and `body` (a 429's `retry_after`, an error's `code`), once: Discord failing
        as it does, for one request."""
        self.failures.append((method, re.compile(path), status, body or {"message": "failed", "code": 0}))

    # ------------------------------------------------------------------ injection
    def _interaction_base(self, itype: int, user_id: int, admin: bool, thread: int | None = None) -> dict:
        iid = str(self.snowflake())
        channel = {"id": str(self.channel_id), "type": 0, "guild_id": str(self.guild_id), "name": "news"}
        if thread is not None:  # a public thread of the channel (`open_thread`)
            channel = channel | {"id": str(thread), "type": 11, "parent_id": str(self.channel_id)}
        return {
            "id": iid,
            "application_id": str(self.app_id),
            "type": itype,
            "token": f"tok-{iid}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "channel_id": channel["id"],
            "channel": channel,
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "member": self.member(user_id, admin=admin),
            "app_permissions": str(EVERYONE_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
        }

    def _command(self, name: str) -> dict:
        for cmd in itertools.chain(*self.guild_commands.values(), self.global_commands):
            if cmd["name"] == name:
                return cmd
        raise KeyError(f"/{name} is not registered")

    def _options(self, cmd: dict, options: dict[str, Any], focused: str | None = None) -> list[dict]:
        schema = {o["name"]: o for o in cmd.get("options", [])}
        out = []
        for key, value in options.items():
            if key not in schema:
                raise KeyError(f"/{cmd['name']} has no option {key!r} (has {sorted(schema)})")
            opt = {"name": key, "type": schema[key]["type"], "value": value}
            if key == focused:
                opt["focused"] = True
            out.append(opt)
        return out

    async def _inject(self, payload: dict) -> dict:
        self.interactions[payload["id"]] = payload
        self.injected_at[payload["id"]] = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def slash(
        self,
        name: str,
        /,
        *,
        user_id: int = 4242,
        admin: bool = False,
        attachments: dict[str, tuple[str, bytes]] | None = None,
        announce: dict[str, dict] | None = None,
        thread: int | None = None,
        **options: Any,
    ) -> dict:
        """Inject a slash command; `attachments` maps option name -> (filename, bytes), and
        `announce` option name -> fields that override what Discord says of the file (a lie
        about its `size` or `content_type`, as a modified client could send); `thread`: used
        in that thread of the channel (`open_thread`)."""
        cmd = self._command(name)
        payload = self._interaction_base(2, user_id, admin, thread)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1, "options": self._options(cmd, options)}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        for opt_name, (filename, blob) in (attachments or {}).items():
            aid = str(self.snowflake())
            path = f"attachments/{self.channel_id}/{aid}/{quote(filename, safe='')}"
            self.files[path] = blob
            data.setdefault("resolved", {}).setdefault("attachments", {})[aid] = {
                "id": aid,
                "filename": filename,
                "size": len(blob),
                "url": f"{self.base}/cdn/{path}",
                "proxy_url": f"{self.base}/cdn/{path}",
                "content_type": "text/plain",
                **(announce or {}).get(opt_name, {}),
            }
            data["options"].append({"name": opt_name, "type": 11, "value": aid})
        payload["data"] = data
        return await self._inject(payload)

    async def autocomplete(self, name: str, focused: str, /, *, user_id: int = 4242, **options: Any) -> dict:
        cmd = self._command(name)
        payload = self._interaction_base(4, user_id, False)
        payload["data"] = {"id": cmd["id"], "name": name, "type": 1, "options": self._options(cmd, options, focused)}
        if cmd.get("guild_id"):
            payload["data"]["guild_id"] = cmd["guild_id"]
        return await self._inject(payload)

    async def click(self, message: dict, custom_id: str, *, user_id: int = 4242) -> dict:
        """Inject a button click on a message the bot sent."""
        payload = self._interaction_base(3, user_id, False)
        payload["message"] = message
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        return await self._inject(payload)

    def attachment(self, filename: str, data: bytes, channel_id: int | None = None) -> dict:
        """A file sent with a message, as Discord describes it (served by the fake's file host)."""
        aid = str(self.snowflake())
        path = f"attachments/{channel_id or self.channel_id}/{aid}/{quote(filename, safe='')}"
        self.files[path] = data
        url = f"{self.base}/cdn/{path}"
        return {"id": aid, "filename": filename, "size": len(data), "url": url, "proxy_url": url}

    async def mention(
        self,
        text: str,
        *,
        user_id: int = 4242,
        channel_id: int | None = None,
        files: dict[str, bytes] | None = None,
        deleted: bool = False,
    ) -> dict:
        """A user message in the channel (or `channel_id`, a thread) that mentions the bot (`<@bot> text`),
        with `files` (name -> bytes) attached: Discord sends a mention's files to a bot without the
        message-content intent, as it sends its text. `deleted`: its author deletes it at once, before
        any answer (Discord then refuses a reply to it, 400 50035 on `message_reference`)."""
        msg = self.message_payload(
            {"content": f"<@{self.app_id}> {text}"}, author=self.user(user_id), mtype=0, channel_id=channel_id
        )
        msg["attachments"] = [self.attachment(name, data, channel_id) for name, data in (files or {}).items()]
        msg["mentions"] = [self.bot_user]
        msg["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        if deleted:
            self.deleted.add(msg["id"])
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def open_thread(self, message: dict, *, user_id: int = 4242) -> int:
        """A public thread opened from `message` in the channel ("Create Thread" on it), as
        Discord announces it: the thread's id is the message's."""
        thread = {
            "id": message["id"],
            "guild_id": str(self.guild_id),
            "parent_id": str(self.channel_id),
            "owner_id": str(user_id),
            "name": "about the answer",
            "type": 11,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": self.now(),
                "locked": False,
            },
        }
        await self.dispatch("THREAD_CREATE", thread)
        return int(message["id"])

    async def add_channel(self, name: str, *, deny: int = 0, channel_id: int | None = None) -> int:
        """A new text channel of the guild where the bot lacks the permissions `deny` (an overwrite
        for its member, as a moderator sets one), announced as Discord does (CHANNEL_CREATE). Its
        channel messages are then treated as Discord treats them: without SEND_MESSAGES refused
        (403, code 50013); without READ_MESSAGE_HISTORY a reply refused (403, code 160002); without
        EMBED_LINKS their embeds dropped, and a message left empty refused (400, code 50006).
        Interaction responses are not subject to them."""
        channel_id = channel_id or self.snowflake()
        self.denied[channel_id] = deny
        overwrite = {"id": str(self.app_id), "type": 1, "allow": "0", "deny": str(deny)}
        await self.dispatch(
            "CHANNEL_CREATE",
            {
                "id": str(channel_id),
                "type": 0,
                "name": name,
                "position": 1,
                "guild_id": str(self.guild_id),
                "permission_overwrites": [overwrite],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
            },
        )
        return channel_id

    def dm_channel_id(self, user_id: int) -> int:
        """The id of the direct-message channel between `user_id` and the bot (one per user)."""
        return self.dm_channels.setdefault(user_id, self.snowflake())

    async def direct_message(
        self, text: str, *, user_id: int = 4242, mtype: int = 0, files: dict[str, bytes] | None = None
    ) -> dict:
        """A user's message in their DM with the bot, as Discord sends it: no guild, no member,
        and its content even to a bot without the message-content intent (DMs are exempt).
        `mtype` 6 is the notice Discord posts when the user pins a message (no content); `files`
        as for `mention` (Discord's client sends a message over 2,000 characters as `message.txt`)."""
        msg = self.message_payload(
            {"content": text}, author=self.user(user_id), channel_id=self.dm_channel_id(user_id), mtype=mtype
        )
        msg["attachments"] = [
            self.attachment(name, data, self.dm_channel_id(user_id)) for name, data in (files or {}).items()
        ]
        del msg["guild_id"]
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def channel_message(self, text: str, *, user_id: int = 4242) -> dict:
        """A user's message in the guild channel that does not address the bot."""
        msg = self.message_payload({"content": text}, author=self.user(user_id), mtype=0)
        msg["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def reply_to(self, message: dict, text: str, *, user_id: int = 4242, ping: bool = True) -> dict:
        """A user's reply to `message` (one the bot sent), as Discord sends it: the text carries no
        `<@bot>`; with the ping on (Discord's default) the bot is in `mentions`, and the message
        content is sent to a bot without the content intent because it is mentioned."""
        reference = {"message_id": message["id"], "channel_id": message["channel_id"], "guild_id": str(self.guild_id)}
        msg = self.message_payload(
            {"content": text, "message_reference": reference}, author=self.user(user_id), mtype=19
        )
        msg["referenced_message"] = message
        msg["mentions"] = [self.bot_user] if ping else []
        msg["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def mention_role(self, text: str, *, user_id: int = 4242, content: bool = True) -> dict:
        """A user message mentioning the bot's own role (`<@&role> text`), as Discord's mention
        menu often picks it; `content=False` sends it as to a bot without the content intent."""
        msg = self.message_payload(
            {"content": f"<@&{self.bot_role_id}> {text}" if content else ""}, author=self.user(user_id), mtype=0
        )
        msg["mention_roles"] = [str(self.bot_role_id)]
        msg["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    # ------------------------------------------------------------------ reading what the bot did
    def requests_for(self, interaction: dict) -> list[Request]:
        token, iid = interaction["token"], interaction["id"]
        return [r for r in self.requests if f"/{token}" in r.path or f"/{iid}/" in r.path]

    def callback(self, interaction: dict) -> Request | None:
        return next((r for r in self.requests_for(interaction) if r.path.endswith("/callback")), None)

    async def wait_callback(self, interaction: dict, timeout: float = 5.0) -> Request:
        return await self.wait_for(lambda: self.callback(interaction), timeout)

    def final(self, interaction: dict) -> Request | None:
        """The request carrying the bot's answer: a message callback, an @original edit or a follow-up."""
        for r in self.requests_for(interaction):
            if r.path.endswith("/callback") and (r.body or {}).get("type") in (4, 7, 8):
                return r
            if r.method == "PATCH" and r.path.endswith("/messages/@original"):
                return r
            if r.method == "POST" and r.path.rstrip("/").endswith(interaction["token"]):
                return r
        return None

    async def wait_final(self, interaction: dict, timeout: float = 10.0) -> Request:
        return await self.wait_for(lambda: self.final(interaction), timeout)

    def replies_to(self, message: dict) -> list[Request]:
        return [
            r
            for r in self.requests
            if r.method == "POST"
            and r.path == f"/channels/{message['channel_id']}/messages"
            and str(((r.body or {}).get("message_reference") or {}).get("message_id")) == message["id"]
        ]

    async def wait_reply(self, message: dict, timeout: float = 10.0) -> Request:
        return await self.wait_for(lambda: next(iter(self.replies_to(message)), None), timeout)

    def sent_messages(self) -> list[tuple[Request, dict]]:
        return [(r, r.message_payload) for r in self.requests if r.message_payload is not None]


@contextlib.asynccontextmanager
async def running(
    fake: FakeDiscord, bot: discord.Client, token: str = TOKEN, timeout: float = 10
) -> AsyncIterator[discord.Client]:
    """`bot` logged in to `fake` (started and patched) until the block ends; then the bot is
    closed and the fake stopped."""
    task = asyncio.create_task(bot.start(token))
    try:
        await asyncio.wait_for(fake.ready.wait(), timeout)
        await asyncio.wait_for(bot.wait_until_ready(), timeout)
        yield bot
    finally:
        await bot.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await fake.stop()
    if fake.rejected:  # raised only when the block itself ended well (a finally would mask its error)
        shown = "; ".join(f"{r.method} {r.path}: {', '.join(why)}" for r, why in fake.rejected[:5])
        raise AssertionError(f"the bot sent {len(fake.rejected)} bodies Discord would refuse: {shown}")


def plain(markdown: str) -> str:
    """Discord markdown back to text, as a reader sees it: no bold markers, no backslash escapes, no
    zero-width spaces."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*\*", "", markdown)).replace("\u200b", "")


def embed_text(payload: dict) -> str:
    """All the text of a message payload: content, embed titles, descriptions, fields, footers."""
    parts = [payload.get("content") or ""]
    for e in payload.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f.get('name', '')}\n{f.get('value', '')}" for f in e.get("fields") or []]
        parts.append((e.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def custom_ids(payload: dict) -> list[str]:
    out = []
    for row in payload.get("components") or []:
        for comp in row.get("components") or []:
            if "custom_id" in comp:
                out.append(comp["custom_id"])
    return out


__all__ = ["FakeDiscord", "Request", "TOKEN", "embed_text", "custom_ids", "discord"]
