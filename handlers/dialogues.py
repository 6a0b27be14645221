"""Where a person is in a conversation with the bot, kept in the database (one row per member): the dialogue and step
whose handler takes their next plain message, and the buttons of the last question they were shown, so that typing
a button's label, its number or はい/いいえ presses it. A restart in the middle of a dialogue continues where it was.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from community.messages import REPLY, Action, Postbox, Text
from community.texts import fold, words
from storage.db import as_utc
from storage.models import DialogueState

DIALOGUE_TTL = timedelta(hours=24)  # an unanswered question is forgotten after this
CHOICES_TTL = timedelta(hours=1)  # typed answers press a question's buttons this long after it was asked

Choice = tuple[str, str | None, str | None]  # label, postback data, text sent as the person


def current(session: Session, member_id: int, now: datetime) -> DialogueState | None:
    state = session.get(DialogueState, member_id)
    if state is None:
        return None
    age = as_utc(now) - as_utc(state.updated_at)
    if state.dialogue and age > DIALOGUE_TTL:
        session.delete(state)
        session.flush()
        return None
    if not state.dialogue and (age > CHOICES_TTL or not state.choices):
        return None
    return state


def begin(session: Session, member_id: int, dialogue: str, step: str, now: datetime, data: Any = None) -> DialogueState:
    state = session.get(DialogueState, member_id) or DialogueState(member_id=member_id, updated_at=as_utc(now))
    state.dialogue, state.step, state.updated_at = dialogue, step, as_utc(now)
    state.data = json.dumps(data, ensure_ascii=False) if data is not None else None
    state.choices = None
    session.add(state)
    return state


def end(session: Session, member_id: int) -> None:
    state = session.get(DialogueState, member_id)
    if state is not None:
        session.delete(state)
        session.flush()  # gone now: a later look in the same transaction must not find (and revive) it


def data_of(state: DialogueState | None) -> Any:
    return json.loads(state.data) if state is not None and state.data else None


def is_cancel(text: str) -> bool:
    return fold(text) in words("dialogue.cancel")


# ---- questions with buttons ---------------------------------------------------------------------------------------


def remember_question(session: Session, member_id: int, place_id: str, postbox: Postbox, now: datetime) -> None:
    """After a 1:1 answer: keep the buttons of its last question (a text with quick replies) for typed answers."""
    asked: tuple[Action, ...] = ()
    for item in postbox.items:
        if item.method == REPLY or item.target == place_id:
            for message in item.messages:
                if isinstance(message, Text):
                    asked = message.quick_replies or asked
    state = session.get(DialogueState, member_id)
    if not asked:
        if state is not None and state.choices and not state.dialogue:
            session.delete(state)  # the last question was answered or passed: its buttons no longer apply
            session.flush()
        elif state is not None and state.choices:
            state.choices = None
            session.add(state)
        return
    choices = [[a.label, a.data, a.text, a.means] for a in asked if a.data or a.text]
    if not choices:
        return
    state = state or DialogueState(member_id=member_id, updated_at=as_utc(now))
    if not state.dialogue:
        state.updated_at = as_utc(now)
    state.choices = json.dumps(choices, ensure_ascii=False)
    session.add(state)


def forget_choices(session: Session, state: DialogueState) -> None:
    if state.dialogue:
        state.choices = None
        session.add(state)
    else:
        session.delete(state)
        session.flush()


def match_choice(state: DialogueState, text: str) -> Choice | None:
    """The button a typed answer stands for: its label, its number (1, ２, …) or はい/いいえ for a yes/no button."""
    if not state.choices:
        return None
    choices = json.loads(state.choices)
    typed = fold(text)
    if not typed:
        return None
    for label, data, sent, _means in choices:
        if fold(label) == typed:
            return label, data, sent
    if len(choices) < 2:
        return None  # one button (e.g. "cancel" under a free-text question): only its own label presses it
    number = unicodedata.normalize("NFKC", typed)
    if number.isascii() and number.isdigit() and 1 <= int(number) <= len(choices):
        label, data, sent, _means = choices[int(number) - 1]
        return label, data, sent
    for meaning in ("yes", "no"):
        if typed in words(f"answer.{meaning}"):
            for label, data, sent, means in choices:
                if means == meaning or fold(label) in words(f"answer.{meaning}"):
                    return label, data, sent
    return None
