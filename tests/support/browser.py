"""A real headless browser for tests of pages the suite serves: Debian's chromium, driven by Playwright.

Nothing is downloaded: Playwright's own browser builds are never used, only ``/usr/bin/chromium`` (or
``SDS_CHROMIUM``). Where no chromium is installed the test is skipped with that reason; CI installs it
(``.ci/run``). The browser runs with the network limited to loopback, so a page that needs anything from
outside fails to load it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    candidate = os.environ.get("SDS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return candidate if candidate and os.access(candidate, os.X_OK) else None


@contextmanager
def browser_page(*, offline: bool = True) -> Iterator[Any]:
    """A Playwright page in headless chromium. ``offline``: every request to a host other than loopback is
    aborted (and recorded on ``page.blocked_requests``), so a page that loads a CDN shows it."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium installed (apt-get install chromium): the browser test cannot run here")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            blocked: list[str] = []
            if offline:
                def guard(route: Any) -> None:
                    host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
                    if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                        route.continue_()
                    else:
                        blocked.append(route.request.url)
                        route.abort()
                context.route("**/*", guard)
            page.blocked_requests = blocked
            yield page
        finally:
            browser.close()
