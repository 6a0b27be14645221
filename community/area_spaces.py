"""Area communities: a LINE group or Discord channel bound to a 行政区 or a 小学校区, with facilitators (世話人) who are
nudged when it goes quiet, as event spaces are; and the 区 members record as theirs (optional, erasable), which
announcements use to reach a 区 (`residents_of_area`) or a 小学校区 (`residents_of_school`).

Messages in an area space are never stored, not even counted per person: only when the last one was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from community import areas, budget, members, spaces
from community import events as ev
from community.city import EventsSettings, Site
from community.digest import DigestWeek
from community.event_jobs import nudge_quiet, starter
from community.messages import Postbox, Text
from community.problems import Problem
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Member, Role, Space
from storage.models.areas import Area, AreaResident, AreaSpace

AREA_PURPOSE = "area"  # Space.purpose of a bound group or channel
AREA_FACILITATOR = "area_facilitator"  # a member role; its scope is the binding's id
GROUP_LANG = "ja"  # what the bot writes in a group is read by many: the city's language


# ---- binding a group or channel ----------------------------------------------------------------------------------


def binding_of(session: Session, space: Space | None) -> AreaSpace | None:
    if space is None or space.id is None:
        return None
    return session.exec(select(AreaSpace).where(AreaSpace.space_id == space.id)).first()


def area_of(session: Session, bound: AreaSpace) -> Area | None:
    return session.get(Area, bound.area_id) if bound.area_id is not None else None


def label(session: Session, bound: AreaSpace, lang: str) -> str:
    """'小川1区' or '小川小学校区' as the reader's language names a 小学校区."""
    area = area_of(session, bound)
    if area is not None:
        return area.name
    return t(lang, "area.school_label", school=bound.school)


def target_of(session: Session, text: str) -> tuple[Area | None, str]:
    """What a bind names: a registered 区 (by name), else a 小学校区 some 区 belongs to."""
    area = areas.find_area(session, text)
    if area is not None:
        return area, ""
    school = areas.normalise(text)
    if school and school in areas.schools(areas.all_areas(session)):
        return None, school
    raise Problem("area.bind_unknown", name=school[: areas.MAX_NAME] or "-")


def may_manage(session: Session, member: Member | None, roles: set[str], area: Area | None, school: str) -> bool:
    """Staff; a 区's representative for that 区; for a 小学校区, a representative of any 区 in it."""
    if member is None:
        return False
    if members.STAFF in roles:
        return True
    mine = areas.areas_of_rep(session, id_of(member))
    if area is not None:
        return any(a.id == area.id for a in mine)
    return any(a.school == school for a in mine)


def bind(session: Session, space: Space, area: Area | None, school: str, now: datetime) -> AreaSpace:
    """Bind the space; a space already bound (to an area community or to an event) is refused."""
    existing = binding_of(session, space)
    if existing is not None:
        raise Problem("area.bind_taken", name=label(session, existing, "ja"), with_usage=False)
    event_binding = ev.binding_of(session, space)
    if event_binding is not None:
        raise Problem("area.bind_event", title=event_binding[1].title, with_usage=False)
    bound = AreaSpace(space_id=id_of(space), area_id=area.id if area else None, school=school, bound_at=as_utc(now))
    spaces.serve(session, space, AREA_PURPOSE, bound)
    return bound


def unbind(session: Session, bound: AreaSpace, space: Space) -> None:
    session.execute(delete(Role).where(col(Role.role) == AREA_FACILITATOR, col(Role.scope) == str(id_of(bound))))
    spaces.release(session, space, AREA_PURPOSE)
    session.delete(bound)
    session.flush()


def record_message(session: Session, bound: AreaSpace, now: datetime) -> None:
    """When the space was last spoken in (for the quiet nudges); never who or what."""
    bound.last_message_at = as_utc(now)
    session.add(bound)


# ---- facilitators --------------------------------------------------------------------------------------------------


def facilitators(session: Session, bound: AreaSpace) -> list[Member]:
    return members.holders(session, AREA_FACILITATOR, str(id_of(bound)))


def assign_facilitator(session: Session, bound: AreaSpace, member: Member, now: datetime, *, by: Member | None) -> bool:
    return members.grant(session, id_of(member), AREA_FACILITATOR, as_utc(now), scope=str(id_of(bound)), by=by)


def stop_facilitating(session: Session, bound: AreaSpace, member: Member) -> bool:
    """The facilitator steps down (and is no longer nudged); False when they were not one."""
    result = session.execute(
        delete(Role).where(
            col(Role.role) == AREA_FACILITATOR, col(Role.scope) == str(id_of(bound)), col(Role.member_id) == member.id
        )
    )
    return bool(getattr(result, "rowcount", 0))


# ---- quiet area communities (job quiet-areas) --------------------------------------------------------------------


@dataclass(frozen=True)
class QuietArea:
    bound: AreaSpace
    space: Space
    label: str
    quiet_days: int
    nudgeable: tuple[Member, ...]  # the facilitators


def quiet_spaces(session: Session, now: datetime, days: int) -> list[QuietArea]:
    cutoff = as_utc(now - timedelta(days=days))
    rows = session.exec(
        select(AreaSpace, Space)
        .join(Space, col(Space.id) == col(AreaSpace.space_id))
        .where(Space.bot_present == True)  # noqa: E712
        .order_by(col(AreaSpace.id))
    ).all()
    quiet = []
    for bound, space in rows:
        last = as_utc(bound.last_message_at or bound.bound_at)
        if last < cutoff:
            quiet.append(
                QuietArea(
                    bound,
                    space,
                    label(session, bound, GROUP_LANG),
                    (as_utc(now) - last).days,
                    tuple(facilitators(session, bound)),
                )
            )
    return quiet


def quiet_areas(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """Facilitators of area communities quiet for [events] quiet_days get one conversation starter 1:1 (at most once
    per quiet period); quiet ones without a facilitator are reported to staff."""
    config = site.city.events
    quiet = quiet_spaces(session, now, config.quiet_days)
    nudged, orphans = nudge_quiet(session, postbox, now, config, quiet, _nudge, _orphan_report)
    return t("ja", "job.quiet-areas.result", nudged=nudged, orphans=orphans)


def _nudge(session: Session, postbox: Postbox, config: EventsSettings, found: QuietArea) -> int:
    """One conversation starter (the next in turn) to each facilitator, in their language; returns how many got it."""
    sent = 0
    for member in found.nudgeable:
        text = t(
            member.lang,
            "area.nudge",
            place=found.space.name or found.label,
            name=found.label,
            days=found.quiet_days,
            starter=starter(config, member.lang, found.bound.nudges),
        )
        sent += bool(members.push_to_member(session, postbox, id_of(member), Text(text), kind=budget.NUDGE))
    return sent


def _orphan_report(orphans: list[QuietArea], lang: str) -> str:
    lines = [
        t(lang, "area.orphan_line", place=found.space.name or found.label, name=found.label, days=found.quiet_days)
        for found in orphans
    ]
    return t(lang, "area.orphan_report") + "\n" + "\n".join(lines)


# ---- the 区 members record as theirs -------------------------------------------------------------------------------


def resident_area(session: Session, member_id: int) -> Area | None:
    row = session.exec(select(AreaResident).where(AreaResident.member_id == member_id)).first()
    return session.get(Area, row.area_id) if row is not None else None


def record_resident(session: Session, member_id: int, area: Area, now: datetime) -> None:
    row = session.exec(select(AreaResident).where(AreaResident.member_id == member_id)).first()
    row = row or AreaResident(member_id=member_id, area_id=id_of(area), recorded_at=as_utc(now))
    row.area_id, row.recorded_at = id_of(area), as_utc(now)
    session.add(row)
    session.flush()


def clear_resident(session: Session, member_id: int) -> int:
    """Forget the member's 区; returns how many rows went (0 or 1)."""
    result = session.execute(delete(AreaResident).where(col(AreaResident.member_id) == member_id))
    return int(getattr(result, "rowcount", 0) or 0)


def residents_of_area(area_id: int) -> SelectOfScalar[int]:
    """Everyone who recorded this 区 as theirs (announcements' segment area:<区>), as a query of member ids;
    forgotten members are gone from it as soon as /forget-me runs."""
    return select(AreaResident.member_id).where(AreaResident.area_id == area_id)


def residents_of_school(school: str) -> SelectOfScalar[int]:
    """Everyone whose recorded 区 is in this 小学校区 (segment school:<小学校区>), as a query of member ids."""
    return (
        select(AreaResident.member_id)
        .join(Area, col(Area.id) == col(AreaResident.area_id))
        .where(Area.school == areas.normalise(school))
    )


def members_of_area(session: Session, area_id: int) -> list[int]:
    return list(session.exec(residents_of_area(area_id).order_by(col(AreaResident.id))))


def members_of_school(session: Session, school: str) -> list[int]:
    return list(session.exec(residents_of_school(school).order_by(col(AreaResident.id))))


def residents_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AreaResident)).one())


DIGEST_QUIET_LIMIT = 10


def digest_lines(week: DigestWeek) -> list[str]:
    """How many members recorded their 区, and the area communities nobody wrote in lately (in Japanese)."""
    session = week.session
    quiet = quiet_spaces(session, week.now, week.site.city.events.quiet_days)
    lines = [t("ja", "digest.area_residents", count=residents_count(session)), t("ja", "digest.quiet_areas")]
    separator = t("ja", "list.separator")
    for found in quiet[:DIGEST_QUIET_LIMIT]:
        who = separator.join(m.display_name or m.public_id for m in found.nudgeable) or t("ja", "digest.nobody")
        lines.append(t("ja", "digest.quiet_area", name=found.label, days=found.quiet_days, who=who))
    if len(quiet) > DIGEST_QUIET_LIMIT:
        lines.append(t("ja", "digest.more", count=len(quiet) - DIGEST_QUIET_LIMIT))
    if not quiet:
        lines.append(t("ja", "digest.none"))
    return lines
