"""The settings contract: defaults, one clear error per malformed setting, and .env.example naming every setting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_CITY_CONFIG, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def load(**env: str):
    return load_settings(env, dotenv=False)


def test_defaults():
    settings = load()
    assert settings.port == 8080
    assert settings.host == "127.0.0.1"
    assert settings.tz_name == "Asia/Tokyo" and settings.tz.key == "Asia/Tokyo"
    assert settings.database_url == "sqlite:///./data/tsunagaru.db"
    assert settings.public_base_url == "http://127.0.0.1:8080"
    assert settings.line_api_base_url == "https://api.line.me"
    assert settings.line_data_api_base_url == "https://api-data.line.me"
    assert settings.discord_guild_id is None
    assert settings.admin_line_user_ids == () and settings.admin_discord_user_ids == ()
    assert settings.staff_api_token is None
    assert settings.city_config_path == DEFAULT_CITY_CONFIG
    assert settings.city.name  # the bundled city loads
    assert not settings.line_enabled and not settings.discord_enabled


def test_values_are_read_and_trimmed():
    settings = load(
        PORT=" 9000 ",
        HOST="0.0.0.0",
        TZ="UTC",
        DISCORD_GUILD_ID="123456789012345678",
        DISCORD_BOT_TOKEN="tok",
        PUBLIC_BASE_URL="https://bot.example.jp/",
        ADMIN_LINE_USER_IDS="U1, U2,,",
        ADMIN_DISCORD_USER_IDS="42",
        STAFF_API_TOKEN="s3cret",
        LINE_API_BASE_URL="http://127.0.0.1:9999/",
    )
    assert settings.port == 9000 and settings.host == "0.0.0.0" and settings.tz_name == "UTC"
    assert settings.discord_guild_id == 123456789012345678 and settings.discord_enabled
    assert settings.public_base_url == "https://bot.example.jp"
    assert settings.public_url("/qr/abc") == "https://bot.example.jp/qr/abc"
    assert settings.admin_line_user_ids == ("U1", "U2") and settings.admin_discord_user_ids == ("42",)
    assert settings.staff_api_token == "s3cret"
    assert settings.line_api_base_url == "http://127.0.0.1:9999"


def test_public_base_url_defaults_to_the_listen_address():
    assert load(HOST="0.0.0.0", PORT="5000").public_base_url == "http://0.0.0.0:5000"


@pytest.mark.parametrize(
    "name, value",
    [
        ("PORT", "abc"),
        ("PORT", "0"),
        ("PORT", "70000"),
        ("TZ", "Mars/Olympus"),
        ("TZ", "Asia"),  # a tzdata directory, not a zone
        ("TZ", "../etc/passwd"),
        ("DISCORD_GUILD_ID", "my-server"),
        ("DISCORD_GUILD_ID", "１２３"),  # full-width digits
        ("DATABASE_URL", "mysql://u:p@127.0.0.1/db"),
        ("DATABASE_URL", "not a url"),
        ("PUBLIC_BASE_URL", "bot.example.jp"),
        ("PUBLIC_BASE_URL", "ftp://bot.example.jp"),
        ("LINE_API_BASE_URL", "api.line.me"),
        ("LINE_DATA_API_BASE_URL", "//api-data.line.me"),
    ],
)
def test_a_malformed_setting_is_named(name, value):
    with pytest.raises(ConfigError) as caught:
        load(**{name: value})
    assert caught.value.name == name
    assert str(caught.value).startswith(f"{name}: ")
    assert "\n" not in str(caught.value)


def test_database_url_error_hides_the_password():
    with pytest.raises(ConfigError) as caught:
        load(DATABASE_URL="mysql://bot:hunter2@127.0.0.1/db")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://bot:p%40ss@db.internal:5432/city", "postgresql+psycopg://bot:p%40ss@db.internal:5432/city"),
        ("postgresql://bot@db.internal/city", "postgresql+psycopg://bot@db.internal/city"),
        ("postgresql+psycopg://bot@db.internal/city", "postgresql+psycopg://bot@db.internal/city"),
        ("sqlite:////var/lib/tsunagaru/bot.db", "sqlite:////var/lib/tsunagaru/bot.db"),
    ],
)
def test_database_urls_hosts_hand_out_use_psycopg(given, expected):
    assert load(DATABASE_URL=given).database_url == expected


# ---- CITY_CONFIG -----------------------------------------------------------------------------------------------

GOOD_CITY = """
[city]
name = "テスト市"
raw_retention_days = 14

[[touchpoints]]
id = "checkup-4m"
name = "4か月健診"
kind = "checkup"
age_months = 4
"""


def test_city_config_is_read(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(GOOD_CITY, encoding="utf-8")
    city = load(CITY_CONFIG=str(path)).city
    assert city.name == "テスト市" and city.raw_retention_days == 14
    assert city.touchpoint("checkup-4m").age_months == 4


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "file not found"),
        ("[city\nname = 'x'", "not valid TOML"),
        ("[other]\nx = 1", "no [city] name"),
        (GOOD_CITY.replace('id = "checkup-4m"', 'id = "4か月"'), "ASCII slug id"),
        (GOOD_CITY.replace('id = "checkup-4m"', 'id = "a b"'), "ASCII slug id"),
        (GOOD_CITY + '\n[[touchpoints]]\nid = "checkup-4m"\n', "appears twice"),
        (GOOD_CITY.replace("age_months = 4", 'age_months = "four"'), "integer age_months"),
        (GOOD_CITY.replace("raw_retention_days = 14", 'raw_retention_days = "two weeks"'), "raw_retention_days"),
        ('touchpoints = ["a"]\n[city]\nname = "テスト市"\n', "[[touchpoints]] table"),
    ],
)
def test_a_bad_city_config_is_named(tmp_path, content, problem):
    path = tmp_path / "city.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(CITY_CONFIG=str(path))
    assert caught.value.name == "CITY_CONFIG"
    assert problem in str(caught.value)


def test_city_config_that_is_a_directory_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(CITY_CONFIG=str(tmp_path))
    assert caught.value.name == "CITY_CONFIG"


# ---- LINE on/off -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env, enabled",
    [
        ({}, False),
        ({"LINE_CHANNEL_SECRET": "secret"}, False),
        ({"LINE_CHANNEL_ACCESS_TOKEN": "token"}, False),
        ({"LINE_CHANNEL_SECRET": "secret", "LINE_CHANNEL_ACCESS_TOKEN": "  "}, False),
        ({"LINE_CHANNEL_SECRET": "secret", "LINE_CHANNEL_ACCESS_TOKEN": "token"}, True),
    ],
)
def test_line_is_on_only_with_both_credentials(env, enabled):
    assert load(**env).line_enabled is enabled


# ---- the process ---------------------------------------------------------------------------------------------


def test_bad_setting_stops_the_process_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")}
    env.update(PORT="abc", DATABASE_URL=f"sqlite:///{tmp_path}/bot.db", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "PORT" in lines[0] and "abc" in lines[0]
    assert "Traceback" not in result.stderr


# ---- .env.example ----------------------------------------------------------------------------------------------


class RecordingEnv(dict):
    """An environment that remembers every name load_settings asked for."""

    def __init__(self):
        super().__init__()
        self.read: set[str] = set()

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)


def test_env_example_names_every_setting():
    env = RecordingEnv()
    load_settings(env, dotenv=False)
    assert {"PORT", "DATABASE_URL", "LINE_CHANNEL_SECRET", "CITY_CONFIG"} <= env.read  # the recording works
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert env.read - named == set(), "missing from .env.example"
    assert named - env.read == set(), ".env.example names settings the code does not read"


def test_env_example_explains_each_setting():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]+=", line):
            assert i > 0 and lines[i - 1].startswith("# ") and not re.match(r"^#\s*[A-Z_]+=", lines[i - 1]), line


def test_env_example_loads():
    """Copying .env.example to .env gives a working configuration."""
    from dotenv import dotenv_values

    values = {k: v for k, v in dotenv_values(ROOT / ".env.example").items() if v is not None}
    settings = load_settings(values, dotenv=False)
    assert settings.city.name
