"""The public pages (/go, /qr, /r, /board): path tricks get a 404, redirects only ever go to the configured app and
donation URLs (no open redirect), and a per-address rate limit keeps a loop of requests out of the engagement log.

The rate limiter's clock is a number the test moves: no sleeps.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlmodel import func, select
from yarl import URL

from bot.app import RUNTIME, create_app
from bot.web.ratelimit import RATE_LIMITER, RateLimiter, is_public_path
from community import referrals
from storage.db import utcnow
from storage.models import Engagement

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def site(make_settings):
    app = create_app(make_settings(), run_workers=False, run_scheduler=False)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    clock = ManualClock()
    app[RATE_LIMITER].clock = clock
    client.clock = clock
    yield client
    await client.close()


def _runtime(client):
    return client.server.app[RUNTIME]


def _engagement_count(client, kind: str) -> int:
    def count(session):
        return session.exec(select(func.count()).select_from(Engagement).where(Engagement.kind == kind)).one()

    with _runtime(client).db.session() as session:
        return count(session)


def _allowed_targets(settings) -> set[str]:
    app = settings.city.app
    return {url for url in (app.ios_url, app.android_url, app.web_url) if url}


def _is_donation_page(settings, location: str, known_codes: set[str]) -> bool:
    """The configured donation URL, with at most the tracking parameter set to a code we issued."""
    page = urlsplit(referrals.donation_page(settings.site))
    got = urlsplit(location)
    if (got.scheme, got.netloc, got.path) != (page.scheme, page.netloc, page.path):
        return False
    param = settings.city.donation.tracking_param
    base = dict(parse_qsl(page.query, keep_blank_values=True))
    for key, value in parse_qsl(got.query, keep_blank_values=True):
        if key == param:
            if value not in known_codes:
                return False
        elif base.get(key) != value:
            return False
    return True


# ---- path tricks and open redirects -----------------------------------------------------------------------------

TRICKS = [
    "/go/../healthz",
    "/go/%2e%2e/healthz",
    "/go//evil.example",
    "/go/https://evil.example",
    "/go/%2F%2Fevil.example",
    "/go/boshi-techo/../../x",
    "/go/BOSHI-TECHO",
    "/go/boshi-techo%00",
    "/go/boshi-techo%0d%0aLocation:%20https://evil",
    "/go/",
    "/go/%E3%81%82",
    "/qr/boshi-techo.png/../../x",
    "/qr/../go/boshi-techo",
    "/qr/boshi-techo.exe",
    "/qr/%2e%2e%2fboshi-techo.png",
    "/qr/.png",
    "/qr/",
    "/board/../healthz",
    "/board/thread/-1",
    "/board/thread/%EF%BC%91",
    "/board/thread/1%2f..",
    "/board/thread/99999999999",
    "/board/x/../../go/boshi-techo",
    "/board?page=0",
    "/board?page=-1",
    "/board?page=%EF%BC%91",
    "/board?page=%00",
]


async def _raw(site, path: str, method: str = "GET"):
    """Send the path exactly as written (the client would otherwise resolve dots and re-encode it)."""
    url = URL(str(site.make_url("/")).rstrip("/") + path, encoded=True)
    return await site.session.request(method, url, allow_redirects=False)


async def test_path_tricks_get_a_japanese_404_never_an_error_or_a_foreign_redirect(site):
    targets = _allowed_targets(_runtime(site).settings)
    for path in TRICKS:
        site.clock.advance(60)
        response = await _raw(site, path)
        assert response.status < 500, path
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers["Location"]
            assert location in targets or (location.startswith("/") and not location.startswith("//")), (path, location)
        elif response.status == 200:
            # The server resolved the dots to a page of ours; what it served is that page, not a file or a redirect.
            assert response.url.path in ("/healthz", "/board") or response.content_type == "application/json", path
        else:
            assert response.status == 404, (path, response.status)
            assert "見つかりません" in await response.text(), path


async def test_go_redirects_only_to_the_configured_app_urls(site):
    settings = _runtime(site).settings
    targets = _allowed_targets(settings)
    agents = [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        "Mozilla/5.0 (Linux; Android 14)",
        "curl/8",
        "",
        "https://evil.example",
        "\u202e\u200bX" * 50,
    ]
    for touchpoint in settings.city.touchpoints:
        for agent in agents:
            response = await site.get(
                f"/go/{touchpoint.id}",
                allow_redirects=False,
                headers={"User-Agent": agent.encode("utf-8").decode("latin-1")},
            )
            assert response.status == 302
            assert response.headers["Location"] in targets
            site.clock.advance(60)


@hsettings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(["/go/", "/qr/", "/r/", "/r", "/board/", "/board/thread/"]),
    tail=st.text(min_size=0, max_size=60),
    method=st.sampled_from(["GET", "HEAD"]),
)
async def test_any_tail_on_a_public_path_is_a_404_or_a_configured_redirect(site, prefix, tail, method):
    settings = _runtime(site).settings
    site.clock.advance(60)  # the rate limit is tested on its own below
    path = prefix + quote(tail, safe="/?=&%:@.")
    response = await _raw(site, path, method)
    assert response.status < 500, path
    assert response.status in (200, 302, 303, 404, 405), (path, response.status)
    if response.status in (302, 303):
        location = response.headers["Location"]
        if path.startswith("/r"):
            assert _is_donation_page(settings, location, known_codes=set()), (path, location)
        elif path.startswith("/go/"):
            assert location in _allowed_targets(settings), (path, location)
        else:
            assert location.startswith("/") and not location.startswith("//"), (path, location)


async def test_referral_redirect_keeps_only_a_code_we_issued(site):
    runtime = _runtime(site)
    settings = runtime.settings
    code = (await runtime.db.run(referrals.create_referral, "member", "m-test", utcnow())).code
    cases = {
        f"/r/{code}": {code},
        f"/r/{code.upper()}": {code},
        "/r/https://evil.example": set(),
        "/r//evil.example": set(),
        "/r/%2F%2Fevil.example": set(),
        f"/r/{code}%3Fref%3Devil": set(),
        "/r/x?ref=evil&next=https://evil.example": set(),
        "/r": set(),
    }
    for path, known in cases.items():
        site.clock.advance(60)
        response = await site.get(path, allow_redirects=False)
        assert response.status == 302, path
        assert _is_donation_page(settings, response.headers["Location"], known), (path, response.headers["Location"])
    assert urlsplit((await site.get(f"/r/{code}", allow_redirects=False)).headers["Location"]).query.endswith(code)


# ---- the rate limit -----------------------------------------------------------------------------------------------


def test_public_paths_are_the_ones_people_and_loops_reach():
    for path in ("/go/x", "/qr/x.png", "/r", "/r/abc", "/board", "/board/thread/1", "/charts/weekly-2026-W01.png"):
        assert is_public_path(path), path
    for path in ("/callback/line", "/healthz", "/dashboard", "/api/kpi", "/robots.txt", "/goal", "/rss", "/boards"):
        assert not is_public_path(path), path


async def test_a_loop_of_scans_is_stopped_with_429_and_not_counted(site):
    limiter = site.server.app[RATE_LIMITER]
    assert limiter.burst == 60  # the default: 60 a minute per address
    statuses = []
    for _ in range(100):
        response = await site.get("/go/boshi-techo", allow_redirects=False)
        statuses.append(response.status)
    assert statuses.count(302) == 60 and statuses.count(429) == 40
    assert statuses[:60] == [302] * 60  # the first ones go through, the rest are refused
    assert _engagement_count(site, "qr_scan") == 60

    refused = await site.get("/go/boshi-techo", allow_redirects=False)
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "1"  # one token refills in a second
    text = await refused.text()
    assert "アクセスが集中しています" in text and "Location" not in refused.headers

    site.clock.advance(1)
    assert (await site.get("/go/boshi-techo", allow_redirects=False)).status == 302
    assert (await site.get("/go/boshi-techo", allow_redirects=False)).status == 429
    site.clock.advance(60)
    assert (await site.get("/r/abc", allow_redirects=False)).status == 302
    assert _engagement_count(site, "qr_scan") == 61


async def test_referral_clicks_are_limited_too(site):
    for _ in range(60):
        assert (await site.get("/r/abc", allow_redirects=False)).status == 302
    response = await site.get("/r/abc", allow_redirects=False)
    assert response.status == 429 and int(response.headers["Retry-After"]) >= 1
    assert _engagement_count(site, "referral_click") == 60


async def test_the_webhook_and_healthz_are_never_limited(site):
    for _ in range(61):
        await site.get("/board")
    assert (await site.get("/board")).status == 429
    for _ in range(100):
        assert (await site.get("/healthz")).status == 200
    # LINE is off here (404), but the limiter does not answer for this path either way.
    for _ in range(70):
        assert (await site.post("/callback/line", data=b"{}")).status != 429


async def test_each_address_has_its_own_bucket_behind_a_trusted_proxy(site):
    limiter = site.server.app[RATE_LIMITER]
    limiter.trust_forwarded_for = True
    for _ in range(60):
        assert (await site.get("/board", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.1"})).status == 200
    # Same last hop (the proxy's view of the client): limited, whatever the client claims in front of it.
    assert (await site.get("/board", headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.1"})).status == 429
    assert (await site.get("/board", headers={"X-Forwarded-For": "198.51.100.2"})).status == 200


def test_rate_limiter_refills_at_its_rate_and_forgets_idle_addresses():
    clock = ManualClock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(10.0)  # 6 a minute: one every 10 s
    clock.advance(5)
    assert limiter.take("a") == pytest.approx(5.0)
    clock.advance(5)
    assert limiter.take("a") == 0
    assert limiter.take("b") == 0  # another address is not affected
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0)


def test_rate_limit_is_configured_from_the_city(make_settings, tmp_path):
    from bot.config import DEFAULT_CITY_CONFIG

    default = RateLimiter.from_settings(make_settings())
    assert (default.rate, default.burst, default.trust_forwarded_for) == (1.0, 60, False)
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")
    for key, value in (("public_requests_per_minute", "120"), ("public_burst", "10"), ("trust_forwarded_for", "true")):
        text, found = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert found == 1, key
    city = tmp_path / "city.toml"
    city.write_text(text, encoding="utf-8")
    limiter = RateLimiter.from_settings(make_settings(CITY_CONFIG=str(city)))
    assert (limiter.rate, limiter.burst, limiter.trust_forwarded_for) == (2.0, 10, True)


def test_many_addresses_do_not_grow_memory_without_bound(monkeypatch):
    import bot.web.ratelimit as ratelimit

    monkeypatch.setattr(ratelimit, "MAX_BUCKETS", 4)
    clock = ManualClock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    for i in range(4):
        limiter.take(f"10.0.0.{i}")
    clock.advance(2)  # full again: the same as never seen
    limiter.take("10.0.0.9")
    assert len(limiter._buckets) == 1
    for i in range(10):
        limiter.take(f"10.0.1.{i}")  # all busy at once: the oldest half goes
    assert len(limiter._buckets) <= 4
