"""Texts of the city files' commands (`python -m bot city new` / `city check`: 横展開 to a new town), printed in both
languages ("日本語 / English")."""

TEXTS: dict[str, tuple[str, str]] = {
    "cli.city.help": (
        "市町のファイル: 新しい町のひな形 (new) と検査 (check)",
        "city files: a new town's (new), check them",
    ),
    "cli.city.new": ("新しい町の設定ファイルのひな形を書く", "write a commented starting file for a new town"),
    "cli.city.check": (
        "CITY_CONFIG の市町ファイルを検査し、残っている仮の値 (# TODO) を一覧する",
        "validate the city files of CITY_CONFIG and list the placeholders (# TODO) left",
    ),
    "cli.city.id": (
        "町のid (英小文字・数字・-、例: itako)",
        "the town's id (lowercase letters, digits, -; e.g. itako)",
    ),
    "cli.city.check_id": ("この市町 (または広域) だけを検査する", "check this city (or region) only"),
    "cli.city.name": ("町の名前 (例: 潮来市)", "the town's name, e.g. 潮来市"),
    "cli.city.name_en": ("英語の名前 (省略時は id から)", "its English name (default: from the id)"),
    "cli.city.out": (
        "書き出すファイル (省略時は ./<id>.toml、- で標準出力)",
        "the file to write (default ./<id>.toml; - for stdout)",
    ),
    "cli.city.public_base_url": (
        "町の公開アドレス (省略時は https://tsunagaru.example.jp/<id>)",
        "the town's public address (default https://tsunagaru.example.jp/<id>)",
    ),
    "cli.city.force": ("既存のファイルを上書きする", "overwrite an existing file"),
    "cities.new.bot_name": ("つながる{short}", "tsunagaru {short}"),
    "cities.new.bad_id": (
        "idは英小文字で始まる英小文字・数字・- (31文字まで) にしてください",
        "the id must be lowercase letters, digits and -, starting with a letter (at most 31): {id!r}",
    ),
    "cities.new.exists": ("ファイルがすでにあります (上書きは --force)", "{path} exists (--force overwrites it)"),
    "cities.new.invalid": ("ひな形を検証できませんでした", "the starting file does not validate: {problem}"),
    "cities.new.written": (
        "{path} を書きました。仮の値が{count}か所あります:",
        "wrote {path}; {count} placeholders to replace:",
    ),
    "cities.new.next": (
        "置き換えたら `python -m bot city check {id}` で確認し、CITY_CONFIG に加えてください",
        "replace them, run `python -m bot city check {id}`, then add the file to CITY_CONFIG",
    ),
    "cities.check.ok": ("{path} ({id}): OK", "{path} ({id}): ok"),
    "cities.check.placeholders": (
        "{path} ({id}): 仮の値が{count}か所残っています",
        "{path} ({id}): {count} placeholders left",
    ),
    "cities.check.placeholder": ("  {line}行目", "line {line}  {setting}: {note}"),
    "cities.check.invalid": ("{path}: 使えません", "{path}: invalid: {problem}"),
    "cities.check.together": ("市町ファイルの組み合わせに問題があります", "the files do not work together: {problem}"),
    "cities.check.unknown": (
        "「{id}」という市町・広域はありません",
        "no city or region {id!r}; CITY_CONFIG has: {ids}",
    ),
    "cities.check.summary": (
        "ファイル{files}件: 使えないもの{invalid}件、仮の値{placeholders}か所",
        "{files} files: {invalid} invalid, {placeholders} placeholders left",
    ),
}

# Printed as one "ja / en" line: the details appear once, in the English half.
BILINGUAL = frozenset(
    {
        "cities.new.bad_id",
        "cities.new.exists",
        "cities.new.invalid",
        "cities.check.placeholder",
        "cities.check.invalid",
        "cities.check.together",
        "cities.check.unknown",
    }
)
