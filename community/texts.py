"""User-facing strings: Japanese first, English when the member chose it (/lang en)."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "help.header": ("使えるコマンド:", "Commands you can use:"),
    "help.footer": ("詳しくは「/help コマンド名」と送ってください。", "Send \"/help COMMAND\" for details."),
    "help.usage": ("使い方: {usage}", "Usage: {usage}"),
    "unknown": (
        "「{name}」というコマンドはありません。/help で使えるコマンドを確認できます。",
        "There is no command \"{name}\". Send /help to see what you can use.",
    ),
    "forbidden": (
        "「{name}」は{roles}だけが使えるコマンドです。",
        "\"{name}\" is only for {roles}.",
    ),
    "place.direct": (
        "「{name}」はボットとの1:1トークで送ってください。",
        "Send \"{name}\" in a 1:1 chat with the bot.",
    ),
    "place.group": (
        "「{name}」はグループの中で送ってください。",
        "Send \"{name}\" inside a group.",
    ),
    "bad_args": ("{problem}\n使い方: {usage}", "{problem}\nUsage: {usage}"),
    "failed": (
        "ごめんなさい、処理中にエラーが起きました。時間をおいてもう一度お試しください。",
        "Sorry, something went wrong. Please try again later.",
    ),
    "follow": (
        "友だち追加ありがとうございます！{city}の「{bot}」です。\n/help で使えるコマンドを確認できます。",
        "Thanks for adding {bot} of {city}! Send /help to see what you can do.",
    ),
    "join": (
        "{place}に招待ありがとうございます！{bot}です。\nイベントのグループにする場合は、イベントコードを「/event bind コード」と送ってください。",
        "Thanks for inviting me to {place}! To make this an event group, send \"/event bind CODE\".",
    ),
    "lang.set": ("表示言語を日本語にしました。", "Language set to English."),
    "lang.usage": ("「/lang ja」または「/lang en」と送ってください。", "Send \"/lang ja\" or \"/lang en\"."),
    "role.staff": ("市の職員", "city staff"),
    "role.organizer": ("主催者", "organizers"),
    "role.facilitator": ("世話人", "facilitators"),
    "role.resident": ("参加者", "members"),
}


def t(lang: str, key: str, **values: object) -> str:
    ja, en = TEXTS[key]
    template = en if lang == "en" else ja
    return template.format(**values)
