"""The 行政区 on the web: the public list (GET /areas, filtered by 地区 and 小学校区, 「移住者歓迎」 first) and a page
per 区 (GET /areas/<id>), both readable on a phone; and the staff-side form (GET/POST /dashboard/areas/<id>, with
the dashboard's login or the staff API token) for a representative's answers given on paper.

A 非公開 区 is listed by its name, 地区 and 小学校区 (the city's register) marked 「非公開」; what its representative
answered is never in any page (community.areas.public_answers decides). Links are relative, so a city whose pages
live under a path of their own (/kashima/areas) links within it.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from sqlmodel import Session

from community import areas, dashboard
from community.problems import Problem
from community.texts import t
from handlers.kpi.web import SESSION_COOKIE
from handlers.web import WebRoute, bearer_ok, page, services
from storage.db import utcnow
from storage.models.areas import Area

MAX_ID = 10**9


@dataclass(frozen=True)
class AreaRow:
    """A 区 as the public list shows it: `answers` is empty for a 非公開 区."""

    id: int
    name: str
    district: str
    school: str
    published: bool
    welcome: bool
    answers: tuple[tuple[str, str], ...]


def row_of(area: Area) -> AreaRow:
    assert area.id is not None
    return AreaRow(
        area.id,
        area.name,
        area.district,
        area.school,
        area.published,
        areas.welcomes(area),
        tuple(areas.public_answers(area)),
    )


def not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(
        text=page("areas/not_found.html").text, content_type="text/html", headers={"Cache-Control": "no-store"}
    )


def number(text: str) -> int:
    """A positive id in plain ASCII digits, or a 404."""
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not 1 <= int(text) < MAX_ID:
        raise not_found()
    return int(text)


# ---- public pages --------------------------------------------------------------------------------------------------


async def area_list(request: web.Request) -> web.Response:
    found = services(request)
    district = areas.normalise(request.query.get("district", ""))[:40]
    school = areas.normalise(request.query.get("school", ""))[:40]

    def read(session: Session) -> tuple[list[AreaRow], list[str], list[str], int]:
        everyone = areas.all_areas(session)
        rows = [row_of(a) for a in areas.search(session, "", district, school)]
        return rows, areas.districts(everyone), areas.schools(everyone), sum(a.published for a in everyone)

    rows, district_names, school_names, published = await found.db.run(read)
    return page(
        "areas/list.html",
        noindex=False,
        city=found.site.city.name,
        rows=rows,
        districts=district_names,
        schools=school_names,
        district=district,
        school=school,
        published=published,
        line_url=found.site.city.community.line_url,
        labels=field_labels(),
    )


async def area_page(request: web.Request) -> web.Response:
    found = services(request)
    area_id = number(request.match_info["area_id"])
    area = await found.db.run(lambda session: session.get(Area, area_id))
    if area is None:
        raise not_found()
    updated = area.updated_at.astimezone(found.site.tz).strftime("%Y/%m/%d") if area.updated_at else ""
    return page(
        "areas/page.html",
        noindex=False,
        city=found.site.city.name,
        area=row_of(area),
        updated=updated if area.published else "",
        line_url=found.site.city.community.line_url,
        labels=field_labels(),
    )


def field_labels() -> dict[str, str]:
    """What each answer is called on the pages (the web is Japanese, as the board is)."""
    return {name: t("ja", f"area.field.{name}") for name in areas.TEXT_FIELDS}


async def area_other(request: web.Request) -> web.Response:
    raise not_found()


# ---- the staff-side form -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffUser:
    """Who uses the form: a staff member by their dashboard session, or the API token's holder (member_id None)."""

    member_id: int | None


async def staff_user(request: web.Request) -> StaffUser | None:
    """The dashboard's check (the API token, or the session a one-time /dashboard link gave); None for anyone else."""
    found = services(request)
    if bearer_ok(request, found.staff_api_token):
        return StaffUser(None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    member_id = await found.db.run(dashboard.check_token, cookie, utcnow(), dashboard.SESSION)
    return StaffUser(member_id) if member_id is not None else None


def login_needed() -> web.Response:
    return page("kpi/login_needed.html", status=401)


async def staff_index(request: web.Request) -> web.Response:
    if await staff_user(request) is None:
        return login_needed()
    found = services(request)
    rows = await found.db.run(areas.all_areas)
    return page("areas/staff_index.html", city=found.site.city.name, areas=rows)


async def staff_form(request: web.Request) -> web.Response:
    if await staff_user(request) is None:
        return login_needed()
    found = services(request)
    area_id = number(request.match_info["area_id"])
    area = await found.db.run(lambda session: session.get(Area, area_id))
    if area is None:
        raise not_found()
    return page(
        "areas/staff_form.html",
        area=area,
        labels=field_labels(),
        limits=areas.LIMITS,
        error="",
        saved=False,
        values=None,
    )


NEWCOMERS = {"yes": True, "no": False, "": None}


async def staff_save(request: web.Request) -> web.Response:
    who = await staff_user(request)
    if who is None:
        return login_needed()
    found = services(request)
    area_id = number(request.match_info["area_id"])
    form = await request.post()
    answers: dict[str, object] = {name: str(form.get(name, "")).strip() for name in areas.TEXT_FIELDS}
    answers["newcomers"] = NEWCOMERS.get(str(form.get("newcomers", "")))
    answers["publish"] = form.get("published") == "on"
    error = ""
    try:
        for name in areas.TEXT_FIELDS:
            areas.check_answer(name, str(answers[name]))
    except Problem as problem:
        error = problem.text("ja")

    def save(session: Session) -> Area | None:
        area = session.get(Area, area_id)
        if area is not None and not error:
            areas.save_profile(session, area, answers, utcnow(), by=who.member_id, via="form")
        return area

    area = await found.db.run(save)
    if area is None:
        raise not_found()
    return page(
        "areas/staff_form.html",
        status=400 if error else 200,
        area=area,
        labels=field_labels(),
        limits=areas.LIMITS,
        error=error,
        saved=not error,
        values=answers if error else None,
    )


def _get(path: str, handler: object) -> tuple[WebRoute, WebRoute]:
    return WebRoute("GET", path, handler), WebRoute("HEAD", path, handler)  # type: ignore[arg-type]


ROUTES: tuple[WebRoute, ...] = (
    *_get("/areas", area_list),
    *_get("/areas/{area_id}", area_page),
    *_get(r"/areas/{tail:[\s\S]*}", area_other),
    *_get("/dashboard/areas", staff_index),
    *_get("/dashboard/areas/{area_id}", staff_form),
    WebRoute("POST", "/dashboard/areas/{area_id}", staff_save),
)
