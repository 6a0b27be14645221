"""One person, one member (issue 16.7): /link on LINE (through the signed webhook and the fake LINE API) gives a code
that /link on Discord (the neutral events the Discord adapter stores in the inbox) redeems; afterwards both accounts
are one member: one nickname, one set of roles, counted once in every KPI, and /forget-me on either erases both."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.discord.translate import DiscordTranslator
from bot.queues.delivery import Delivered
from bot.queues.inbox import store_events
from bot.queues.outbox import Limits
from community import kpi, linking, members
from community import messages as m
from community.problems import Problem
from storage.db import utcnow
from storage.models import Member, PlatformAccount, Role
from storage.models.community import CommunityMember
from storage.models.events import EventRegistration
from storage.models.linking import LinkCode
from tests import line_payloads as lp

TOKYO = ZoneInfo("Asia/Tokyo")
HANAKO_LINE = lp.user_id("link-hanako")
HANAKO_DISCORD = "711111111111111111"
STAFF = lp.user_id("link-staff")


class DiscordScreen:
    """Records what the outbox sends to Discord (the adapter itself is tested against the fake Discord REST)."""

    platform = "discord"
    limits = Limits(messages=10, recipients=1)

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, list[m.OutboundMessage]]] = []

    async def send(self, method, target, messages, retry_key, reply_token_age) -> Delivered:
        self.sent.append((method, target, messages))
        return Delivered()

    def texts(self) -> list[str]:
        return [msg.text for _, _, messages in self.sent for msg in messages if isinstance(msg, m.Text)]


class Both:
    def __init__(self, bot, fake_line, screen: DiscordScreen):
        self.bot, self.fake, self.screen = bot, fake_line, screen

    async def line(self, text: str, user: str = HANAKO_LINE) -> list[str]:
        event = lp.text_event(text, user)
        assert (await self.bot.post(event)).status == 200
        await self.bot.settle()
        return self.fake.reply_texts(event["replyToken"])

    async def line_press(self, data: str, user: str = HANAKO_LINE) -> None:
        assert (await self.bot.post(lp.postback_event(data, user))).status == 200
        await self.bot.settle()

    async def discord(self, text: str | None, user: str = HANAKO_DISCORD, postback: str | None = None) -> list[str]:
        """A DM to the bot on Discord, stored as the adapter stores it."""
        kind = m.POSTBACK if postback else m.MESSAGE
        inbound = m.Inbound(
            platform="discord",
            kind=kind,
            place=m.Place("discord", m.DIRECT, user),
            occurred_at=datetime.now(UTC),
            sender_id=user,
            text=text,
            postback_data=postback,
        )
        start = len(self.screen.sent)
        row = (f"message:{uuid.uuid4().int % 10**18}", kind, False, inbound.to_json())
        await self.bot.db.run(store_events, "discord", [row], utcnow())
        await self.bot.settle()
        return [msg.text for _, _, messages in self.screen.sent[start:] for msg in messages if isinstance(msg, m.Text)]

    def rows(self, model, *where):
        with self.bot.db.session() as session:
            return list(session.exec(select(model).where(*where)))

    def member(self, platform: str, user: str) -> Member | None:
        with self.bot.db.session() as session:
            return members.find_member(session, platform, user)


@pytest.fixture
async def both(make_line_bot, fake_line):
    bot = await make_line_bot()
    screen = DiscordScreen()
    bot.runtime.worker.translators["discord"] = DiscordTranslator()
    bot.runtime.sender.deliveries["discord"] = screen
    await bot.admin(STAFF)
    return Both(bot, fake_line, screen)


async def join_community(both: Both, nickname: str, on_discord: bool) -> None:
    if on_discord:
        await both.discord("/community join")
        await both.discord(None, postback="community:agree")
        await both.discord(nickname)
        await both.discord(None, postback="community:relation:fan")
    else:
        await both.line("/community join")
        await both.line_press("community:agree")
        await both.line(nickname)
        await both.line_press("community:relation:fan")


def participants(both: Both) -> int:
    def compute(session):
        start, end = kpi.fiscal_year_range(kpi.fiscal_year_of(datetime.now(TOKYO)))
        return kpi.compute(session, both.bot.settings.site, start, end)

    with both.bot.db.session() as session:
        return compute(session)["participants"]


async def link(both: Both) -> str:
    """/link on LINE, the code sent on Discord; returns Discord's answer."""
    [answer] = await both.line("/link")
    code = re.search(r"連携コード: ([2-9A-HJ-NP-Z]{8})", answer).group(1)
    assert "つながっているアカウント: LINE" in answer and f"/link {code}" in answer
    [done] = await both.discord(f"/link {code}")
    return done


async def test_linked_accounts_are_one_member_with_one_nickname_one_set_of_roles_counted_once(both):
    await join_community(both, "みかん", on_discord=False)
    await join_community(both, "はな", on_discord=True)
    organizer = both.member("line", HANAKO_LINE)
    [answer] = await both.line(f"/organizer {organizer.public_id}", user=STAFF)
    assert "主催者にしました" in answer
    when = (datetime.now(TOKYO) + timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    [created] = await both.line(f"/event new 交流会 | {when} | 公民館")
    code = re.search(r"イベントコード: ([2-9A-HJ-NP-Z]{6})", created).group(1)
    await both.line(f"/join {code}")
    await both.discord(f"/join {code}")
    assert participants(both) == 2 and len(both.rows(EventRegistration)) == 2  # two members so far

    done = await link(both)
    assert "LINE、Discord のアカウントをつなぎました" in done
    line_member, discord_member = both.member("line", HANAKO_LINE), both.member("discord", HANAKO_DISCORD)
    assert line_member.id == discord_member.id  # one member
    [nickname] = [c.nickname for c in both.rows(CommunityMember, CommunityMember.member_id == line_member.id)]
    assert nickname == "みかん"  # the member who asked for the code keeps theirs
    assert {r.role for r in both.rows(Role, Role.member_id == line_member.id)} == {"organizer"}
    assert participants(both) == 1  # counted once
    assert len(both.rows(EventRegistration)) == 1
    # the organizer's commands now work on Discord too
    [answer] = await both.discord("/help")
    assert "/event new" in answer
    [listing] = await both.discord("/link")
    assert "つながっているアカウント: LINE、Discord" in listing and "/link remove" in listing


async def test_forget_me_on_either_platform_erases_both_accounts(both):
    await join_community(both, "みかん", on_discord=False)
    await link(both)
    await both.discord("/forget-me confirm")
    assert both.rows(PlatformAccount, PlatformAccount.platform_user_id.in_([HANAKO_LINE, HANAKO_DISCORD])) == []
    assert [c.nickname for c in both.rows(CommunityMember)] == [None]
    assert participants(both) == 1  # the count stays


async def test_link_remove_makes_the_account_a_member_of_its_own(both):
    staff = both.member("line", STAFF)
    await both.discord("/help", user="722222222222222222")
    event = lp.text_event("/link", STAFF)
    await both.bot.post(event)
    await both.bot.settle()
    code = re.search(r"連携コード: (\w{8})", both.fake.reply_texts(event["replyToken"])[0]).group(1)
    [done] = await both.discord(f"/link {code}", user="722222222222222222")
    assert "つなぎました" in done
    [answer] = await both.discord("/help", user="722222222222222222")
    assert "/digest" in answer  # staff on Discord too, as the same member
    [answer] = await both.discord("/link remove discord", user="722222222222222222")
    assert "連携を外しました" in answer
    alone = both.member("discord", "722222222222222222")
    assert alone.id != staff.id and both.rows(Role, Role.member_id == alone.id) == []
    [answer] = await both.discord("/help", user="722222222222222222")
    assert "/digest" not in answer
    [answer] = await both.discord("/link remove discord", user="722222222222222222")
    assert "アカウントがひとつだけ" in answer


async def test_codes_are_one_time_short_lived_and_for_the_other_platform_only(both):
    [answer] = await both.line("/link")
    code = re.search(r"連携コード: (\w{8})", answer).group(1)
    [same] = await both.line(f"/link {code}")
    assert "このアプリで作ったもの" in same
    [wrong] = await both.discord("/link ZZZZZZZZ")
    assert "正しくないか、期限" in wrong
    assert "つなぎました" in (await both.discord(f"/link {code}"))[0]
    [again] = await both.discord(f"/link {code}", user="733333333333333333")
    assert "正しくないか、期限" in again  # used once
    assert both.rows(LinkCode) == []
    with both.bot.db.session() as session:  # expired: ten minutes
        someone = members.get_or_create_member(session, "line", lp.user_id("late"), utcnow())
        later = members.get_or_create_member(session, "discord", "744444444444444444", utcnow())
        late_code = linking.new_code(session, someone, "line", utcnow())
        with pytest.raises(Problem) as expired:
            linking.redeem(session, late_code, later, "discord", utcnow() + linking.LIFETIME + timedelta(seconds=1))
        assert expired.value.key == "link.code_wrong"


async def test_only_the_hashed_code_is_kept(both):
    [answer] = await both.line("/link")
    code = re.search(r"連携コード: (\w{8})", answer).group(1)
    [row] = both.rows(LinkCode)
    assert code not in row.code_hash and len(row.code_hash) == 64
