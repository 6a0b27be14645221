"""Occasions from the command line: `occasion new NAME [--out DIR]` makes one and writes its print-ready QR (PNG of
at least 1,000 px and SVG), `occasion qr CODE --out DIR` writes it again, `occasion list` prints the scans and
sign-ups per occasion. Messages are printed in both languages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from community import occasions, qr
from community.city import Site
from community.problems import Problem
from community.texts import t
from handlers.cli import CliCommand, CliServices, bilingual
from storage.db import utcnow
from storage.models.occasions import Occasion


def _configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help=t("en", "cli.occasion.new"))
    new.add_argument("name", nargs="+", help=t("en", "cli.occasion.name"))
    again = actions.add_parser("qr", help=t("en", "cli.occasion.qr"))
    again.add_argument("code", help=t("en", "cli.occasion.code"))
    for sub in (new, again):
        sub.add_argument("--out", default=".", help=t("en", "cli.occasion.out"))
        sub.add_argument("--allow-local", action="store_true", help=t("en", "cli.occasion.allow_local"))
    actions.add_parser("list", help=t("en", "cli.occasion.list"))


def run(args: argparse.Namespace, services: CliServices) -> int:
    site = services.site()
    if args.action == "list":
        return _list(services)
    if qr.is_local_address(site.public_base_url) and not args.allow_local:
        # Printed codes for 127.0.0.1 are dead on every phone.
        print(t("ja", "cli.qr.local_address", url=site.public_base_url), file=sys.stderr)
        return 2
    with services.database() as db:
        if args.action == "new":
            name = " ".join(args.name)
            try:
                occasion = db.call(lambda session: occasions.create(session, name, utcnow()))
            except Problem as problem:
                print(" / ".join((problem.text("ja"), problem.text("en"))), file=sys.stderr)
                return 2
        else:
            found = db.call(lambda session: occasions.find(session, args.code))
            if found is None:
                print(bilingual("cli.occasion.unknown", code=args.code[:12]), file=sys.stderr)
                return 2
            occasion = found
    _write(site, occasion, Path(args.out))
    return 0


def _write(site: Site, occasion: Occasion, out: Path) -> None:
    url = site.public_url(occasions.landing_path(occasion))
    out.mkdir(parents=True, exist_ok=True)
    stem = f"occasion-{occasion.code}"
    (out / f"{stem}.png").write_bytes(qr.png(url))
    (out / f"{stem}.svg").write_bytes(qr.svg(url))
    print(bilingual("cli.occasion.written", name=occasion.name, code=occasion.code, url=url, file=out / f"{stem}.png"))


def _list(services: CliServices) -> int:
    with services.database() as db:
        found = db.call(lambda session: occasions.figures(session, None, utcnow()))
    for code, f in found.items():
        print(f"{code}  {f['name']}  {t('ja', 'cli.occasion.counts', scans=f['scans'], signups=f['signups'])}")
    if not found:
        print(bilingual("cli.occasion.none"))
    return 0


COMMANDS = (CliCommand("occasion", t("en", "cli.occasion.help"), _configure, run),)
