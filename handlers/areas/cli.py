"""The 行政区 register from the command line: `areas import FILE.csv`, `areas add NAME --district D --school S`,
`areas list`. Messages are printed in both languages ("日本語 / English"), as the other staff commands print them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from community import areas
from community.problems import Problem
from community.texts import t
from handlers.cli import CliCommand, CliServices, bilingual, bilingual_problem
from storage.db import utcnow


def _configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    importing = actions.add_parser("import", help=t("en", "cli.areas.import"))
    importing.add_argument("file", type=Path, help=t("en", "cli.areas.file"))
    adding = actions.add_parser("add", help=t("en", "cli.areas.add"))
    adding.add_argument("name", help=t("en", "cli.areas.name"))
    adding.add_argument("--district", default="", help=t("en", "cli.areas.district"))
    adding.add_argument("--school", default="", help=t("en", "cli.areas.school"))
    actions.add_parser("list", help=t("en", "cli.areas.list"))


def run(args: argparse.Namespace, services: CliServices) -> int:
    if args.action == "import":
        return _import(args.file, services)
    if args.action == "add":
        return _add(args, services)
    return _list(services)


def _import(path: Path, services: CliServices) -> int:
    """Exit 0 when every row was read, 1 when some rows had errors, 2 when nothing could be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(bilingual("cli.areas.unreadable", file=path, reason=exc.strerror), file=sys.stderr)
        return 2
    with services.database() as db:
        result = db.call(lambda session: areas.import_csv(session, data, utcnow(), source=path.name))
    print(bilingual("cli.areas.imported", added=result.added, updated=result.updated))
    for line, problem in result.errors:
        print(bilingual("cli.areas.row_error", line=line, problem=bilingual_problem(problem)))
    if result.errors and not (result.added or result.updated):
        return 2
    return 1 if result.errors else 0


def _add(args: argparse.Namespace, services: CliServices) -> int:
    with services.database() as db:
        try:
            area, created = db.call(lambda s: areas.add_area(s, args.name, args.district, args.school, utcnow()))
        except Problem as problem:
            print(bilingual_problem(problem), file=sys.stderr)
            return 2
    key = "cli.areas.added" if created else "cli.areas.updated"
    print(bilingual(key, name=area.name, district=area.district or "-", school=area.school or "-"))
    return 0


def _list(services: CliServices) -> int:
    with services.database() as db:
        rows = db.call(areas.all_areas)
    for area in rows:
        state = t("ja", "area.state_public" if area.published else "area.state_private")
        print(f"{area.id:>4}  {area.name}  {area.district or '-'}  {area.school or '-'}  {state}")
    if not rows:
        print(bilingual("cli.areas.none"))
    return 0


COMMANDS = (CliCommand("areas", t("en", "cli.areas.help"), _configure, run),)
