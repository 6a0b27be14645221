"""The digest's weekly chart: the last 8 weeks' counts as a PNG (aggregates only: no names, no ids).

Two halves, so that drawing never holds the database thread: `chart_weeks` reads the figures (one short database
call), `draw_chart` turns them into a PNG without touching the database (the web route runs it on a thread of its
own). Only complete weeks that have data are charted (`complete_week`, `chart_weeks` returns None otherwise).

Its words are Japanese when a Japanese font is found (community.fonts), else the catalogue's English (Pillow's
built-in font has no Japanese glyphs).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlmodel import Session

from community import kpi
from community.city import Site
from community.digest import parse_week, week_label
from community.fonts import japanese_font
from community.texts import t

CHART_WEEKS = 8
SERIES = ("participants", "posts", "event_messages", "referral_clicks")  # those of the enabled features are drawn
COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a")
WIDTH = HEIGHT = 1040
MARGIN = 40
TOP = 90  # below the title
INK, GREY, AXIS = "#222222", "#555555", "#999999"

Weeks = list[tuple[str, dict[str, int]]]


def complete_week(week: str, today: date) -> tuple[date, date] | None:
    """(Monday, Sunday) of a week label whose chart can exist: a real ISO week, over before today, and late enough
    that its 8 weeks are real dates. None for anything else (the week still running, the future, year 1)."""
    parsed = parse_week(week)
    if parsed is None:
        return None
    monday, sunday = parsed
    try:
        monday - timedelta(weeks=CHART_WEEKS)
    except OverflowError:
        return None
    return parsed if sunday < today else None


def has_data(session: Session, site: Site, sunday: date) -> bool:
    """Whether anything was recorded by the end of that day (city time): before, a chart would be empty."""
    first = kpi.first_record(session)
    return first is not None and first.astimezone(site.tz).date() <= sunday


def chart_weeks(session: Session, site: Site, end_monday: date) -> Weeks | None:
    """(week label, counts of SERIES) for the CHART_WEEKS weeks ending with end_monday's, oldest first; None when
    nothing was recorded before that week ended (no data, no chart)."""
    if not has_data(session, site, end_monday + timedelta(days=6)):
        return None
    sources = [source for source in site.kpis if set(source.names) & set(SERIES)]
    weeks = []
    for back in range(CHART_WEEKS - 1, -1, -1):
        monday = end_monday - timedelta(days=7 * back)
        since, until = kpi.bounds(site.tz, monday, monday + timedelta(days=6))
        figures: dict[str, int] = {}
        for source in sources:
            found = source.compute(session, site, since, until)
            figures.update((name, int(found[name])) for name in source.names if name in SERIES)
        weeks.append((week_label(monday), figures))
    return weeks


def _lighter(colour: str) -> str:
    """Earlier weeks in a paler shade of the series colour (an RGB image has no transparency)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(c + 2 * 255) // 3:02x}" for c in rgb)


def draw_chart(weeks: Weeks) -> bytes:
    """A PNG of the weeks' counts (chart_weeks' answer); no database here."""
    week = weeks[-1][0]
    series = [name for name in SERIES if name in weeks[0][1]]
    fonts = _Fonts(japanese_font())
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 24), t(fonts.lang, "kpi.chart.title", first=weeks[0][0], last=week), fill=INK, font=fonts.at(36))
    panel_height = (HEIGHT - 100) // max(1, len(series))
    for row, (name, colour) in enumerate(zip(series, COLOURS, strict=False)):
        values = [figures[name] for _, figures in weeks]
        _draw_panel(
            draw,
            fonts,
            TOP + row * panel_height,
            panel_height,
            t(fonts.lang, f"kpi.chart.{name}"),
            colour,
            values,
            [label for label, _ in weeks],
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


class _Fonts:
    """The chart's typeface: a Japanese font when there is one (and then Japanese words), else Pillow's own."""

    def __init__(self, path: str | None):
        self.path = path
        self.lang = "ja" if path else "en"

    def at(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.truetype(self.path, size) if self.path else ImageFont.load_default(size=size)


def _draw_panel(
    draw: ImageDraw.ImageDraw,
    fonts: _Fonts,
    top: int,
    height: int,
    title: str,
    colour: str,
    values: list[int],
    weeks: list[str],
) -> None:
    """One series: its title, a bar per week (this week in full colour) with its count, and the week under it."""
    font, small = fonts.at(22), fonts.at(18)
    peak = max(values) or 1
    draw.text(
        (MARGIN, top + 4), t(fonts.lang, "kpi.chart.series", label=title, value=f"{values[-1]:,}"), fill=INK, font=font
    )
    chart_top, chart_bottom = top + 40, top + height - 40
    slot = (WIDTH - 2 * MARGIN) / len(values)
    for i, value in enumerate(values):
        x0 = MARGIN + i * slot + slot * 0.15
        x1 = MARGIN + (i + 1) * slot - slot * 0.15
        bar_top = chart_bottom - (chart_bottom - chart_top) * value / peak
        draw.rectangle((x0, bar_top, x1, chart_bottom), fill=colour if i == len(values) - 1 else _lighter(colour))
        draw.text((x0, bar_top - 20), f"{value:,}", fill=INK, font=small)
        draw.text((x0, chart_bottom + 6), weeks[i][5:], fill=GREY, font=small)
    draw.line((MARGIN, chart_bottom, WIDTH - MARGIN, chart_bottom), fill=AXIS, width=2)
