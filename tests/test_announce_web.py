"""The dashboard's announcement form (issue 15): only a staff session may use it, every POST carries a CSRF token
bound to that session (another session's token, a missing one, or a request from another site is refused), and the
whole flow — form, preview as members see it with the cost, confirmation — works in headless Chromium at phone
width; the announcements job then sends what was confirmed."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import RUNTIME, create_app
from community import dashboard, members
from scheduler.runner import run_job
from storage.db import utcnow
from storage.models.announce import Announcement
from storage.models.audit import AuditEntry
from tests.announce_helpers import budget_toml, city_file, seed_members

PUBLIC = "http://127.0.0.1"  # not https: the session cookie is not Secure, so a browser on http keeps it


def _login_link(session, user: str, admin: bool = True) -> str:
    """A staff member's one-time dashboard link (what /dashboard sends them)."""
    now = utcnow()
    if admin:
        members.ensure_admins(session, "console", (user,), now)
        member = members.find_member(session, "console", user)
    else:
        member = members.get_or_create_member(session, "console", user, now)
        members.grant(session, member.id, members.STAFF, now)
    return f"/dashboard/login/{dashboard.create_login(session, member.id, now)}"


async def _logged_in(web: TestClient, user: str, admin: bool = True) -> str:
    """Log a client in; returns the form's CSRF token."""
    link = await web.app[RUNTIME].db.run(_login_link, user, admin)
    assert (await web.post(link, allow_redirects=False)).status == 303
    page = await (await web.get("/dashboard/announce")).text()
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


FORM = {"text": "防災訓練のお知らせ", "segment": "relation:fan", "when": "now"}


async def test_the_form_refuses_requests_without_the_sessions_own_token(make_settings, tmp_path):
    settings = make_settings(PUBLIC_BASE_URL=PUBLIC, STAFF_API_TOKEN="tok", CITY_CONFIG=city_file(tmp_path))
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as sato, TestClient(TestServer(create_app(settings))) as other:
        await app[RUNTIME].db.run(seed_members, 4, "fan", "fan", "console")
        assert (await sato.get("/dashboard/announce")).status == 401  # no session
        assert (await sato.get("/dashboard/announce", headers={"Authorization": "Bearer tok"})).status == 401
        token = await _logged_in(sato, "staff-sato")
        others = await _logged_in(other, "staff-ito")
        assert token != others
        preview = "/dashboard/announce/preview"
        assert (await sato.post(preview, data=FORM)).status == 403  # no token
        assert (await sato.post(preview, data={**FORM, "csrf": others})).status == 403  # another session's
        altered = token[:-1] + ("1" if token[-1] == "0" else "0")
        assert (await sato.post(preview, data={**FORM, "csrf": altered})).status == 403
        evil = {"Origin": "https://evil.example.jp"}
        assert (await sato.post(preview, data={**FORM, "csrf": token}, headers=evil)).status == 403
        assert (await sato.post("/dashboard/announce", data={**FORM, "csrf": others})).status == 403
        page = await (await sato.post(preview, data={**FORM, "csrf": token})).text()
        assert "防災訓練のお知らせ" in page and "対象: 4人" in page
        confirmed = await sato.post("/dashboard/announce", data={**FORM, "csrf": token}, allow_redirects=False)
        assert confirmed.status == 303 and confirmed.headers["Location"].endswith("?created=1")
        cancel = "/dashboard/announce/1/cancel"
        assert (await sato.post(cancel, data={"csrf": others})).status == 403
        assert (await sato.post(cancel, data={"csrf": token}, allow_redirects=False)).status == 303
        with app[RUNTIME].db.session() as session:
            assert session.get(Announcement, 1).status == "cancelled"
            actions = [e.action for e in session.exec(select(AuditEntry)) if e.action.startswith("announce")]
        assert actions == ["announce.create", "announce.cancel"]


async def test_over_the_budget_only_an_admin_may_confirm_the_override(make_line_bot, tmp_path):
    bot = await make_line_bot(PUBLIC_BASE_URL=PUBLIC, CITY_CONFIG=city_file(tmp_path, budget_toml(10)))
    await bot.db.run(seed_members, 11, "fan", "fan")
    web = bot.client
    token = await _logged_in(web, "staff-ito", admin=False)
    page = await (await web.post("/dashboard/announce/preview", data={**FORM, "csrf": token})).text()
    assert "この配信は 11 通分です。今月の残りは 10 通です。" in page
    assert 'action="/dashboard/announce"' not in page  # nothing to confirm for a staff member who is not an admin
    refused = await web.post("/dashboard/announce", data={**FORM, "csrf": token, "override": "yes"})
    assert refused.status == 400 and "管理者（ADMIN_*）だけ" in await refused.text()
    web.session.cookie_jar.clear()
    token = await _logged_in(web, "staff-sato", admin=True)
    page = await (await web.post("/dashboard/announce/preview", data={**FORM, "csrf": token})).text()
    assert 'name="override" value="yes"' in page
    not_ticked = await web.post("/dashboard/announce", data={**FORM, "csrf": token})
    assert not_ticked.status == 400 and "残りを超えるため送れません" in await not_ticked.text()
    confirmed = await web.post("/dashboard/announce", data={**FORM, "csrf": token, "override": "yes"})
    assert confirmed.status == 200 and "お知らせ #1 を受け付けました" in await confirmed.text()
    job = next(j for j in bot.runtime.jobs if j.name == "announcements")
    await bot.db.run(run_job, job, bot.runtime.site, datetime.now(bot.settings.tz), bot.runtime.outbox.write)
    await bot.settle()
    assert sum(len(b["to"]) for b in bot.fake.multicasts()) == 11
    with bot.db.session() as session:
        actions = [e.action for e in session.exec(select(AuditEntry)) if e.action.startswith("announce")]
    assert actions == ["announce.create", "announce.override"]


async def test_the_form_works_in_a_phone_sized_browser(make_settings, tmp_path):
    from tests.chromium import Browser, require_chromium

    require_chromium()
    settings = make_settings(PUBLIC_BASE_URL=PUBLIC, CITY_CONFIG=city_file(tmp_path, budget_toml(30000)))
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestServer(app, host="127.0.0.1", port=0) as server:
        db = app[RUNTIME].db
        await db.run(seed_members, 30, "fan", "fan", "console")
        await db.run(seed_members, 5, "resident", "resident", "console")
        link = await db.run(_login_link, "staff-sato", True)
        async with Browser(tmp_path / "chromium", width=390, height=844) as browser:
            await browser.open(str(server.make_url(link)))
            await _submit(browser, "document.forms[0].submit()", "/dashboard")
            await browser.open(str(server.make_url("/dashboard/announce")))
            form_overflow = await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            await browser.evaluate(
                "(() => { document.getElementById('text').value = '今週末は道の駅で朝市です';"
                " document.getElementById('link_label').value = 'くわしく';"
                " document.getElementById('link_url').value = 'https://www.city.omitama.lg.jp/asaichi';"
                " document.getElementById('segment').value = 'relation:fan'; })()"
            )
            await _submit(browser, "document.forms[0].requestSubmit()", "/dashboard/announce/preview")
            preview = await browser.evaluate("document.getElementById('preview').innerText")
            figures = await browser.evaluate("document.getElementById('figures').innerText")
            preview_overflow = await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            await _submit(browser, "document.forms[0].requestSubmit()", "/dashboard/announce", "?created=")
            done = await browser.evaluate("document.body.innerText")
        job = next(j for j in app[RUNTIME].jobs if j.name == "announcements")
        await db.run(run_job, job, app[RUNTIME].site, datetime.now(settings.tz), app[RUNTIME].outbox.write)
        with db.session() as session:
            sent = session.exec(select(Announcement)).one()
    assert "今週末は道の駅で朝市です" in preview and "くわしく" in preview
    assert "市からのお知らせを止めるには「/announce stop」と送ってください" in preview
    assert "対象: 30人" in figures and "この配信は 0 通分です。今月の残りは 30,000 通です。" in figures
    assert "お知らせ #1 を受け付けました" in done
    assert (sent.status, sent.recipients, sent.link_url) == ("sent", 30, "https://www.city.omitama.lg.jp/asaichi")
    assert form_overflow <= 0 and preview_overflow <= 0, "a page is wider than a phone screen"


async def _submit(browser, script: str, path: str, search: str = "", seconds: float = 30) -> None:
    """Submit a form and wait (with a deadline) until the page it leads to (this path, a query starting with
    `search`) has loaded."""
    await browser.call("Runtime.evaluate", expression=script)
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        try:
            where, query, state = await browser.evaluate("[location.pathname, location.search, document.readyState]")
        except AssertionError:  # the old page went away mid-question
            continue
        if where == path and query.startswith(search) and state == "complete":
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the form did not lead to {path}{search}")
