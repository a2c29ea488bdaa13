"""Helpers of the browser tests (the fixtures are in conftest.py): the live server, the page watcher,
the Chromium settings and small in-page measurements."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit


TESTS = Path(__file__).resolve().parent.parent
AXE = TESTS / "vendor" / "axe-core-4.14.1" / "axe.min.js"
#: where the browser tests write their screenshots unless KG_SCREENSHOTS says otherwise
SCREENSHOTS = TESTS / "browser" / "screenshots"
SMALL = {"width": 1366, "height": 768}
LARGE = {"width": 1920, "height": 1080}



class LiveServer:
    """uvicorn serving an app in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Watch:
    """What a page did that a user must never see: outside requests, console errors, dialogs."""

    def __init__(self):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text} @ {m.location}")
                if m.type == "error" else None)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def outside(self) -> list[str]:
        """Requests to anything but 127.0.0.1 (data:, blob: and about: URLs never leave the page)."""
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
                bad.append(url)
        return bad

    def check(self) -> None:
        assert self.outside() == [], "requests left 127.0.0.1"
        assert self.errors == [], "console errors"
        assert self.dialogs == [], "a dialog was opened"


def wait_for_graph(page, timeout: float = 20000) -> None:
    """Until graph-1.js has drawn and fitted the network (``data-ready`` on the canvas box)."""
    page.wait_for_selector("#graph-canvas[data-ready] canvas", state="attached", timeout=timeout)


def ink(page) -> int:
    """Non-transparent pixels on the graph canvas."""
    return page.evaluate("""() => {
        const c = document.querySelector('#graph-canvas canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n; }""")
