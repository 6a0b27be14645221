"""A feature is one slice with one entry point: its package's `FEATURE` says, in one place, everything it adds —
chat commands, postbacks and dialogues (`chat`), web pages (`web`), CLI commands (`cli`), scheduled jobs (`jobs`),
its tables (`tables`), what /forget-me erases of a person (`erase`), and the KPIs it contributes (`kpis`, `report`,
`digest`). Wiring, help, privacy and the KPI report iterate over the list in handlers/features.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handlers.router import ChatRoutes

if TYPE_CHECKING:
    from sqlmodel import SQLModel

    from community.digest import DigestWeek
    from community.kpi import KpiSource, ReportSection
    from community.privacy import Forget
    from handlers.cli import CliCommand
    from handlers.web import WebRoute
    from scheduler.jobs import Job

Eraser = Callable[["Forget"], Mapping[str, int]]
DigestSection = Callable[["DigestWeek"], list[str]]


@dataclass(frozen=True)
class Feature:
    name: str
    chat: ChatRoutes = field(default_factory=ChatRoutes)
    web: tuple[WebRoute, ...] = ()
    cli: tuple[CliCommand, ...] = ()
    jobs: tuple[Job, ...] = ()
    # Every table the feature owns (tests check each table belongs to one feature, and that a feature whose
    # tables can name a person says how /forget-me erases it).
    tables: tuple[type[SQLModel], ...] = ()
    # What each column of those tables holds about a person ("" for nothing), so a new column cannot slip in
    # without saying (tests/test_privacy.py); /forget-me's erasure is checked against it.
    data: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    erase: Eraser | None = None
    kpis: tuple[KpiSource, ...] = ()
    report: tuple[ReportSection, ...] = ()
    digest: DigestSection | None = None
