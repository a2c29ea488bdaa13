"""What the tests need from the machine (Graphviz, Chromium, pip playwright), found in one place.

Without them a test is skipped, unless ``KG_REQUIRE_SYSTEM=1`` (set by ``make test``, which installs
them): then it fails, so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REQUIRE = os.environ.get("KG_REQUIRE_SYSTEM") == "1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None and not REQUIRE,
                                    reason="Graphviz is installed by `make test`")


def chromium_path() -> str | None:
    """Debian's Chromium, if it and pip playwright are there; without them fail under KG_REQUIRE_SYSTEM=1."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None and REQUIRE:
        pytest.fail("chromium and playwright are installed by `make test`")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def start_oxigraph_server(location):
    """Run ``oxigraph serve`` (the pip ``oxigraph`` package, installed by `make test`) on a free
    port of 127.0.0.1 with its data in ``location``; yield the query endpoint's URL; stop it."""
    import time

    import httpx

    beside = Path(sys.executable).parent / "oxigraph"  # the venv's, which need not be on PATH
    exe = str(beside) if beside.exists() else shutil.which("oxigraph")
    if exe is None:
        (pytest.fail if REQUIRE else pytest.skip)("the oxigraph server (pip install oxigraph) is installed by `make test`")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.post(url, data={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph server did not start: {proc.stderr.read().decode()[:500]}")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
