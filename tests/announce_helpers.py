"""Shared by the announcement, budget and staff-account tests: a city file with a budget, members in bulk, and a
conversation with the bot through the signed webhook."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_CITY_CONFIG
from community.members import new_public_id
from storage.db import utcnow
from storage.models import Member, PlatformAccount
from storage.models.community import CommunityMember
from tests import line_payloads as lp


def city_file(tmp_path: Path, extra: str = "", name: str = "omitama.toml") -> str:
    """Omitama's city file with more TOML after it (a [budget], [announce] topics, ...)."""
    path = tmp_path / name
    path.write_text(DEFAULT_CITY_CONFIG.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return str(path)


def budget_toml(cap: int, checkup: int = 0, nudge: int = 0, tip: int = 0, staff: int = 0, group_size: int = 20) -> str:
    return (
        f"[budget]\nmonthly_cap = {cap}\ngroup_size = {group_size}\n"
        f"reserve = {{ checkup = {checkup}, nudge = {nudge}, tip = {tip}, staff = {staff} }}\n"
    )


def seed_members(session, count: int, relation: str, prefix: str, platform: str = "line") -> list[str]:
    """`count` community members on LINE with this relation; returns their LINE user ids."""
    now = utcnow()
    people = [Member(public_id=new_public_id(), created_at=now) for _ in range(count)]
    session.add_all(people)
    session.flush()
    ids = [lp.user_id(f"{prefix}-{i}") if platform == "line" else f"{prefix}-{i}" for i in range(count)]
    session.add_all(
        PlatformAccount(member_id=m.id, platform=platform, platform_user_id=uid)
        for m, uid in zip(people, ids, strict=True)
    )
    session.add_all(
        CommunityMember(member_id=m.id, relation=relation, platform=platform, joined_at=now) for m in people
    )
    return ids


async def say(bot, user: str, text: str, group: str | None = None, mentions=()) -> list[str]:
    """One message through the signed webhook; the texts of the bot's reply to it."""
    event = lp.text_event(text, user, group, mentions=mentions)
    response = await bot.post(event)
    assert response.status == 200
    await bot.settle()
    return bot.fake.reply_texts(event["replyToken"])
