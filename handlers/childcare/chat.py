"""Childcare in chat: staff hand out the app's QR card at a touchpoint, parents opt in to checkup notices, the
子育て広場 survey (a dialogue: where the parent is lives in the dialogue state, the answers in HirobaSurvey), and
this year's figures for staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlmodel import Session, select

from community import budget, childcare, hiroba, members
from community.city import Touchpoint
from community.messages import Action, OutboundMessage, QrCard, Text
from community.problems import Problem
from community.texts import is_word, t
from handlers import dialogues
from handlers.context import DIRECT_PLACE, GROUP_PLACE, Context
from handlers.router import ChatRoutes
from storage.models import PlatformAccount
from storage.models.childcare import HirobaSurvey

chat = ChatRoutes("childcare")
V = TypeVar("V")  # a survey answer's value

STAFF_ONLY = {members.STAFF}
PLAZA_TOUCHPOINT = "kosodate-hiroba"  # a card handed out here also invites the survey
SURVEY = "hiroba"  # the survey's dialogue; its steps: plaza, ease, again, comment
AGAIN_MEANS = {"yes": "yes", "no": "no"}  # typing はい / いいえ answers "would you come again?"


def _member_id(ctx: Context) -> int:
    assert ctx.member is not None and ctx.member.id is not None
    return ctx.member.id


# ---- staff hand out the QR card --------------------------------------------------------------------------------------


@chat.command("touchpoint", roles=STAFF_ONLY, places={GROUP_PLACE})
def touchpoint_command(ctx: Context) -> None:
    words = ctx.args.split()
    if not words:
        raise Problem("touchpoint.which", ids=childcare.valid_ids_text(ctx.city, ctx.lang))
    touchpoint = ctx.city.touchpoint(words[0])
    if touchpoint is None:
        raise Problem("touchpoint.unknown", id=words[0][:40], ids=childcare.valid_ids_text(ctx.city, ctx.lang))
    card = childcare.qr_card(ctx.site, touchpoint)
    recipients = list(dict.fromkeys(mention.user_id for mention in ctx.inbound.mentions))
    if not recipients:
        ctx.postbox.push(ctx.inbound.platform, ctx.inbound.place.id, card, kind=budget.CHECKUP)
        childcare.record_push(ctx.session, touchpoint.id, ctx.now, platform=ctx.inbound.platform, how="group")
        ctx.say("touchpoint.sent_group", name=touchpoint.name)
        return
    sent, blocked = _hand_out(ctx, touchpoint, card, recipients)
    answer = [ctx.t("touchpoint.sent_people", name=touchpoint.name, count=sent)]
    if blocked:
        answer.append(ctx.t("touchpoint.unreachable", count=blocked))
    ctx.reply("\n".join(answer))


def _hand_out(ctx: Context, touchpoint: Touchpoint, card: QrCard, user_ids: list[str]) -> tuple[int, int]:
    """The card 1:1 to each mentioned person who has not blocked the bot; returns (sent, blocked)."""
    platform = ctx.inbound.platform
    sent = blocked = 0
    for user_id in user_ids:
        account = ctx.session.exec(
            select(PlatformAccount).where(
                PlatformAccount.platform == platform, PlatformAccount.platform_user_id == user_id
            )
        ).first()
        if account is not None and not account.followed:
            blocked += 1
            continue
        member = members.find_member(ctx.session, platform, user_id)
        messages: list[OutboundMessage] = [card]
        if touchpoint.id == PLAZA_TOUCHPOINT:
            messages.append(_survey_invitation(member.lang if member else "ja"))
        ctx.postbox.push(platform, user_id, *messages, kind=budget.CHECKUP)
        childcare.record_push(
            ctx.session,
            touchpoint.id,
            ctx.now,
            platform=platform,
            how="direct",
            member_public_id=member.public_id if member else None,
        )
        sent += 1
    return sent, blocked


def _survey_invitation(lang: str) -> Text:
    return Text(
        t(lang, "hiroba.invite"), quick_replies=(Action(label=t(lang, "hiroba.invite_button"), data="hiroba:start"),)
    )


# ---- parents opt in to checkup notices ----------------------------------------------------------------------------


@chat.command("child", places={DIRECT_PLACE})
def child_command(ctx: Context) -> None:
    argument = ctx.args.strip()
    if ctx.member is None:  # no sender id (never for a 1:1 chat): nobody to register
        return
    if is_word("child.stop", argument):
        ctx.say("child.stopped", count=childcare.opt_out(ctx.session, _member_id(ctx)))
        return
    if not argument or is_word("child.list", argument):
        _list_children(ctx, asked=bool(argument))
        return
    born_on = childcare.parse_date(argument)
    if born_on is None:
        raise Problem("child.bad_date", text=argument[:20])
    childcare.add_child(ctx.session, ctx.member, born_on, ctx.now, ctx.inbound.platform)
    ctx.say(
        "child.added",
        date=childcare.date_text(born_on, ctx.lang),
        days=childcare.notice_days(ctx.city),
        next=_next_text(ctx, born_on),
    )


def _list_children(ctx: Context, asked: bool) -> None:
    children = childcare.children_of(ctx.session, _member_id(ctx))
    if not children:
        # A bare /child explains itself; /child list says there is nothing.
        ctx.say("child.none" if asked else "child.usage", days=childcare.notice_days(ctx.city))
        return
    lines = [
        ctx.t("child.list_line", date=childcare.date_text(c.born_on, ctx.lang), next=_next_text(ctx, c.born_on))
        for c in children
    ]
    ctx.say("child.list", lines="\n".join(lines))


def _next_text(ctx: Context, born_on: date) -> str:
    upcoming = childcare.next_checkup(ctx.city, born_on, ctx.now.date())
    if upcoming is None:
        return ctx.t("child.no_next")
    touchpoint, day = upcoming
    return ctx.t("child.next", name=touchpoint.name, date=childcare.date_text(day, ctx.lang))


# ---- the 子育て広場 survey ------------------------------------------------------------------------------------------
# Each question's buttons are its choices, so typing a label or a number answers as well as pressing (handlers.
# dialogues); the postback data strings are a contract with cards already sent. Questions go to the parent's 1:1
# chat, even when the survey was started from a group.


@chat.command("hiroba")
def hiroba_command(ctx: Context) -> None:
    wanted = ctx.args.strip()
    if ctx.member is None:
        return
    if not wanted:
        _start_or_choose(ctx)
        return
    plaza = hiroba.find_plaza(ctx.city, wanted)
    if plaza is None:
        raise Problem(
            "hiroba.unknown_plaza", plaza=wanted[:40], plazas=ctx.t("childcare.separator").join(hiroba.plazas(ctx.city))
        )
    _start(ctx, plaza)


@chat.postback("hiroba:start")
def survey_start(ctx: Context) -> None:
    _start_or_choose(ctx)


@chat.postback("hiroba:plaza:{index:int}")
def plaza_chosen(ctx: Context, index: int) -> None:
    plaza = hiroba.plaza_at(ctx.city, index)
    if plaza is None:
        _survey_say(ctx, Text(ctx.t("hiroba.stale")))
    else:
        _start(ctx, plaza)


@chat.step(SURVEY, "plaza")
def plaza_typed(ctx: Context, text: str) -> None:
    """A plaza's name typed in part ("小川") when it is no button's label."""
    plaza = hiroba.find_plaza(ctx.city, text)
    if plaza is None:
        _ask(ctx, "plaza", _plaza_question(ctx, hint=True))
    else:
        _start(ctx, plaza)


@chat.postback("hiroba:ease:{n:int}")
def ease_chosen(ctx: Context, n: int) -> None:
    _answer(ctx, "ease", hiroba.answer_ease, n, then="again")


@chat.postback("hiroba:again:{choice}")
def again_chosen(ctx: Context, choice: str) -> None:
    _answer(ctx, "again", hiroba.answer_again, choice, then="comment")


def _answer(ctx: Context, step: str, record: Callable[[Session, HirobaSurvey, V], None], value: V, then: str) -> None:
    """A button pressed at this step of the survey: its answer recorded, then the next question."""
    survey = _survey_at(ctx, step)
    if survey is not None:
        record(ctx.session, survey, value)
        _ask(ctx, then, _question(ctx, then, survey), survey)


@chat.step(SURVEY, "ease", "again")
def choice_typed(ctx: Context, text: str) -> None:
    """Text that is none of the question's buttons: the question again (its buttons, pressed or typed, answer it)."""
    step = ctx.dialogue.step if ctx.dialogue is not None else ""
    survey = _survey_at(ctx, step)
    if survey is not None:
        _ask(ctx, step, _question(ctx, step, survey, hint=True), survey)


@chat.postback("hiroba:skip")
def comment_skipped(ctx: Context) -> None:
    _finish(ctx, None)


@chat.step(SURVEY, "comment")
def comment_typed(ctx: Context, text: str) -> None:
    _finish(ctx, None if is_word("hiroba.skip", text) else text)


def _start_or_choose(ctx: Context) -> None:
    names = hiroba.plazas(ctx.city)
    if len(names) == 1:
        _start(ctx, names[0])
    else:
        _ask(ctx, "plaza", _plaza_question(ctx))


def _start(ctx: Context, plaza: str) -> None:
    survey = hiroba.start_survey(ctx.session, _member_id(ctx), plaza, ctx.now)
    _ask(ctx, "ease", _question(ctx, "ease", survey), survey)


def _finish(ctx: Context, comment: str | None) -> None:
    survey = _survey_at(ctx, "comment")
    if survey is not None:
        hiroba.finish_survey(ctx.session, survey, comment, ctx.now)
        ctx.end_dialogue()
        _survey_say(ctx, Text(ctx.t("hiroba.thanks")))


def _survey_at(ctx: Context, step: str) -> HirobaSurvey | None:
    """The survey the parent is answering when they are at this step of it; otherwise they are told it has ended
    (an old button, or a survey closed by opting out or by a day passing) and None."""
    state = dialogues.current(ctx.session, _member_id(ctx), ctx.now)
    if state is None or state.dialogue != SURVEY or state.step != step:
        _survey_say(ctx, Text(ctx.t("hiroba.stale")))
        return None
    data = dialogues.data_of(state)
    survey_id = data.get("survey") if isinstance(data, dict) else None
    survey = None
    if isinstance(survey_id, int):
        survey = hiroba.open_survey(ctx.session, survey_id, _member_id(ctx), ctx.now)
    if survey is None:
        ctx.end_dialogue()  # nothing left to answer
        _survey_say(ctx, Text(ctx.t("hiroba.stale")))
    return survey


def _plaza_question(ctx: Context, hint: bool = False) -> Text:
    choices = tuple(Action(label=name[:20], data=f"hiroba:plaza:{i}") for i, name in enumerate(hiroba.plazas(ctx.city)))
    text = ctx.t("hiroba.choose")
    return Text(ctx.t("hiroba.pick", question=text) if hint else text, quick_replies=choices)


def _question(ctx: Context, step: str, survey: HirobaSurvey, hint: bool = False) -> Text:
    if step == "ease":
        text = ctx.t("hiroba.q_ease", plaza=survey.plaza)
        choices = tuple(Action(label=str(n), data=f"hiroba:ease:{n}") for n in hiroba.EASE_CHOICES)
    elif step == "again":
        text = ctx.t("hiroba.q_again")
        choices = tuple(
            Action(label=ctx.t(f"hiroba.again.{c}"), data=f"hiroba:again:{c}", means=AGAIN_MEANS.get(c))
            for c in hiroba.AGAIN_CHOICES
        )
    else:
        text = ctx.t("hiroba.q_comment")
        choices = (Action(label=ctx.t("hiroba.skip"), data="hiroba:skip"),)
    return Text(ctx.t("hiroba.pick", question=text) if hint else text, quick_replies=choices)


def _ask(ctx: Context, step: str, question: Text, survey: HirobaSurvey | None = None) -> None:
    data = {"survey": survey.id} if survey is not None else None
    if ctx.place_kind == DIRECT_PLACE:
        ctx.ask(SURVEY, step, question, data)
    else:  # the questions go on in the parent's 1:1 chat
        dialogues.begin(ctx.session, _member_id(ctx), SURVEY, step, ctx.now, data)
        _survey_say(ctx, question)


def _survey_say(ctx: Context, *messages: OutboundMessage) -> None:
    """To the parent's 1:1 chat, even when the survey was started from a group."""
    if ctx.place_kind == DIRECT_PLACE or not ctx.inbound.sender_id:
        ctx.reply(*messages)
    else:
        ctx.postbox.push(ctx.inbound.platform, ctx.inbound.sender_id, *messages)


# ---- figures for staff ----------------------------------------------------------------------------------------------
# Registered last: /help lists the commands in this order.


@chat.command("childcare stats", roles=STAFF_ONLY)
def stats_command(ctx: Context) -> None:
    ctx.reply(childcare.stats_text(ctx.session, ctx.site, ctx.now, ctx.lang))
