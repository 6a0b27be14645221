"""The living-in-the-town pages as a phone shows them (issue 17), in headless Chromium at 390 px: the 行政区 list,
filtered list and pages (public and 非公開), the listings, the circles, an occasion's landing page and the staff-side
form. Each is Japanese, no wider than the screen, and no page holds anything a 非公開 区 answered."""

from __future__ import annotations

from community import areas, circles, listings, occasions
from storage.db import utcnow
from storage.models import Member
from storage.models.areas import Area
from tests.chromium import Browser, require_chromium
from tests.test_areas import PUBLIC, SECRET

LONG = "とても長い説明が続きます" * 12 + "https://example.jp/" + "x" * 120  # must wrap, not widen the page


def seed(session, site) -> dict[str, int]:
    now = utcnow()
    made = {}
    for name, district, school in (
        ("小川1区", "小川", "小川小学校"),
        ("小川2区", "小川", "小川小学校"),
        ("美野里3区", "美野里", "竹原小学校の長い長い正式名称をここに書きます"),
    ):
        made[name] = areas.add_area(session, name, district, school, now)[0].id
    public = session.get(Area, made["小川2区"])
    areas.save_profile(
        session, public, {**PUBLIC, "notes": LONG, "newcomers": True, "publish": True}, now, by=None, via="t"
    )
    private = session.get(Area, made["小川1区"])
    areas.save_profile(session, private, {**SECRET, "newcomers": True, "publish": False}, now, by=None, via="t")
    owner = Member(public_id="m-owner00001", created_at=now)
    session.add(owner)
    session.flush()
    answers = {"place": "小川地区", "size": "約100坪", "price": "無料", "conditions": LONG, "photo_url": ""}
    listing = listings.submit(session, owner, "plot", answers, now)
    listings.approve(session, site, listing, now, by=None)
    circle = circles.submit(
        session,
        owner,
        {"name": "ひよこママの会", "category": "kosodate", "activity": LONG, "area": "小川公民館", "join_url": ""},
        now,
    )
    circles.approve(session, circle, now, by=None)
    made["occasion"] = occasions.create(session, "成人式2027", now).code
    return made


async def test_the_living_pages_fit_a_phone_and_hide_every_private_answer(make_line_bot, tmp_path):
    require_chromium()
    bot = await make_line_bot()
    made = await bot.db.run(seed, bot.runtime.site)
    pages = [
        "/areas",
        "/areas?district=小川",
        "/areas?school=小川小学校",
        f"/areas/{made['小川1区']}",
        f"/areas/{made['小川2区']}",
        "/listings",
        "/circles",
        f"/o/{made['occasion']}",
        f"/dashboard/areas/{made['小川2区']}",
        "/dashboard/areas",
    ]
    expected = {
        "/areas": "行政区",
        "/listings": "貸畑",
        "/circles": "ひよこママの会",
        "/o/": "成人式2027",
        "/dashboard/areas": "小川2区",
    }
    results = {}
    async with Browser(tmp_path / "chromium", width=390, height=844) as browser:
        for path in pages:
            await browser.open(str(bot.client.make_url(path)), headers={"Authorization": "Bearer line-bot-staff-token"})
            results[path] = (
                await browser.evaluate("document.body.innerText"),
                await browser.evaluate("document.documentElement.outerHTML"),
                await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
            )
    for path, (text, html, overflow) in results.items():
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
        word = next(w for prefix, w in sorted(expected.items(), key=lambda p: -len(p[0])) if path.startswith(prefix))
        assert word in text, path
        assert not [s for s in SECRET.values() if s in html], f"{path} shows a private answer"
    private_text = results[f"/areas/{made['小川1区']}"][0]
    assert "非公開" in private_text and "移住者歓迎" not in private_text
    public_text = results[f"/areas/{made['小川2区']}"][0]
    assert PUBLIC["dues"] in public_text and "移住者歓迎" in public_text
