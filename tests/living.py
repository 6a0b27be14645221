"""Helpers for the living-in-the-town tests (issue 17): talk to the service through the signed LINE webhook and read
what the fake LINE API accepted (replies by reply token, pushes by recipient), as text a test can assert on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.queues.outbox import OutboxWriter
from community.messages import Outgoing, plain_text
from handlers.features import all_jobs
from scheduler.runner import run_job
from tests import line_payloads as lp
from tests.fake_line import LineBot


def flex_texts(node: object) -> list[str]:
    """Every text a Flex message shows (bubble bodies and button labels)."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "text" and "text" in node:
            found.append(node["text"])
        if isinstance(node.get("action"), dict) and node["action"].get("label"):
            found.append(node["action"]["label"])
        for value in node.values():
            found += flex_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += flex_texts(item)
    return found


def shown(messages: list[dict]) -> str:
    """All the text a person sees in these messages, joined (texts, Flex bubbles, button labels)."""
    parts: list[str] = []
    for message in messages:
        if message["type"] == "text":
            parts.append(message["text"])
            parts += [i["action"]["label"] for i in (message.get("quickReply") or {}).get("items", [])]
        else:
            parts += flex_texts(message)
    return "\n".join(parts)


def quick_replies(message: dict) -> list[dict]:
    """The quick-reply actions under a text message."""
    return [item["action"] for item in (message.get("quickReply") or {}).get("items", [])]


def bubbles(message: dict) -> list[dict]:
    assert message["type"] == "flex", message
    contents = message["contents"]
    return contents["contents"] if contents["type"] == "carousel" else [contents]


def buttons(bubble: dict) -> list[dict]:
    return [b["action"] for b in (bubble.get("footer") or {}).get("contents", [])]


@dataclass
class Line:
    """People on LINE talking to the service under test."""

    bot: LineBot
    names: dict[str, str] = field(default_factory=dict)

    def uid(self, name: str) -> str:
        return self.names.setdefault(name, lp.user_id(f"living-{name}"))

    async def post(self, event: dict) -> list[dict]:
        """Deliver one signed webhook event, let the service work, and return the reply it got (its messages)."""
        response = await self.bot.post(event)
        assert response.status == 200
        await self.bot.settle()
        token = event.get("replyToken")
        return [m for r in self.bot.fake.replies() if r["replyToken"] == token for m in r["messages"]]

    async def say(self, name: str, text: str, group: str | None = None, mentions: tuple[str, ...] = ()) -> list[dict]:
        group_id = lp.group_id(group) if group else None
        return await self.post(lp.text_event(text, self.uid(name), group_id, mentions=[self.uid(m) for m in mentions]))

    async def press(self, name: str, action: dict) -> list[dict]:
        """Tap a button as LINE does: a postback for a postback action, the action's text for a message action."""
        if action["type"] == "postback":
            return await self.post(lp.postback_event(action["data"], self.uid(name)))
        assert action["type"] == "message", action
        return await self.post(lp.text_event(action["text"], self.uid(name)))

    async def tap(self, name: str, data: str) -> list[dict]:
        return await self.post(lp.postback_event(data, self.uid(name)))

    async def follow(self, name: str) -> list[dict]:
        return await self.post(lp.follow_event(self.uid(name)))

    def pushes(self, name: str) -> list[dict]:
        """Every message pushed to the person so far."""
        return [m for p in self.bot.fake.pushes(to=self.uid(name)) for m in p["messages"]]

    def record_outgoing(self) -> list[Outgoing]:
        """From now on, every send the handlers ask for (method, target, kind, messages), as the outbox is given it."""
        recorded: list[Outgoing] = []
        writer = self.bot.runtime.worker.dispatcher.outbox
        original = writer.write

        def write(session, items, *args, **kwargs):  # type: ignore[no-untyped-def]
            items = list(items)
            recorded.extend(items)
            return original(session, items, *args, **kwargs)

        writer.write = write  # type: ignore[method-assign]
        return recorded

    async def run_job(self, name: str, at: datetime) -> str:
        job = next(j for j in all_jobs() if j.name == name)
        detail = await self.bot.db.run(run_job, job, self.bot.runtime.site, at, OutboxWriter().write)
        await self.bot.settle()
        return detail


async def with_staff(bot: LineBot) -> Line:
    """People on LINE, "staff" among them an admin."""
    people = Line(bot)
    await bot.admin(people.uid("staff"))
    return people


def said(outgoing: Outgoing) -> str:
    return "\n".join(plain_text(m) for m in outgoing.messages)


def pressing(message: dict, label: str) -> dict:
    """The quick-reply action with this label (the test fails when the question has no such button)."""
    for action in quick_replies(message):
        if action["label"] == label:
            return action
    raise AssertionError(f"no button {label!r} in {[a['label'] for a in quick_replies(message)]}")
