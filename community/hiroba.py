"""The 子育て広場 (parenting plaza) survey: three questions after a visit — how easy it was to go in (1-5), whether
the parent would come again, and an optional comment — and the figures per plaza.

Where a parent is in the survey is the chat's business (handlers.childcare keeps it in the dialogue state); here are
the answers. A survey row is linked to the parent only while it is open: the link is cleared when the survey ends,
when they start another one, opt out, or leave it unfinished for a day, so stored answers are anonymous.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import TypedDict

from sqlalchemy import update
from sqlmodel import Session, col, select

from community.city import CityConfig
from community.problems import Problem
from community.texts import t
from storage.db import as_utc
from storage.models.childcare import HirobaSurvey

EASE_CHOICES = (1, 2, 3, 4, 5)
AGAIN_CHOICES = ("yes", "maybe", "no")
MAX_COMMENT_CHARS = 500
SURVEY_OPEN_FOR = timedelta(days=1)  # an unfinished survey older than this no longer takes answers


# ---- plazas -----------------------------------------------------------------------------------------------------


def plazas(city: CityConfig) -> list[str]:
    names = city.childcare.plazas or (t("ja", "hiroba.default_plaza"),)
    return [str(name) for name in names]


def plaza_at(city: CityConfig, index: int) -> str | None:
    names = plazas(city)
    return names[index] if 0 <= index < len(names) else None


def find_plaza(city: CityConfig, text: str) -> str | None:
    """The plaza named exactly (full-width folded), else the only one whose name contains the text."""
    wanted = unicodedata.normalize("NFKC", text).strip()
    names = plazas(city)
    for name in names:
        if unicodedata.normalize("NFKC", name) == wanted:
            return name
    matches = [name for name in names if wanted and wanted in unicodedata.normalize("NFKC", name)]
    return matches[0] if len(matches) == 1 else None


# ---- answering ----------------------------------------------------------------------------------------------------


def start_survey(session: Session, member_id: int, plaza: str, now: datetime) -> HirobaSurvey:
    # Only one survey at a time: an earlier unfinished one keeps its answers but loses the member link.
    unlink_member(session, member_id)
    survey = HirobaSurvey(plaza=plaza, member_id=member_id, started_at=as_utc(now))
    session.add(survey)
    session.flush()
    return survey


def open_survey(session: Session, survey_id: int, member_id: int, now: datetime) -> HirobaSurvey | None:
    """The survey, if it is still this member's and still takes answers."""
    survey = session.get(HirobaSurvey, survey_id)
    if (
        survey is None
        or survey.member_id != member_id
        or survey.completed_at is not None
        or as_utc(survey.started_at) < as_utc(now - SURVEY_OPEN_FOR)
    ):
        return None
    return survey


def answer_ease(session: Session, survey: HirobaSurvey, ease: int) -> None:
    if ease not in EASE_CHOICES:
        raise Problem("hiroba.stale")
    survey.ease = ease
    session.add(survey)


def answer_again(session: Session, survey: HirobaSurvey, again: str) -> None:
    if again not in AGAIN_CHOICES:
        raise Problem("hiroba.stale")
    survey.again = again
    session.add(survey)


def finish_survey(session: Session, survey: HirobaSurvey, comment: str | None, now: datetime) -> None:
    """The last answer (a comment, or None when skipped): the survey ends and loses its member link."""
    survey.comment = (comment or "").strip()[:MAX_COMMENT_CHARS] or None
    survey.completed_at = as_utc(now)
    survey.member_id = None  # the answers are anonymous from here on
    session.add(survey)


def unlink_member(session: Session, member_id: int) -> None:
    """The member's unfinished surveys keep their answers but no longer name them."""
    session.execute(
        update(HirobaSurvey)
        .where(col(HirobaSurvey.member_id) == member_id, col(HirobaSurvey.completed_at).is_(None))
        .values(member_id=None)
    )


def close_stale_surveys(session: Session, now: datetime) -> int:
    result = session.execute(
        update(HirobaSurvey)
        .where(col(HirobaSurvey.member_id).is_not(None), col(HirobaSurvey.started_at) < as_utc(now - SURVEY_OPEN_FOR))
        .values(member_id=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ---- figures --------------------------------------------------------------------------------------------------------


class PlazaFigures(TypedDict):
    responses: int  # surveys with at least one answer
    ease_average: float | None
    ease: dict[int, int]
    again: dict[str, int]
    comments: int


def _empty() -> PlazaFigures:
    return {
        "responses": 0,
        "ease_average": None,
        "ease": dict.fromkeys(EASE_CHOICES, 0),
        "again": dict.fromkeys(AGAIN_CHOICES, 0),
        "comments": 0,
    }


def survey_figures(session: Session, city: CityConfig, start: datetime, end: datetime) -> dict[str, PlazaFigures]:
    """Per plaza, for surveys started in [start, end): responses, the ease average and counts, would-come-again
    counts, and how many left a comment."""
    figures = {name: _empty() for name in plazas(city)}
    surveys = session.exec(
        select(HirobaSurvey).where(
            col(HirobaSurvey.ease).is_not(None),
            HirobaSurvey.started_at >= as_utc(start),
            HirobaSurvey.started_at < as_utc(end),
        )
    )
    for survey in surveys:
        plaza = figures.setdefault(survey.plaza, _empty())
        plaza["responses"] += 1
        if survey.ease is not None:
            plaza["ease"][survey.ease] += 1
        if survey.again in plaza["again"]:
            plaza["again"][survey.again] += 1
        plaza["comments"] += bool(survey.comment)
    for plaza in figures.values():
        answered = sum(plaza["ease"].values())
        if answered:
            plaza["ease_average"] = round(sum(n * c for n, c in plaza["ease"].items()) / answered, 2)
    return figures


def survey_comments(session: Session, plaza: str, start: datetime, end: datetime, limit: int = 20) -> list[str]:
    return [
        comment
        for comment in session.exec(
            select(HirobaSurvey.comment)
            .where(
                HirobaSurvey.plaza == plaza,
                col(HirobaSurvey.comment).is_not(None),
                HirobaSurvey.started_at >= as_utc(start),
                HirobaSurvey.started_at < as_utc(end),
            )
            .order_by(col(HirobaSurvey.id).desc())
            .limit(limit)
        )
        if comment is not None
    ]
