"""Browser tests: a real uvicorn server on 127.0.0.1 and Debian's Chromium driven by pip Playwright.

Nothing is downloaded: Playwright uses ``/usr/bin/chromium`` (never ``playwright install``).  Without
chromium or playwright the tests are skipped, unless ``KG_REQUIRE_SYSTEM=1`` (set by ``make test``),
when they fail.  Every page a test opens through the ``page`` fixture is watched: a request that leaves
127.0.0.1, a console error, an uncaught exception or a dialog (``alert``) fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import SCREENSHOTS, SMALL, LiveServer, Watch
from tests.support.system import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("chromium and playwright are installed by `make test`")
    return path


@pytest.fixture(scope="session")
def server(chromium, explorer) -> LiveServer:
    """The explorer on the bundled data, served by uvicorn on a free port of 127.0.0.1."""
    from api.app import create_app

    with LiveServer(create_app(explorer=explorer)) as live:
        yield live


@pytest.fixture(scope="session")
def hostile_server(chromium, explorer) -> LiveServer:
    """A second server whose catalog gives one concept hostile labels, alternative labels and definitions."""
    from api.app import create_app
    from tests.support.hostile import hostile_explorer

    with LiveServer(create_app(explorer=hostile_explorer(explorer))) as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium per test module, closed after it: Playwright's sync API cannot be started again while
    it runs, and tests/test_export_api.py starts its own (a "package" scope is a session one here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=SMALL, locale="zh-CN", accept_downloads=True)
    ctx.set_default_timeout(15000)
    # a safety net: whatever a page asks of another host is stopped here, before it is sent (the
    # page's watcher has recorded it, and fails the test)
    ctx.route(lambda url: not _is_local(url), lambda route: route.abort())
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, watch):
    """A page whose requests, console and dialogs are checked when the test ends."""
    pg = context.new_page()
    watch.attach(pg)
    yield pg
    watch.check()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
