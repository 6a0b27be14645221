"""Announcements (issue 15): staff tell a segment of members something, within the month's LINE budget.

An announcement is a text, optionally an image and one link button, a segment (community.segments) and, where the city
defines `[announce] topics`, a topic. Staff see it exactly as members will (`messages`), then its cost against the
month (`quote`: 「この配信は 12,340 通分です。今月の残りは 17,660 通です」); one over the remaining budget is
refused unless a staff admin confirms an override, which the audit log records.

It goes out at once or at a chosen time: the announcements job claims a due one with a conditional update in the
transaction that writes its outbox rows, so two instances never both send it. On LINE it goes as multicasts of at most
500 ids (the outbox splits them, each with its retry key) carrying a LINE aggregation unit; on Discord as one post in
the city's announcement channel.

Every announcement ends with one line saying how to stop them, and a quick-reply button that does; who stopped (for
every topic or one) is never reached and never counted. Checkup notices a parent asked for are not announcements.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from community import audit, budget, members, segments
from community.city import CityConfig, Site
from community.messages import Action, Card, Image, OutboundMessage, Postbox, Text
from community.problems import Problem
from community.texts import fold, t, words
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.announce import Announcement, AnnounceOptOut

SCHEDULED, SENT, CANCELLED, HELD = "scheduled", "sent", "cancelled", "held"
MAX_TEXT = 2000  # what a LINE card shows whole
MAX_LABEL = 20  # LINE's action label
MAX_URL = 500
PER_REQUEST = 5  # LINE messages per request: an announcement's bubbles in one request cost one message each reader
STOP_COMMAND = "/announce stop"
STATS_DAYS = 30  # LINE's statistics per unit cover 30 days; read figures for announcements this recent
STATS_EVERY = timedelta(hours=6)
if TYPE_CHECKING:
    from community.digest import DigestWeek

JAPAN = ZoneInfo("Asia/Tokyo")  # LINE's statistics count days in UTC+9
_URL = re.compile(r"^https://[^\s<>\"]{3,}$")

AUDIT_CREATE = "announce.create"
AUDIT_OVERRIDE = "announce.override"
AUDIT_CANCEL = "announce.cancel"


# ---- the draft -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """An announcement as staff compose it (the dialogue keeps it in its state, the web form in hidden fields)."""

    text: str
    segment: str = segments.ALL
    topic: str = ""
    image_url: str = ""
    link_label: str = ""
    link_url: str = ""

    def data(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        return cls(**{key: str(data.get(key) or "") for key in cls.__dataclass_fields__}) if data else cls("")

    @classmethod
    def of(cls, announcement: Announcement) -> Draft:
        return cls(
            announcement.text,
            announcement.segment,
            announcement.topic,
            announcement.image_url,
            announcement.link_label,
            announcement.link_url,
        )


def check_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Problem("announce.text_missing")
    if len(cleaned) > MAX_TEXT:
        raise Problem("announce.text_too_long", limit=MAX_TEXT, length=len(cleaned))
    return cleaned


def check_url(url: str | None) -> str:
    cleaned = (url or "").strip()
    if cleaned and (len(cleaned) > MAX_URL or not _URL.match(cleaned)):
        raise Problem("announce.bad_url", url=cleaned[:60])
    return cleaned


def parse_link(text: str) -> tuple[str, str]:
    """「申し込む https://…」 -> (label, url); the label is what the button says (at most 20 characters)."""
    label, _, url = text.strip().rpartition(" ")
    label = label.strip()
    if not label or not url:
        raise Problem("announce.bad_link")
    return check_label(label), check_url(url)


def check_label(label: str) -> str:
    if len(label) > MAX_LABEL:
        raise Problem("announce.label_too_long", limit=MAX_LABEL)
    return label


def check_topic(city: CityConfig, text: str | None) -> str:
    """A topic of the city's (by its name, case and width folded); "" when the city has none."""
    topics = city.announce.topics
    if not topics:
        return ""
    wanted = fold(text or "")
    for topic in topics:
        if fold(topic) == wanted:
            return topic
    raise Problem("announce.no_such_topic", topic=(text or "").strip()[:20], topics=" / ".join(topics))


def is_none(text: str) -> bool:
    return fold(text) in words("announce.none")


# ---- what members see -------------------------------------------------------------------------------------------


def stop_command(topic: str) -> str:
    return f"{STOP_COMMAND} {topic}" if topic else STOP_COMMAND


def footer(topic: str, lang: str) -> str:
    """The one line every announcement ends with: how to stop them."""
    if topic:
        return t(lang, "announce.footer_topic", topic=topic, command=stop_command(topic))
    return t(lang, "announce.footer", command=stop_command(topic))


def messages(draft: Draft, lang: str) -> tuple[OutboundMessage, ...]:
    """The announcement exactly as a member reading in `lang` gets it: the image, the text (a card when it has a link
    button), and the line on how to stop, with a button that does."""
    out: list[OutboundMessage] = []
    if draft.image_url:
        out.append(Image(url=draft.image_url, preview_url=draft.image_url, alt=draft.text[:100]))
    stop = Action(label=t(lang, "announce.stop_button"), text=stop_command(draft.topic))
    if draft.link_url:
        link = Action(label=draft.link_label or t(lang, "announce.link_default"), url=draft.link_url)
        out.append(Card(title="", text=draft.text, actions=(link,)))
        out.append(Text(footer(draft.topic, lang), quick_replies=(stop,)))
    else:
        out.append(Text(f"{draft.text}\n\n{footer(draft.topic, lang)}", quick_replies=(stop,)))
    return tuple(out)


def channel_messages(draft: Draft) -> tuple[OutboundMessage, ...]:
    """The post in the Discord announcement channel (the city's language; the channel's own settings mute it)."""
    out: list[OutboundMessage] = []
    if draft.image_url:
        out.append(Image(url=draft.image_url, preview_url=draft.image_url, alt=draft.text[:100]))
    text = f"{draft.text}\n\n{t('ja', 'announce.footer_channel')}"
    if draft.link_url:
        out.append(Card(title="", text=text, actions=(Action(label=draft.link_label, url=draft.link_url),)))
    else:
        out.append(Text(text))
    return tuple(out)


def requests_per_reader(draft: Draft) -> int:
    return math.ceil(len(messages(draft, "ja")) / PER_REQUEST)


# ---- what it costs -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """Who an announcement reaches and what it costs, against the month it goes out in."""

    count: segments.Count
    cost: int  # LINE messages
    month: budget.Month

    @property
    def remaining(self) -> int | None:
        return self.month.remaining

    @property
    def fits(self) -> bool:
        return self.month.fits(budget.ANNOUNCEMENT, self.cost)

    def lines(self, lang: str) -> list[str]:
        """The figures staff see before sending."""
        people = t(lang, "announce.reach", people=f"{self.count.members:,}", line=f"{self.count.on('line'):,}")
        found = [people]
        if self.count.discord_post:
            found.append(t(lang, "announce.reach_discord"))
        if self.remaining is None:
            found.append(t(lang, "announce.cost_no_cap", cost=f"{self.cost:,}"))
        else:
            found.append(t(lang, "announce.cost", cost=f"{self.cost:,}", remaining=f"{self.remaining:,}"))
            if not self.fits:
                found.append(t(lang, "announce.over_budget_note"))
        return found


def quote(
    session: Session, site: Site, draft: Draft, now: datetime, at: datetime | None = None, but: int | None = None
) -> Quote:
    count = segments.count(session, site, draft.segment, draft.topic, segments.local_today(site, now))
    cost = count.on(budget.BILLED) * requests_per_reader(draft)
    return Quote(count, cost, budget.month(session, site, now, at=at or now, but=but))


# ---- confirming, sending, cancelling ------------------------------------------------------------------------------


def is_admin(session: Session, member_id: int | None) -> bool:
    return member_id is not None and members.has_role(session, member_id, members.ADMIN)


def create(
    session: Session,
    site: Site,
    draft: Draft,
    send_at: datetime,
    by: Member | None,
    now: datetime,
    *,
    override: bool = False,
) -> Announcement:
    """Schedule an announcement (send_at at or before now: due at once). Over the remaining budget it is refused,
    unless a staff admin overrides (recorded in the audit log)."""
    draft = Draft(
        check_text(draft.text),
        segments.checked(session, draft.segment),
        check_topic(site.city, draft.topic) if draft.topic or site.city.announce.topics else "",
        check_url(draft.image_url),
        check_label(draft.link_label),
        check_url(draft.link_url),
    )
    if draft.link_url and not draft.link_label:
        raise Problem("announce.bad_link")
    found = quote(session, site, draft, now, at=max(send_at, now))
    if not found.fits:
        remaining = f"{found.remaining or 0:,}"
        if not override:
            raise Problem("announce.over_budget", with_usage=False, cost=f"{found.cost:,}", remaining=remaining)
        if not is_admin(session, by.id if by is not None else None):
            raise Problem("announce.override_admins_only", with_usage=False)
    announcement = Announcement(
        text=draft.text,
        segment=draft.segment,
        topic=draft.topic,
        image_url=draft.image_url,
        link_label=draft.link_label,
        link_url=draft.link_url,
        status=SCHEDULED,
        send_at=as_utc(max(send_at, now)),
        created_by=by.id if by is not None else None,
        created_at=as_utc(now),
        estimated=found.cost,
        over_budget=not found.fits,
    )
    session.add(announcement)
    session.flush()
    announcement.unit = f"announce_{id_of(announcement)}"
    target = f"announcement:{announcement.id}"
    detail = f"segment={draft.segment} cost={found.cost} remaining={found.remaining}"
    audit.record(session, by, AUDIT_CREATE, target, detail, now)
    if not found.fits:
        audit.record(session, by, AUDIT_OVERRIDE, target, detail, now)
    return announcement


def deliver(session: Session, site: Site, announcement: Announcement, now: datetime, postbox: Postbox) -> int:
    """Send a scheduled announcement now, once: returns the accounts reached (0: another instance took it, or the
    month's budget no longer has room and it is held for staff to decide again)."""
    claimed = session.execute(
        update(Announcement)
        .where(col(Announcement.id) == announcement.id, col(Announcement.status) == SCHEDULED)
        .values(status=SENT, sent_at=as_utc(now))
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
    if not claimed:
        return 0
    draft = Draft.of(announcement)
    reached = segments.recipients(session, site, draft.segment, draft.topic, segments.local_today(site, now))
    cost = sum(1 for r in reached if r.platform == budget.BILLED) * requests_per_reader(draft)
    announcement.status, announcement.sent_at = SENT, as_utc(now)
    if not announcement.over_budget and not budget.month(session, site, now, but=announcement.id).fits(
        budget.ANNOUNCEMENT, cost
    ):
        announcement.status, announcement.sent_at = HELD, None
        session.add(announcement)
        _tell_creator(session, announcement, postbox, cost)
        return 0
    groups: dict[tuple[str, str], list[str]] = {}
    for recipient in reached:
        groups.setdefault((recipient.platform, recipient.lang), []).append(recipient.user_id)
    for (platform, lang), user_ids in sorted(groups.items()):
        postbox.multicast(platform, user_ids, *messages(draft, lang), kind=budget.ANNOUNCEMENT, unit=announcement.unit)
    channel = site.city.discord.announcements_channel
    announcement.discord_post = segments.discord_post(draft.segment, site)
    if announcement.discord_post and channel is not None:
        postbox.push("discord", str(channel), *channel_messages(draft), kind=budget.ANNOUNCEMENT)
    announcement.recipients, announcement.billable = len(reached), cost
    session.add(announcement)
    return len(reached)


def _tell_creator(session: Session, announcement: Announcement, postbox: Postbox, cost: int) -> None:
    """An announcement the month no longer has room for: its author hears (in their language) that it waits."""
    if announcement.created_by is None:
        return
    author = session.get(Member, announcement.created_by)
    lang = author.lang if author is not None else "ja"
    text = t(lang, "announce.held_notice", id=announcement.id, cost=f"{cost:,}")
    # An answer to what they did (kind ""): never held, or staff would not learn why nothing went out.
    members.push_to_member(session, postbox, announcement.created_by, Text(text), kind=budget.ANSWER)


def send_due(session: Session, site: Site, now: datetime, postbox: Postbox, limit: int = 5) -> str:
    """The announcements job: send what is due (each once, whichever instance claims it), then release held
    automated pushes the month now has room for."""
    due = session.exec(
        select(Announcement)
        .where(Announcement.status == SCHEDULED, col(Announcement.send_at) <= as_utc(now))
        .order_by(col(Announcement.send_at), col(Announcement.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    sent = reached = 0
    for announcement in due:
        count = deliver(session, site, announcement, now, postbox)
        sent += announcement.status == SENT
        reached += count
    released = budget.release_held(session, site, now)
    return t("ja", "job.announcements.done", sent=sent, reached=reached, released=released)


def get(session: Session, announcement_id: int) -> Announcement:
    found = session.get(Announcement, announcement_id)
    if found is None:
        raise Problem("announce.no_such", id=announcement_id)
    return found


def cancel(session: Session, announcement_id: int, by: Member | None, now: datetime) -> Announcement:
    announcement = get(session, announcement_id)
    if announcement.status not in (SCHEDULED, HELD):
        raise Problem("announce.not_cancellable", id=announcement_id, with_usage=False)
    announcement.status = CANCELLED
    session.add(announcement)
    audit.record(session, by, AUDIT_CANCEL, f"announcement:{announcement_id}", "", now)
    return announcement


def waiting(session: Session) -> list[Announcement]:
    """Scheduled and held announcements, soonest first (/announce list, the dashboard)."""
    return list(
        session.exec(
            select(Announcement)
            .where(col(Announcement.status).in_((SCHEDULED, HELD)))
            .order_by(col(Announcement.send_at), col(Announcement.id))
        )
    )


def recent(session: Session, limit: int = 20) -> list[Announcement]:
    return list(
        session.exec(
            select(Announcement)
            .where(Announcement.status == SENT)
            .order_by(col(Announcement.sent_at).desc(), col(Announcement.id).desc())
            .limit(limit)
        )
    )


def first_line(announcement: Announcement, length: int = 24) -> str:
    line = announcement.text.strip().splitlines()[0] if announcement.text.strip() else ""
    return line if len(line) <= length else line[: length - 1] + "\u2026"


# ---- members decide ----------------------------------------------------------------------------------------------


def stop(session: Session, member_id: int, topic: str, now: datetime) -> bool:
    """Stop announcements (topic "": every one); False when already stopped."""
    if session.exec(
        select(AnnounceOptOut.id).where(AnnounceOptOut.member_id == member_id, AnnounceOptOut.topic == topic)
    ).first():
        return False
    savepoint = session.begin_nested()
    session.add(AnnounceOptOut(member_id=member_id, topic=topic, at=as_utc(now)))
    try:
        savepoint.commit()
    except IntegrityError:  # the same person's second tap at the same moment
        savepoint.rollback()
        return False
    return True


def resume(session: Session, member_id: int, topic: str | None = None) -> int:
    """Receive announcements again: one topic's, or (None) every stop. Returns how many stops were lifted."""
    stmt = delete(AnnounceOptOut).where(col(AnnounceOptOut.member_id) == member_id)
    if topic is not None:
        stmt = stmt.where(col(AnnounceOptOut.topic) == topic)
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def stopped(session: Session, member_id: int) -> list[str]:
    return list(session.exec(select(AnnounceOptOut.topic).where(AnnounceOptOut.member_id == member_id)))


# ---- LINE's figures per announcement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsWanted:
    announcement_id: int
    unit: str
    sent_on: str  # yyyyMMdd, Japan time (LINE's statistics are per day in UTC+9)


def stats_wanted(session: Session, now: datetime) -> list[StatsWanted]:
    """LINE announcements of the last 30 days whose figures were not read in the last few hours."""
    stale = as_utc(now - STATS_EVERY)
    rows = session.exec(
        select(Announcement).where(
            Announcement.status == SENT,
            Announcement.billable > 0,
            col(Announcement.sent_at) >= as_utc(now - timedelta(days=STATS_DAYS)),
            (col(Announcement.stats_at).is_(None)) | (col(Announcement.stats_at) < stale),
        )
    )
    return [
        StatsWanted(id_of(a), a.unit, as_utc(a.sent_at or now).astimezone(JAPAN).strftime("%Y%m%d"))
        for a in rows
        if a.unit
    ]


def save_stats(session: Session, announcement_id: int, opened: int | None, clicked: int | None, now: datetime) -> None:
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        return
    announcement.opened, announcement.clicked, announcement.stats_at = opened, clicked, as_utc(now)
    session.add(announcement)


# ---- privacy -------------------------------------------------------------------------------------------------------


def forget_member(session: Session, member_id: int) -> int:
    """/forget-me: their stops go (they will not get announcements anyway: their accounts go), and announcements
    they wrote as staff no longer name them."""
    removed = resume(session, member_id)
    session.execute(
        update(Announcement)
        .where(col(Announcement.created_by) == member_id)
        .values(created_by=None)
        .execution_options(synchronize_session=False)
    )
    return removed


# ---- the weekly digest ---------------------------------------------------------------------------------------------


def digest_section(week: DigestWeek) -> list[str]:
    """The week's announcements with what they achieved, what the budget held back, and the month's budget."""
    session, site = week.session, week.site
    sent = session.exec(
        select(Announcement)
        .where(
            Announcement.status == SENT,
            col(Announcement.sent_at) >= as_utc(week.since),
            col(Announcement.sent_at) < as_utc(week.until),
        )
        .order_by(col(Announcement.sent_at))
    ).all()
    held = budget.held_between(session, week.since, week.until)
    month = budget.month(session, site, week.now)
    if not sent and not held and month.cap is None:
        return []
    lines = [t("ja", "digest.announce")]
    for item in sent:
        figures = (
            t("ja", "digest.announce_line_stats", opened=f"{item.opened:,}", clicked=f"{item.clicked or 0:,}")
            if item.opened is not None
            else t("ja", "digest.announce_line_waiting")
        )
        lines.append(
            t(
                "ja",
                "digest.announce_line",
                id=item.id,
                day=as_utc(item.sent_at or week.now).astimezone(site.tz).strftime("%m/%d"),
                segment=segments.label(item.segment, "ja"),
                text=first_line(item, 16),
                recipients=f"{item.recipients:,}",
                billable=f"{item.billable:,}",
                figures=figures,
            )
        )
    if not sent:
        lines.append(t("ja", "digest.announce_none"))
    for figure in held:
        lines.append(
            t(
                "ja",
                "digest.held_line",
                kind=t("ja", f"budget.kind.{figure.kind or 'answer'}"),
                pushes=f"{figure.pushes:,}",
                messages=f"{figure.messages:,}",
            )
        )
    if month.cap is not None:
        lines.append(
            t(
                "ja",
                "digest.budget_line",
                used=f"{month.used:,}",
                cap=f"{month.cap:,}",
                queued=f"{month.queued:,}",
                remaining=f"{month.remaining or 0:,}",
            )
        )
    return lines
