"""Sign-up QR for occasions (issue 17.5): staff make an occasion and its print-ready QR (`occasion new`, /occasion
new), the QR opens the occasion's landing page (a visit counted, nothing about the visitor kept) with the friend-add
link and a link that types the occasion's code into the chat; the first message carrying the code records the
occasion once per person; the KPIs count sign-ups per occasion. Through the signed LINE webhook and the fake API."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
import zxingcpp
from PIL import Image
from sqlmodel import select

from bot import cli
from community import digest, occasions
from storage.db import utcnow
from storage.models import Engagement
from storage.models.occasions import Occasion
from tests.living import bubbles, shown, with_staff

REPO = Path(__file__).resolve().parents[1]
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


def city_with_line_id(tmp_path: Path) -> Path:
    """Omitama's city file with the LINE account's basic id set ([occasions] line_id)."""
    path = tmp_path / "omitama.toml"
    text = (REPO / "bot" / "cities" / "omitama.toml").read_text(encoding="utf-8")
    path.write_text(text + '\n[occasions]\nline_id = "@omitama-test"\n', encoding="utf-8")
    return path


def test_occasion_new_writes_a_print_ready_qr_of_its_landing_page(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/o.db")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://tsunagaru.example.jp")
    assert cli.main(["occasion", "new", "成人式2027", "--out", str(tmp_path / "print")]) == 0
    out = capsys.readouterr().out
    code = re.search(r"（([0-9A-Z]{6})）", out).group(1)
    url = f"https://tsunagaru.example.jp/o/{code}"
    assert url in out
    png = tmp_path / "print" / f"occasion-{code}.png"
    image = Image.open(png)
    assert image.size[0] >= 1000
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [url]
    assert (tmp_path / "print" / f"occasion-{code}.svg").read_text().lstrip().startswith("<?xml")
    assert cli.main(["occasion", "qr", code.lower(), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / f"occasion-{code}.png").read_bytes() == png.read_bytes()
    capsys.readouterr()
    assert cli.main(["occasion", "qr", "ZZZZZZ", "--out", str(tmp_path)]) == 2
    assert cli.main(["occasion", "list"]) == 0
    assert f"{code}  成人式2027" in capsys.readouterr().out
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8080")
    assert cli.main(["occasion", "new", "文化祭", "--out", str(tmp_path / "local")]) == 2  # dead on every phone
    assert not (tmp_path / "local").exists()


@pytest.fixture
async def line(make_line_bot, tmp_path):
    bot = await make_line_bot(CITY_CONFIG=str(city_with_line_id(tmp_path)))
    return await with_staff(bot)


async def test_the_landing_page_offers_friend_add_and_the_typed_code_and_counts_visits(line):
    occasion = await line.bot.db.run(lambda s: occasions.create(s, "成人式2027", utcnow()))
    page = await line.bot.get(f"/o/{occasion.code}", headers={"User-Agent": IPHONE})
    html = await page.text()
    assert page.status == 200 and "成人式2027" in html and occasion.code in html
    assert 'href="https://line.me/R/ti/p/%40omitama-test"' in html
    [message_link] = re.findall(r'href="(https://line\.me/R/oaMessage/[^"]+)"', html)
    assert message_link.startswith("https://line.me/R/oaMessage/%40omitama-test/?")
    assert unquote(message_link.split("?", 1)[1]) == f"成人式2027から来ました #{occasion.code}"
    assert (await line.bot.client.head(f"/o/{occasion.code}")).status == 200  # a link checker: not a visit
    assert (await line.bot.get(f"/o/{occasion.code.lower()}")).status == 200
    for path in ("/o/ZZZZZZ", "/o/", "/o/abc/def/ghi", f"/o/{occasion.code}/other.png"):
        response = await line.bot.get(path)
        assert response.status == 404 and "見つかりません" in await response.text(), path
    with line.bot.db.session() as session:
        scans = session.exec(select(Engagement).where(Engagement.kind == "occasion_scan")).all()
    space = f"occasion:{occasion.code}"
    assert [(e.space, e.detail, e.member) for e in scans] == [(space, "ios", None), (space, "other", None)]
    card = await line.bot.get(f"/o/{occasion.code}/card.png")
    assert card.status == 200 and max(Image.open(io.BytesIO(await card.read())).size) <= 1024


async def test_a_first_message_with_the_code_records_the_occasion_once(line):
    [qr_card, created] = await line.say("staff", "/occasion new 成人式2027")
    [bubble] = bubbles(qr_card)
    code = re.search(r"コード ([0-9A-Z]{6})", created["text"]).group(1)
    assert bubble["hero"]["url"] == f"https://tsunagaru.example.jp/o/{code}/card.png"
    assert "1:1トーク" in shown(await line.say("staff", "/occasion new 夏祭り", group="職員室"))

    await line.follow("mika")  # the friend-add link: the follow carries no occasion
    [welcome] = await line.say("mika", f"成人式2027から来ました #{code}")  # what the landing page's link types
    assert "「成人式2027」から来てくださったのですね" in welcome["text"]
    [again] = await line.say("mika", f"#{code}")
    assert "もう済んでいます" in again["text"]
    [typed] = await line.say("taro", code.lower())  # typed by hand, in lower case
    assert "ようこそ" in typed["text"]
    assert "ようこそ" not in shown(await line.say("ken", "ABCDEF"))  # no such occasion: ordinary chat
    assert "ようこそ" not in shown(await line.say("ken", f"#{code}", group="どこかのグループ"))  # 1:1 only

    listed = shown(await line.say("staff", "/occasion list"))
    assert f"成人式2027（{code}）: 0 / 2" in listed
    response = await line.bot.get("/api/kpi", headers={"Authorization": "Bearer line-bot-staff-token"})
    report = json.loads(await response.text())
    assert report["kpis"]["occasion_signups"] == {"value": 2, "target": None}
    assert report["per_occasion"][code] == {"name": "成人式2027", "scans": 0, "signups": 2}
    with line.bot.db.session() as session:
        weekly = digest.build(session, line.bot.runtime.site, datetime.now(line.bot.settings.tz) + timedelta(days=7))
        assert session.exec(select(Occasion)).one().code == code
    assert "・成人式2027: 2 / 2" in weekly.text
