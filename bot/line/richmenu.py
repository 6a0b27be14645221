"""The LINE rich menu (board, join, profile, help): `python -m bot richmenu deploy` puts it in place,
`richmenu image --out FILE` writes its picture for a look first. Labels come from the city file."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import Callable
from pathlib import Path

from linebot.v3.messaging import (
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont

from bot.cli.settings import settings_or_exit
from bot.config import CitySettings, ConfigError, Settings
from community.city import CityConfig
from community.fonts import japanese_font
from community.qr import is_local_address
from community.texts import t

WIDTH, HEIGHT = 2500, 843  # LINE's compact full-width size; four buttons side by side
# The postback data of each button (a contract with the board feature), in the order of [community.richmenu] labels.
BUTTONS = ("board", "community:join", "profile", "community:help")
COLOURS = ("#0b6e4f", "#06c755", "#2f6fb3", "#6b6b6b")


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    menu = sub.add_parser("richmenu", help="LINE rich menu: deploy it as the default menu, or write its image")
    menu.add_argument(
        "action", choices=["deploy", "image"], help="deploy: create + image + set default; image: PNG only"
    )
    menu.add_argument("--out", help="image: where to write the PNG (default richmenu.png)")
    menu.add_argument("--city", help="the city whose menu and channel (its [city] id; default: the first city)")
    menu.add_argument(
        "--allow-local",
        action="store_true",
        help="deploy even though PUBLIC_BASE_URL is unset or only reachable on this machine",
    )
    return {"richmenu": _richmenu}


def draw_image(city: CityConfig) -> tuple[bytes, bool]:
    """The menu picture (PNG, exactly the menu's size as LINE requires) and whether its labels are Japanese: they
    need a Japanese font (the configured one, or one fontconfig finds); without one the English labels are drawn."""
    menu = city.community.richmenu
    font_path = japanese_font(menu.font)
    labels = menu.labels if font_path else menu.labels_en
    font = ImageFont.truetype(font_path, 110) if font_path else ImageFont.load_default(size=110)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    cell = WIDTH // len(BUTTONS)
    for i, (label, colour) in enumerate(zip(labels, COLOURS, strict=False)):
        box = (i * cell + 12, 12, (i + 1) * cell - 12, HEIGHT - 12)
        draw.rounded_rectangle(box, radius=40, fill=colour)
        draw.text(((box[0] + box[2]) / 2, HEIGHT / 2), label, font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), font_path is not None


def menu_request(city: CityConfig) -> RichMenuRequest:
    menu = city.community.richmenu
    cell = WIDTH // len(BUTTONS)
    areas = [
        RichMenuArea(
            bounds=RichMenuBounds(x=i * cell, y=0, width=cell, height=HEIGHT),
            action=PostbackAction(label=label[:20], data=data, display_text=label[:300]),
        )
        for i, (data, label) in enumerate(zip(BUTTONS, menu.labels, strict=False))
    ]
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=menu.name[:300],
        chat_bar_text=menu.chat_bar_text[:14],
        areas=areas,
    )


async def deploy(settings: Settings, image: bytes, city: CitySettings | None = None) -> str:
    """Create the menu, upload its image (data API host), make it the default, then delete older menus of the same
    name so repeated deploys leave one; on the city's own channel (default: the first city). Returns the new rich
    menu id."""
    city = city or settings.default_city
    request = menu_request(city.config)
    token = city.line_channel_access_token
    async with (
        AsyncApiClient(Configuration(host=settings.line_api_base_url, access_token=token)) as client,
        AsyncApiClient(Configuration(host=settings.line_data_api_base_url, access_token=token)) as data_client,
    ):
        api, blob = AsyncMessagingApi(client), AsyncMessagingApiBlob(data_client)
        existing = await api.get_rich_menu_list()
        older = [m.rich_menu_id for m in existing.richmenus or [] if m.name == request.name]
        created = await api.create_rich_menu(request)
        menu_id = created.rich_menu_id
        await blob.set_rich_menu_image(menu_id, body=image, _headers={"Content-Type": "image/png"})
        await api.set_default_rich_menu(menu_id)
        for old_id in older:
            await api.delete_rich_menu(old_id)
    return menu_id


def _bilingual(key: str, **values: object) -> str:
    return f"{t('ja', key, **values)} / {t('en', key, **values)}"


def _richmenu(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    try:
        city = settings.city_settings(getattr(args, "city", None))
    except ConfigError as exc:
        print(f"{t('ja', 'config.error')} / {t('en', 'config.error')}: {exc}", file=sys.stderr)
        return 2
    image, japanese = draw_image(city.config)
    if not japanese:
        print(_bilingual("richmenu.no_font"), file=sys.stderr)
    if args.action == "image":
        out = Path(args.out or "richmenu.png")
        out.write_bytes(image)
        print(_bilingual("richmenu.wrote", path=out, width=WIDTH, height=HEIGHT))
        return 0
    if not city.line_channel_access_token:
        print(_bilingual("richmenu.no_token"), file=sys.stderr)
        return 2
    if is_local_address(city.public_base_url) and not args.allow_local:
        print(_bilingual("richmenu.local_public_url", url=city.public_base_url), file=sys.stderr)
        return 2
    try:
        menu_id = asyncio.run(deploy(settings, image, city))
    except ApiException as exc:
        print(_bilingual("richmenu.refused", status=exc.status, body=exc.body), file=sys.stderr)
        return 1
    print(_bilingual("richmenu.deployed", id=menu_id))
    return 0
