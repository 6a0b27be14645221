"""HTTP routes for staff: referral redirects (/r/<code>), the KPI API (JSON and CSV), the weekly chart and the
dashboard.

/api/* needs `Authorization: Bearer STAFF_API_TOKEN` (404 while the token is unset). The dashboard also accepts a
session cookie that a one-time link from the bot's /dashboard command gives. /r/ and /charts/ are public: a chart
holds only weekly counts.
"""
from __future__ import annotations

import csv
import hmac
import html
import io
import json
import logging
from datetime import date, datetime

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from community import digest, events, kpi, referrals
from storage.db import utcnow

log = logging.getLogger(__name__)

SESSION_COOKIE = "tsunagaru_staff"


def _runtime(request: web.Request):
    from bot.web.keys import RUNTIME

    return request.app[RUNTIME]


# ---- referral redirect ----------------------------------------------------------------------------------------


async def referral_redirect(request: web.Request) -> web.Response:
    """Count the click and send the browser to the configured donation page, whatever the path holds."""
    runtime = _runtime(request)
    settings = runtime.site
    if not settings.city.donation.url:
        return _page("ふるさと納税", "<p>ふるさと納税のページはまだ設定されていません。</p>", status=404)
    code = request.match_info.get("code", "").strip().lower()
    if request.method == "HEAD":  # link checkers and previews, not a person: nothing to count
        raise web.HTTPFound(referrals.donation_page(settings))
    try:
        location = await runtime.db.run(referrals.record_click, settings, code, utcnow())
    except SQLAlchemyError as exc:
        # The donor matters more than the count: redirect anyway, without a code we could not check.
        log.error("referral click not recorded: %s", str(exc)[:200])
        location = referrals.donation_page(settings)
    raise web.HTTPFound(location, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


# ---- auth -------------------------------------------------------------------------------------------------------


def _bearer_ok(request: web.Request, token: str | None) -> bool:
    if not token:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _api_guard(request: web.Request) -> web.Response | None:
    token = _runtime(request).staff_api_token
    if not token:
        return web.json_response({"error": "the staff API is disabled (STAFF_API_TOKEN is not set)"}, status=404)
    if not _bearer_ok(request, token):
        return web.json_response({"error": "unauthorized"}, status=401,
                                 headers={"WWW-Authenticate": 'Bearer realm="tsunagaru"'})
    return None


async def _dashboard_member(request: web.Request) -> bool:
    runtime = _runtime(request)
    if _bearer_ok(request, runtime.staff_api_token):
        return True
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return False
    member_id = await runtime.db.run(kpi.check_dashboard_token, cookie, utcnow(), "session")
    return member_id is not None


# ---- KPI API ------------------------------------------------------------------------------------------------------


class BadRequest(Exception):
    pass


def _fiscal_year(request: web.Request) -> int:
    settings = _runtime(request).site
    text = request.query.get("fy")
    if text is None or text == "":
        return kpi.current_fiscal_year(settings)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise BadRequest("fy must be a fiscal year like 2026 (年度)")
    return int(text)


async def _report(request: web.Request) -> dict:
    runtime = _runtime(request)
    return await runtime.db.run(kpi.report, runtime.site, _fiscal_year(request))


async def api_kpi(request: web.Request) -> web.Response:
    denied = _api_guard(request)
    if denied is not None:
        return denied
    try:
        data = await _report(request)
    except BadRequest as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.Response(text=kpi_json(data), content_type="application/json", charset="utf-8")


def kpi_json(data: dict) -> str:
    """The one serialisation both the API and `python -m bot kpi --json` print."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def _csv_response(data: dict, settings) -> web.Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(kpi.csv_rows(data, settings))
    # The BOM makes Excel read UTF-8 (otherwise it guesses Shift_JIS and the Japanese headers break).
    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return web.Response(body=body, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="kpi-{data["fiscal_year"]}.csv"',
    })


async def api_kpi_csv(request: web.Request) -> web.Response:
    denied = _api_guard(request)
    return denied if denied is not None else await _kpi_csv(request)


async def _kpi_csv(request: web.Request) -> web.Response:
    """The fiscal year's KPIs as CSV (?fy=), for a caller already let in."""
    try:
        data = await _report(request)
    except BadRequest as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return _csv_response(data, _runtime(request).site)


# ---- chart ------------------------------------------------------------------------------------------------------


async def weekly_chart(request: web.Request) -> web.Response:
    runtime = _runtime(request)
    week = request.match_info["week"]
    parsed = digest.parse_week(week)
    today = datetime.now(runtime.site.tz).date()
    if parsed is None or parsed[0] > today:
        raise web.HTTPNotFound(text="no such week")
    png = await runtime.db.run(digest.render_chart, runtime.site, week)
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


# ---- dashboard --------------------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;padding:16px;
max-width:720px;margin:auto;color:#222;line-height:1.5}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
.kpi{margin:10px 0}.kpi .row{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap}
.bar{background:#e8e8e8;border-radius:6px;height:12px;overflow:hidden}.bar span{display:block;height:100%;background:#2e7d32}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left}
td.n,th.n{text-align:right}.muted{color:#666;font-size:.9em}a.button,button{display:inline-block;padding:10px 16px;
background:#1565c0;color:#fff;border:0;border-radius:6px;text-decoration:none;font-size:1em;margin:4px 0}
img.chart{max-width:100%;height:auto}.warn{color:#c62828}td{overflow-wrap:anywhere}
"""


def _page(title: str, body: str, status: int = 200, headers: dict | None = None) -> web.Response:
    text = (f'<!doctype html><html lang="ja"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")
    return web.Response(text=text, content_type="text/html", charset="utf-8", status=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


def _login_needed() -> web.Response:
    return _page("ログインが必要です", "<h1>ログインが必要です</h1><p>ボットとの1:1トークで "
                 "<b>/dashboard</b> と送ると、ログイン用のリンクが届きます（職員のみ）。</p>", status=401)


def events_html(rows: list, settings) -> str:
    """Events and their facilitators: whether each group is alive, at a glance."""
    esc = html.escape
    if not rows:
        return "<h2>イベントと世話人</h2><p class=\"muted\">この年度のイベントはまだありません。</p>"
    parts = ["<h2>イベントと世話人</h2><table><tr><th>イベント</th><th>世話人</th><th class=n>今週の発言</th></tr>"]
    for row in rows:
        when = events.format_when(row.starts_at, settings.tz)
        state = "（終了）" if row.closed else ""
        detached = any(space.detached_at for space in row.spaces)
        spaces = "・".join(f"{esc(space.name or space.platform)}" for space in row.spaces) or "グループ未登録"
        who = "、".join(esc(name) for name in row.facilitators) or '<b class="warn">未指名</b>'
        messages = sum(space.messages_this_week for space in row.spaces)
        parts.append(f"<tr><td>{esc(row.title)}{state}<br><small class=muted>{esc(when)} ・ {spaces}"
                     f"{' ・ ボット退出' if detached else ''}</small></td><td>{who}</td><td class=n>{messages:,}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def dashboard_html(data: dict, settings, event_rows: list | None = None, chart_week: str | None = None) -> str:
    esc = html.escape
    fy = data["fiscal_year"]
    parts = [f"<h1>{esc(settings.city.name)} KPI {fy}年度</h1>",
             f'<p class="muted">{esc(data["from"])}〜{esc(data["to"])} ・ '
             f'<a href="?fy={fy - 1}">前年度</a> ・ <a href="?fy={fy + 1}">次年度</a></p>']
    for name, item in data["kpis"].items():
        pct = kpi.progress(item["value"], item["target"])
        figures = f"{item['value']:,}" + (f" / {item['target']:,}（{pct:.1f}%）" if pct is not None else "")
        bar = (f'<div class="bar" role="progressbar" aria-valuenow="{pct:.0f}" aria-valuemin="0" aria-valuemax="100">'
               f'<span style="width:{min(pct, 100):.1f}%"></span></div>') if pct is not None else ""
        parts.append(f'<div class="kpi"><div class="row"><span>{esc(kpi.label(name))}</span>'
                     f"<b>{figures}</b></div>{bar}</div>")
    names = {t.id: t.name for t in settings.city.touchpoints}
    parts.append("<h2>接点ごとのQR</h2><table><tr><th>接点</th><th class=n>読み取り</th><th class=n>案内送信</th></tr>")
    for touchpoint_id, figures in data.get("per_touchpoint", {}).items():
        parts.append(f"<tr><td>{esc(names.get(touchpoint_id, touchpoint_id))}</td>"
                     f"<td class=n>{figures['scans']:,}</td><td class=n>{figures['pushes']:,}</td></tr>")
    parts.append("</table>")
    if chart_week:
        parts.append(f'<h2>週ごとの推移</h2><img class="chart" src="/charts/weekly-{esc(chart_week)}.png" '
                     f'alt="週ごとの推移 {esc(chart_week)}">')
    parts.append(events_html(event_rows or [], settings))
    parts.append("<h2>ダウンロード</h2>")
    parts.append(f'<p><a class="button" href="/dashboard/kpi.csv?fy={fy}">CSV ({fy}年度)</a> '
                 f'<a class="button" href="/dashboard/kpi.csv?fy={fy - 1}">CSV ({fy - 1}年度)</a></p>')
    return "".join(parts)


async def dashboard(request: web.Request) -> web.Response:
    if not await _dashboard_member(request):
        return _login_needed()
    try:
        data = await _report(request)
    except BadRequest:
        raise web.HTTPFound("/dashboard") from None
    runtime = _runtime(request)
    settings = runtime.site
    now = datetime.now(settings.tz)
    start, end = kpi.bounds(settings.tz, date.fromisoformat(data["from"]), date.fromisoformat(data["to"]))
    event_rows = await runtime.db.run(events.overview, now, start, end)
    chart_week = digest.week_label(digest.last_complete_week(now)[0])
    return _page(f"KPI {data['fiscal_year']}年度", dashboard_html(data, settings, event_rows, chart_week))


async def dashboard_csv(request: web.Request) -> web.Response:
    if not await _dashboard_member(request):
        return _login_needed()
    return await _kpi_csv(request)


async def dashboard_login_form(request: web.Request) -> web.Response:
    # GET never spends the link: chat apps fetch links for previews. The button POSTs.
    return _page("ログイン", '<h1>職員ダッシュボード</h1><form method="post"><button type="submit">ログインする</button></form>')


async def dashboard_login(request: web.Request) -> web.Response:
    runtime = _runtime(request)

    def exchange(session, token: str, now):
        member_id = kpi.check_dashboard_token(session, token, now, "link")
        return kpi.create_dashboard_login(session, member_id, now, "session") if member_id is not None else None

    session_token = await runtime.db.run(exchange, request.match_info["token"], utcnow())
    if session_token is None:
        return _page("リンクが無効です", "<h1>このリンクは使えません</h1><p>使用済みか期限切れです。"
                     "ボットに <b>/dashboard</b> と送って、新しいリンクを受け取ってください。</p>", status=401)
    response = web.HTTPSeeOther("/dashboard")
    response.set_cookie(SESSION_COOKIE, session_token, max_age=kpi.DASHBOARD_SESSION_HOURS * 3600, path="/dashboard",
                        httponly=True, samesite="Lax", secure=runtime.site.public_base_url.startswith("https://"))
    raise response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/r", referral_redirect)
    app.router.add_get(r"/r/{code:[\s\S]*}", referral_redirect)
    app.router.add_get("/api/kpi", api_kpi)
    app.router.add_get("/api/kpi.csv", api_kpi_csv)
    app.router.add_get(r"/charts/weekly-{week:\d{4}-W\d{2}}.png", weekly_chart)
    app.router.add_get("/dashboard", dashboard)
    app.router.add_get("/dashboard/kpi.csv", dashboard_csv)
    app.router.add_get("/dashboard/login/{token}", dashboard_login_form)
    app.router.add_post("/dashboard/login/{token}", dashboard_login)
