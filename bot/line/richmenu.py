"""The LINE rich menu (board, join, profile, help): `python -m bot richmenu deploy` puts it in place,
`richmenu image --out FILE` writes its picture for a look first. Labels come from the city file."""
from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path
from typing import Any, Callable

from bot.cli.settings import settings_or_exit

WIDTH, HEIGHT = 2500, 843  # LINE's compact full-width size; four buttons side by side
# The postback data of each button (a contract with the board feature), in the order of [community.richmenu] labels.
BUTTONS = ("board", "community:join", "profile", "community:help")
COLOURS = ("#0b6e4f", "#06c755", "#2f6fb3", "#6b6b6b")


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    menu = sub.add_parser("richmenu", help="LINE rich menu: deploy it as the default menu, or write its image")
    menu.add_argument("action", choices=["deploy", "image"], help="deploy: create + image + set default; image: PNG only")
    menu.add_argument("--out", help="image: where to write the PNG (default richmenu.png)")
    return {"richmenu": _richmenu}


def _menu_config(city: Any) -> dict[str, Any]:
    menu = city.community.richmenu
    return {"name": menu.name[:300], "chat_bar_text": menu.chat_bar_text[:14], "labels": list(menu.labels),
            "labels_en": list(menu.labels_en), "font": menu.font}


def draw_image(city: Any) -> bytes:
    """The menu picture (PNG, exactly the menu's size as LINE requires). Japanese labels need a CJK font;
    without one the English labels are drawn rather than empty boxes."""
    from PIL import Image, ImageDraw, ImageFont

    config = _menu_config(city)
    labels = config["labels"]
    if config["font"] and Path(config["font"]).is_file():
        font = ImageFont.truetype(config["font"], 110)
    else:
        font, labels = ImageFont.load_default(size=110), config["labels_en"]
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    cell = WIDTH // len(BUTTONS)
    for i, (label, colour) in enumerate(zip(labels, COLOURS)):
        box = (i * cell + 12, 12, (i + 1) * cell - 12, HEIGHT - 12)
        draw.rounded_rectangle(box, radius=40, fill=colour)
        draw.text(((box[0] + box[2]) / 2, HEIGHT / 2), label, font=font, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def menu_request(city: Any):
    from linebot.v3.messaging import PostbackAction, RichMenuArea, RichMenuBounds, RichMenuRequest, RichMenuSize

    config = _menu_config(city)
    cell = WIDTH // len(BUTTONS)
    areas = [
        RichMenuArea(bounds=RichMenuBounds(x=i * cell, y=0, width=cell, height=HEIGHT),
                     action=PostbackAction(label=label[:20], data=data, display_text=label[:300]))
        for i, (data, label) in enumerate(zip(BUTTONS, config["labels"]))
    ]
    return RichMenuRequest(size=RichMenuSize(width=WIDTH, height=HEIGHT), selected=True, name=config["name"],
                           chat_bar_text=config["chat_bar_text"], areas=areas)


async def deploy(settings: Any) -> str:
    """Create the menu, upload its image (data API host), make it the default, then delete older menus of the same
    name so repeated deploys leave one. Returns the new rich menu id."""
    from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration

    request = menu_request(settings.city)
    image = draw_image(settings.city)
    token = settings.line_channel_access_token
    async with AsyncApiClient(Configuration(host=settings.line_api_base_url, access_token=token)) as client, \
            AsyncApiClient(Configuration(host=settings.line_data_api_base_url, access_token=token)) as data_client:
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


def _richmenu(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    if args.action == "image":
        out = Path(args.out or "richmenu.png")
        out.write_bytes(draw_image(settings.city))
        print(f"wrote {out} ({WIDTH}x{HEIGHT})")
        return 0
    if not settings.line_channel_access_token:
        print("LINE_CHANNEL_ACCESS_TOKEN is not set: cannot deploy the rich menu", file=sys.stderr)
        return 2
    from linebot.v3.messaging import ApiException

    try:
        menu_id = asyncio.run(deploy(settings))
    except ApiException as exc:
        print(f"LINE refused the rich menu: {exc.status} {exc.body}", file=sys.stderr)
        return 1
    print(f"rich menu {menu_id} is now the default for every user")
    return 0
