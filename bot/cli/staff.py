"""CLI subcommands for staff: `kpi [--json] [--fy YYYY]` and `donations import FILE.csv`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    kpi_parser = sub.add_parser("kpi", help="show the fiscal year's KPIs (年度, April to March)")
    kpi_parser.add_argument("--json", action="store_true", help="print the operator contract JSON (same as GET /api/kpi)")
    kpi_parser.add_argument("--fy", type=int, help="fiscal year, e.g. 2026 = 2026-04-01..2027-03-31 (default: this one)")

    donations = sub.add_parser("donations", help="furusato-nozei donations")
    donations.add_argument("action", choices=["import"], help="import: read a donation portal CSV export")
    donations.add_argument("file", type=Path, help="the CSV file (UTF-8 or Shift_JIS)")
    return {"kpi": kpi_command, "donations": donations_command}


def _database(settings):
    import logging

    from storage.db import Database
    from storage.migrate import upgrade

    logging.getLogger("alembic").setLevel(logging.WARNING)  # keep the summary readable
    upgrade(settings.database_url)
    return Database(settings.database_url)


def kpi_command(args: argparse.Namespace) -> int:
    from bot.cli.settings import settings_or_exit as _settings
    from bot.web.staff import kpi_json
    from community import kpi

    settings = _settings()
    fiscal_year = args.fy if args.fy is not None else kpi.current_fiscal_year(settings.site)
    if not 2000 <= fiscal_year <= 2100:
        print(f"--fy: 年度は 2026 のように西暦で指定してください / a fiscal year like 2026, got {fiscal_year}",
              file=sys.stderr)
        return 2
    db = _database(settings)
    try:
        data = db.call(kpi.report, settings.site, fiscal_year)
    finally:
        db.close()
    print(kpi_json(data) if args.json else kpi.table_text(data, settings.site))
    return 0


def donations_command(args: argparse.Namespace) -> int:
    """Exit 0 when every row imported (or was already there), 1 when some rows had errors, 2 when nothing could be read."""
    from bot.cli.settings import settings_or_exit as _settings
    from community.referrals import import_donations
    from storage.db import utcnow

    settings = _settings()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"ファイルを読めません / cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    db = _database(settings)
    try:
        result = db.call(import_donations, settings.site, data, utcnow())
    finally:
        db.close()
    print(result.summary())
    if result.errors and not (result.added or result.duplicates):
        return 2
    return 1 if result.errors else 0
