"""Childcare's command-line tools: `qr` writes print-ready QR codes, `touchpoints` lists the touchpoints, `appstats`
records the app's monthly store downloads (the KPI app_downloads; community.appstats)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from community import appstats, childcare, fonts, qr
from community.city import CityConfig, Touchpoint
from community.problems import Problem
from community.texts import t
from handlers.childcare import sheet
from handlers.cli import CliCommand, CliServices, bilingual, bilingual_problem
from storage.db import utcnow

CONTACT_SHEET = "contact-sheet"


def _configure_qr(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("touchpoint", nargs="?", help="touchpoint id (see `touchpoints`)")
    parser.add_argument("--all", action="store_true", help="every touchpoint, plus a contact sheet")
    parser.add_argument("--out", required=True, help="directory to write into (created if missing)")
    parser.add_argument(
        "--font",
        help="a font file with Japanese glyphs for the contact sheet "
        "(found automatically through fontconfig if installed)",
    )
    parser.add_argument(
        "--allow-local",
        action="store_true",
        help="write codes even when PUBLIC_BASE_URL is unset or a local address (for trying out)",
    )


def _chosen(args: argparse.Namespace, city: CityConfig) -> list[Touchpoint] | None:
    """The touchpoints asked for; None (after saying why) when the arguments name none."""
    if args.all == bool(args.touchpoint):
        print(t("ja", "cli.qr.choose"), file=sys.stderr)
        return None
    if args.all:
        return list(city.touchpoints)
    touchpoint = city.touchpoint(args.touchpoint)
    if touchpoint is None:
        print(
            t("ja", "cli.qr.unknown", id=repr(args.touchpoint), ids=", ".join(tp.id for tp in city.touchpoints)),
            file=sys.stderr,
        )
        return None
    return [touchpoint]


def run_qr(args: argparse.Namespace, services: CliServices) -> int:
    site = services.site()
    chosen = _chosen(args, site.city)
    if chosen is None:
        return 2
    if qr.is_local_address(site.public_base_url) and not args.allow_local:
        # Printed posters with codes for 127.0.0.1 are dead on every phone.
        print(t("ja", "cli.qr.local_address", url=site.public_base_url), file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for touchpoint in chosen:
        url = childcare.tracked_url(site, touchpoint.id)
        (out / f"{touchpoint.id}.png").write_bytes(qr.png(url))
        (out / f"{touchpoint.id}.svg").write_bytes(qr.svg(url))
        print(t("ja", "cli.qr.written", id=touchpoint.id, url=url))
    if args.all:
        if args.font and not fonts.draws_japanese(args.font):
            print(t("ja", "cli.qr.font_unusable", path=args.font), file=sys.stderr)
        font = fonts.japanese_font(args.font or "")
        if font is None:
            print(t("ja", "cli.qr.no_font"), file=sys.stderr)
        (out / f"{CONTACT_SHEET}.png").write_bytes(sheet.png(site, chosen, font))
        (out / f"{CONTACT_SHEET}.svg").write_text(sheet.svg(site, chosen), encoding="utf-8")
        print(t("ja", "cli.qr.sheet_written", name=CONTACT_SHEET))
    return 0


def _configure_touchpoints(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="as JSON: [{id, name, age_months}]")


def run_touchpoints(args: argparse.Namespace, services: CliServices) -> int:
    touchpoints = services.site().city.touchpoints
    if args.json:
        rows = [
            {"id": tp.id, "name": tp.name, "age_months": tp.age_months if tp.kind == "checkup" else None}
            for tp in touchpoints
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for tp in touchpoints:
        age = t("ja", "cli.touchpoints.age", months=tp.age_months) if tp.kind == "checkup" else ""
        print(f"{tp.id:<20} {tp.name}{age}")
    return 0


def _configure_appstats(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    record = actions.add_parser("record", help=t("en", "cli.appstats.record"))
    record.add_argument("--month", required=True, help=t("en", "cli.appstats.month"))
    record.add_argument("--ios", required=True, help=t("en", "cli.appstats.ios"))
    record.add_argument("--android", required=True, help=t("en", "cli.appstats.android"))
    imported = actions.add_parser("import", help=t("en", "cli.appstats.import"))
    imported.add_argument("file", type=Path, help=t("en", "cli.appstats.file"))
    actions.add_parser("list", help=t("en", "cli.appstats.list"))


def _recorded_line(found: appstats.Recorded) -> str:
    if found.previous is None:
        return bilingual("appstats.recorded", month=found.month, ios=f"{found.ios:,}", android=f"{found.android:,}")
    old_ios, old_android = found.previous
    return bilingual(
        "appstats.replaced",
        month=found.month,
        ios=f"{found.ios:,}",
        android=f"{found.android:,}",
        old_ios=f"{old_ios:,}",
        old_android=f"{old_android:,}",
    )


def run_appstats(args: argparse.Namespace, services: CliServices) -> int:
    """record: exit 0, or 2 for a bad month or count. import: 0 when every row was recorded, 1 when some rows had
    errors, 2 when none could be. list: the months and the total."""
    site = services.site()
    with services.database() as db:
        if args.action == "record":
            try:
                ios, android = appstats.parse_count(args.ios), appstats.parse_count(args.android)
                found = db.call(lambda s: appstats.record(s, site, args.month, ios, android, utcnow()))
            except Problem as problem:
                print(bilingual_problem(problem), file=sys.stderr)
                return 2
            print(_recorded_line(found))
        elif args.action == "import":
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                print(bilingual("appstats.unreadable", file=args.file, reason=exc.strerror), file=sys.stderr)
                return 2
            result = db.call(lambda s: appstats.import_csv(s, site, data, utcnow(), args.file.name))
            for found in result.recorded:
                print(_recorded_line(found))
            if result.errors:
                print(bilingual("appstats.errors", count=len(result.errors)), file=sys.stderr)
            for line, found_problem in result.errors:
                problem_text = bilingual_problem(found_problem)
                print(bilingual("appstats.error_line", line=line, problem=problem_text), file=sys.stderr)
            if result.errors:
                return 1 if result.recorded else 2
        else:
            for row in db.call(lambda s: appstats.months(s, site)):
                print(bilingual("appstats.recorded", month=row.month, ios=f"{row.ios:,}", android=f"{row.android:,}"))
        total = db.call(lambda s: appstats.downloads(s, site, utcnow()))
    app = site.city.app
    print(
        bilingual(
            "appstats.total",
            total=f"{total:,}",
            baseline=f"{app.downloads_baseline:,}",
            baseline_month=app.downloads_baseline_month or "-",
        )
    )
    return 0


COMMANDS = (
    CliCommand("qr", "write print-ready QR codes (PNG + SVG) for the childcare app touchpoints", _configure_qr, run_qr),
    CliCommand("touchpoints", "list the childcare touchpoints", _configure_touchpoints, run_touchpoints),
    CliCommand("appstats", t("en", "cli.appstats.help"), _configure_appstats, run_appstats),
)
