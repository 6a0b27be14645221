"""The month's LINE budget in the outbox writer (issue 15): every row says what it is for and what it costs, automated
pushes are held back by priority exactly at the cap's edge (checkup notices first, then nudges, tips, staff notices),
answers never are, held pushes go out when a new month has room, and the digest reports what was held."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.queues.outbox import OutboxWriter
from community import budget, digest
from community.messages import Inbound, Outgoing, Place, Postbox, Text
from storage.db import Database, as_utc
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests import line_payloads as lp
from tests.announce_helpers import budget_toml, city_file

TOKYO = ZoneInfo("Asia/Tokyo")
LATE_NOVEMBER = datetime(2026, 11, 30, 23, 0, tzinfo=TOKYO)


@pytest.fixture
def city(make_settings, tmp_path, database_url):
    settings = make_settings(
        DATABASE_URL=database_url, CITY_CONFIG=city_file(tmp_path, budget_toml(100, checkup=10, group_size=5))
    )
    upgrade(database_url)
    db = Database(database_url)
    yield settings.site, db
    db.close()


def _user(n: int) -> str:
    return lp.user_id(f"person-{n}")


def _push(kind: str, n: int) -> Outgoing:
    box = Postbox()
    box.push("line", _user(n), Text(f"{kind} {n}"), kind=kind)
    return box.items[0]


def _write(db: Database, site, items: list[Outgoing], now: datetime) -> None:
    db.call(lambda session: OutboxWriter(site=site).write(session, items, as_utc(now)))


def _statuses(db: Database) -> list[tuple[str, str, int]]:
    with db.session() as session:
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(r.kind, r.status, r.cost) for r in rows]


def test_automated_pushes_are_held_by_priority_exactly_at_the_edge(city):
    site, db = city
    now = LATE_NOVEMBER
    # Tips may use the cap less the checkup notices' reserve: 100 - 10 = 90.
    _write(db, site, [_push("tip", n) for n in range(88)], now)
    box = Postbox()
    box.multicast("line", [_user(200), _user(201)], Text("tip to two"), kind="tip")
    _write(db, site, box.items, now)  # exactly the 2 left for tips
    _write(db, site, [_push("tip", 300), _push("nudge", 301), _push("staff", 302)], now)  # nothing left for them
    _write(db, site, [_push("checkup", 400 + n) for n in range(10)], now)  # the checkup reserve: exactly 10
    _write(db, site, [_push("checkup", 500)], now)  # the cap itself is reached
    answers = Postbox()
    inbound = Inbound("line", "message", Place("line", "user", _user(600)), now, _user(600), "x", reply_token="tok")
    answers.reply_to(inbound, Text("a reply is free"))
    answers.push("line", _user(601), Text("an answer that had to be pushed"))
    _write(db, site, answers.items, now)
    found = _statuses(db)
    assert found[:89] == [("tip", "pending", 1)] * 88 + [("tip", "pending", 2)]
    assert found[89:92] == [("tip", "held", 1), ("nudge", "held", 1), ("staff", "held", 1)]
    assert found[92:102] == [("checkup", "pending", 1)] * 10
    assert found[102] == ("checkup", "held", 1)
    assert found[103:] == [("", "pending", 0), ("", "pending", 1)]  # never held: a reply costs nothing
    with db.session() as session:
        month = budget.month(session, site, now)
        assert (month.cap, month.used, month.queued, month.remaining) == (100, 0, 101, 0)
        held = budget.held_between(session, now - timedelta(days=1), now + timedelta(days=1))
        assert [(h.kind, h.pushes, h.messages) for h in held] == [
            ("checkup", 1, 1),
            ("nudge", 1, 1),
            ("tip", 1, 1),
            ("staff", 1, 1),
        ]
        # The weekly digest says what was held back.
        text = digest.build(session, site, datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO)).text
    assert "枠に収まらず保留: 健診のお知らせ 1件（1通分）" in text
    assert "枠に収まらず保留: イベント後の案内 1件（1通分）" in text


def test_a_group_push_costs_one_per_member_and_held_pushes_go_out_when_a_new_month_has_room(city):
    site, db = city
    box = Postbox()
    box.push("line", lp.group_id("event group"), Text("tips"), kind="tip")  # an unknown group: [budget] group_size
    _write(db, site, box.items, LATE_NOVEMBER)
    _write(db, site, [_push("tip", n) for n in range(90)], LATE_NOVEMBER)
    assert [s for _, s, _ in _statuses(db)].count("held") == 5
    assert _statuses(db)[0] == ("tip", "pending", 5)

    def sent_in_november(session) -> None:
        for row in session.exec(select(OutboxMessage).where(OutboxMessage.status == "pending")):
            row.status, row.sent_at = "sent", as_utc(LATE_NOVEMBER)
            session.add(row)

    db.call(sent_in_november)
    december = datetime(2026, 12, 1, 0, 5, tzinfo=TOKYO)
    assert db.call(budget.release_held, site, december) == 5
    assert [s for _, s, _ in _statuses(db)].count("pending") == 5
    # A week later a held push is not worth sending any more.
    _write(db, site, [_push("staff", 999)], december)
    db.call(lambda session: _hold_all_pending(session))
    assert db.call(budget.release_held, site, december + timedelta(days=4)) == 0


def _hold_all_pending(session) -> None:
    for row in session.exec(select(OutboxMessage).where(OutboxMessage.status == "pending")):
        row.status = "held"
        session.add(row)


def test_rows_record_what_they_cost(city):
    site, db = city
    box = Postbox()
    people = [_user(n) for n in range(1200)]
    box.multicast("line", people, Text("a"), kind="announcement", unit="announce_9")
    box.multicast("console", ["a", "b"], Text("b"), kind="announcement", unit="announce_9")
    _write(db, site, box.items, LATE_NOVEMBER)
    with db.session() as session:
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        line = [r for r in rows if r.platform == "line"]
        assert [r.cost for r in line] == [500, 500, 200] and {r.unit for r in line} == {"announce_9"}
        assert sum(len(json.loads(r.target)) for r in line) == 1200
        assert [(r.cost, r.unit) for r in rows if r.platform == "console"] == [(0, "")]  # free, no LINE unit
