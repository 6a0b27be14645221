"""Dialogues asked a step at a time (areas, circles, listings): the step's number and question, and buttons that
send their own labels, so that typing a label answers the same as pressing it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from community.messages import Action, Text
from handlers.context import Context


def question(ctx: Context, key: str, steps: Sequence[str], step: str, hint: str = "", **values: object) -> str:
    """The hint (why the last answer was not taken), then "2/6" and the step's question (key.q.step)."""
    lines = [hint] if hint else []
    asked = ctx.t(f"{key}.q.{step}", **values)
    lines.append(ctx.t(f"{key}.step", number=steps.index(step) + 1, total=len(steps), question=asked))
    return "\n".join(lines)


def buttons(ctx: Context, key: str, labels: Sequence[str]) -> tuple[Action, ...]:
    """A button for each label (cut to LINE's 20 characters) and the dialogue's cancel button last."""
    return tuple(Action(label=label[:20], text=label) for label in [*labels, ctx.t(f"{key}.cancel_button")])


def draft(ctx: Context, first: str) -> tuple[str, dict[str, Any]]:
    """The step being answered and the dialogue's data, with the answers so far under "answers"."""
    data = ctx.dialogue_data if isinstance(ctx.dialogue_data, dict) else {"answers": {}}
    data.setdefault("answers", {})
    return (ctx.dialogue.step if ctx.dialogue is not None else first), data


@dataclass(frozen=True)
class Form:
    """A member's submission asked a step at a time, the last step "confirm" showing the answers' summary."""

    key: str  # the texts' prefix: key.q.<step>, key.step, key.cancel_button
    dialogue: str
    steps: tuple[str, ...]
    labels: Callable[[Context, str], list[str]]  # a step's buttons
    summary: Callable[[Context, dict[str, Any]], str]

    def ask(self, ctx: Context, step: str, data: dict[str, Any], hint: str = "") -> None:
        values = {"summary": self.summary(ctx, data["answers"])} if step == "confirm" else {}
        text = question(ctx, self.key, self.steps, step, hint, **values)
        quick = buttons(ctx, self.key, self.labels(ctx, step))
        ctx.ask(self.dialogue, step, Text(text, quick_replies=quick), data)

    def ask_next(self, ctx: Context, step: str, data: dict[str, Any]) -> None:
        self.ask(ctx, self.steps[self.steps.index(step) + 1], data)
