"""行政区 (neighbourhood associations): the city's 区 registered by staff (a CSV or one at a time), their
representatives, the profile a representative fills in (入会金, 区費, ゴミ出し, 草刈り and other 奉仕作業, 冠婚葬祭 and
other つきあい, notes, whether newcomers are welcome), publishing, searching, the KPIs and the digest's lines.

Each 区 decides whether its answers are public: until its representative chooses 公開, only the 区's name, 地区 and
小学校区 (the city's own register) are ever shown, marked 非公開. `public_answers` is the one place that decides what
of a 区 may be shown. Area communities and the 区 members record as theirs are in community.area_spaces.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from community import audit, members
from community.city import Site
from community.digest import DigestWeek
from community.donations import decode_csv
from community.kpi import KpiSource
from community.problems import Problem
from community.texts import fold, t, words
from storage.db import as_utc, id_of
from storage.models import Member, Role
from storage.models.areas import Area

AREA_REP = "area_rep"  # a member role; its scope is the 区's id
MAX_NAME = 40
# The profile a representative fills in, in the order the dialogue asks, with each answer's longest length.
TEXT_FIELDS: tuple[str, ...] = ("entry_fee", "dues", "garbage", "cleanup", "social", "notes")
LIMITS = {"entry_fee": 200, "dues": 200, "garbage": 300, "cleanup": 300, "social": 300, "notes": 1000}
CSV_COLUMNS = ("name", "district", "school")

# Audit log actions (named for people in community/texts/areas.py).
AUDIT_PUBLISH = "area.publish"
AUDIT_UNPUBLISH = "area.unpublish"
AUDIT_EDIT = "area.edit"
AUDIT_REPS_CLEARED = "area.reps_clear"
AUDIT_IMPORT = "area.import"


def normalise(text: str) -> str:
    """How names are stored and compared: full-width letters and digits folded (NFKC), spaces trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def page_path(area: Area) -> str:
    return f"areas/{id_of(area)}"


# ---- the register ------------------------------------------------------------------------------------------------


def find_area(session: Session, name: str) -> Area | None:
    wanted = normalise(name)
    return session.exec(select(Area).where(Area.name == wanted)).first() if wanted else None


def area_named(session: Session, name: str) -> Area:
    area = find_area(session, name)
    if area is None:
        raise Problem("area.no_such", name=normalise(name)[:MAX_NAME] or "-")
    return area


def add_area(session: Session, name: str, district: str, school: str, now: datetime) -> tuple[Area, bool]:
    """Register a 区, or give a registered one its 地区 and 小学校区; True when it is new."""
    name, district, school = normalise(name), normalise(district), normalise(school)
    if not name:
        raise Problem("area.name_missing")
    if max(len(name), len(district), len(school)) > MAX_NAME:
        raise Problem("area.name_too_long", limit=MAX_NAME)
    area = find_area(session, name)
    created = area is None
    if area is None:
        area = Area(name=name, created_at=as_utc(now))
    area.district, area.school = district or area.district, school or area.school
    session.add(area)
    session.flush()
    return area, created


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    errors: list[tuple[int, Problem]] = field(default_factory=list)  # (line in the file, problem)


def import_csv(session: Session, data: bytes, now: datetime, *, source: str = "") -> ImportResult:
    """区 from a CSV (UTF-8 or Shift_JIS) with a header row naming the columns name, district, school (or 区名, 地区,
    小学校区). Re-importing updates 地区 and 小学校区 and adds nothing twice."""
    result = ImportResult()
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        result.errors.append((1, Problem("area.csv_not_text")))
        return result
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        result.errors.append((1, Problem("area.csv_empty")))
        return result
    # Header names a column may have (WORDS "area.csv_header.<column>": the register's Japanese, or English).
    header = [fold(cell) for cell in rows[0]]
    where = {
        key: next((i for i, h in enumerate(header) if h in words(f"area.csv_header.{key}")), None)
        for key in CSV_COLUMNS
    }
    if where["name"] is None:
        result.errors.append((1, Problem("area.csv_no_name")))
        return result
    for line, row in enumerate(rows[1:], start=2):
        cells = {key: row[i] if i is not None and i < len(row) else "" for key, i in where.items()}
        if not any(cell.strip() for cell in row):
            continue
        try:
            _, created = add_area(session, cells["name"], cells["district"], cells["school"], now)
        except Problem as problem:
            result.errors.append((line, problem))
            continue
        result.added += created
        result.updated += not created
    detail = f"added={result.added} updated={result.updated} errors={len(result.errors)}"
    audit.record(session, None, AUDIT_IMPORT, f"file:{source}" if source else "", detail, now)
    return result


def all_areas(session: Session) -> list[Area]:
    return list(session.exec(select(Area).order_by(col(Area.name))))


def districts(areas: Iterable[Area]) -> list[str]:
    return sorted({a.district for a in areas if a.district})


def schools(areas: Iterable[Area]) -> list[str]:
    return sorted({a.school for a in areas if a.school})


def welcomes(area: Area) -> bool:
    """The 「移住者歓迎」 mark: only a public 区 that said so."""
    return area.published and area.newcomers is True


def ordered(areas: Iterable[Area]) -> list[Area]:
    """「移住者歓迎」 first, then the other public 区, then 非公開 ones; by name within each."""
    return sorted(areas, key=lambda a: (not welcomes(a), not a.published, a.name))


def search(session: Session, text: str = "", district: str = "", school: str = "") -> list[Area]:
    """区 whose name, 地区 or 小学校区 contains every word typed, optionally in one 地区 and one 小学校区."""
    wanted = [fold(word) for word in normalise(text).split()]
    found = []
    for area in all_areas(session):
        if (district and area.district != district) or (school and area.school != school):
            continue
        haystack = fold(f"{area.name} {area.district} {area.school}")
        if all(word in haystack for word in wanted):
            found.append(area)
    return ordered(found)


def public_answers(area: Area) -> list[tuple[str, str]]:
    """(field, answer) a reader may see: nothing at all for a 非公開 区; only the fields answered for a public one."""
    if not area.published:
        return []
    return [(name, getattr(area, name)) for name in TEXT_FIELDS if getattr(area, name)]


# ---- representatives -----------------------------------------------------------------------------------------


def reps_of(session: Session, area: Area) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .join(Role, col(Role.member_id) == col(Member.id))
            .where(Role.role == AREA_REP, Role.scope == str(id_of(area)))
            .order_by(col(Role.id))
        )
    )


def areas_of_rep(session: Session, member_id: int) -> list[Area]:
    scopes = session.exec(select(Role.scope).where(Role.member_id == member_id, Role.role == AREA_REP)).all()
    ids = [int(s) for s in scopes if s.isdigit()]
    if not ids:
        return []
    return list(session.exec(select(Area).where(col(Area.id).in_(ids)).order_by(col(Area.name))))


def is_rep(session: Session, member_id: int, area: Area) -> bool:
    return members.has_role(session, member_id, AREA_REP, str(id_of(area)))


def may_edit(session: Session, member: Member | None, roles: set[str], area: Area) -> bool:
    """Staff, or a representative of this 区."""
    if member is None:
        return False
    return members.STAFF in roles or is_rep(session, id_of(member), area)


def assign_rep(session: Session, area: Area, member: Member, now: datetime, *, by: Member | None) -> bool:
    """True if newly named (the grant is in the audit log with who named them)."""
    return members.grant(session, id_of(member), AREA_REP, as_utc(now), scope=str(id_of(area)), by=by)


def clear_reps(session: Session, area: Area, now: datetime, *, by: Member | None) -> int:
    removed = len(reps_of(session, area))
    session.execute(delete(Role).where(col(Role.role) == AREA_REP, col(Role.scope) == str(id_of(area))))
    audit.record(session, by, AUDIT_REPS_CLEARED, f"area:{area.id}", f"removed={removed}", now)
    return removed


# ---- the profile ------------------------------------------------------------------------------------------------


def check_answer(name: str, text: str) -> str:
    """A typed answer for one field, trimmed; too long is a Problem (the question stays)."""
    answer = text.strip()
    if len(answer) > LIMITS[name]:
        raise Problem("area.answer_too_long", limit=LIMITS[name], length=len(answer), with_usage=False)
    return answer


def newcomers_answer(text: str) -> bool | None:
    """True / False for the welcome question's typed answers; None when the text is neither."""
    folded = fold(text)
    if folded in words("area.newcomers.yes") or folded in words("answer.yes"):
        return True
    if folded in words("area.newcomers.no") or folded in words("answer.no"):
        return False
    return None


def publish_answer(text: str) -> bool | None:
    folded = fold(text)
    if folded in words("area.choice.publish"):
        return True
    if folded in words("area.choice.private"):
        return False
    return None


def save_profile(
    session: Session, area: Area, answers: dict[str, object], now: datetime, *, by: Member | int | None, via: str
) -> None:
    """Store a representative's (or staff's) answers; `publish` among them sets 公開 / 非公開."""
    changed = []
    for name in TEXT_FIELDS:
        value = answers.get(name)
        if isinstance(value, str) and value != getattr(area, name):
            setattr(area, name, check_answer(name, value))
            changed.append(name)
    newcomers = answers.get("newcomers", area.newcomers)
    if (newcomers is None or isinstance(newcomers, bool)) and newcomers != area.newcomers:
        area.newcomers = newcomers
        changed.append("newcomers")
    area.updated_at = as_utc(now)
    session.add(area)
    audit.record(session, by, AUDIT_EDIT, f"area:{area.id}", f"via={via} fields={','.join(changed) or '-'}", now)
    publish = answers.get("publish")
    if isinstance(publish, bool):
        set_published(session, area, publish, now, by=by)


def set_published(session: Session, area: Area, published: bool, now: datetime, *, by: Member | int | None) -> bool:
    """公開 or 非公開; False when it already was. In the audit log either way it changes."""
    if area.published == published:
        return False
    area.published = published
    area.published_at = as_utc(now) if published else None
    session.add(area)
    audit.record(session, by, AUDIT_PUBLISH if published else AUDIT_UNPUBLISH, f"area:{area.id}", "", now)
    return True


# ---- KPIs and the digest -------------------------------------------------------------------------------------------


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """Running totals at the period's end: 区 public then (as they stand now), and every 区 registered by then."""
    end = as_utc(until)
    published = session.exec(
        select(func.count()).select_from(Area).where(Area.published == True, col(Area.published_at) < end)  # noqa: E712
    ).one()
    total = session.exec(select(func.count()).select_from(Area).where(Area.created_at < end)).one()
    share = round(100 * published / total) if total else 0
    return {"areas_published": int(published), "areas_total": int(total), "areas_published_percent": share}


# The share of all 区 that publish is shown beside areas_published (table, CSV, dashboard); the JSON has both counts.
KPIS = KpiSource(
    ("areas_published", "areas_total"), _kpi_values, beside=(("areas_published", "areas_published_percent"),)
)


def share_text(published: int, total: int, lang: str = "ja") -> str:
    percent = f"{100 * published / total:.0f}" if total else "0"
    return t(lang, "area.share", published=published, total=total, percent=percent)


def digest_lines(week: DigestWeek) -> list[str]:
    """The 区 public against all registered, and how many say newcomers are welcome (the digest is Japanese)."""
    figures = week.to_date
    welcoming = session_welcoming(week.session)
    return [
        t("ja", "digest.areas"),
        share_text(figures.get("areas_published", 0), figures.get("areas_total", 0)),
        t("ja", "digest.areas_welcoming", count=welcoming),
    ]


def session_welcoming(session: Session) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Area).where(Area.published == True, Area.newcomers == True)  # noqa: E712
        ).one()
    )


def names(areas: Sequence[Area], lang: str) -> str:
    return t(lang, "area.name_separator").join(a.name for a in areas)
