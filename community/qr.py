"""QR codes for print and for screens: a PNG at least a given width, a card-size PNG for chat messages, an SVG, and
an SVG data URI; and whether an address is one only this machine or its network can open (a code for it is dead).

A full QR code (never Micro QR) with medium error correction, so a code survives a little wear on printed paper.
Rendering is pure and cached: the same URL always gives the same bytes.
"""

from __future__ import annotations

import io
import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import segno

PRINT_MIN_PX = 1000
CARD_MAX_PX = 1024  # LINE's limit for an image in a Flex message (width and height)
# Names that only resolve on this machine or its own network (RFC 6761, RFC 6762, RFC 8375 and common habits).
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not reachable from outside


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
def card_png(url: str, max_px: int = CARD_MAX_PX) -> bytes:
    """The largest PNG with whole-pixel modules that is at most max_px wide (quiet zone included), for chat cards."""
    code = _qr(url)
    width, _ = code.symbol_size(scale=1)
    out = io.BytesIO()
    code.save(out, kind="png", scale=max(1, max_px // width))
    return out.getvalue()


@lru_cache(maxsize=64)
def svg(url: str) -> bytes:
    """An SVG with an XML declaration, titled with the URL it encodes."""
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=10, xmldecl=True, title=url)
    return out.getvalue()


def svg_data_uri(url: str) -> str:
    return str(_qr(url).svg_data_uri(scale=10))


def is_local_address(url_or_host: str) -> bool:
    """True when a URL (or a bare host name or address) points at this machine or a private network: no host,
    localhost, 127.0.0.1, ::1, 0.0.0.0, *.local and the like, one-word names, and private, link-local or shared
    addresses. Phones scanning a printed code, and LINE fetching an image, cannot open such an address."""
    text = url_or_host.strip()
    try:
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    except ValueError:  # "http://[::1" and the like: nobody can open it
        return True
    host = host.rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a one-word name resolves only on a local network
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address in SHARED_ADDRESS_SPACE
    )
