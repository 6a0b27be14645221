"""Furusato-nozei referral links and the donation import that attributes donations to them.

A referral code is short and random, one per owner (a member, a thread, an event) and reused. The link
PUBLIC_BASE_URL/r/<code> records a click and redirects to the city's donation page ([donation] url) with the code in
the tracking parameter. Donations come back as the portal's CSV export; a row counts as ours (attributed) when it
carries a known code, or its reason text names a code or a configured keyword.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy import func
from sqlmodel import Session, select

from community import engagement
from community.city import Site
from community.digest import DigestWeek, signed
from community.kpi import KpiSource, count_kind
from community.texts import t
from storage.db import as_utc, utcnow
from storage.models import Engagement
from storage.models.staff import Donation, ReferralCode

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes get read aloud and typed
CODE_LENGTH = 7
CODE_PATTERN = re.compile(r"[a-z2-9]{4,12}")
KINDS = frozenset({"member", "thread", "event"})
UNATTRIBUTED = "unattributed"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def create_referral(session: Session, kind: str, owner_ref: str, now: datetime | None = None) -> ReferralCode:
    """The owner's code (kind member, thread or event), made on first request: the same code every time after."""
    now = now or utcnow()
    if kind not in KINDS:
        raise ValueError(f"unknown referral kind {kind!r}")
    owner_ref = str(owner_ref)[:40]
    existing = session.exec(
        select(ReferralCode).where(ReferralCode.kind == kind, ReferralCode.owner_ref == owner_ref)
    ).first()
    if existing is not None:
        return existing
    for _ in range(5):
        row = ReferralCode(code=new_code(), kind=kind, owner_ref=owner_ref, created_at=as_utc(now))
        savepoint = session.begin_nested()
        session.add(row)
        try:
            savepoint.commit()
            return row
        except IntegrityError:
            # A code collision (31^7 codes, so rare) or the same owner made concurrently: look again, then retry.
            savepoint.rollback()
            existing = session.exec(
                select(ReferralCode).where(ReferralCode.kind == kind, ReferralCode.owner_ref == owner_ref)
            ).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not make a unique referral code")


def referral_url(site: Site, code: str) -> str:
    return site.public_url(f"r/{code}")


def donation_page(site: Site, code: str | None = None) -> str:
    """The configured donation URL, with the code added as the tracking parameter (replacing one already there)."""
    section = site.city.donation
    url = section.url
    if not code:
        return url
    param = section.tracking_param
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def find_code(session: Session, text: str | None) -> ReferralCode | None:
    """The stored code for well-formed text; None for unknown or malformed text (no query for junk)."""
    if not text or not CODE_PATTERN.fullmatch(text):
        return None
    return session.exec(select(ReferralCode).where(ReferralCode.code == text)).first()


def record_click(session: Session, site: Site, text: str | None, now: datetime) -> str:
    """Count one click on /r/<text> and return where to send the browser: always the configured donation page."""
    known = find_code(session, text)
    code = known.code if known else None
    engagement.record(session, "referral_click", now, detail=code or UNATTRIBUTED)
    return donation_page(site, code)


# ---- donation import --------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: int = 0
    attributed: int = 0
    attributed_yen: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, problem)

    def summary(self) -> str:
        lines = [
            f"取り込み: {self.added}件 (うち紹介経由 {self.attributed}件・{self.attributed_yen:,}円) / "
            f"imported {self.added} ({self.attributed} attributed, ¥{self.attributed_yen:,})",
            f"取り込み済みのため省略: {self.duplicates}件 / already imported, skipped: {self.duplicates}",
        ]
        if self.errors:
            lines.append(f"エラー: {len(self.errors)}行 / rows with errors: {len(self.errors)}")
            lines += [f"  {line}行目 / line {line}: {problem}" for line, problem in self.errors]
        return "\n".join(lines)


def decode_csv(data: bytes) -> str:
    """Portal exports are UTF-8 (often with a BOM, for Excel) or Shift_JIS; cp932 is Windows' Shift_JIS."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")


def parse_date(text: str) -> date:
    match = _DATE.search(text or "")
    if not match:
        raise ValueError(f"日付が読めません / unreadable date: {text!r}")
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"ありえない日付です / impossible date: {text!r}") from None


def parse_amount(text: str) -> int:
    cleaned = re.sub(r"[,，円¥￥\s]", "", text or "")
    if not cleaned.isdigit():
        raise ValueError(f"金額が読めません / unreadable amount: {text!r}")
    amount = int(cleaned)
    if amount <= 0:
        raise ValueError(f"金額が0円です / amount is zero: {text!r}")
    return amount


def _attribute(text_code: str, reason: str, codes: set[str], keywords: list[str]) -> tuple[str | None, str]:
    """(code, how) for one row: its code column, else a code or keyword in the reason text, else (None, "")."""
    candidate = text_code.strip().lower()
    if candidate in codes:
        return candidate, "code"
    lowered = reason.lower()
    for word in re.findall(r"[a-z2-9]{4,12}", lowered):
        if word in codes:
            return word, "reason"
    if any(k and k in reason for k in keywords):
        return None, "keyword"
    return None, ""


def import_donations(session: Session, site: Site, data: bytes, now: datetime) -> ImportResult:
    """Import a portal CSV export; bad rows are reported by line and skipped, the rest import.

    Each row is keyed by a hash of its cells, so importing the same file again adds nothing.
    """
    section = site.city.donation
    columns = section.csv.model_dump()
    keywords = list(section.keywords)
    tz = site.tz
    result = ImportResult()
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        result.errors.append((1, "文字コードが UTF-8 でも Shift_JIS でもありません / not UTF-8 or Shift_JIS"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        result.errors.append((1, "空のファイルです / the file is empty"))
        return result
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
    for key in ("date", "amount", "code", "reason"):
        name = columns.get(key)
        if name and name in header:
            index[key] = header.index(name)
        elif key in ("date", "amount"):
            result.errors.append((1, f"列「{name}」が見つかりません ([donation.csv] {key}) / column {name!r} not found"))
    if result.errors:
        return result
    codes = set(session.exec(select(ReferralCode.code)))
    seen_in_file: set[str] = set()
    while True:
        line = reader.line_num + 1  # where this row starts (a quoted cell may span lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append((line, f"CSVとして読めません / malformed CSV: {exc}"))
            break
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            day = parse_date(cell("date"))
            amount = parse_amount(cell("amount"))
        except ValueError as exc:
            result.errors.append((line, str(exc)))
            continue
        row_hash = hashlib.sha256("\x1f".join(c.strip() for c in row).encode("utf-8")).hexdigest()
        exists = row_hash in seen_in_file or session.exec(
            select(Donation.id).where(Donation.row_hash == row_hash)
        ).first() is not None
        if exists:
            result.duplicates += 1
            continue
        seen_in_file.add(row_hash)
        code, how = _attribute(cell("code"), cell("reason"), codes, keywords)
        donated_at = as_utc(datetime.combine(day, time(12, 0), tzinfo=tz))  # midday: the date is what counts
        session.add(Donation(row_hash=row_hash, donated_at=donated_at, amount=amount, code=code,
                             attributed_by=how, imported_at=as_utc(now)))
        detail = code or (how if how else UNATTRIBUTED)
        engagement.record(session, "donation", donated_at, detail=detail, amount=amount)
        result.added += 1
        if how:
            result.attributed += 1
            result.attributed_yen += amount
    session.flush()
    return result


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """Donations attributed to the community (a code or keyword) and clicks on /r/ links (unattributed: unknown codes)."""
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(Engagement.amount), 0)).where(
            Engagement.kind == "donation", Engagement.detail != UNATTRIBUTED,
            Engagement.at >= as_utc(since), Engagement.at < as_utc(until),
        )
    ).one()
    return {
        "donations_yen": int(total),
        "donations_count": int(count),
        "referral_clicks": count_kind(session, "referral_click", since, until),
        "referral_clicks_unattributed": count_kind(session, "referral_click", since, until, detail=UNATTRIBUTED),
    }


KPIS = KpiSource(("donations_yen", "donations_count", "referral_clicks", "referral_clicks_unattributed"), _kpi_values)


def digest_section(week: DigestWeek) -> list[str]:
    """Referral clicks and the donations they brought, against last week."""
    this, last = week.this_week, week.last_week
    clicks, yen = this["referral_clicks"], this["donations_yen"]
    return [
        t("ja", "digest.donations"),
        t("ja", "digest.referral_clicks", clicks=f"{clicks:,}", change=signed(clicks - last["referral_clicks"]),
          unattributed=f"{this['referral_clicks_unattributed']:,}"),
        t("ja", "digest.donated", count=f"{this['donations_count']:,}", yen=f"{yen:,}",
          change=signed(yen - last["donations_yen"])),
    ]
