"""`python -m bot visitors`: visitors counted at venues per month (交流人口 beyond the events' check-ins).

    visitors add VENUE YYYY-MM COUNT     set one venue's count for a month (a second entry replaces the first)
    visitors import FILE.csv             rows of venue, month, count (UTF-8 or Shift_JIS; a header row is fine)
    visitors list [--fy YYYY]            the counts of a fiscal year

Messages are printed in both languages ("日本語 / English"): whoever runs them may read either.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from community import event_checkin as checkin
from community import kpi
from community.problems import Problem
from community.texts import t
from handlers.cli import CliCommand, CliServices, bilingual, bilingual_problem
from storage.db import utcnow


def _configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help=t("en", "cli.visitors.add"))
    add.add_argument("venue")
    add.add_argument("month", help="YYYY-MM")
    add.add_argument("count", type=int)
    load = actions.add_parser("import", help=t("en", "cli.visitors.import"))
    load.add_argument("file", type=Path)
    show = actions.add_parser("list", help=t("en", "cli.visitors.list"))
    show.add_argument("--fy", type=int)


def run(args: argparse.Namespace, services: CliServices) -> int:
    if args.action == "add":
        return _add(args, services)
    if args.action == "import":
        return _import(args, services)
    return _list(args, services)


def _add(args: argparse.Namespace, services: CliServices) -> int:
    services.site()
    try:
        month = checkin.parse_month(args.month)
        with services.database() as db:
            replaced = db.call(
                lambda session: checkin.set_venue_count(session, args.venue, month, args.count, "cli", utcnow())
            )
    except Problem as problem:
        print(bilingual_problem(problem), file=sys.stderr)
        return 2
    key = "cli.visitors.replaced" if replaced else "cli.visitors.added"
    print(bilingual(key, venue=args.venue.strip(), month=f"{month:%Y-%m}", count=f"{args.count:,}"))
    return 0


def _import(args: argparse.Namespace, services: CliServices) -> int:
    """Exit 0 when every row was taken, 1 when some rows had errors, 2 when nothing could be read."""
    services.site()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(bilingual("cli.visitors.unreadable", file=args.file, reason=exc.strerror), file=sys.stderr)
        return 2
    try:
        with services.database() as db:
            result = db.call(lambda session: checkin.import_venue_counts(session, data, args.file.name, utcnow()))
    except Problem as problem:
        print(bilingual_problem(problem), file=sys.stderr)
        return 2
    print(bilingual("cli.visitors.imported", added=result.added, replaced=result.replaced))
    for line, error in result.errors:
        print(bilingual("cli.visitors.error_line", line=line, problem=error.text("en")), file=sys.stderr)
    if result.errors and not (result.added or result.replaced):
        return 2
    return 1 if result.errors else 0


def _list(args: argparse.Namespace, services: CliServices) -> int:
    site = services.site()
    fiscal_year = args.fy if args.fy is not None else kpi.current_fiscal_year(site)
    since, until = kpi.bounds(site.tz, *kpi.fiscal_year_range(fiscal_year))
    with services.database() as db:
        lines = db.call(lambda session: checkin.venue_lines(session, site, since, until))
    print(bilingual("cli.visitors.header", fy=fiscal_year))
    print("\n".join(lines) if lines else bilingual("cli.visitors.none"))
    return 0


COMMANDS = (CliCommand("visitors", t("en", "cli.visitors.help"), _configure, run),)
