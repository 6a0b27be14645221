"""The donation import: a furusato-nozei portal's CSV export, attributed to our referral links.

A row counts as ours (attributed) when it carries a known code, or its reason text names a code or a configured
keyword ([donation] keywords). Bad rows are reported by their line in the file and skipped; the rest import. Each row
is keyed by a hash of its cells, so importing the same file again adds nothing. Every import is in the audit log:
who (None: the command line), which file, and what it added.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from sqlmodel import Session, select

from community import audit, engagement
from community.city import DonationCsv, Site
from community.problems import Problem
from community.referrals import UNATTRIBUTED
from storage.db import as_utc
from storage.models import Member
from storage.models.staff import Donation, ReferralCode

REQUIRED_COLUMNS = ("date", "amount")
# 2026/05/03, 2026-5-3, 2026.05.03 or 2026年5月3日 (the Japanese signs are written as escapes: code holds no Japanese).
_DATE = re.compile("(\\d{4})\\s*[-/\u5e74.]\\s*(\\d{1,2})\\s*[-/\u6708.]\\s*(\\d{1,2})")
# What an amount may carry around its digits: commas (also ，), 円, ¥ or ￥, spaces.
_NOT_DIGITS = re.compile("[,\uff0c\u5186\u00a5\uffe5\\s]")
_CODE_WORD = re.compile(r"[a-z2-9]{4,12}")


@dataclass
class ImportResult:
    added: int = 0
    attributed: int = 0
    attributed_yen: int = 0
    duplicates: int = 0
    errors: list[tuple[int, Problem]] = field(default_factory=list)  # (line number in the file, problem)

    def fail(self, line: int, problem: Problem) -> ImportResult:
        self.errors.append((line, problem))
        return self


def decode_csv(data: bytes) -> str:
    """Portal exports are UTF-8 (often with a BOM, for Excel) or Shift_JIS; cp932 is Windows' Shift_JIS."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


def parse_date(text: str) -> date:
    match = _DATE.search(text or "")
    if not match:
        raise Problem("donations.bad_date", text=text)
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise Problem("donations.impossible_date", text=text) from None


def parse_amount(text: str) -> int:
    cleaned = _NOT_DIGITS.sub("", text or "")
    if not cleaned.isdigit():
        raise Problem("donations.bad_amount", text=text)
    amount = int(cleaned)
    if amount <= 0:
        raise Problem("donations.zero_amount", text=text)
    return amount


def attribute(text_code: str, reason: str, codes: set[str], keywords: Sequence[str]) -> tuple[str | None, str]:
    """(code, how) for one row: its code column, else a code or keyword in the reason text, else (None, "")."""
    candidate = text_code.strip().lower()
    if candidate in codes:
        return candidate, "code"
    for word in _CODE_WORD.findall(reason.lower()):
        if word in codes:
            return word, "reason"
    if any(k and k in reason for k in keywords):
        return None, "keyword"
    return None, ""


@dataclass(frozen=True)
class Columns:
    """Where each configured column ([donation.csv]) is in the file's header."""

    index: dict[str, int]

    @classmethod
    def find(cls, names: DonationCsv, header: list[str]) -> tuple[Columns, list[Problem]]:
        wanted = {"date": names.date, "amount": names.amount, "code": names.code, "reason": names.reason}
        index: dict[str, int] = {}
        missing: list[Problem] = []
        for key, name in wanted.items():
            if name and name in header:
                index[key] = header.index(name)
            elif key in REQUIRED_COLUMNS:
                missing.append(Problem("donations.no_column", name=name, setting=key))
        return cls(index), missing

    def cell(self, row: list[str], key: str) -> str:
        i = self.index.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""


def import_donations(
    session: Session, site: Site, data: bytes, now: datetime, *, actor: Member | None = None, source: str = ""
) -> ImportResult:
    """Import a portal CSV export (see the module's docstring); the result counts and names the bad rows. The import
    goes into the audit log with who ran it (`actor`, None for the command line) and the file's name (`source`)."""
    result = _import(session, site, data, now)
    detail = (
        f"added={result.added} attributed={result.attributed} yen={result.attributed_yen} "
        f"duplicates={result.duplicates} errors={len(result.errors)}"
    )
    audit.record(session, actor, audit.DONATIONS_IMPORT, f"file:{source}" if source else "", detail, now)
    return result


def _import(session: Session, site: Site, data: bytes, now: datetime) -> ImportResult:
    result = ImportResult()
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        return result.fail(1, Problem("donations.not_text"))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return result.fail(1, Problem("donations.empty"))
    columns, missing = Columns.find(site.city.donation.csv, [h.strip() for h in header])
    if missing:
        result.errors.extend((1, problem) for problem in missing)
        return result
    rows = _Rows(session, site, now, columns, result)
    for line, row in _numbered(reader, result):
        try:
            rows.add(row)
        except Problem as problem:
            result.errors.append((line, problem))
    session.flush()
    return result


class _Reader(Protocol):
    """A csv reader: rows, and the line it has read up to."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


def _numbered(reader: _Reader, result: ImportResult) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, row) for each non-blank row; a malformed file ends the rows with an error."""
    while True:
        line = reader.line_num + 1  # where this row starts (a quoted cell may span lines)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.errors.append((line, Problem("donations.malformed", error=exc)))
            return
        if any(cell.strip() for cell in row):
            yield line, row


class _Rows:
    """Adds one row at a time, remembering the rows of this file (a file may hold the same row twice)."""

    def __init__(self, session: Session, site: Site, now: datetime, columns: Columns, result: ImportResult):
        self.session, self.site, self.now, self.columns, self.result = session, site, now, columns, result
        self.codes = set(session.exec(select(ReferralCode.code)))
        self.keywords = site.city.donation.keywords
        self.seen: set[str] = set()

    def add(self, row: list[str]) -> None:
        day = parse_date(self.columns.cell(row, "date"))
        amount = parse_amount(self.columns.cell(row, "amount"))
        row_hash = hashlib.sha256("\x1f".join(c.strip() for c in row).encode("utf-8")).hexdigest()
        if row_hash in self.seen or self._stored(row_hash):
            self.result.duplicates += 1
            return
        self.seen.add(row_hash)
        code, how = attribute(
            self.columns.cell(row, "code"), self.columns.cell(row, "reason"), self.codes, self.keywords
        )
        donated_at = as_utc(datetime.combine(day, time(12, 0), tzinfo=self.site.tz))  # midday: the date is what counts
        self.session.add(
            Donation(
                row_hash=row_hash,
                donated_at=donated_at,
                amount=amount,
                code=code,
                attributed_by=how,
                imported_at=as_utc(self.now),
            )
        )
        engagement.record(self.session, "donation", donated_at, detail=code or how or UNATTRIBUTED, amount=amount)
        self.result.added += 1
        if how:
            self.result.attributed += 1
            self.result.attributed_yen += amount

    def _stored(self, row_hash: str) -> bool:
        return self.session.exec(select(Donation.id).where(Donation.row_hash == row_hash)).first() is not None
