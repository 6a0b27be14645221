"""Dialogues asked a step at a time (areas, circles, listings): the step's number and question, and buttons that
send their own labels, so that typing a label answers the same as pressing it."""

from __future__ import annotations

from collections.abc import Sequence

from community.messages import Action
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
