"""QR codes for print and for screens: a PNG at least a given width, an SVG, and an SVG data URI.

A full QR code (never Micro QR) with medium error correction, so a code survives a little wear on printed paper.
Rendering is pure and cached: the same URL always gives the same bytes.
"""
from __future__ import annotations

import io
from functools import lru_cache

import segno

PRINT_MIN_PX = 1000


def _qr(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="m")


@lru_cache(maxsize=64)
def png(url: str, min_px: int = PRINT_MIN_PX) -> bytes:
    """A print-ready PNG at least min_px wide, quiet zone included (min_px=1: one pixel per module)."""
    code = _qr(url)
    width, _ = code.symbol_size(scale=1)
    scale = -(-min_px // width)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale)
    return out.getvalue()


@lru_cache(maxsize=64)
def svg(url: str) -> bytes:
    """An SVG with an XML declaration, titled with the URL it encodes."""
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=10, xmldecl=True, title=url)
    return out.getvalue()


def svg_data_uri(url: str) -> str:
    return str(_qr(url).svg_data_uri(scale=10))
