"""Keeping the community board safe: members report posts (a few an hour, with a short reason), staff are told once
per reported post and read the open reports as a queue, and staff hide or restore posts and whole threads or dismiss
a post's reports. Every staff decision goes into the audit log (community.audit).

Platform-free like community.board: copies on other platforms (Discord) follow through community.board_mirror,
called by the handlers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from community import audit, board
from community.board import CommunityConfig
from community.problems import Problem
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.community import BoardPost, BoardReport, BoardThread

REPORT_REASON_MAX = 100  # the column's size
QUEUE_PAGE = 10  # reported posts listed at once
REASONS_SHOWN = 3  # per reported post, the newest


def _refused(key: str, **values: object) -> Problem:
    return Problem(key, with_usage=False, **values)


# ---- reports --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    post: BoardPost
    new: bool  # this member had not reported the post before
    tell_staff: bool  # the post has just entered the queue: staff are told once, not once per report
    reason: str = ""  # as kept (community.board_moderation.check_reason)


def check_reason(text: str, cfg: CommunityConfig) -> str:
    """A report's reason: one line without control or format characters (bidi overrides go), no link to elsewhere,
    at most REPORT_REASON_MAX long (a longer one is cut: staff read it in a list)."""
    folded = unicodedata.normalize("NFKC", text or "")
    reason = " ".join("".join(c for c in folded if unicodedata.category(c) not in ("Cc", "Cf")).split())
    board.check_links(reason, cfg)
    return reason if len(reason) <= REPORT_REASON_MAX else reason[: REPORT_REASON_MAX - 1] + "\u2026"


def _open_reports(session: Session, post_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(BoardReport)
            .where(BoardReport.post_id == post_id, col(BoardReport.resolved_at).is_(None))
        ).one()
    )


def _check_report_rate(session: Session, cfg: CommunityConfig, member_id: int, now: datetime) -> None:
    since = as_utc(now) - timedelta(hours=1)
    recent = session.exec(
        select(func.count())
        .select_from(BoardReport)
        .where(BoardReport.member_id == member_id, col(BoardReport.created_at) >= since)
    ).one()
    if recent >= cfg.reports_per_hour:
        raise _refused("board.report_rate_limit", limit=cfg.reports_per_hour)


def report(
    session: Session, cfg: CommunityConfig, member_id: int, post_id: int, reason: str, now: datetime
) -> Reported:
    """Report a visible post once (a reason given later is kept when the first report had none)."""
    post = board.visible_post(session, post_id)
    reason = check_reason(reason, cfg)
    earlier = session.exec(
        select(BoardReport).where(BoardReport.post_id == post.id, BoardReport.member_id == member_id)
    ).first()
    if earlier is not None:
        if reason and not earlier.reason:
            earlier.reason = reason
            session.add(earlier)
        return Reported(post, new=False, tell_staff=False, reason=reason)
    _check_report_rate(session, cfg, member_id, now)
    first_open = _open_reports(session, id_of(post)) == 0
    session.add(BoardReport(post_id=id_of(post), member_id=member_id, created_at=as_utc(now), reason=reason))
    session.flush()
    return Reported(post, new=True, tell_staff=first_open, reason=reason)


def _resolve(session: Session, post_ids: list[int], now: datetime) -> int:
    if not post_ids:
        return 0
    done = session.execute(
        update(BoardReport)
        .where(col(BoardReport.post_id).in_(post_ids), col(BoardReport.resolved_at).is_(None))
        .values(resolved_at=as_utc(now))
    )
    return int(getattr(done, "rowcount", 0) or 0)


@dataclass(frozen=True)
class QueueEntry:
    """A reported post waiting for staff: how many reports, the newest reasons, when it was last reported."""

    post_id: int
    thread_id: int
    text: str
    reports: int
    reasons: tuple[str, ...]
    latest: datetime


def report_queue(session: Session, limit: int = QUEUE_PAGE) -> tuple[list[QueueEntry], int]:
    """Visible posts with open reports, the most recently reported first; and how many such posts there are."""
    latest = func.max(BoardReport.created_at)
    is_open = (col(BoardReport.resolved_at).is_(None), board.visible())
    joined = col(BoardPost.id) == col(BoardReport.post_id)
    total = session.exec(
        select(func.count(func.distinct(BoardReport.post_id))).join(BoardPost, joined).where(*is_open)
    ).one()
    rows = session.exec(
        select(BoardReport.post_id, func.count(), latest)
        .join(BoardPost, joined)
        .where(*is_open)
        .group_by(col(BoardReport.post_id))
        .order_by(latest.desc(), col(BoardReport.post_id).desc())
        .limit(limit)
    ).all()
    entries = []
    for post_id, count, last in rows:
        post = session.get(BoardPost, post_id)
        if post is None:
            continue
        reasons = session.exec(
            select(BoardReport.reason)
            .where(BoardReport.post_id == post_id, col(BoardReport.resolved_at).is_(None), BoardReport.reason != "")
            .order_by(col(BoardReport.created_at).desc(), col(BoardReport.id).desc())
            .limit(REASONS_SHOWN)
        ).all()
        entries.append(QueueEntry(post_id, post.thread_id, post.text, int(count), tuple(reasons), last))
    return entries, int(total)


def dismiss_reports(session: Session, staff: Member, post_id: int, now: datetime) -> int:
    """Staff looked and the post stays: its open reports leave the queue. Returns how many there were."""
    if session.get(BoardPost, post_id) is None:
        raise _refused("board.no_post", id=post_id)
    dismissed = _resolve(session, [post_id], now)
    if not dismissed:
        raise _refused("board.no_open_reports", id=post_id)
    audit.record(session, staff, "report.dismiss", f"post:{post_id}", f"reports={dismissed}", now)
    return dismissed


# ---- hiding and restoring -------------------------------------------------------------------------------------


def hide_post(session: Session, staff: Member, post_id: int, now: datetime) -> BoardPost:
    """Gone from every surface, kept for the record; its reports are resolved."""
    post = board.set_hidden(session, post_id, id_of(staff), now, True)
    resolved = _resolve(session, [id_of(post)], now)
    audit.record(session, staff, "post.hide", f"post:{post.id}", f"reports={resolved}" if resolved else "", now)
    return post


def restore_post(session: Session, staff: Member, post_id: int, now: datetime) -> BoardPost:
    post = board.set_hidden(session, post_id, id_of(staff), now, False)
    audit.record(session, staff, "post.restore", f"post:{post.id}", "", now)
    return post


def _thread(session: Session, thread_id: int) -> BoardThread:
    """A thread, hidden or not (staff decide about both)."""
    thread = session.get(BoardThread, thread_id)
    if thread is None:
        raise _refused("board.no_thread", id=thread_id)
    return thread


def hide_thread(session: Session, staff: Member, thread_id: int, now: datetime) -> BoardThread:
    """The thread and its posts leave every surface (cards, the web board, the figures); the reports of its posts
    are resolved. The title is not copied into the audit log (its author may ask to be forgotten)."""
    thread = _thread(session, thread_id)
    if thread.hidden_at is not None:
        raise _refused("board.thread_already_hidden", id=thread_id)
    thread.hidden_at, thread.hidden_by = as_utc(now), id_of(staff)
    session.add(thread)
    post_ids = list(session.exec(select(BoardPost.id).where(BoardPost.thread_id == thread_id)).all())
    resolved = _resolve(session, [i for i in post_ids if i is not None], now)
    audit.record(session, staff, "thread.hide", f"thread:{thread_id}", f"reports={resolved}" if resolved else "", now)
    session.flush()
    return thread


def restore_thread(session: Session, staff: Member, thread_id: int, now: datetime) -> BoardThread:
    thread = _thread(session, thread_id)
    if thread.hidden_at is None:
        raise _refused("board.thread_not_hidden", id=thread_id)
    thread.hidden_at, thread.hidden_by = None, None
    session.add(thread)
    audit.record(session, staff, "thread.restore", f"thread:{thread_id}", "", now)
    session.flush()
    return thread
