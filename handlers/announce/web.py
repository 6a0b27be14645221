"""The dashboard's announcement form (issue 15): the same as `/announce` in chat, for a staff member's browser.

GET /dashboard/announce shows the form, what is scheduled or held, what recent announcements achieved and the month's
budget; POST .../preview shows the announcement as members will see it with its reach and cost; POST /dashboard/announce
confirms it (a staff admin may tick the override when it is over the remaining budget); POST .../<id>/cancel cancels a
scheduled one. Only a staff session (the cookie a one-time /dashboard link gives) may use them, and every POST must
carry the form's CSRF token, an HMAC of that session: a page on another site cannot make a staff browser send one.
What is due is sent by the announcements job within a minute.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from multidict import MultiDictProxy
from sqlmodel import Session

from community import announce, areas, board, budget, dashboard, segments
from community.announce import Draft
from community.city import Site
from community.members import ADMIN, has_role
from community.problems import Problem
from handlers.kpi.web import SESSION_COOKIE
from handlers.web import Handler, WebRoute, page, services
from storage.db import utcnow
from storage.models import Member
from storage.models.announce import Announcement

Form = MultiDictProxy[Any]  # a posted form (request.post())
CSRF_KEY = "csrf"
FORM_FIELDS = ("text", "image_url", "link_label", "link_url", "topic", "segment", "event_code", "when", "send_at")
WHEN_INPUT = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">


@dataclass(frozen=True)
class StaffSession:
    member_id: int
    csrf: str  # what this session's forms must send back


def csrf_token(session: Session, cookie: str) -> str:
    """The session's CSRF token: an HMAC of the session cookie (its hash) with the database's random key."""
    subject = "csrf:" + hashlib.sha256(cookie.encode("utf-8")).hexdigest()
    return dashboard.signature(dashboard.signing_key(session, CSRF_KEY), subject)


def _check_session(session: Session, cookie: str | None) -> StaffSession | None:
    member_id = dashboard.check_token(session, cookie, utcnow(), dashboard.SESSION)
    if member_id is None or cookie is None:
        return None
    return StaffSession(member_id, csrf_token(session, cookie))


async def _staff(request: web.Request) -> StaffSession | None:
    return await services(request).db.run(_check_session, request.cookies.get(SESSION_COOKIE))


def _login_needed() -> web.Response:
    return page("kpi/login_needed.html", status=401)


async def _posted(request: web.Request) -> tuple[StaffSession, Form] | None:
    """A POST from a staff session's own form: the session, and the form; None for anything else."""
    staff = await _staff(request)
    if staff is None:
        return None
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        return None  # another site's page
    form = await request.post()
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode("utf-8", "replace"), staff.csrf.encode()):
        return None
    return staff, form


def _forbidden() -> web.Response:
    return page("announce/refused.html", status=403)


# ---- reading the form ----------------------------------------------------------------------------------------------


def _field(form: Form, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _draft(session: Session, form: Form) -> Draft:
    segment = _field(form, "segment") or segments.ALL
    if segment == segments.EVENT:
        segment = segments.key_of(segments.EVENT, _field(form, "event_code"))
    return Draft(
        text=announce.check_text(_field(form, "text")),
        segment=segments.checked(session, segment),
        topic=_field(form, "topic"),
        image_url=announce.check_url(_field(form, "image_url")),
        link_label=announce.check_label(_field(form, "link_label")),
        link_url=announce.check_url(_field(form, "link_url")),
    )


def _send_at(site: Site, form: Form, now: datetime) -> datetime:
    if _field(form, "when") != "later":
        return now
    try:
        when = datetime.strptime(_field(form, "send_at"), WHEN_INPUT).replace(tzinfo=site.tz)
    except ValueError:
        raise Problem("announce.bad_when", example=now.strftime("%Y-%m-%d %H:%M")) from None
    if when < now:
        raise Problem("announce.when_past")
    return when


# ---- pages -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    when: str
    status: str
    segment: str
    text: str
    estimated: int
    recipients: int
    billable: int
    opened: int | None
    clicked: int | None
    discord: bool


def _rows(site: Site, items: list[Announcement]) -> list[Row]:
    found = []
    for item in items:
        moment = item.sent_at or item.send_at
        found.append(
            Row(
                id=item.id or 0,
                when=moment.astimezone(site.tz).strftime("%Y-%m-%d %H:%M"),
                status=item.status,
                segment=segments.label(item.segment, "ja"),
                text=announce.first_line(item, 40),
                estimated=item.estimated,
                recipients=item.recipients,
                billable=item.billable,
                opened=item.opened,
                clicked=item.clicked,
                discord=item.discord_post,
            )
        )
    return found


def _form_view(session: Session, site: Site, staff: StaffSession) -> dict[str, object]:
    now = datetime.now(site.tz)
    month = budget.month(session, site, now)
    return {
        "csrf": staff.csrf,
        "topics": site.city.announce.topics,
        "segments": _segment_choices(session, site),
        "waiting": _rows(site, announce.waiting(session)),
        "recent": _rows(site, announce.recent(session)),
        "month": month,
        "held": budget.held_between(session, *budget.month_bounds(now)),
        "admin": has_role(session, staff.member_id, ADMIN),
    }


def _segment_choices(session: Session, site: Site) -> list[tuple[str, str]]:
    keys = [segments.ALL, *(segments.key_of(segments.RELATION, r) for r in board.RELATIONS)]
    keys += [segments.key_of(segments.PLATFORM, p) for p in segments.PLATFORMS if p in site.platforms]
    keys += [segments.CHILDCARE, "childcare:prenatal", "childcare:0-2", "childcare:3-5"]
    registered = areas.all_areas(session)  # the 行政区 and 小学校区 staff registered (issue 17)
    keys += [segments.key_of(segments.SCHOOL, school) for school in areas.schools(registered)]
    keys += [segments.key_of(segments.AREA, area.name) for area in areas.ordered(registered)]
    return [(key, segments.label(key, "ja")) for key in keys] + [(segments.EVENT, segments.label("event:", "ja"))]


async def form_page(request: web.Request, *, error: str = "", status: int = 200) -> web.Response:
    staff = await _staff(request)
    if staff is None:
        return _login_needed()
    found = services(request)
    view = await found.db.run(_form_view, found.site, staff)
    created = request.query.get("created", "")
    return page(
        "announce/form.html", status=status, view=view, error=error, created=created if created.isdigit() else ""
    )


def _preview(session: Session, site: Site, form: Form) -> dict[str, object]:
    now = datetime.now(site.tz)
    draft = _draft(session, form)
    if site.city.announce.topics or draft.topic:
        draft = Draft(**{**draft.data(), "topic": announce.check_topic(site.city, draft.topic)})
    send_at = _send_at(site, form, now)
    found = announce.quote(session, site, draft, now, at=send_at)
    return {
        "draft": draft,
        "bubbles": announce.messages(draft, "ja"),
        "segment": segments.label(draft.segment, "ja"),
        "lines": found.lines("ja"),
        "fits": found.fits,
        "when": "" if send_at == now else send_at.strftime("%Y-%m-%d %H:%M"),
        "send_at": "" if send_at == now else send_at.strftime(WHEN_INPUT),
    }


StaffPost = Callable[[web.Request, StaffSession, Form], Awaitable[web.Response]]


def _staff_post(handle: StaffPost) -> Handler:
    """A handler for a staff form's POST: refused unless it is one (_posted); a Problem shows the form again."""

    async def handler(request: web.Request) -> web.Response:
        posted = await _posted(request)
        if posted is None:
            return _forbidden()
        try:
            return await handle(request, *posted)
        except Problem as problem:
            return await form_page(request, error=problem.text("ja"), status=400)

    return handler


@_staff_post
async def preview(request: web.Request, staff: StaffSession, form: Form) -> web.Response:
    found = services(request)
    view = await found.db.run(_preview, found.site, form)
    admin = await found.db.run(lambda session: has_role(session, staff.member_id, ADMIN))
    return page("announce/preview.html", view=view, csrf=staff.csrf, admin=admin)


def _create(session: Session, site: Site, member_id: int, form: Form) -> Announcement:
    now = datetime.now(site.tz)
    member = session.get(Member, member_id)
    draft = _draft(session, form)
    return announce.create(
        session, site, draft, _send_at(site, form, now), member, now, override=_field(form, "override") == "yes"
    )


@_staff_post
async def confirm(request: web.Request, staff: StaffSession, form: Form) -> web.Response:
    found = services(request)
    created = await found.db.run(_create, found.site, staff.member_id, form)
    raise web.HTTPSeeOther(f"{request.path.rstrip('/')}?created={created.id}")


@_staff_post
async def cancel(request: web.Request, staff: StaffSession, _form: Form) -> web.Response:
    announcement_id = int(request.match_info["id"])

    def work(session: Session) -> None:
        announce.cancel(session, announcement_id, session.get(Member, staff.member_id), utcnow())

    await services(request).db.run(work)
    raise web.HTTPSeeOther(request.path.rsplit("/", 2)[0])


async def show_form(request: web.Request) -> web.Response:
    return await form_page(request)


ROUTES: tuple[WebRoute, ...] = (
    WebRoute("GET", "/dashboard/announce", show_form),
    WebRoute("POST", "/dashboard/announce/preview", preview),
    WebRoute("POST", "/dashboard/announce", confirm),
    WebRoute("POST", r"/dashboard/announce/{id:\d{1,9}}/cancel", cancel),
)
