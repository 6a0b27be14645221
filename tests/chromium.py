"""Headless Chromium (Debian's, installed by .ci/run) driven over the DevTools protocol: open a page with extra
request headers at a given window size and evaluate JavaScript in it."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
from pathlib import Path
from typing import Any

import aiohttp
import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI runs this test")
    return CHROMIUM


class Browser:
    """One Chromium process and one page target, over a DevTools websocket on a port Chromium picks itself."""

    def __init__(self, profile: Path, width: int = 390, height: int = 844):
        self.profile, self.width, self.height = profile, width, height
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Browser:
        self.process = await asyncio.create_subprocess_exec(
            require_chromium(),
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            f"--window-size={self.width},{self.height}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        for _ in range(600):  # Chromium writes the port once it listens (bounded: 60 s)
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as response:
            page = next(t for t in await response.json() if t["type"] == "page")
        self.ws = await self.http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        await self.call("Network.enable")
        await self.call(
            "Emulation.setDeviceMetricsOverride", width=self.width, height=self.height, deviceScaleFactor=1, mobile=True
        )
        return self

    async def call(self, method: str, **params: Any) -> dict:
        message_id = next(self._ids)
        await self.ws.send_str(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads((await asyncio.wait_for(self.ws.receive(), timeout=60)).data)
            if message.get("id") == message_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def open(self, url: str, headers: dict[str, str] | None = None) -> None:
        if headers:
            await self.call("Network.setExtraHTTPHeaders", headers=headers)
        await self.call("Page.navigate", url=url)
        await self.evaluate("new Promise(r => document.readyState === 'complete' ? r() : addEventListener('load', r))")

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()
        await self.http.close()
        self.process.kill()
        await self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
