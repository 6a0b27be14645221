"""`python -m bot export posts|voices|surveys|events|touchpoints|referrals [--fy YYYY] [--format csv|json]
[--out FILE] [--opendata] [--city ID]`: one table for reports and partners, audited (community.exports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from community import exports
from community.texts import t
from handlers.cli import CliCommand, CliServices, bilingual

FISCAL_YEARS = range(1000, 10000)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=exports.KINDS, help=t("en", "cli.export.kind"))
    parser.add_argument("--fy", type=int, help=t("en", "cli.export.fy"))
    parser.add_argument("--format", choices=exports.FORMATS, default="csv", help=t("en", "cli.export.format"))
    parser.add_argument("--out", type=Path, help=t("en", "cli.export.out"))
    parser.add_argument("--opendata", action="store_true", help=t("en", "cli.export.opendata"))


def run(args: argparse.Namespace, services: CliServices) -> int:
    if args.fy is not None and args.fy not in FISCAL_YEARS:
        print(bilingual("cli.export.bad_fy", fy=args.fy), file=sys.stderr)
        return 2
    if args.opendata and args.kind != "events":
        print(bilingual("cli.export.opendata_events_only"), file=sys.stderr)
        return 2
    name = exports.OPENDATA if args.opendata else args.kind
    site = services.site()
    with services.database() as db:
        done = db.call(exports.export, site, name, args.fy, args.format, None, "cli")
    if args.out is None:
        sys.stdout.buffer.write(done.body)
        sys.stdout.flush()
    else:
        args.out.write_bytes(done.body)
        print(bilingual("cli.export.done", rows=done.rows, out=args.out), file=sys.stderr)
    return 0


COMMANDS = (CliCommand("export", t("en", "cli.export.help"), configure, run),)
