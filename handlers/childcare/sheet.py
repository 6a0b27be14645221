"""The contact sheet `python -m bot qr --all` prints: every touchpoint's code with its Japanese name and id, as a PNG
(the names need a font with Japanese glyphs, which community.fonts finds; without one it shows the ids) and as an SVG
(the names are text)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from community import childcare, qr
from community.city import Site, Touchpoint
from community.texts import t
from handlers.web import render

CELL, CODE, COLUMNS = 420, 340, 4  # a cell per code, the code's size in it, codes per row


def label(touchpoint: Touchpoint) -> str:
    if touchpoint.age_months is None:
        return touchpoint.name
    return t("ja", "childcare.sheet.label_age", name=touchpoint.name, age=childcare.age_label(touchpoint.age_months))


def _title(site: Site) -> str:
    return t("ja", "childcare.sheet.title", app=site.city.app.name, city=site.city.name)


def _size(count: int) -> tuple[int, int]:
    rows = -(-count // COLUMNS)
    return COLUMNS * CELL, rows * (CELL + 60) + 80


def _corner(index: int) -> tuple[int, int]:
    row, column = divmod(index, COLUMNS)
    return column * CELL, 80 + row * (CELL + 60)


def png(site: Site, touchpoints: Sequence[Touchpoint], font_path: str | None) -> bytes:
    """A printable A4-ish sheet at 300 dpi."""
    sheet = Image.new("RGB", _size(len(touchpoints)), "white")
    draw = ImageDraw.Draw(sheet)
    title_font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    name_font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    if font_path:
        title_font, name_font = ImageFont.truetype(font_path, 32), ImageFont.truetype(font_path, 26)
        title = _title(site)
    else:
        title_font, name_font = ImageFont.load_default(32), ImageFont.load_default(22)
        title = t("ja", "childcare.sheet.title_ids", city=site.city.name_en)
    draw.text((20, 20), title, fill="black", font=title_font)
    for i, touchpoint in enumerate(touchpoints):
        x, y = _corner(i)
        # One pixel per module, enlarged by a whole factor so every module stays the same size.
        small = Image.open(io.BytesIO(qr.png(childcare.tracked_url(site, touchpoint.id), 1)))
        factor = CODE // small.width
        code = small.convert("RGB").resize((small.width * factor,) * 2, Image.Resampling.NEAREST)
        sheet.paste(code, (x + (CELL - code.width) // 2, y + (CODE - code.width) // 2))
        text = label(touchpoint) if font_path else touchpoint.id
        draw.text((x + CELL // 2, y + CODE + 10), text, fill="black", font=name_font, anchor="ma")
        if font_path:
            draw.text((x + CELL // 2, y + CODE + 46), touchpoint.id, fill="#555555", font=name_font, anchor="ma")
    out = io.BytesIO()
    sheet.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


@dataclass(frozen=True)
class _Cell:
    x: int
    y: int
    center: int
    name_y: int
    id_y: int
    uri: str
    label: str
    id: str


def svg(site: Site, touchpoints: Sequence[Touchpoint]) -> str:
    """The same sheet as SVG: any viewer with a Japanese font shows the names."""
    width, height = _size(len(touchpoints))
    cells = []
    for i, touchpoint in enumerate(touchpoints):
        x, y = _corner(i)
        uri = qr.svg_data_uri(childcare.tracked_url(site, touchpoint.id))
        cells.append(
            _Cell(
                x + (CELL - CODE) // 2,
                y,
                x + CELL // 2,
                y + CODE + 36,
                y + CODE + 70,
                uri,
                label(touchpoint),
                touchpoint.id,
            )
        )
    return render("childcare/contact_sheet.svg", width=width, height=height, code=CODE, title=_title(site), cells=cells)
