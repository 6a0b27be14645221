"""Which hosts a text links to, as a reader's app would see them (issue #13: the link allow-list was fooled).

A text is read the way the most generous client would: normalised (NFKC: full-width letters and slashes become
ASCII; zero-width and other format characters dropped; an ideographic full stop before a letter becomes a dot),
then every URL-like token is found: a scheme URL (also with one slash, a backslash or none after the colon, as
browsers take `https:/\\host`), and a scheme-less host (`www.` forms, `host.tld/…` with a path or port, and hosts
under a common or country top-level domain). The host is what urllib.parse finds in the authority, lowered, without
a trailing dot, and in its IDNA (punycode) form when it is not ASCII, so a look-alike never equals an allowed host.
A link that carries userinfo (`allowed.host:443@evil.example`), percent-escapes in its host, or a host that cannot
be read is never trusted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

# Where a scheme URL token ends: whitespace, quotes and brackets around it in a sentence (ASCII and full-width).
_TOKEN_END = "\\s<>\"'`\u300c\u300d\u300e\u300f\u3010\u3011\u3008\u3009\u300a\u300b\uff08\uff09\u3001"
# Schemes whose host may follow the colon with any number of slashes or backslashes (browsers' special schemes).
# Not inside a word ("news:"), but after a digit or any other script: "1https://…" is a link to a linkifier too.
_SPECIAL = re.compile(f"(?i)(?<![a-z])(?:https?|ftp|wss?):[^{_TOKEN_END}]+")
# Any other scheme that names a host ("line://…", "intent://…").
_OTHER = re.compile(f"(?i)[a-z][a-z0-9+.-]{{0,30}}:[/\\\\]{{2}}[^{_TOKEN_END}]*")
# A host without a scheme: ASCII labels, a top-level domain of letters (or punycode).
_BARE = re.compile(
    r"(?i)(?<![a-z0-9-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}))"
    r"(?![a-z0-9-])(?P<after>[/\\:?#]?)"
)
# Top-level domains a bare "name.tld" is taken as a link under (every two-letter one is a country's): not "Mr.Children".
_COMMON_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "edu",
        "gov",
        "mil",
        "int",
        "xyz",
        "top",
        "site",
        "online",
        "shop",
        "store",
        "club",
        "app",
        "dev",
        "page",
        "link",
        "click",
        "live",
        "life",
        "world",
        "today",
        "news",
        "blog",
        "tech",
        "website",
        "space",
        "fun",
        "icu",
        "buzz",
        "vip",
        "win",
        "bid",
        "loan",
        "work",
        "men",
        "date",
        "party",
        "review",
        "stream",
        "download",
        "racing",
        "science",
        "trade",
        "zip",
        "mov",
        "cam",
        "rest",
        "best",
        "lol",
        "monster",
        "cyou",
        "sbs",
        "quest",
        "bar",
        "beauty",
        "hair",
        "skin",
        "autos",
        "boats",
        "homes",
        "gay",
        "pro",
        "mobi",
        "name",
        "asia",
        "tokyo",
        "osaka",
        "nagoya",
        "yokohama",
        "kyoto",
        "okinawa",
        "ryukyu",
        "moe",
        "jobs",
        "tel",
        "travel",
        "cloud",
        "digital",
        "email",
        "group",
        "network",
        "one",
        "plus",
        "run",
        "social",
        "support",
        "team",
        "tips",
        "tools",
        "video",
        "watch",
        "wiki",
        "xxx",
        "porn",
        "sex",
        "adult",
        "bet",
        "casino",
        "poker",
        "game",
        "games",
    ]
)
_DOTS_BEFORE_LETTER = re.compile("\u3002(?=[A-Za-z0-9])")


@dataclass(frozen=True)
class Link:
    """A URL-like token and the host a reader's app would open; host "" when it cannot be trusted at all."""

    text: str
    host: str


def normalised(text: str) -> str:
    """What the scan reads: NFKC, no format characters (zero-width spaces), an ideographic full stop followed by a
    letter or digit read as a dot (browsers map it so inside a host)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return _DOTS_BEFORE_LETTER.sub(".", folded)


def _host(authority: str) -> str:
    """The host of an authority ("host", "host:port", "[v6]"), lowered, IDNA-encoded; "" when not trustworthy."""
    if "@" in authority or "%" in authority:
        return ""  # userinfo hides the real host; percent-escapes in a host are decoded by browsers, not by us
    try:
        host = urlsplit("//" + authority).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    return host.lower()


def _scheme_links(text: str) -> Iterator[tuple[Link, tuple[int, int]]]:
    for pattern in (_SPECIAL, _OTHER):
        for found in pattern.finditer(text):
            token = found.group()
            rest = token.split(":", 1)[1].lstrip("/\\")
            # Sentence punctuation right after a host is not part of it (a linkifier leaves it out as well).
            authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0].rstrip(").,;:!'\"")
            yield Link(token, _host(authority) if authority else ""), found.span()


def _is_bare_link(host: str, after: str) -> bool:
    tld = host.rsplit(".", 1)[1]
    return (
        bool(after)
        or host.startswith("www.")
        or len(tld) == 2
        or tld in _COMMON_TLDS
        or any(label.startswith("xn--") for label in host.split("."))
    )


def links(text: str) -> list[Link]:
    """Every URL-like token in the text with its host, in order of appearance within each kind."""
    text = normalised(text)
    found: list[Link] = []
    covered: list[tuple[int, int]] = []
    for link, span in _scheme_links(text):
        if not any(start <= span[0] < end for start, end in covered):
            found.append(link)
            covered.append(span)
    for match in _BARE.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue  # part of a scheme URL, checked with it
        host = match.group(1).lower()
        if _is_bare_link(host, match.group("after")):
            found.append(Link(match.group(), host))
    return found


def allowed(host: str, hosts: tuple[str, ...]) -> bool:
    """The host is one of the allowed hosts or under one of them."""
    return bool(host) and any(host == h or host.endswith("." + h) for h in hosts)


def refused_links(text: str, hosts: tuple[str, ...]) -> list[Link]:
    """The links of the text whose host is not allowed."""
    return [link for link in links(text) if not allowed(link.host, hosts)]
