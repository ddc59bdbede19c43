"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from a thread with a running
loop unless told the calls are safe; here they are (the live server answers in its own thread), so the `browser`
fixture allows them while Chromium runs, and only then.
Set SCIAID_SCREENSHOTS=1 to keep a screenshot of each step under e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from sciaid.testing import restore_emptied

CHROMIUM = "/usr/bin/chromium"
#: Flags that keep Chromium from calling home: this machine's network is closed and would refuse those connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).parent / "screenshots"

#: A desktop screen, for the county's and experts' sessions beside the phone.
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class PhoneSession:
    """A page on a 360 × 740 phone screen that records every request it makes to a host other than the server's."""

    page: Page
    base_url: str
    test_name: str
    foreign_requests: list[str] = field(default_factory=list)
    shots: int = 0

    def open(self, path: str):
        return self.page.goto(self.base_url + path)

    def follow(self, selector: str) -> None:
        """Click a link or submit button and wait for the page it leads to (not just for the current one)."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def log_in(self, username: str, password: str = "pw") -> None:
        self.open("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.follow("form button[type=submit]")
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    def overflow(self) -> int:
        """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
        return self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    def screenshot(self, step: str) -> None:
        if not os.environ.get("SCIAID_SCREENSHOTS"):
            return
        self.shots += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w-]+", "_", f"{self.test_name}-{self.shots:02d}-{step}")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def phone(browser: Browser, live_server, request) -> Iterator[PhoneSession]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    session = PhoneSession(page, live_server.url, request.node.name)
    server = urlsplit(live_server.url).netloc

    def watch(req) -> None:
        parts = urlsplit(req.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != server:
            session.foreign_requests.append(req.url)

    page.on("request", watch)
    yield session
    context.close()


@pytest.fixture(autouse=True)
def seeded(transactional_db, migrated_seed) -> None:
    """Bring back the seed rows of every table an earlier live-server test's flush emptied (a second live-server
    test would otherwise find no specialty tree)."""
    restore_emptied(migrated_seed)


@pytest.fixture
def desk(browser, live_server, request) -> Iterator:
    """desk("triage") → a session logged in as that persona on a desktop screen (its own cookies)."""
    contexts = []

    def make(username: str) -> PhoneSession:
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        session = PhoneSession(page, live_server.url, f"{request.node.name}-{username}")
        session.log_in(username)
        return session

    yield make
    for context in contexts:
        context.close()
