"""Command-line subcommands: `kpi [--json] [--fy YYYY]` and `donations import FILE.csv`.

Their messages are printed in both languages ("日本語 / English"): whoever runs them may read either.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from community import kpi, region_kpi
from community.city import RegionConfig, Site
from community.donations import ImportResult, import_donations
from community.texts import t
from handlers.cli import CliCommand, CliServices, bilingual, bilingual_problem
from storage.db import utcnow

FISCAL_YEARS = range(1000, 10000)  # any four-digit year reads as one; whether it has data is asked next


def _configure_kpi(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=t("en", "cli.kpi.json"))
    parser.add_argument("--fy", type=int, help=t("en", "cli.kpi.fy"))
    parser.add_argument("--region", help=t("en", "cli.kpi.region"))


def run_kpi(args: argparse.Namespace, services: CliServices) -> int:
    """The fiscal year's KPIs as a table, or as the operator contract JSON (byte for byte GET /api/kpi's); with
    --region, the region's (byte for byte GET /api/kpi?region=)."""
    region_id = getattr(args, "region", None)
    if region_id is not None and getattr(args, "city", None) is not None:
        print(bilingual("cli.kpi.city_and_region"), file=sys.stderr)
        return 2
    site = services.site()
    fiscal_year = args.fy if args.fy is not None else kpi.current_fiscal_year(site)
    if fiscal_year not in FISCAL_YEARS:
        print(bilingual("cli.kpi.bad_fy", fy=fiscal_year), file=sys.stderr)
        return 2
    if region_id is not None:
        return _region_kpi(args, services, services.region(region_id), fiscal_year)
    with services.database() as db:
        years = db.call(kpi.fiscal_years_with_data, site)
        if not _has_data(args, site, fiscal_year, years):
            return 2
        report = db.call(kpi.report, site, fiscal_year)
    print(kpi.report_json(report) if args.json else kpi.table_text(report, site))
    return 0


def _has_data(args: argparse.Namespace, site: Site, fiscal_year: int, years: range) -> bool:
    """A year asked for (--fy) with no data is a typo, not a report of zeros: say which years there are."""
    if args.fy is None or fiscal_year in years:
        return True
    key = "cli.kpi.no_data" if years else "cli.kpi.no_data_yet"
    first, last = (years[0], years[-1]) if years else (fiscal_year, fiscal_year)
    current = kpi.current_fiscal_year(site)
    print(bilingual(key, fy=fiscal_year, first=first, last=last, current=current), file=sys.stderr)
    return False


def _region_kpi(args: argparse.Namespace, services: CliServices, region: RegionConfig, fiscal_year: int) -> int:
    """Each member city's report from its own database, and their sum."""
    reports: list[region_kpi.CityReport] = []
    years: list[range] = []
    for city_id in region.info.cities:
        city = services.for_city(city_id)
        site = city.site()
        with city.database() as db:
            years.append(db.call(kpi.fiscal_years_with_data, site))
            reports.append(region_kpi.CityReport(site, db.call(kpi.report, site, fiscal_year)))
    if not _has_data(args, services.site(), fiscal_year, region_kpi.fiscal_years(years)):
        return 2
    report = region_kpi.region_report(region, fiscal_year, reports)
    print(region_kpi.report_json(report) if args.json else region_kpi.table_text(report))
    return 0


def _configure_donations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import"], help=t("en", "cli.donations.action"))
    parser.add_argument("file", type=Path, help=t("en", "cli.donations.file"))


def run_donations(args: argparse.Namespace, services: CliServices) -> int:
    """Exit 0 when every row imported (or was already there), 1 when some rows had errors, 2 when nothing could be
    read."""
    site = services.site()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(bilingual("cli.donations.unreadable", file=args.file, reason=exc.strerror), file=sys.stderr)
        return 2
    with services.database() as db:
        result = db.call(lambda session: import_donations(session, site, data, utcnow(), source=args.file.name))
    print(summary(result))
    if result.errors and not (result.added or result.duplicates):
        return 2
    return 1 if result.errors else 0


def summary(result: ImportResult) -> str:
    lines = [
        bilingual(
            "donations.imported", added=result.added, attributed=result.attributed, yen=f"{result.attributed_yen:,}"
        ),
        bilingual("donations.duplicates", count=result.duplicates),
    ]
    if result.errors:
        lines.append(bilingual("donations.errors", count=len(result.errors)))
        lines += [
            bilingual("donations.error_line", line=line, problem=bilingual_problem(problem))
            for line, problem in result.errors
        ]
    return "\n".join(lines)


COMMANDS = (
    CliCommand("kpi", t("en", "cli.kpi.help"), _configure_kpi, run_kpi),
    CliCommand("donations", t("en", "cli.donations.help"), _configure_donations, run_donations),
)
