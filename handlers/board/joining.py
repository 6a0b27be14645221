"""Joining the community (the rules, a nickname, how one relates to the town), the profile, renaming, leaving and
the guide. Joining and renaming are steps of the board's dialogue: a typed answer works like the buttons (the label,
its number, はい/いいえ at the rules)."""

from __future__ import annotations

from community import board
from community.board import RELATIONS, relation_label
from community.messages import Action, Card, Text
from community.problems import Problem
from community.texts import is_word
from handlers import dialogues
from handlers.board.chat import DIALOGUE, ask_again, chat, community_step, config, end_community, local_time, me, my_id
from handlers.context import DIRECT_PLACE, Context


def _relation_question(ctx: Context) -> Text:
    return Text(
        ctx.t("board.relation_question"),
        quick_replies=tuple(
            Action(label=relation_label(key, ctx.lang), data=f"community:relation:{key}") for key in RELATIONS
        ),
    )


def _rules_buttons(ctx: Context) -> tuple[Action, ...]:
    return (
        Action(label=ctx.t("board.agree_button"), data="community:agree", means="yes"),
        Action(label=ctx.t("board.cancel_button"), data="community:cancel", means="no"),
    )


def _start_join(ctx: Context) -> None:
    if ctx.place_kind != DIRECT_PLACE:
        ctx.say("board.join_in_direct")
        return
    if board.active_member(ctx.session, my_id(ctx)) is not None:
        ctx.say("board.already_joined")
        return
    rules = ctx.t("board.rules", city=ctx.city.name, rules=config(ctx).rules)
    ctx.ask(DIALOGUE, "consent", Text(rules, quick_replies=_rules_buttons(ctx)))


def _agree(ctx: Context) -> None:
    ctx.ask(DIALOGUE, "nickname", ctx.t("board.ask_nickname"))


def _finish_join(ctx: Context, nickname: str, relation: str) -> None:
    cm = board.join(ctx.session, me(ctx), ctx.inbound.platform, nickname, relation, ctx.now)
    ctx.end_dialogue()
    ctx.reply(
        Card(
            title=ctx.t("board.welcome_title", nickname=cm.nickname),
            text=ctx.t("board.welcome_text"),
            actions=(
                Action(label=ctx.t("board.open_board"), data="board"),
                Action(label=ctx.t("board.open_web"), url=ctx.site.public_url("/board")),
            ),
        )
    )


def _set_relation(ctx: Context, key: str) -> None:
    cm = board.active_member(ctx.session, my_id(ctx))
    if cm is None:
        raise Problem("board.not_joined", with_usage=False)
    cm.relation = key
    ctx.session.add(cm)
    ctx.say("board.relation_set", relation=relation_label(key, ctx.lang))


def _set_nickname(ctx: Context, nickname: str) -> None:
    cm = board.active_member(ctx.session, my_id(ctx))
    if cm is not None:
        cm.nickname = nickname
        ctx.session.add(cm)
    ctx.say("board.nickname_set", nickname=nickname)


def _show_profile(ctx: Context) -> None:
    cm = board.active_member(ctx.session, my_id(ctx))
    if cm is None:
        ctx.reply(
            Text(
                ctx.t("board.not_joined"),
                quick_replies=(Action(label=ctx.t("board.join_button"), data="community:join"),),
            )
        )
        return
    ctx.reply(
        Card(
            title=ctx.t("board.profile_title"),
            text=ctx.t(
                "board.profile_text",
                nickname=cm.nickname,
                relation=relation_label(cm.relation, ctx.lang),
                joined=local_time(ctx, cm.joined_at),
            ),
            actions=(
                Action(label=ctx.t("board.change_nickname"), data="profile:nickname"),
                Action(label=ctx.t("board.change_relation"), data="profile:relation"),
                Action(label=ctx.t("board.leave_button"), data="community:leave"),
            ),
        )
    )


def _leave(ctx: Context) -> None:
    end_community(ctx)
    if board.leave(ctx.session, my_id(ctx), ctx.now):
        ctx.say("board.left")
    else:
        ctx.say("board.not_member")


# ---- commands -------------------------------------------------------------------------------------------------


@chat.command("community join", places={DIRECT_PLACE})
def community_join(ctx: Context) -> None:
    _start_join(ctx)


@chat.command("community leave", places={DIRECT_PLACE})
def community_leave(ctx: Context) -> None:
    _leave(ctx)


@chat.command("profile", places={DIRECT_PLACE})
def profile(ctx: Context) -> None:
    """/profile shows it; /profile nickname NAME and /profile relation RELATION change it."""
    field, _, value = ctx.args.strip().partition(" ")
    if not field:
        _show_profile(ctx)
        return
    if board.active_member(ctx.session, my_id(ctx)) is None:
        raise Problem("board.not_joined_yet", with_usage=False)
    if is_word("board.field.nickname", field):
        _set_nickname(ctx, board.check_nickname(value))
    elif is_word("board.field.relation", field):
        key = board.find_relation(value)
        if key is None:
            labels = {lang: [relation_label(k, lang) for k in RELATIONS] for lang in ("ja", "en")}
            # Listed as 「a」「b」 in Japanese (U+300D, U+300C), "a, b" in English.
            raise Problem(
                "board.choose_relation_from",
                choices_ja="\u300d\u300c".join(labels["ja"]),
                choices_en=", ".join(labels["en"]),
            )
        _set_relation(ctx, key)
    else:
        raise Problem("board.profile_fields")


# ---- buttons (rich menu, cards) -------------------------------------------------------------------------------


@chat.postback("community:join")
def join_pressed(ctx: Context) -> None:
    _start_join(ctx)


@chat.postback("community:agree")
def agree_pressed(ctx: Context) -> None:
    state = community_step(ctx)
    if state is None or state.step != "consent":
        _start_join(ctx)  # an old card's button: start from the rules
    else:
        _agree(ctx)


@chat.postback("community:cancel")
def cancel_pressed(ctx: Context) -> None:
    end_community(ctx)
    ctx.say("board.join_cancelled")


@chat.postback("community:relation:{key}")
def relation_pressed(ctx: Context, key: str) -> None:
    if key not in RELATIONS:
        return
    state = community_step(ctx)
    if state is not None and state.step == "relation":
        _finish_join(ctx, str(dialogues.data_of(state)), key)
    else:
        _set_relation(ctx, key)


@chat.postback("community:help")
def guide_pressed(ctx: Context) -> None:
    ctx.say("board.guide", bot=ctx.city.bot_name, url=ctx.site.public_url("/board"))


@chat.postback("community:leave")
def leave_pressed(ctx: Context) -> None:
    _leave(ctx)


@chat.postback("profile")
def profile_pressed(ctx: Context) -> None:
    _show_profile(ctx)


@chat.postback("profile:nickname")
def rename_pressed(ctx: Context) -> None:
    if board.active_member(ctx.session, my_id(ctx)) is None:
        raise Problem("board.not_joined")
    ctx.ask(DIALOGUE, "rename", ctx.t("board.ask_rename"))


@chat.postback("profile:relation")
def relation_change_pressed(ctx: Context) -> None:
    ctx.reply(_relation_question(ctx))


# ---- answers typed in the dialogue ----------------------------------------------------------------------------


@chat.step(DIALOGUE, "consent")
def consent_answered(ctx: Context, text: str) -> None:
    if is_word("board.agree", text):
        _agree(ctx)
    else:
        ctx.reply(Text(ctx.t("board.agree_hint"), quick_replies=_rules_buttons(ctx)))


@chat.step(DIALOGUE, "nickname")
def nickname_answered(ctx: Context, text: str) -> None:
    nickname = _nickname(ctx, text)
    ctx.ask(DIALOGUE, "relation", _relation_question(ctx), data=nickname)


@chat.step(DIALOGUE, "relation")
def relation_answered(ctx: Context, text: str) -> None:
    key = board.find_relation(text)
    if key is None:
        ctx.reply(_relation_question(ctx))
        return
    try:
        _finish_join(ctx, str(ctx.dialogue_data), key)
    except Problem as exc:
        raise ask_again(ctx, exc) from exc


@chat.step(DIALOGUE, "rename")
def rename_answered(ctx: Context, text: str) -> None:
    nickname = _nickname(ctx, text)
    ctx.end_dialogue()
    _set_nickname(ctx, nickname)


def _nickname(ctx: Context, text: str) -> str:
    """The nickname typed, checked; one that will not do is asked for again."""
    try:
        return board.check_nickname(text)
    except Problem as exc:
        raise ask_again(ctx, exc) from exc
