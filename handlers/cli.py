"""What a feature's command-line subcommands are given: a narrow set of services (the city's Site, an upgraded
database, a started runtime for work that sends), not the process's internals. bot/cli mounts them."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from community.city import RegionConfig, Site
from community.problems import Problem
from community.texts import LANGS, both
from storage.db import Database


def bilingual(key: str, **values: object) -> str:
    """A line for the terminal in both languages (whoever runs the command reads one of them)."""
    return " / ".join(both(key, **values))


def bilingual_problem(problem: Problem) -> str:
    return " / ".join(problem.text(lang) for lang in LANGS)


class CliServices(Protocol):
    def site(self) -> Site:
        """The city from the settings; a bad setting ends the command with one line (exit 2)."""
        ...

    def database(self) -> AbstractContextManager[Database]:
        """The database, migrated, closed afterwards."""
        ...

    def with_runtime(self, work: Callable[[object], Awaitable[int]]) -> int:
        """Run work(runtime) with the platform clients and the outbox sender started (for commands that send)."""
        ...

    def region(self, region_id: str) -> RegionConfig:
        """A region (広域) of CITY_CONFIG; an unknown id ends the command with one line naming the regions (exit 2)."""
        ...

    def for_city(self, city_id: str) -> CliServices:
        """The same services for another city of CITY_CONFIG (a region's member), for reading its KPIs."""
        ...


@dataclass(frozen=True)
class CliCommand:
    name: str  # the subcommand: python -m bot NAME
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, CliServices], int]
