"""A font with Japanese glyphs for the images the bot draws (the QR contact sheet, charts, the rich-menu image).

Found in this order: the configured path, fontconfig (`fc-match ':lang=ja'`, when fc-match is installed), then
well-known paths on Debian/Ubuntu, Fedora, macOS and Windows. A candidate counts only when it really draws Japanese:
fontconfig answers with its best fallback (DejaVu, say) on a machine with no Japanese font, and that would draw
tofu boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Debian/Ubuntu (fonts-noto-cjk, fonts-ipaexfont, fonts-takao), Fedora, macOS, Windows.
WELL_KNOWN = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
    "/System/Library/Fonts/\u30d2\u30e9\u30ae\u30ce\u89d2\u30b4\u30b7\u30c3\u30af W3.ttc",  # Hiragino Kaku Gothic W3
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/msgothic.ttc",
)
FC_MATCH_TIMEOUT_S = 5
# Two common kanji (sun, moon): a Japanese font draws two different, non-empty shapes; a font without them draws
# its .notdef box (or nothing) for both.
PROBE = ("\u65e5", "\u6708")


def japanese_font(configured: str = "") -> str | None:
    """The path of a font file that draws Japanese, or None when this machine has none."""
    for candidate in (configured, _fontconfig(), *WELL_KNOWN):
        if candidate and draws_japanese(candidate):
            return candidate
    return None


def _fontconfig() -> str:
    """fontconfig's best font for Japanese; "" when fc-match is missing, slow or fails."""
    fc_match = shutil.which("fc-match")
    return _ask_fontconfig(fc_match) if fc_match else ""


@lru_cache(maxsize=4)
def _ask_fontconfig(fc_match: str) -> str:
    """(Asked once per process: charts are drawn often, fonts are installed rarely.)"""
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{file}", ":lang=ja"],
            capture_output=True,
            text=True,
            timeout=FC_MATCH_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


@lru_cache(maxsize=32)
def draws_japanese(path: str) -> bool:
    """The file is a font whose glyphs for two different kanji are drawn and differ (not the same .notdef box)."""
    if not Path(path).is_file():
        return False
    try:
        font = ImageFont.truetype(path, 32)
        shapes = [_drawn(font, char) for char in PROBE]
    except (OSError, ValueError):
        return False
    return all(any(shape) for shape in shapes) and shapes[0] != shapes[1]


def _drawn(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    canvas = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(canvas).text((8, 4), char, font=font, fill=255)
    return canvas.tobytes()
