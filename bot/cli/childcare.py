"""CLI subcommands for childcare: `qr` writes print-ready QR codes, `touchpoints` lists the touchpoints."""
from __future__ import annotations

import argparse
import io
import json
import sys
from html import escape
from pathlib import Path
from typing import Callable

from bot.config import ConfigError, Settings, load_settings
from community import childcare

CONTACT_SHEET = "contact-sheet"
# Fonts with Japanese glyphs, tried in order for the contact sheet's names (Debian/Ubuntu, Fedora, macOS, Windows).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    qr = sub.add_parser("qr", help="write print-ready QR codes (PNG + SVG) for the childcare app touchpoints")
    qr.add_argument("touchpoint", nargs="?", help="touchpoint id (see `touchpoints`)")
    qr.add_argument("--all", action="store_true", help="every touchpoint, plus a contact sheet")
    qr.add_argument("--out", required=True, help="directory to write into (created if missing)")
    qr.add_argument("--font", help="a font file with Japanese glyphs for the contact sheet (found automatically if installed)")

    touchpoints = sub.add_parser("touchpoints", help="list the childcare touchpoints")
    touchpoints.add_argument("--json", action="store_true", help="as JSON: [{id, name, age_months}]")
    return {"qr": qr_command, "touchpoints": touchpoints_command}


def _settings() -> Settings | None:
    try:
        return load_settings()
    except ConfigError as exc:
        print(f"設定エラー / configuration error: {exc}", file=sys.stderr)
        return None


def touchpoints_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or _settings()
    if settings is None:
        return 2
    rows = childcare.touchpoint_rows(settings.city)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        age = f"  月齢{row['age_months']}か月" if row["age_months"] is not None else ""
        print(f"{row['id']:<20} {row['name']}{age}")
    return 0


def qr_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or _settings()
    if settings is None:
        return 2
    city = settings.city
    if args.all == bool(args.touchpoint):
        print("touchpoint id か --all のどちらかを指定してください / give a touchpoint id or --all", file=sys.stderr)
        return 2
    if args.all:
        chosen = list(city.touchpoints)
    else:
        touchpoint = city.touchpoint(args.touchpoint)
        if touchpoint is None:
            print(f"unknown touchpoint {args.touchpoint!r}; valid ids: {', '.join(t.id for t in city.touchpoints)}",
                  file=sys.stderr)
            return 2
        chosen = [touchpoint]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for touchpoint in chosen:
        url = childcare.tracked_url(settings, touchpoint.id)
        (out / f"{touchpoint.id}.png").write_bytes(childcare.qr_png(url))
        (out / f"{touchpoint.id}.svg").write_bytes(childcare.qr_svg(url))
        print(f"{touchpoint.id}: {url}")
    if args.all:
        font = _find_font(args.font)
        if font is None:
            print("warning: no font with Japanese glyphs found: contact-sheet.png shows ids only "
                  "(install fonts-noto-cjk or pass --font); contact-sheet.svg has the names", file=sys.stderr)
        (out / f"{CONTACT_SHEET}.png").write_bytes(contact_sheet_png(settings, chosen, font))
        (out / f"{CONTACT_SHEET}.svg").write_text(contact_sheet_svg(settings, chosen), encoding="utf-8")
        print(f"{CONTACT_SHEET}.png, {CONTACT_SHEET}.svg")
    return 0


def _find_font(wanted: str | None) -> str | None:
    candidates = (wanted,) if wanted else CJK_FONTS
    return next((path for path in candidates if path and Path(path).is_file()), None)


_CELL, _CODE, _COLUMNS = 420, 340, 4


def contact_sheet_png(settings: Settings, touchpoints, font_path: str | None) -> bytes:
    """A printable A4-ish sheet: every code with its Japanese name and id."""
    from PIL import Image, ImageDraw, ImageFont

    rows = -(-len(touchpoints) // _COLUMNS)
    sheet = Image.new("RGB", (_COLUMNS * _CELL, rows * (_CELL + 60) + 80), "white")
    draw = ImageDraw.Draw(sheet)
    if font_path:
        title_font, name_font = ImageFont.truetype(font_path, 32), ImageFont.truetype(font_path, 26)
    else:
        title_font, name_font = ImageFont.load_default(32), ImageFont.load_default(22)
    app = settings.city.app
    title = f"{app.name} QR — {settings.city.name}" if font_path else f"{settings.city.name_en} app QR codes"
    draw.text((20, 20), title, fill="black", font=title_font)
    for i, touchpoint in enumerate(touchpoints):
        row, column = divmod(i, _COLUMNS)
        x, y = column * _CELL, 80 + row * (_CELL + 60)
        # One pixel per module, enlarged by a whole factor so every module stays the same size.
        code = Image.open(io.BytesIO(childcare.qr_png(childcare.tracked_url(settings, touchpoint.id), 1)))
        factor = _CODE // code.width
        code = code.convert("RGB").resize((code.width * factor,) * 2, Image.Resampling.NEAREST)
        sheet.paste(code, (x + (_CELL - code.width) // 2, y + (_CODE - code.width) // 2))
        label = f"{touchpoint.name}" if font_path else touchpoint.id
        if font_path and touchpoint.age_months is not None:
            label += f"（{childcare.age_label(touchpoint.age_months)}）"
        draw.text((x + _CELL // 2, y + _CODE + 10), label, fill="black", font=name_font, anchor="ma")
        if font_path:
            draw.text((x + _CELL // 2, y + _CODE + 46), touchpoint.id, fill="#555555", font=name_font, anchor="ma")
    out = io.BytesIO()
    sheet.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def contact_sheet_svg(settings: Settings, touchpoints) -> str:
    """The same sheet as SVG: the names are text, so any viewer with a Japanese font shows them."""
    rows = -(-len(touchpoints) // _COLUMNS)
    width, height = _COLUMNS * _CELL, rows * (_CELL + 60) + 80
    app = settings.city.app
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="20" y="52" font-size="32" font-family="sans-serif">{escape(app.name)} QR — '
        f"{escape(settings.city.name)}</text>",
    ]
    for i, touchpoint in enumerate(touchpoints):
        row, column = divmod(i, _COLUMNS)
        x, y = column * _CELL, 80 + row * (_CELL + 60)
        uri = childcare.qr_svg_data_uri(childcare.tracked_url(settings, touchpoint.id))
        label = touchpoint.name
        if touchpoint.age_months is not None:
            label += f"（{childcare.age_label(touchpoint.age_months)}）"
        center = x + _CELL // 2
        parts += [
            f'<image x="{x + (_CELL - _CODE) // 2}" y="{y}" width="{_CODE}" height="{_CODE}" href="{escape(uri)}"/>',
            f'<text x="{center}" y="{y + _CODE + 36}" font-size="26" text-anchor="middle" '
            f'font-family="sans-serif">{escape(label)}</text>',
            f'<text x="{center}" y="{y + _CODE + 70}" font-size="22" text-anchor="middle" fill="#555" '
            f'font-family="sans-serif">{escape(touchpoint.id)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
