"""Announcements in chat (issue 15).

Staff: `/announce` in a 1:1 chat runs a dialogue (handlers.dialogues: a restart mid-way continues, typed answers press
the buttons) — the text, an image (an https address) or none, one link button or none, the topic where the city has
topics, the segment; then the announcement exactly as members will see it, who it reaches and its cost against the
month, and "send now" or a date and time. Over the remaining budget it is refused; a staff admin may confirm an
override (audited). `/announce list` shows what is scheduled or held, `/announce cancel <id>` cancels one.

Everyone: `/announce stop [topic]` (also the button under every announcement) stops them, `/announce start [topic]`
lets them come again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from community import announce, segments
from community.announce import Draft
from community.members import ADMIN, STAFF
from community.messages import Action, Text
from community.problems import Problem
from community.texts import fold, is_word
from handlers import dialogues
from handlers.context import ANYWHERE, DIRECT_PLACE, EVERYONE, Context, sender
from handlers.router import ChatRoutes
from storage.db import as_utc, id_of

chat = ChatRoutes("announce")

DIALOGUE = "announce"
WHEN_FORMAT = "%Y-%m-%d %H:%M"
SEGMENT_BUTTONS = (
    "segment.button.all",
    "segment.button.resident",
    "segment.button.native",
    "segment.button.visitor",
    "segment.button.fan",
    "segment.button.line",
    "segment.button.discord",
    "segment.button.childcare",
    "segment.button.childcare_young",
    "segment.button.childcare_older",
    "segment.button.prenatal",
)


def _cancel(ctx: Context) -> Action:
    return Action(label=ctx.t("announce.cancel_button"), text=ctx.t("announce.cancel_button"))


def _none(ctx: Context) -> Action:
    return Action(label=ctx.t("announce.none_button"), text=ctx.t("announce.none_button"))


def _buttons(ctx: Context, *labels: str) -> tuple[Action, ...]:
    return tuple(Action(label=label, text=label) for label in labels)


def _data(ctx: Context) -> dict[str, Any]:
    found = ctx.dialogue_data
    return dict(found) if isinstance(found, dict) else {}


def _retry(ctx: Context, problem: Problem) -> Problem:
    """An answer that cannot be used: say why; the question stands (the router undoes the step)."""
    return Problem("announce.send_again", problem=problem.text(ctx.lang))


# ---- staff: composing ----------------------------------------------------------------------------------------------


@chat.command("announce", roles={STAFF}, places={DIRECT_PLACE})
def announce_command(ctx: Context) -> None:
    if ctx.args.strip():
        _text_answered(ctx, ctx.args)  # /announce <text>: the first answer given at once
        return
    ctx.ask(DIALOGUE, "text", Text(ctx.t("announce.ask_text"), quick_replies=(_cancel(ctx),)), data={})


@chat.step(DIALOGUE, "text")
def text_answered(ctx: Context, text: str) -> None:
    _text_answered(ctx, text)


def _text_answered(ctx: Context, text: str) -> None:
    try:
        checked = announce.check_text(text)
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    question = Text(ctx.t("announce.ask_image"), quick_replies=(_none(ctx), _cancel(ctx)))
    ctx.ask(DIALOGUE, "image", question, data={"text": checked})


@chat.step(DIALOGUE, "image")
def image_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    try:
        data["image_url"] = "" if announce.is_none(text) else announce.check_url(text) or ""
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    question = Text(ctx.t("announce.ask_link"), quick_replies=(_none(ctx), _cancel(ctx)))
    ctx.ask(DIALOGUE, "link", question, data=data)


@chat.step(DIALOGUE, "link")
def link_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    try:
        label, url = ("", "") if announce.is_none(text) else announce.parse_link(text)
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    data.update(link_label=label, link_url=url)
    topics = ctx.city.announce.topics
    if topics:
        question = Text(ctx.t("announce.ask_topic"), quick_replies=(*_buttons(ctx, *topics[:12]), _cancel(ctx)))
        ctx.ask(DIALOGUE, "topic", question, data=data)
    else:
        _ask_segment(ctx, data)


@chat.step(DIALOGUE, "topic")
def topic_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    try:
        data["topic"] = announce.check_topic(ctx.city, text)
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    _ask_segment(ctx, data)


def _ask_segment(ctx: Context, data: dict[str, Any]) -> None:
    platforms = {"segment.button.line": "line", "segment.button.discord": "discord"}
    keys = [k for k in SEGMENT_BUTTONS if platforms.get(k) is None or platforms[k] in ctx.site.platforms]
    labels = [ctx.t(key) for key in keys]
    question = Text(ctx.t("announce.ask_segment"), quick_replies=(*_buttons(ctx, *labels[:12]), _cancel(ctx)))
    ctx.ask(DIALOGUE, "segment", question, data=data)


@chat.step(DIALOGUE, "segment")
def segment_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    try:
        data["segment"] = segments.parse(ctx.session, text)
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    draft = Draft.from_data(data)
    found = announce.quote(ctx.session, ctx.site, draft, ctx.now)
    lines = [ctx.t("announce.preview_note", segment=segments.label(draft.segment, ctx.lang)), *found.lines(ctx.lang)]
    lines.append(ctx.t("announce.ask_when", example=ctx.now.strftime(WHEN_FORMAT)))
    buttons = (Action(label=ctx.t("announce.now_button"), text=ctx.t("announce.now_button")), _cancel(ctx))
    # One reply (a reply token is single-use): the announcement exactly as members reading in this language get it,
    # then who it reaches, what it costs, and the question.
    # (LINE shows only the last message's buttons: the preview's stop button would not be seen, so it is left off.)
    preview = [replace(m, quick_replies=()) if isinstance(m, Text) else m for m in announce.messages(draft, ctx.lang)]
    dialogues.begin(ctx.session, id_of(sender(ctx)), DIALOGUE, "when", ctx.now, data)
    ctx.reply(*preview, Text("\n".join(lines), quick_replies=buttons))


@chat.step(DIALOGUE, "when")
def when_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    try:
        send_at = _when(ctx, text)
    except Problem as exc:
        raise _retry(ctx, exc) from exc
    data["send_at"] = send_at.isoformat()
    _confirm(ctx, data, override=False)


@chat.step(DIALOGUE, "override")
def override_answered(ctx: Context, text: str) -> None:
    data = _data(ctx)
    if not is_word("answer.yes", text) and fold(text) != fold(ctx.t("announce.override_button")):
        ctx.end_dialogue()
        ctx.say("dialogue.cancelled")
        return
    _confirm(ctx, data, override=True)


def _when(ctx: Context, text: str) -> datetime:
    if is_word("announce.now", text) or fold(text) == fold(ctx.t("announce.now_button")):
        return ctx.now
    try:
        when = datetime.strptime(" ".join(text.split()), WHEN_FORMAT).replace(tzinfo=ctx.site.tz)
    except ValueError:
        raise Problem("announce.bad_when", example=ctx.now.strftime(WHEN_FORMAT)) from None
    if when < ctx.now:
        raise Problem("announce.when_past")
    return when


def _confirm(ctx: Context, data: dict[str, Any], *, override: bool) -> None:
    """Schedule it (and send it now when it is due): refused over the budget, unless a staff admin overrides."""
    if not ctx.is_staff:  # the staff role was taken away in the middle of the dialogue
        ctx.end_dialogue()
        ctx.say("announce.no_longer_staff")
        return
    send_at = datetime.fromisoformat(str(data["send_at"]))
    try:
        created = announce.create(
            ctx.session, ctx.site, Draft.from_data(data), send_at, ctx.member, ctx.now, override=override
        )
    except Problem as exc:
        if exc.key != "announce.over_budget":
            raise
        _refuse_over_budget(ctx, data, exc)
        return
    ctx.end_dialogue()
    if as_utc(created.send_at) <= as_utc(ctx.now):
        reached = announce.deliver(ctx.session, ctx.site, created, ctx.now, ctx.postbox)
        if created.status == announce.HELD:
            ctx.say("announce.held_now", id=created.id)
        else:
            ctx.say("announce.sent", id=created.id, count=f"{reached:,}", cost=f"{created.billable:,}")
    else:
        when = created.send_at.astimezone(ctx.site.tz).strftime(WHEN_FORMAT)
        ctx.say("announce.scheduled", id=created.id, when=when, cost=f"{created.estimated:,}")


def _refuse_over_budget(ctx: Context, data: dict[str, Any], problem: Problem) -> None:
    """Over the month's remaining budget: said with the figures; a staff admin may override, others may pick a later
    month (the question stands)."""
    refusal = problem.text(ctx.lang)
    if ADMIN in ctx.roles:
        buttons = (
            Action(label=ctx.t("announce.override_button"), text=ctx.t("announce.override_button"), means="yes"),
            _cancel(ctx),
        )
        question = Text(f"{refusal}\n{ctx.t('announce.ask_override')}", quick_replies=buttons)
        ctx.ask(DIALOGUE, "override", question, data=data)
    else:
        now_button = Action(label=ctx.t("announce.now_button"), text=ctx.t("announce.now_button"))
        hint = ctx.t("announce.over_budget_later")
        ctx.ask(DIALOGUE, "when", Text(f"{refusal}\n{hint}", quick_replies=(now_button, _cancel(ctx))), data=data)


# ---- staff: what is waiting ----------------------------------------------------------------------------------------


@chat.command("announce list", roles={STAFF}, places={DIRECT_PLACE})
def list_command(ctx: Context) -> None:
    waiting = announce.waiting(ctx.session)
    if not waiting:
        ctx.say("announce.list_empty")
        return
    lines = [ctx.t("announce.list_header")]
    for item in waiting:
        lines.append(
            ctx.t(
                "announce.list_line",
                id=item.id,
                when=item.send_at.astimezone(ctx.site.tz).strftime(WHEN_FORMAT),
                status=ctx.t(f"announce.status.{item.status}"),
                segment=segments.label(item.segment, ctx.lang),
                cost=f"{item.estimated:,}",
                text=announce.first_line(item),
            )
        )
    lines.append(ctx.t("announce.list_footer"))
    ctx.reply("\n".join(lines))


@chat.command("announce cancel", roles={STAFF}, places={DIRECT_PLACE})
def cancel_command(ctx: Context) -> None:
    word = ctx.args.strip().lstrip("#\uff03")
    if not (word.isascii() and word.isdigit()) or len(word) > 9:
        raise Problem("announce.which")
    cancelled = announce.cancel(ctx.session, int(word), ctx.member, ctx.now)
    ctx.say("announce.cancelled", id=cancelled.id, text=announce.first_line(cancelled))


# ---- everyone: stopping and starting ---------------------------------------------------------------------------


def _topic_or_all(ctx: Context) -> str | None:
    """The topic named (None: every announcement); with topics and nothing named, None too (all of them)."""
    wanted = ctx.args.strip()
    if not wanted or is_word("announce.all", wanted):
        return None
    return announce.check_topic(ctx.city, wanted) or None


@chat.command("announce stop", roles=EVERYONE, places=ANYWHERE)
def stop_command(ctx: Context) -> None:
    if ctx.member is None:
        return
    topics = ctx.city.announce.topics
    if topics and not ctx.args.strip():
        buttons = [Action(label=topic, text=f"{announce.STOP_COMMAND} {topic}") for topic in topics[:11]]
        buttons.append(Action(label=ctx.t("announce.all_button"), text=f"{announce.STOP_COMMAND} all"))
        ctx.reply(Text(ctx.t("announce.ask_stop_topic"), quick_replies=tuple(buttons)))
        return
    topic = _topic_or_all(ctx)
    announce.stop(ctx.session, id_of(ctx.member), topic or "", ctx.now)
    if topic:
        ctx.say("announce.stopped_topic", topic=topic, command=f"/announce start {topic}")
    else:
        ctx.say("announce.stopped")


@chat.command("announce start", roles=EVERYONE, places=ANYWHERE)
def start_command(ctx: Context) -> None:
    if ctx.member is None:
        return
    topic = _topic_or_all(ctx)
    announce.resume(ctx.session, id_of(ctx.member), topic)
    ctx.say("announce.started_topic" if topic else "announce.started", topic=topic or "")
