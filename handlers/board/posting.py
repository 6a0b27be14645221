"""Reading the board (a carousel of threads, a thread's posts a page at a time), opening threads, posting and
replying (by command, or by pressing a card's button and sending the text next: a step of the board's dialogue),
reactions and reports."""

from __future__ import annotations

from sqlmodel import select

from community import board, board_mirror, board_moderation, board_views, budget, members
from community.board_views import PostView, ThreadView
from community.messages import Action, Card, Carousel, Text
from community.problems import Problem
from community.texts import t
from handlers.board.chat import (
    DIALOGUE,
    ask_again,
    chat,
    config,
    local_time,
    my_id,
    number,
    number_and_rest,
    require_participant,
)
from handlers.context import DIRECT_PLACE, Context
from storage.models import Member, Role
from storage.models.community import BoardPost

BOARD_PAGE = 9  # threads per carousel (plus a navigation card: LINE allows 12 bubbles)
THREAD_PAGE = 5  # posts per carousel page
LATEST_CHARS = 60  # of a thread's latest post, on its card


# ---- what the bot shows ---------------------------------------------------------------------------------------


def _thread_card(ctx: Context, th: ThreadView) -> Card:
    mark = ctx.t("board.official_mark") if th.official else f"[{th.category}] "
    latest = th.latest_text[:LATEST_CHARS] + ("…" if len(th.latest_text) > LATEST_CHARS else "")
    actions = [
        Action(label=ctx.t("board.read"), data=f"board:thread:{th.id}"),
        Action(label=ctx.t("board.write"), data=f"board:post:{th.id}"),
    ]
    if th.latest_post_id is not None:
        actions.append(Action(label=ctx.t("board.like"), data=f"board:react:{th.latest_post_id}"))
    text = ctx.t(
        "board.thread_card",
        count=th.post_count,
        when=local_time(ctx, th.last_post_at),
        latest=latest if th.latest_text else ctx.t("board.no_posts"),
    )
    return Card(title=f"#{th.id} {mark}{th.title}", text=text, actions=tuple(actions))


def _show_board(ctx: Context, page: int) -> None:
    threads, total = board_views.recent_threads(ctx.session, page, BOARD_PAGE)
    if not threads:
        ctx.say("board.no_threads" if page == 1 else "board.no_older_threads")
        return
    last = board.pages(total, BOARD_PAGE)
    nav = [Action(label=ctx.t("board.open_web"), url=ctx.site.public_url("/board"))]
    if page < last:
        nav.insert(0, Action(label=ctx.t("board.more"), data=f"board:page:{page + 1}"))
    cards = [_thread_card(ctx, th) for th in threads]
    cards.append(
        Card(title=ctx.t("board.heading"), text=ctx.t("board.page_of", page=page, last=last), actions=tuple(nav))
    )
    ctx.reply(Carousel(cards=tuple(cards), alt=ctx.t("board.board_alt")))


def _post_card(ctx: Context, post: PostView) -> Card:
    reply = ctx.t("board.reply_to", id=post.reply_to) if post.reply_to else ""
    likes = f"\n👍 {post.reactions}" if post.reactions else ""
    return Card(
        title=ctx.t("board.post_title", id=post.id, author=post.author, when=local_time(ctx, post.created_at)),
        text=reply + post.text + likes,
        actions=(
            Action(label=ctx.t("board.like"), data=f"board:react:{post.id}"),
            Action(label=ctx.t("board.reply"), data=f"board:reply:{post.id}"),
            Action(label=ctx.t("board.report"), data=f"board:report:{post.id}"),
        ),
    )


def _show_thread(ctx: Context, thread_id: int, page: int) -> None:
    thread = board.get_thread(ctx.session, thread_id)
    posts, total = board_views.thread_posts(ctx.session, config(ctx), thread_id, page, THREAD_PAGE, ctx.lang)
    last = board.pages(total, THREAD_PAGE)
    if page > last:
        raise Problem("board.last_page", id=thread_id, last=last, with_usage=False)
    nav = [Action(label=ctx.t("board.write"), data=f"board:post:{thread_id}")]
    if page < last:
        nav.append(Action(label=ctx.t("board.next_page"), data=f"board:thread:{thread_id}:page:{page + 1}"))
    nav.append(Action(label=ctx.t("board.open_web"), url=ctx.site.public_url(f"/board/thread/{thread_id}")))
    summary = ctx.t("board.thread_summary", category=thread.category, page=page, last=last, total=total)
    summary += "" if posts else ctx.t("board.thread_empty")
    cards = [_post_card(ctx, post) for post in posts]
    cards.append(Card(title=f"#{thread_id} {thread.title}", text=summary, actions=tuple(nav)))
    ctx.reply(Carousel(cards=tuple(cards), alt=ctx.t("board.thread_alt", title=thread.title)))


# ---- what members do ------------------------------------------------------------------------------------------


def _post(ctx: Context, thread_id: int, text: str, reply_to: int | None = None) -> None:
    member = require_participant(ctx)
    cfg = config(ctx)
    post = board.add_post(
        ctx.session,
        cfg,
        member,
        thread_id,
        text,
        ctx.now,
        ctx.inbound.platform,
        reply_to=reply_to,
        exempt_from_rate=ctx.is_staff,
    )
    for platform in ctx.site.mirrors:
        board_mirror.mirror_post(ctx.session, ctx.postbox, platform, cfg, post)
    ctx.reply(
        Text(
            ctx.t("board.posted", id=post.id),
            quick_replies=(
                Action(label=ctx.t("board.open_thread"), data=f"board:thread:{thread_id}"),
                Action(label=ctx.t("board.heading"), data="board"),
            ),
        )
    )


def _reply(ctx: Context, post_id: int, text: str) -> None:
    parent = board.visible_post(ctx.session, post_id)
    _post(ctx, parent.thread_id, text, reply_to=parent.id)


def _react(ctx: Context, post_id: int) -> None:
    member = require_participant(ctx)
    new = board.react(ctx.session, member, post_id, ctx.now, ctx.inbound.platform)
    ctx.say("board.liked" if new else "board.already_liked", id=post_id)


def _tell_staff(ctx: Context, post: BoardPost, reason: str) -> None:
    """A post's first open report goes to every city staff member, each in their own language (a push costs the
    city: later reports of the same post wait in /reports)."""
    staff_ids = ctx.session.exec(select(Role.member_id).where(Role.role == members.STAFF, Role.scope == "")).all()
    for staff_id in sorted(set(staff_ids)):
        staff = ctx.session.get(Member, staff_id)
        lang = staff.lang if staff else "ja"
        why = t(lang, "board.report_reason", reason=reason) if reason else ""
        note = t(lang, "board.report_note", id=post.id, thread=post.thread_id, text=post.text[:300], reason=why)
        ctx.push_member(staff_id, Text(note), kind=budget.STAFF)


def _report(ctx: Context, post_id: int, reason: str = "") -> None:
    reported = board_moderation.report(ctx.session, config(ctx), my_id(ctx), post_id, reason, ctx.now)
    if reported.tell_staff:
        _tell_staff(ctx, reported.post, reported.reason)
    ctx.say("board.reported")


def _ask_for_text(ctx: Context, step: str, target: int, question: str) -> None:
    """After a card's 投稿する/返信する: the next message in this 1:1 chat is the text (never one from a group)."""
    ctx.ask(
        DIALOGUE,
        step,
        Text(question, quick_replies=(Action(label=ctx.t("board.cancel_button"), text=ctx.t("board.cancel_button")),)),
        data=target,
    )


# ---- commands -------------------------------------------------------------------------------------------------


@chat.command("board")
def board_command(ctx: Context) -> None:
    _show_board(ctx, number(ctx.args, "page") if ctx.args.strip() else 1)


@chat.command("thread new")
def thread_new(ctx: Context) -> None:
    cfg = config(ctx)
    category, _, title = ctx.args.strip().partition(" ")
    if not category or not title.strip():
        listed_ja, listed_en = cfg.categories_listed()
        raise Problem("board.thread_fields", categories_ja=listed_ja, categories_en=listed_en)
    member = require_participant(ctx)
    thread = board.open_thread(ctx.session, cfg, member, category, title, ctx.now, exempt_from_rate=ctx.is_staff)
    for platform in ctx.site.mirrors:
        board_mirror.mirror_thread(ctx.session, ctx.postbox, platform, thread)
    ctx.reply(
        Text(
            ctx.t("board.thread_opened", id=thread.id, title=thread.title),
            quick_replies=(Action(label=ctx.t("board.write"), data=f"board:post:{thread.id}"),),
        )
    )


@chat.command("thread")
def thread_read(ctx: Context) -> None:
    thread_id, rest = number_and_rest(ctx.args, "thread")
    _show_thread(ctx, thread_id, number(rest, "page") if rest else 1)


@chat.command("post")
def post_command(ctx: Context) -> None:
    thread_id, text = number_and_rest(ctx.args, "thread")
    _post(ctx, thread_id, text)


@chat.command("reply")
def reply_command(ctx: Context) -> None:
    post_id, text = number_and_rest(ctx.args, "post")
    _reply(ctx, post_id, text)


@chat.command("react")
def react_command(ctx: Context) -> None:
    _react(ctx, number(ctx.args, "post"))


@chat.command("report")
def report_command(ctx: Context) -> None:
    """/report 12, or /report 12 REASON: the reason goes to staff with the report."""
    post_id, reason = number_and_rest(ctx.args, "post")
    _report(ctx, post_id, reason)


# ---- buttons (rich menu, cards) -------------------------------------------------------------------------------


@chat.postback("board")
def board_pressed(ctx: Context) -> None:
    _show_board(ctx, 1)


@chat.postback("board:page:{page:int}")
def board_page_pressed(ctx: Context, page: int) -> None:
    if page >= 1:
        _show_board(ctx, page)


@chat.postback("board:thread:{thread_id:int}", "board:thread:{thread_id:int}:page:{page:int}")
def thread_pressed(ctx: Context, thread_id: int, page: int = 1) -> None:
    _show_thread(ctx, thread_id, max(1, page))


@chat.postback("board:post:{thread_id:int}")
def post_pressed(ctx: Context, thread_id: int) -> None:
    if ctx.place_kind != DIRECT_PLACE:
        ctx.say("board.write_in_direct")
        return
    require_participant(ctx)
    thread = board.get_thread(ctx.session, thread_id)
    _ask_for_text(ctx, "post", thread_id, ctx.t("board.ask_post", title=thread.title))


@chat.postback("board:reply:{post_id:int}")
def reply_pressed(ctx: Context, post_id: int) -> None:
    if ctx.place_kind != DIRECT_PLACE:
        ctx.say("board.write_in_direct")
        return
    require_participant(ctx)
    parent = board.visible_post(ctx.session, post_id)
    _ask_for_text(ctx, "reply", post_id, ctx.t("board.ask_reply", id=parent.id))


@chat.postback("board:react:{post_id:int}")
def react_pressed(ctx: Context, post_id: int) -> None:
    _react(ctx, post_id)


@chat.postback("board:report:{post_id:int}")
def report_pressed(ctx: Context, post_id: int) -> None:
    _report(ctx, post_id)


# ---- the text sent after pressing a button --------------------------------------------------------------------


@chat.step(DIALOGUE, "post")
def post_written(ctx: Context, text: str) -> None:
    thread_id = int(ctx.dialogue_data)
    ctx.end_dialogue()
    try:
        _post(ctx, thread_id, text)
    except Problem as exc:
        raise ask_again(ctx, exc) from exc


@chat.step(DIALOGUE, "reply")
def reply_written(ctx: Context, text: str) -> None:
    post_id = int(ctx.dialogue_data)
    ctx.end_dialogue()
    try:
        _reply(ctx, post_id, text)
    except Problem as exc:
        raise ask_again(ctx, exc) from exc
