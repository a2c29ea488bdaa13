"""What the tests need from the machine (Graphviz, Chromium, pip playwright), found in one place.

Without them a test is skipped, unless ``KG_REQUIRE_SYSTEM=1`` (set by ``make test``, which installs
them): then it fails, so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import os
import shutil

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
