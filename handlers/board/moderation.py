"""Staff on the board: hiding a post or a whole thread (from every surface, the forum copy too) and bringing it back,
the queue of reported posts (/reports) and dismissing a post's reports, and the city's questions to residents
(/voice new) with their answers read together (/voice results). Every decision is in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from community import board, board_mirror, board_moderation, board_views, members
from community.board import CommunityConfig
from community.board_moderation import QueueEntry
from community.messages import Postbox
from community.problems import Problem
from handlers.board.chat import chat, config, local_time, me, number
from handlers.context import Context
from storage.db import id_of
from storage.models import Member
from storage.models.community import BoardPost, BoardThread

RESULTS_MAX_CHARS = 4800  # one chat message; the rest is on the web board
RESULTS_CUT_AT = 4790
RESULTS_MAX_ANSWERS = 200
QUEUE_TEXT_CHARS = 80  # of a reported post, in the queue

T = TypeVar("T", BoardPost, BoardThread)


Decision = Callable[[Session, Member, int, datetime], T]
Mirror = Callable[[Session, Postbox, str, CommunityConfig, T], None]


def _take_down(ctx: Context, decide: Decision[T], what: str, unmirror: Callable[[Postbox, str, int], None]) -> T:
    """Staff hide the post or thread the args name (board_moderation audits it); every mirror drops its copy."""
    target = decide(ctx.session, me(ctx), number(ctx.args, what), ctx.now)
    for platform in ctx.site.mirrors:
        unmirror(ctx.postbox, platform, id_of(target))
    return target


def _bring_back(ctx: Context, decide: Decision[T], what: str, remirror: Mirror[T]) -> T:
    """Staff restore the post or thread the args name; every mirror copies it again."""
    target = decide(ctx.session, me(ctx), number(ctx.args, what), ctx.now)
    for platform in ctx.site.mirrors:
        remirror(ctx.session, ctx.postbox, platform, config(ctx), target)
    return target


@chat.command("hide", roles={members.STAFF})
def hide(ctx: Context) -> None:
    post = _take_down(ctx, board_moderation.hide_post, "post", board_mirror.unmirror_post)
    ctx.say("board.hidden", id=post.id)


@chat.command("restore", roles={members.STAFF})
def restore(ctx: Context) -> None:
    post = _bring_back(ctx, board_moderation.restore_post, "post", board_mirror.mirror_post)
    ctx.say("board.restored", id=post.id)


@chat.command("thread hide", roles={members.STAFF})
def hide_thread(ctx: Context) -> None:
    thread = _take_down(ctx, board_moderation.hide_thread, "thread", board_mirror.unmirror_thread)
    ctx.say("board.thread_hidden", id=thread.id)


@chat.command("thread restore", roles={members.STAFF})
def restore_thread(ctx: Context) -> None:
    thread = _bring_back(ctx, board_moderation.restore_thread, "thread", board_mirror.mirror_thread_and_posts)
    ctx.say("board.thread_restored", id=thread.id, title=thread.title)


def _queue_entry(ctx: Context, entry: QueueEntry) -> str:
    text = " ".join(entry.text.split())
    text = text if len(text) <= QUEUE_TEXT_CHARS else text[:QUEUE_TEXT_CHARS] + "\u2026"
    reasons = (
        ctx.t("board.queue_reasons", reasons=ctx.t("board.queue_reason_join").join(entry.reasons))
        if entry.reasons
        else ctx.t("board.queue_no_reason")
    )
    return ctx.t(
        "board.queue_line",
        id=entry.post_id,
        thread=entry.thread_id,
        count=entry.reports,
        when=local_time(ctx, entry.latest),
        text=text,
        reasons=reasons,
    )


@chat.command("reports", roles={members.STAFF})
def report_list(ctx: Context) -> None:
    entries, total = board_moderation.report_queue(ctx.session)
    if not entries:
        ctx.say("board.queue_empty")
        return
    lines = [ctx.t("board.queue_header", total=total)] + [_queue_entry(ctx, entry) for entry in entries]
    if total > len(entries):
        lines.append(ctx.t("board.queue_more", more=total - len(entries)))
    lines.append(ctx.t("board.queue_help"))
    ctx.reply("\n\n".join(lines))


@chat.command("reports dismiss", roles={members.STAFF})
def report_dismiss(ctx: Context) -> None:
    post_id = number(ctx.args, "post")
    dismissed = board_moderation.dismiss_reports(ctx.session, me(ctx), post_id, ctx.now)
    ctx.say("board.reports_dismissed", id=post_id, count=dismissed)


@chat.command("voice new", roles={members.STAFF})
def voice_new(ctx: Context) -> None:
    question = ctx.args.strip()
    if not question:
        raise Problem("board.question_missing")
    thread = board.open_thread(ctx.session, config(ctx), me(ctx), "", question, ctx.now, official=True)
    for platform in ctx.site.mirrors:
        board_mirror.mirror_thread(ctx.session, ctx.postbox, platform, thread)
    ctx.say("board.question_opened", id=thread.id, title=thread.title)


@chat.command("voice results", roles={members.STAFF})
def voice_results(ctx: Context) -> None:
    thread = board.get_thread(ctx.session, number(ctx.args, "question"))
    if not thread.official:
        raise Problem("board.not_a_question", id=thread.id, with_usage=False)
    answers, total = board_views.thread_posts(ctx.session, config(ctx), id_of(thread), 1, RESULTS_MAX_ANSWERS, ctx.lang)
    lines = [ctx.t("board.results_header", id=thread.id, title=thread.title), ctx.t("board.results_count", total=total)]
    lines += [
        ctx.t("board.results_line", n=i, author=a.author, when=local_time(ctx, a.created_at), text=a.text)
        for i, a in enumerate(answers, 1)
    ]
    text = "\n".join(lines)
    ctx.reply(text if len(text) <= RESULTS_MAX_CHARS else text[:RESULTS_CUT_AT] + ctx.t("board.results_more"))
