"""Issue 16 on LINE, through the signed webhook and the fake LINE API: who may bind a group (the secret bind code, no
staff group, /event unbind), the next steps each person is told, registrations with a capacity and a waiting list,
the day-before reminder, check-in at the venue (the bot and the check-in page) and 交流人口, new-event news."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.queues.outbox import OutboxWriter
from community import events as ev
from community.periods import fiscal_year_of
from handlers.features import all_jobs
from scheduler.runner import run_job
from storage.models import OutboxMessage, Space
from storage.models.events import Event, EventAttendance, EventRegistration, EventSpace
from tests import line_payloads as lp

TOKYO = ZoneInfo("Asia/Tokyo")
CITY = Path(__file__).resolve().parents[1] / "bot" / "cities" / "omitama.toml"
STAFF, ORGANIZER, FAC, GUEST = (lp.user_id(n) for n in ("rsvp-staff", "rsvp-organizer", "rsvp-fac", "rsvp-guest"))
A, B, C = (lp.user_id(n) for n in ("rsvp-a", "rsvp-b", "rsvp-c"))
GROUP, STAFF_GROUP = lp.group_id("rsvp-group"), lp.group_id("rsvp-staff-group")


def city_file(tmp_path: Path) -> Path:
    """Omitama's file, which has its LINE account's id (check-in links) and a 交流人口 target; a year without
    targets of its own (the tests run after FY2026) gets FY2026's."""
    text = CITY.read_text(encoding="utf-8")
    this_year = fiscal_year_of(datetime.now(TOKYO).date())
    if f"[targets.{this_year}]" not in text:
        text = text.replace("[targets.2026]", f"[targets.{this_year}]", 1)
    path = tmp_path / "omitama.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
async def bot(make_line_bot, tmp_path):
    bot = await make_line_bot(CITY_CONFIG=str(city_file(tmp_path)))
    await bot.admin(STAFF)
    return bot


class Story:
    """Sends signed webhooks and returns the bot's answer to each (its reply texts)."""

    def __init__(self, bot, fake):
        self.bot, self.fake = bot, fake

    async def say(self, user: str, text: str, group: str | None = None, mentions=()) -> list[str]:
        event = lp.text_event(text, user, group, mentions=mentions)
        assert (await self.bot.post(event)).status == 200
        await self.bot.settle()
        return self.fake.reply_texts(event["replyToken"])

    async def press(self, user: str, data: str) -> list[dict]:
        event = lp.postback_event(data, user)
        assert (await self.bot.post(event)).status == 200
        await self.bot.settle()
        return [m for r in self.fake.replies() if r["replyToken"] == event["replyToken"] for m in r["messages"]]

    async def send(self, event: dict) -> None:
        assert (await self.bot.post(event)).status == 200
        await self.bot.settle()

    def rows(self, model, *where):
        with self.bot.db.session() as session:
            return list(session.exec(select(model).where(*where)))

    async def new_event(self, user: str = STAFF, *, minutes: int = 60 * 24 * 10, extra: str = "") -> tuple[str, str]:
        when = (datetime.now(TOKYO) + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")
        [answer] = await self.say(user, f"/event new 秋の交流会 | {when} | 四季文化館みの〜れ{extra}")
        code = re.search(r"イベントコード: ([2-9A-HJ-NP-Z]{6})", answer).group(1)
        bind = re.search(r"/event bind ([2-9A-HJ-NP-Z]{10})", answer).group(1)
        return code, bind

    async def run_job(self, name: str, at: datetime) -> str:
        job = next(j for j in all_jobs() if j.name == name)
        detail = await self.bot.db.run(run_job, job, self.bot.settings.site, at, OutboxWriter().write)
        await self.bot.settle()
        return detail


@pytest.fixture
def story(bot, fake_line) -> Story:
    return Story(bot, fake_line)


# ---- 1. who may bind, and the facilitator's path --------------------------------------------------------------------


async def test_only_the_secret_bind_code_binds_and_the_binder_becomes_facilitator(story, fake_line):
    code, bind = await story.new_event()
    assert code not in [e.code for e in story.rows(Event) if e.bind_code == code]
    await story.send(lp.join_event(GROUP))
    # the public code (in /event list for anyone to read) binds nothing
    [listing] = await story.say(GUEST, "/event list")
    assert code in listing and bind not in listing
    [answer] = await story.say(GUEST, f"/event bind {code}", GROUP)
    assert "参加用のイベントコード" in answer and story.rows(EventSpace) == []
    # whoever binds with the secret code becomes the group's facilitator and is told only what they can do now
    [answer] = await story.say(FAC, f"/event bind {bind}", GROUP)
    assert "交流グループにしました" in answer and "あなたがこのグループの世話人になりました" in answer
    assert "/event facilitator @名前" in answer and "/event invite" in answer and "/event unbind" in answer
    [guide] = [m["text"] for p in fake_line.pushes(to=FAC) for m in p["messages"]]
    assert "世話人になりました" in guide and bind in guide
    [status] = await story.say(FAC, f"/event status {code}")
    assert f"登録用コード（グループを作る人にだけ）: {bind}" in status


async def test_a_binder_who_is_not_the_facilitator_is_told_only_whom_to_ask(story):
    code, bind = await story.new_event()
    [my_id] = await story.say(FAC, "/event id")
    public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
    await story.say(STAFF, f"/event facilitator {code} {public_id}")  # named before any group exists
    await story.send(lp.join_event(GROUP))
    [answer] = await story.say(GUEST, f"/event bind {bind}", GROUP)
    assert "交流グループにしました" in answer and f"世話人: {public_id}" in answer
    assert "/event facilitator" not in answer and "/event invite" not in answer and "/event unbind" not in answer
    [guest_help] = await story.say(GUEST, "/help", GROUP)
    assert "/event unbind" not in guest_help


async def test_a_staff_group_can_never_be_bound(story):
    _, bind = await story.new_event()
    await story.send(lp.join_event(STAFF_GROUP))
    await story.say(STAFF, "/staff here", STAFF_GROUP)
    [answer] = await story.say(STAFF, f"/event bind {bind}", STAFF_GROUP)
    assert "職員グループなので、イベントのグループにはできません" in answer
    assert story.rows(EventSpace) == []
    [space] = story.rows(Space, Space.platform_space_id == STAFF_GROUP)
    assert space.purpose == "staff"


async def test_unbind_by_facilitator_organizer_or_staff_only(story):
    code, bind = await story.new_event()
    await story.send(lp.join_event(GROUP))
    await story.say(FAC, f"/event bind {bind}", GROUP)
    [refused] = await story.say(GUEST, "/event unbind", GROUP)
    assert "だけが使えるコマンドです" in refused and len(story.rows(EventSpace)) == 1
    # the facilitator of another event holds the role, but not for this one
    other, other_bind = await story.new_event()
    [my_id] = await story.say(GUEST, "/event id")
    await story.say(STAFF, f"/event facilitator {other} {re.search(r'm-[a-z0-9]{10}', my_id).group()}")
    [refused] = await story.say(GUEST, "/event unbind", GROUP)
    assert refused == "この操作は市の職員・このイベントの主催者・世話人だけができます。"
    [answer] = await story.say(FAC, "/event unbind", GROUP)
    assert answer == "このグループとイベント「秋の交流会」の登録を取り消しました。"
    assert story.rows(EventSpace) == []
    [space] = story.rows(Space, Space.platform_space_id == GROUP)
    assert space.purpose == ""
    # the group may be bound again (to this event or another); staff may undo it too
    await story.say(FAC, f"/event bind {other_bind}", GROUP)
    [answer] = await story.say(STAFF, "/event unbind", GROUP)
    assert "登録を取り消しました" in answer and code


async def test_organizer_on_line_is_told_line_steps_with_the_bind_code(story):
    [answer] = await story.say(
        STAFF, f"/event new 会 | {(datetime.now(TOKYO) + timedelta(days=3)):%Y-%m-%d %H:%M} | 公民館"
    )
    assert "LINEグループを作って" in answer and "/event bind " in answer
    assert "Discord" not in answer  # Discord is off in this city: nothing said of it
    code = re.search(r"イベントコード: (\w{6})", answer).group(1)
    bind = re.search(r"/event bind (\w{10})", answer).group(1)
    [status] = await story.say(STAFF, f"/event status {code}")
    assert f"グループ: まだありません (「/event bind {bind}」で登録)" in status  # the secret, never the public code


# ---- 2. RSVP: capacity and the waiting list -----------------------------------------------------------------------


async def test_capacity_waiting_list_cancel_and_moving_up(story, fake_line, bot):
    code, _ = await story.new_event(extra=" | 定員 2")
    assert story.rows(Event)[0].capacity == 2
    for user in (A, B):
        [card_reply] = [await story.press(user, f"event-join:{code}")]  # the card's join button
        assert "参加登録しました" in card_reply[1]["text"]
    [waiting] = await story.say(C, f"/join {code}")  # (the card is a flex message; its status line a text)
    assert "キャンセル待ち（1番目）" in waiting
    [again] = await story.say(C, f"/join {code}")
    assert "キャンセル待ちの1番目です" in again and len(story.rows(EventRegistration)) == 3
    [status] = await story.say(STAFF, f"/event status {code}")
    assert "参加登録: 2人（定員2人） / キャンセル待ち: 1人 / 来場: 0人" in status
    assert "登録: " in status and "キャンセル待ち: m-" in status

    pushes_to_c = len(fake_line.pushes(to=C))
    [answer] = await story.say(A, f"/event cancel {code}")
    assert answer == "「秋の交流会」の参加登録を取り消しました。"
    [moved] = fake_line.pushes(to=C)[pushes_to_c:]
    assert "参加できることになりました" in moved["messages"][0]["text"]
    statuses = {row.member_id: row.status for row in story.rows(EventRegistration)}
    assert sorted(statuses.values()) == ["cancelled", "registered", "registered"]
    [answer] = await story.say(A, f"/event cancel {code}")
    assert "参加登録していません" in answer
    with bot.db.session() as session:
        [row] = session.exec(select(OutboxMessage).where(OutboxMessage.target == C, OutboxMessage.method == "push"))
    assert row.status == "sent"

    # more places: the waiting list moves up; no limit: everyone is in
    [waiting] = await story.say(A, f"/join {code}")
    assert "キャンセル待ち（1番目）" in waiting
    [answer] = await story.say(STAFF, f"/event capacity {code} なし")
    assert "定員をなくしました" in answer and "1人が繰り上がりました" in answer
    [answer] = await story.say(STAFF, f"/event capacity {code} 三十")
    assert "定員「三十」が読めません" in answer


async def test_dashboard_shows_registrations_and_check_ins(story, bot):
    code, _ = await story.new_event(extra=" | 定員 1", minutes=30)
    await story.say(A, f"/join {code}")
    await story.say(B, f"/join {code}")
    await story.say(A, f"/checkin {code}")
    page = await (await bot.get("/dashboard", headers={"Authorization": "Bearer line-bot-staff-token"})).text()
    assert '<th class="n">参加登録</th>' in page
    assert '<td class="n">1 / 1</td><td class="n">1</td><td class="n">1</td>' in page


# ---- 3. reminders -------------------------------------------------------------------------------------------------


async def test_one_reminder_the_day_before_to_each_registered_person(story, fake_line, bot):
    code, _ = await story.new_event(extra=" | 定員 1", minutes=60 * 24 * 3)
    await story.say(A, f"/join {code}")
    await story.say(B, f"/join {code}")  # waits: no reminder
    start = story.rows(Event)[0].starts_at.astimezone(TOKYO)
    detail = await story.run_job("event-reminders", start - timedelta(days=2))
    assert detail == "明日のイベント 0件の参加者 0人にお知らせを送りました"
    eve = (start - timedelta(days=1)).replace(hour=18, minute=0)
    detail = await story.run_job("event-reminders", eve)
    assert detail == "明日のイベント 1件の参加者 1人にお知らせを送りました"
    [reminder] = [p for p in fake_line.pushes(to=A) if "明日は" in p["messages"][0]["text"]]
    assert (
        "秋の交流会" in reminder["messages"][0]["text"] and f"/event cancel {code}" in reminder["messages"][0]["text"]
    )
    assert not [p for p in fake_line.pushes(to=B) if "明日は" in p["messages"][0]["text"]]
    detail = await story.run_job("event-reminders", eve + timedelta(minutes=30))
    assert "参加者 0人" in detail  # once per person and event


def test_the_reminder_is_a_push_of_kind_reminder_to_one_account_of_the_person(make_settings):
    """A person with LINE and Discord accounts (linked) gets one reminder, on the platform they registered on."""
    from community import event_registration as reg
    from community import members
    from community.messages import Postbox
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    now = datetime.now(TOKYO)
    try:
        with db.session() as session:
            person = members.get_or_create_member(session, "discord", "d-1", now)
            session.add(members.PlatformAccount(member_id=person.id, platform="line", platform_user_id=A))
            event = ev.create_event(
                session,
                settings.city,
                title="会",
                starts_at=now + timedelta(days=1),
                location="公民館",
                organizer_id=person.id,
                now=now,
            )
            reg.register(session, event, person, "discord", now, 3)
            box = Postbox()
            detail = reg.send_reminders(session, settings.site, now, box)
            assert detail == "明日のイベント 1件の参加者 1人にお知らせを送りました"
            [push] = box.items
            assert (push.platform, push.target, push.kind) == ("discord", "d-1", "reminder")
    finally:
        db.close()


# ---- 4. check-in and 交流人口 ---------------------------------------------------------------------------------------


async def test_check_in_through_the_bot_once_per_person_only_while_open(story):
    early, _ = await story.new_event(minutes=60 * 5)
    [answer] = await story.say(A, f"/checkin {early}")
    assert "来場受付は開始1時間前から" in answer
    code, _ = await story.new_event(minutes=30)
    [answer] = await story.say(A, f"/checkin {code}")
    assert answer == "「秋の交流会」へのご来場を記録しました。ありがとうございます！"
    [answer] = await story.say(A, f"/checkin {code.lower()}")
    assert "もう記録されています" in answer
    await story.say(STAFF, f"/event close {code}")
    [answer] = await story.say(B, f"/checkin {code}")
    assert "終了しています" in answer
    [row] = story.rows(EventAttendance)
    assert row.member_id is not None and row.how == "line" and row.device == ""


async def test_check_in_page_qr_and_anonymous_visits(story, bot):
    import zxingcpp
    from PIL import Image

    code, _ = await story.new_event(minutes=30)
    image = await bot.get(f"/qr/event/{code}.png")
    assert image.status == 200 and image.content_type == "image/png"
    png = Image.open(__import__("io").BytesIO(await image.read()))
    assert png.width >= 1000
    [decoded] = zxingcpp.read_barcodes(png)
    assert decoded.text == f"https://tsunagaru.example.jp/events/{code}/checkin"
    assert (await bot.get(f"/qr/event/{code}.svg")).content_type == "image/svg+xml"
    assert (await bot.get("/qr/event/ZZZZZZ.png")).status == 404
    assert (await bot.get("/qr/boshi-techo.png")).status == 200  # the childcare codes are still served

    page = await (await bot.get(f"/events/{code}/checkin")).text()
    assert "LINEで来場を記録する" in page
    assert f"https://line.me/R/oaMessage/@omitama/?%2Fcheckin%20{code}" in page
    assert story.rows(EventAttendance) == []  # looking is not a visit
    iphone = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"}
    thanks = await bot.client.post(f"/events/{code}/checkin", headers=iphone)
    assert "ご来場を記録しました" in await thanks.text()
    [visit] = story.rows(EventAttendance)
    assert (visit.member_id, visit.how, visit.device) == (None, "web", "ios")
    early, _ = await story.new_event(minutes=60 * 5)
    page = await (await bot.client.post(f"/events/{early}/checkin")).text()
    assert "開始1時間前から" in page and len(story.rows(EventAttendance)) == 1


async def test_kpis_and_digest_count_registrations_attendance_and_visitors_against_the_target(
    story, bot, tmp_path, monkeypatch
):
    from bot.cli import main as cli_main
    from community import digest

    code, _ = await story.new_event(minutes=30)
    await story.say(A, f"/join {code}")
    await story.say(B, f"/join {code}")
    await story.say(A, f"/checkin {code}")
    await bot.client.post(f"/events/{code}/checkin", headers={"User-Agent": "Android"})
    month = datetime.now(TOKYO).strftime("%Y-%m")
    monkeypatch.setenv("CITY_CONFIG", str(city_file(tmp_path)))
    monkeypatch.setenv("DATABASE_URL", bot.settings.database_url)
    assert cli_main(["visitors", "add", "空のえき そ・ら・ら", month, "5000"]) == 0
    csv_file = tmp_path / "gates.csv"
    csv_file.write_bytes(f"会場,月,人数\n夏祭りゲート,{month},1200\nbad,2026-13,1\n".encode("cp932"))
    assert cli_main(["visitors", "import", str(csv_file)]) == 1  # one row refused, named
    response = await bot.get("/api/kpi", headers={"Authorization": "Bearer line-bot-staff-token"})
    kpis = (await response.json())["kpis"]
    assert kpis["event_registrations"] == {"value": 2, "target": None}
    assert kpis["event_attendance"] == {"value": 2, "target": None}
    assert kpis["visitors"] == {"value": 2 + 5000 + 1200, "target": 1000000}
    # The digest of the week holding today (as the Monday job after it would send it): the fiscal year so far
    week_later = datetime.now(TOKYO) + timedelta(days=7)
    text = (await bot.db.run(digest.build, bot.settings.site, week_later)).text
    assert "交流人口（来場者数）: 6,202 / 1,000,000 (0.6%)" in text
    assert "イベントの参加登録: 2 (+2)" in text and "イベントの来場（チェックイン）: 2 (+2)" in text


def test_migration_gives_every_existing_event_a_bind_code_of_its_own(database_url):
    """Events made before 0017 could be bound with their public code; now each gets a secret one."""
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.migrate import upgrade

    upgrade(database_url, "0014")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            now = datetime.now(TOKYO)
            connection.execute(
                text("INSERT INTO member (public_id, lang, created_at) VALUES ('m-old', 'ja', :now)"), {"now": now}
            )
            for code in ("AAAAAA", "BBBBBB"):
                connection.execute(
                    text(
                        "INSERT INTO event (code, title, starts_at, location, venue, organizer_id, created_at) "
                        "VALUES (:code, 'old', :now, 'here', '', 1, :now)"
                    ),
                    {"code": code, "now": now},
                )
        upgrade(database_url)
        with engine.connect() as connection:
            codes = [row[0] for row in connection.execute(text("SELECT bind_code FROM event ORDER BY id"))]
    finally:
        engine.dispose()
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(len(code) == ev.BIND_CODE_LENGTH and set(code) <= set(ev.CODE_ALPHABET) for code in codes)
