"""A local stand-in for the LINE Messaging API that checks requests the way the real one does.

Every body must parse with line-bot-sdk's request models, match the official OpenAPI schema (LINE's messaging-api.yml,
copied into tests/line-openapi), and follow the rules neither expresses (message and recipient counts, text length,
single-use reply tokens, retry keys). Faults (429/500, slow answers, dropped connections) are injected on demand or at
random with a seed, and accepted sends are counted per retry key so exactly-once delivery can be asserted.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from linebot.v3.messaging import MulticastRequest, PushMessageRequest, ReplyMessageRequest, RichMenuRequest

from tests import openapi_schema

TOKEN = "fake-channel-access-token"
MAX_MESSAGES = 5
MAX_RECIPIENTS = 500
MAX_TEXT = 5000
MAX_QUICK_REPLY_ITEMS = 13

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
PUSH_TARGET = re.compile(r"^[UCR][0-9a-f]{32}$")

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
MULTICAST = "/v2/bot/message/multicast"
UNIT_STATISTICS = "/v2/bot/insight/message/event/aggregation"  # statistics per aggregation unit (insight.yml)

_SDK_MODELS = {
    REPLY: ReplyMessageRequest,
    PUSH: PushMessageRequest,
    MULTICAST: MulticastRequest,
    "/v2/bot/richmenu": RichMenuRequest,
    "/v2/bot/richmenu/validate": RichMenuRequest,
}


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    json: Any
    status: int = 0
    body: bytes = b""
    answer: Any = None
    fault: str | None = None  # "injected", "slow", "dropped"
    channel: str = ""  # the access token the request came with: which LINE channel (city) sent it
    query: dict[str, str] = field(default_factory=dict)  # the query string's parameters
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def retry_key(self) -> str | None:
        return self.headers.get("X-Line-Retry-Key")


@dataclass
class _Fault:
    kind: str  # "status", "hang", "drop"
    status: int = 0
    times: int = 1
    retry_after: float | None = None
    seconds: float = 0.0
    accept: bool = True  # hang/drop: process the request first (its answer is what gets lost)


@dataclass
class ChaosMode:
    """Random faults for reliability tests: each request draws once from a seeded generator."""

    seed: int
    p429: float = 0.0
    p500: float = 0.0
    pslow: float = 0.0
    pdrop: float = 0.0
    slow_seconds: float = 1.0
    paths: tuple[str, ...] = (REPLY, PUSH, MULTICAST)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def draw(self) -> str | None:
        roll = self.rng.random()
        for kind, p in (("429", self.p429), ("500", self.p500), ("slow", self.pslow), ("drop", self.pdrop)):
            if roll < p:
                return kind
            roll -= p
        return None


class LineApiError(Exception):
    def __init__(self, status: int, message: str, details: list[dict] | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = {"message": message, **({"details": details} if details else {})}
        self.headers = headers or {}


def _unknown_properties(sent: Any, parsed: Any, where: str = "") -> list[str]:
    """Keys the SDK model dropped on a round trip: properties the API does not have."""
    problems: list[str] = []
    if isinstance(sent, dict) and isinstance(parsed, dict):
        for key, value in sent.items():
            if value is None:
                continue
            if key not in parsed:
                problems.append(f"{where}{key}: unknown property")
            else:
                problems += _unknown_properties(value, parsed[key], f"{where}{key}/")
    elif isinstance(sent, list) and isinstance(parsed, list):
        for i, (a, b) in enumerate(zip(sent, parsed, strict=False)):
            problems += _unknown_properties(a, b, f"{where}{i}/")
    return problems


def _utf16(text: str) -> int:
    """LINE counts text length in UTF-16 code units: an emoji outside the BMP counts 2."""
    return len(text.encode("utf-16-le")) // 2


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


class FakeLineApi:
    """latency: seconds every request waits before it is handled (a network round trip to LINE; default none).
    openapi_one_in: check request bodies against the OpenAPI schema on one request in N (default every request; the
    SDK-model round trip and the rules below run on every request whatever N is)."""

    def __init__(
        self, token: str = TOKEN, *, openapi: bool | None = None, latency: float = 0.0, openapi_one_in: int = 1
    ):
        self.token = token
        self.other_channels: set[str] = set()  # access tokens of further channels (several cities in one process)
        self.use_openapi = openapi_schema.available() if openapi is None else openapi
        self.latency = latency
        self.openapi_one_in = max(1, openapi_one_in)
        self.openapi_checked = 0  # request bodies checked against the OpenAPI schema
        self._openapi_seen = 0
        self.calls: list[Call] = []
        self.accepted_by_retry_key: Counter[str] = Counter()
        self.group_summaries: dict[str, str] = {}
        self.profiles: dict[str, str | None] = {}
        self.rich_menus: dict[str, dict] = {}
        self.default_rich_menu: str | None = None
        self.rich_menu_images: dict[str, tuple[str, int]] = {}
        self.quota: int | None = 1000  # the month's message limit; None: no limit (type "none")
        # LINE's figures per aggregation unit once it has aggregated them: unit -> overview (e.g. {"uniqueImpression":
        # 120, "uniqueClick": 30}); a unit not here answers with empty figures, as LINE does before aggregating.
        self.unit_statistics: dict[str, dict[str, int | None]] = {}
        self.units_sent: Counter[str] = Counter()  # recipients of accepted sends per aggregation unit
        self.group_sizes: dict[str, int] = {}  # members of a group or room: LINE bills a push to it per member
        self.used_before = 0  # messages the channel sent this month before the test (counted in consumption)
        self.chaos: ChaosMode | None = None
        self._reply_tokens: dict[str, str] = {}  # token -> "issued" | "used" | "expired"
        self._request_ids: dict[str, str] = {}  # retry key -> the request id that accepted it
        self._faults: dict[str, list[_Fault]] = {}
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ---- lifecycle ----
    async def start(self) -> FakeLineApi:
        if self.use_openapi:
            # Build the validators before serving: the first request must not spend a client's timeout on YAML.
            schemas = await asyncio.to_thread(openapi_schema.messaging_api)
            for name in ("ReplyMessageRequest", "PushMessageRequest", "MulticastRequest", "RichMenuRequest"):
                schemas.errors(name, {})
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._release.set()  # slow answers end now
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeLineApi:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # ---- test controls ----
    def issue_reply_token(self, token: str | None = None) -> str:
        """A reply token as LINE puts in a webhook event; valid for one reply."""
        if token is None:
            token = uuid.uuid4().hex
        self._reply_tokens.setdefault(token, "issued")  # a token already used or expired stays so
        return token

    def expire_reply_token(self, token: str) -> None:
        self._reply_tokens[token] = "expired"

    def set_group_summary(self, group_id: str, name: str) -> None:
        self.group_summaries[group_id] = name

    def set_profile(self, user_id: str, display_name: str | None) -> None:
        """None: the user has not added the bot (404)."""
        self.profiles[user_id] = display_name

    def fail_next(self, path: str, status: int, times: int = 1, retry_after: float | None = None) -> None:
        self._faults.setdefault(path, []).append(_Fault("status", status=status, times=times, retry_after=retry_after))

    def hang_next(self, path: str, seconds: float, *, accept: bool = True) -> None:
        """The next request to path is answered only after `seconds` (or when the fake stops / release_hangs())."""
        self._faults.setdefault(path, []).append(_Fault("hang", seconds=seconds, accept=accept))

    def drop_next(self, path: str, *, accept: bool = True) -> None:
        """Close the next request's connection without an answer; by default after accepting it (a lost answer)."""
        self._faults.setdefault(path, []).append(_Fault("drop", accept=accept))

    def release_hangs(self) -> None:
        self._release.set()
        self._release = asyncio.Event()

    def random_faults(
        self,
        seed: int,
        *,
        p429: float = 0.0,
        p500: float = 0.0,
        pslow: float = 0.0,
        pdrop: float = 0.0,
        slow_seconds: float = 1.0,
        paths: tuple[str, ...] = (REPLY, PUSH, MULTICAST),
    ) -> ChaosMode:
        self.chaos = ChaosMode(seed, p429, p500, pslow, pdrop, slow_seconds, paths)
        return self.chaos

    def calm(self) -> None:
        self.chaos = None
        self._faults.clear()

    # ---- what happened ----
    def requests(self, path: str | None = None, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if (path is None or c.path == path) and (method is None or c.method == method)]

    def _accepted(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path and c.status == 200]

    def pushes(self, to: str | None = None) -> list[dict]:
        """Bodies of accepted pushes (optionally only those to one user or group)."""
        return [c.json for c in self._accepted(PUSH) if to is None or c.json["to"] == to]

    def replies(self) -> list[dict]:
        return [c.json for c in self._accepted(REPLY)]

    def multicasts(self) -> list[dict]:
        return [c.json for c in self._accepted(MULTICAST)]

    def reply_texts(self, reply_token: str) -> list[str]:
        """Texts of the accepted reply that used this token (events are handled in parallel, so order by token)."""
        return [
            m["text"]
            for r in self.replies()
            if r["replyToken"] == reply_token
            for m in r["messages"]
            if m.get("type") == "text"
        ]

    def texts(self, to: str | None = None) -> list[str]:
        """Every accepted text message, replies and pushes (pushes filtered by `to`), in order."""
        out = []
        for c in self.calls:
            if c.status != 200 or c.path not in (REPLY, PUSH, MULTICAST):
                continue
            if to is not None and c.path == PUSH and c.json["to"] != to:
                continue
            out += [m["text"] for m in c.json["messages"] if m.get("type") == "text"]
        return out

    def consumption(self) -> int:
        """Messages LINE bills: one per recipient of each accepted push or multicast request, however many bubbles
        it carries; a push to a group or room, one per member (group_sizes; 1 for a group the test did not size)."""
        return sum(
            len(c.json["to"]) if c.path == MULTICAST else self.group_sizes.get(c.json["to"], 1)
            for c in self.calls
            if c.status == 200 and c.path in (PUSH, MULTICAST)
        )

    # ---- the server ----
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        raw = await request.read()
        call = Call(request.method, request.path, dict(request.headers), None, body=raw, query=dict(request.query))
        self.calls.append(call)
        fault = self._take_fault(request.path)
        loses_answer = fault is not None and fault.kind in ("hang", "drop")
        try:
            call.channel = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if call.channel not in (self.token, *self.other_channels):
                raise LineApiError(
                    401, "Authentication failed. Confirm that the access token in the authorization header is valid."
                )
            if fault is not None and fault.kind == "status":
                call.fault = "injected"
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                message = (
                    "The API rate limit has been exceeded. Try again later."
                    if fault.status == 429
                    else "Internal error"
                )
                raise LineApiError(fault.status, message, headers=headers)
            if loses_answer and not fault.accept:
                # Never processed: the request is recorded (status 0) and its connection ends without an answer.
                call.json = self._try_json(raw)
                return await self._lose_answer(request, call, fault, None)
            status, answer, headers = self._route(request, call)
        except LineApiError as exc:
            status, answer, headers = exc.status, exc.body, exc.headers
        call.status, call.answer = status, answer
        headers = {"x-line-request-id": call.request_id, **headers}
        response = web.json_response(answer, status=status, headers=headers)
        if loses_answer:
            # Processed (a send here counts as accepted); only the answer is slow or lost.
            return await self._lose_answer(request, call, fault, response)
        return response

    @staticmethod
    def _try_json(raw: bytes) -> Any:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def _take_fault(self, path: str) -> _Fault | None:
        queue = self._faults.get(path)
        if queue:
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault
        if self.chaos is not None and path in self.chaos.paths:
            kind = self.chaos.draw()
            if kind in ("429", "500"):
                return _Fault("status", status=int(kind))
            if kind == "slow":
                return _Fault("hang", seconds=self.chaos.slow_seconds)
            if kind == "drop":
                return _Fault("drop")
        return None

    async def _lose_answer(self, request: web.Request, call: Call, fault: _Fault, response: web.Response | None):
        if fault.kind == "hang":
            call.fault = "slow"
            try:
                await asyncio.wait_for(self._release.wait(), timeout=fault.seconds)
            except TimeoutError:
                pass
            if response is not None:
                return response  # late: the client has usually given up by now
        else:
            call.fault = "dropped"
        if request.transport is not None:
            request.transport.abort()  # the client sees the connection close with no answer
        return web.Response(status=500)  # never reaches the client

    def _route(self, request: web.Request, call: Call) -> tuple[int, Any, dict]:
        path, method = request.path, request.method
        parts = path.strip("/").split("/")
        if method == "POST" and path in (REPLY, PUSH, MULTICAST):
            call.json = self._parse_json(call.body)
            return self._send(path, call)
        if method == "GET" and path == "/v2/bot/message/quota":
            if self.quota is None:
                return 200, {"type": "none"}, {}
            return 200, {"type": "limited", "value": self.quota}, {}
        if method == "GET" and path == "/v2/bot/message/quota/consumption":
            return 200, {"totalUsage": self.used_before + self.consumption()}, {}
        if method == "GET" and path == UNIT_STATISTICS:
            return self._unit_statistics(request)
        if method == "GET" and len(parts) == 5 and parts[:3] == ["v2", "bot", "group"] and parts[4] == "summary":
            name = self.group_summaries.get(parts[3])
            if name is None:
                raise LineApiError(404, "Not found")
            return 200, {"groupId": parts[3], "groupName": name, "pictureUrl": "https://profile.line-scdn.net/g"}, {}
        if method == "GET" and len(parts) == 4 and parts[:3] == ["v2", "bot", "profile"]:
            return 200, self._profile(parts[3]), {}
        if method == "GET" and len(parts) == 6 and parts[:3] == ["v2", "bot", "group"] and parts[4] == "member":
            return 200, self._profile(parts[5]), {}
        if "richmenu" in parts:
            return self._rich_menu(request, call, parts)
        raise LineApiError(404, f"the fake LINE API does not implement {method} {path}")

    def _parse_json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise LineApiError(400, "The request body could not be parsed as JSON") from None

    def _validate(self, path: str, method: str, body: Any) -> None:
        model = _SDK_MODELS.get(path)
        if model is not None:
            try:
                parsed = model.from_json(json.dumps(body))
            except Exception as exc:  # the SDK raises ValueError, TypeError or pydantic's ValidationError
                raise LineApiError(
                    400, "The request body has 1 error(s)", [{"message": str(exc)[:500], "property": "(sdk model)"}]
                ) from None
            unknown = _unknown_properties(body, json.loads(parsed.to_json()))
            if unknown:
                raise LineApiError(
                    400,
                    "The request body has unknown properties",
                    [{"message": u, "property": u.split(":")[0]} for u in unknown],
                )
        if self.use_openapi:
            schemas = openapi_schema.messaging_api()
            name = schemas.request_schema(method, path)
            if name is not None:
                self._openapi_seen += 1
                if (self._openapi_seen - 1) % self.openapi_one_in:
                    return  # not this request's turn in the sample
                self.openapi_checked += 1
                errors = schemas.errors(name, body)
                if errors:
                    raise LineApiError(
                        400,
                        f"The request body has {len(errors)} error(s)",
                        [{"message": e, "property": e.split(":")[0]} for e in errors],
                    )

    def _check_rules(self, path: str, body: dict) -> None:
        messages = body.get("messages") or []
        problems = []
        if not 1 <= len(messages) <= MAX_MESSAGES:
            problems.append(f"messages: must contain 1 to {MAX_MESSAGES} items, got {len(messages)}")
        if path == MULTICAST:
            recipients = body.get("to") or []
            if not 1 <= len(recipients) <= MAX_RECIPIENTS:
                problems.append(f"to: must contain 1 to {MAX_RECIPIENTS} user ids, got {len(recipients)}")
            problems += [f"to: {u!r} is not a user id" for u in recipients if not USER_ID.match(str(u))][:5]
        if path == PUSH and not PUSH_TARGET.match(str(body.get("to"))):
            problems.append(f"to: {body.get('to')!r} is not a user, group or room id")
        for i, message in enumerate(messages):
            if message.get("type") == "text" and _utf16(message.get("text") or "") > MAX_TEXT:
                problems.append(f"messages[{i}].text: over {MAX_TEXT} characters")
            if message.get("type") == "text" and not message.get("text"):
                problems.append(f"messages[{i}].text: must not be empty")
            items = (message.get("quickReply") or {}).get("items") or []
            if len(items) > MAX_QUICK_REPLY_ITEMS:
                problems.append(f"messages[{i}].quickReply.items: over {MAX_QUICK_REPLY_ITEMS}")
            for node in _walk(message):
                if (
                    node.get("type") == "uri"
                    and "uri" in node
                    and not str(node["uri"]).startswith(("http://", "https://", "line://", "tel:"))
                ):
                    problems.append(f"messages[{i}]: invalid uri {node['uri']!r}")
                if (
                    node.get("type") in ("message", "uri", "postback")
                    and "label" in node
                    and _utf16(node["label"] or "") > 20
                ):
                    problems.append(f"messages[{i}]: action label over 20 characters")
                for key in ("originalContentUrl", "previewImageUrl", "url"):
                    if node.get("type") == "image" and key in node and not str(node[key]).startswith("https://"):
                        problems.append(f"messages[{i}].{key}: must be an https URL")
        if problems:
            raise LineApiError(
                400,
                f"The request body has {len(problems)} error(s)",
                [{"message": p, "property": p.split(":")[0]} for p in problems],
            )

    def _send(self, path: str, call: Call) -> tuple[int, Any, dict]:
        body = call.json
        retry_key = call.retry_key
        if retry_key is not None:
            try:
                uuid.UUID(retry_key)
            except ValueError:
                raise LineApiError(400, "The value of the X-Line-Retry-Key header is invalid") from None
            if path == REPLY:
                raise LineApiError(400, "X-Line-Retry-Key is not supported for reply messages")
            if retry_key in self._request_ids:
                raise LineApiError(
                    409,
                    "The retry key is already accepted",
                    headers={"x-line-accepted-request-id": self._request_ids[retry_key]},
                )
        self._validate(path, call.method, body)
        self._check_rules(path, body)
        if path == REPLY:
            token = body["replyToken"]
            if self._reply_tokens.get(token) != "issued":
                raise LineApiError(400, "Invalid reply token")
            self._reply_tokens[token] = "used"
            self.accepted_by_retry_key[f"reply:{token}"] += 1
        else:
            key = retry_key or f"no-retry-key:{uuid.uuid4()}"
            self.accepted_by_retry_key[key] += 1
            if retry_key is not None:
                self._request_ids[retry_key] = call.request_id
        for unit in body.get("customAggregationUnits") or ():
            self.units_sent[unit] += len(body["to"]) if path == MULTICAST else 1
        if path == MULTICAST:
            return 200, {}, {}
        sent = [{"id": str(random.randrange(10**17, 10**18)), "quoteToken": uuid.uuid4().hex} for _ in body["messages"]]
        return 200, {"sentMessages": sent}, {}

    def _unit_statistics(self, request: web.Request) -> tuple[int, Any, dict]:
        """GET /v2/bot/insight/message/event/aggregation: the query checked against insight.yml's parameters and the
        period rule the spec states in words (to within 30 days after from); the answer checked against its schema."""
        from datetime import date, timedelta

        query = dict(request.query)
        if self.use_openapi:
            problems = openapi_schema.insight().query_errors("GET", request.path, query)
            if problems:
                raise LineApiError(400, "The request has invalid query parameters", [{"message": p} for p in problems])
        try:
            first = date(int(query["from"][:4]), int(query["from"][4:6]), int(query["from"][6:]))
            last = date(int(query["to"][:4]), int(query["to"][4:6]), int(query["to"][6:]))
        except (KeyError, ValueError):
            raise LineApiError(400, "from and to must be dates (yyyyMMdd)") from None
        if not first <= last <= first + timedelta(days=30):
            raise LineApiError(400, "The period must end on or after its start and within 30 days of it")
        found = self.unit_statistics.get(query.get("customAggregationUnit", ""), {})
        overview = {
            key: found.get(key)
            for key in ("uniqueImpression", "uniqueClick", "uniqueMediaPlayed", "uniqueMediaPlayed100Percent")
        }
        answer = {"overview": overview, "messages": [], "clicks": []}
        if self.use_openapi:
            errors = openapi_schema.insight().errors("GetStatisticsPerUnitResponse", answer)
            assert errors == [], f"the fake's own answer breaks insight.yml: {errors}"
        return 200, answer, {}

    def _profile(self, user_id: str) -> dict:
        name = self.profiles.get(user_id, f"ユーザー{user_id[-4:]}")
        if name is None:
            raise LineApiError(404, "Not found")
        return {
            "userId": user_id,
            "displayName": name,
            "pictureUrl": "https://profile.line-scdn.net/u",
            "language": "ja",
        }

    def _rich_menu(self, request: web.Request, call: Call, parts: list[str]) -> tuple[int, Any, dict]:
        """Rich menu endpoints: created menus are kept so link/content calls can be checked against them."""
        method, path = request.method, request.path
        if method == "POST" and path in ("/v2/bot/richmenu", "/v2/bot/richmenu/validate"):
            call.json = self._parse_json(call.body)
            self._validate(path, method, call.json)
            if path.endswith("validate"):
                return 200, {}, {}
            menu_id = "richmenu-" + uuid.uuid4().hex
            self.rich_menus[menu_id] = call.json
            return 200, {"richMenuId": menu_id}, {}
        if method == "POST" and len(parts) == 6 and parts[:5] == ["v2", "bot", "user", "all", "richmenu"]:
            self._known_menu(parts[5])
            self.default_rich_menu = parts[5]
            return 200, {}, {}
        if method == "DELETE" and path == "/v2/bot/user/all/richmenu":
            self.default_rich_menu = None
            return 200, {}, {}
        if method == "GET" and path == "/v2/bot/user/all/richmenu":
            if self.default_rich_menu is None:
                raise LineApiError(404, "no default rich menu")
            return 200, {"richMenuId": self.default_rich_menu}, {}
        if method == "GET" and path == "/v2/bot/richmenu/list":
            return 200, {"richmenus": [{"richMenuId": k, **v} for k, v in self.rich_menus.items()]}, {}
        if method == "POST" and len(parts) == 5 and parts[:3] == ["v2", "bot", "richmenu"] and parts[4] == "content":
            self._known_menu(parts[3])
            content_type = request.headers.get("Content-Type", "")
            if content_type not in ("image/png", "image/jpeg"):
                raise LineApiError(415, f"content type must be image/png or image/jpeg, got {content_type!r}")
            if len(call.body) > 1024 * 1024:
                raise LineApiError(400, "image over 1 MB")
            self.rich_menu_images[parts[3]] = (content_type, len(call.body))
            return 200, {}, {}
        if method == "DELETE" and len(parts) == 4 and parts[:3] == ["v2", "bot", "richmenu"]:
            self._known_menu(parts[3])
            del self.rich_menus[parts[3]]
            if self.default_rich_menu == parts[3]:
                self.default_rich_menu = None
            return 200, {}, {}
        # Anything else about rich menus: recorded, answered 200 {} if the official spec has the operation.
        if self.use_openapi and not openapi_schema.messaging_api().knows(method, path):
            raise LineApiError(404, f"no such endpoint {method} {path}")
        if call.body and request.content_type == "application/json":
            call.json = self._parse_json(call.body)
            self._validate(path, method, call.json)
        return 200, {}, {}

    def _known_menu(self, menu_id: str) -> None:
        if menu_id not in self.rich_menus:
            raise LineApiError(404, f"Not found: rich menu {menu_id}")


# ---- our service against the fake --------------------------------------------------------------------------------


class OffsetClock:
    """Real UTC time plus an offset the test moves forward: backoff waits pass without sleeping."""

    def __init__(self) -> None:
        from datetime import timedelta

        self.offset = timedelta(0)

    def __call__(self):
        from storage.db import utcnow

        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.offset += timedelta(seconds=seconds)


CHANNEL_SECRET = "fake-channel-secret-0123456789abcdef"


class LineBot:
    """The service (bot.app.create_app) behind aiohttp's test server, talking to a FakeLineApi.

    Workers are off: `await settle()` runs the inbox worker and the outbox sender until nothing is due, moving the
    clock forward over backoff waits, so tests are deterministic.
    """

    secret = CHANNEL_SECRET

    def __init__(self, settings, fake: FakeLineApi, *, line_timeout: float = 5.0, sender_options: dict | None = None):
        self.settings = settings
        self.fake = fake
        self.clock = OffsetClock()
        self.line_timeout = line_timeout
        self.sender_options = {
            "base_backoff": 0.01,
            "max_backoff": 1.0,
            "jitter": lambda: 0.5,
            "clock": self.clock,
            **(sender_options or {}),
        }
        self.app = None
        self.server = None
        self.client = None

    @property
    def runtime(self):
        from bot.app import RUNTIME

        return self.app[RUNTIME]

    @property
    def db(self):
        return self.runtime.db

    async def start(self) -> LineBot:
        from aiohttp.test_utils import TestClient, TestServer

        from bot.app import create_app

        self.app = create_app(self.settings, sender_options=self.sender_options, run_workers=False, run_scheduler=False)
        self.server = TestServer(self.app, host="127.0.0.1", port=0)
        self.client = TestClient(self.server)
        await self.client.start_server()
        runtime = self.runtime
        runtime.worker.clock = self.clock
        if "line" in runtime.sender.deliveries:
            runtime.sender.deliveries["line"].timeout = self.line_timeout
        return self

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()  # runs the app's cleanup: Runtime.stop()
            self.client = None

    async def restart(self) -> None:
        """A new process on the same database (what a crash and restart looks like to the service)."""
        await self.stop()
        await self.start()

    async def post(
        self, *events: dict, signature: str | None = None, raw: bytes | None = None, path: str = "/callback/line"
    ):
        """POST a webhook as LINE does. signature: None signs correctly, "bad" forges, "" or "missing" omits."""
        from tests import line_payloads

        for event in events:
            if isinstance(event, dict) and event.get("replyToken"):
                self.fake.issue_reply_token(event["replyToken"])  # LINE issued it with the event
        data = raw if raw is not None else line_payloads.body(events)
        headers = {"Content-Type": "application/json"}
        if signature is None:
            headers["X-Line-Signature"] = line_payloads.sign(data, self.secret)
        elif signature == "bad":
            headers["X-Line-Signature"] = line_payloads.sign(data, "not-the-" + self.secret)
        elif signature not in ("", "missing"):
            headers["X-Line-Signature"] = signature
        return await self.client.post(path, data=data, headers=headers)

    async def get(self, path: str, **kwargs):
        return await self.client.get(path, **kwargs)

    async def healthz(self) -> dict:
        """/healthz as staff see it (the detail needs the staff token)."""
        token = self.settings.staff_api_token
        response = await self.client.get("/healthz", headers={"Authorization": f"Bearer {token}"} if token else {})
        return await response.json()

    async def settle(self, max_rounds: int = 500) -> int:
        """Process the inbox and deliver the outbox until nothing is left that could become due. Returns work done."""
        runtime = self.runtime
        total = 0
        for _ in range(max_rounds):
            done = await runtime.worker.drain() + await runtime.sender.drain()
            total += done
            if done:
                continue
            due = await runtime.db.run(_next_due)
            if due is None:
                return total
            wait = (due - self.clock()).total_seconds()
            self.clock.advance(max(wait, 0) + 0.001)
        raise AssertionError(f"settle(): still busy after {max_rounds} rounds")

    async def admin(self, user_id: str) -> None:
        """Make a LINE user city staff."""
        from community import members
        from storage.db import utcnow

        await self.db.run(members.ensure_admins, "line", (user_id,), utcnow())

    def inbox(self):
        from sqlmodel import select

        from storage.models import InboxEvent

        with self.db.session() as session:
            return list(session.exec(select(InboxEvent).order_by(InboxEvent.id)))

    def outbox(self):
        from sqlmodel import select

        from storage.models import OutboxMessage

        with self.db.session() as session:
            return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def _next_due(session):
    """The earliest moment an inbox or outbox row becomes due (a retry or an expired lease); None when all is done."""
    from sqlmodel import func, select

    from storage.db import as_utc
    from storage.models import InboxEvent, OutboxMessage

    moments = []
    for model, busy in ((InboxEvent, "processing"), (OutboxMessage, "sending")):
        moments.append(session.exec(select(func.min(model.next_attempt_at)).where(model.status == "pending")).one())
        moments.append(session.exec(select(func.min(model.lease_until)).where(model.status == busy)).one())
    moments = [as_utc(m) for m in moments if m is not None]
    return min(moments) if moments else None
