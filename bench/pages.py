"""`python -m bench --only pages`: what every page of every demo role costs a village phone.

The demo county (`seed_demo`, SQLite in a temporary directory) is served as in production: static files collected
(fingerprinted, gzip and brotli) and served by WhiteNoise under gunicorn. Chromium (Playwright) logs in as each demo
role at 360 px and opens the home page and every page of that role's menu from an empty cache over a 1.6 Mbps /
150 ms link (the method of shared/tools/look.py), and the table gives per page: bytes on the wire (compressed, headers
included, uploaded photos apart), requests, requests to other hosts and the time to the `load` event.
Goals (issue 14): ≤ 150 KB, 0 external requests, < 3 s.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "sciaid-demo-2020"
#: Chrome DevTools' network emulation: a village phone's 3G link.
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
MAX_KB, MAX_SECONDS = 150, 3.0
#: Uploaded pictures are the users' content, not the page's weight.
PHOTOS = ("/media/", "/photo/", "/photos/")


@dataclass(frozen=True)
class PageCost:
    role: str
    path: str
    status: int
    kb: float
    requests: int
    external: int
    seconds: float
    photos_kb: float

    @property
    def within_goals(self) -> bool:
        return self.kb <= MAX_KB and not self.external and self.seconds < MAX_SECONDS and self.status == 200


def log_in(context: BrowserContext, base: str, username: str) -> list[str]:
    """Log in as the demo user and return the home page and the paths of its menu, in the menu's order."""
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    if "/accounts/login/" in page.url:
        raise RuntimeError(f"{username} could not log in")
    paths = page.eval_on_selector_all("details.menu nav a", "links => links.map(link => link.getAttribute('href'))")
    page.close()
    return list(dict.fromkeys(["/", *paths]))


def measure_page(context: BrowserContext, base: str, role: str, path: str) -> PageCost:
    """Open one page from an empty cache on the slow link and add up what came over the wire until `load`."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    server = urlsplit(base).netloc
    requested, finished = [], []
    page.on("request", lambda request: requested.append(request))  # Playwright needs a function, not a builtin
    page.on("requestfinished", lambda request: finished.append(request))
    started = time.monotonic()
    response = page.goto(base + path, wait_until="load")
    seconds = time.monotonic() - started
    page.wait_for_load_state("networkidle")
    external = sum(1 for request in requested if urlsplit(request.url).netloc != server)
    page_bytes = photo_bytes = 0
    for request in finished:
        sizes = request.sizes()
        wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if request.resource_type == "image" and any(part in request.url for part in PHOTOS):
            photo_bytes += wire
        else:
            page_bytes += wire
    page.close()
    return PageCost(
        role, path, response.status if response else 0, page_bytes / 1024, len(requested), external, seconds,
        photo_bytes / 1024,
    )  # fmt: skip


def measure_role(browser: Browser, base: str, username: str) -> list[PageCost]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
    try:
        return [measure_page(context, base, username, path) for path in log_in(context, base, username)]
    finally:
        context.close()


def format_table(costs: list[PageCost]) -> str:
    lines = [
        f"{'page':44} {'role':15} {'status':>6} {'KB':>7} {'reqs':>5} {'ext':>4} {'load s':>7} {'photos KB':>9}  goals",
    ]
    lines += [
        f"{cost.path[:44]:44} {cost.role:15} {cost.status:>6} {cost.kb:>7.1f} {cost.requests:>5} {cost.external:>4} "
        f"{cost.seconds:>7.2f} {cost.photos_kb:>9.1f}  {'ok' if cost.within_goals else 'OVER'}"
        for cost in costs
    ]
    over = [cost for cost in costs if not cost.within_goals]
    heaviest = max(costs, key=lambda cost: cost.kb)
    slowest = max(costs, key=lambda cost: cost.seconds)
    lines.append(
        f"{len(costs)} pages, {len(over)} over the goals (≤ {MAX_KB} KB, 0 external, < {MAX_SECONDS:.0f} s); "
        f"heaviest {heaviest.path} ({heaviest.role}) {heaviest.kb:.1f} KB, "
        f"slowest {slowest.path} ({slowest.role}) {slowest.seconds:.2f} s"
    )
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_environment(var_dir: Path) -> dict[str, str]:
    """The production way of serving, on a private SQLite copy of the demo (never the developer's database)."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTEST_VERSION", "DATABASE_URL", "DEBUG")}
    env |= {
        "SCIAID_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'demo.sqlite3'}",
        "STATIC_FINGERPRINTS": "true",
        "JOBS_BACKEND": "sync",
    }
    env.pop("REDIS_URL", None)
    return env


def prepare_demo(var_dir: Path, log=print) -> None:
    """Seed the demo county into `var_dir` and collect its static files there."""
    env = demo_environment(var_dir)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        log(f"manage.py {command[0]}…")
        manage = [sys.executable, "manage.py", *command]
        subprocess.run(manage, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def demo_server(var_dir: Path) -> Iterator[str]:
    """Serve a prepared demo with gunicorn (WhiteNoise serving the static files); yield its URL."""
    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "sciaid.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=demo_environment(var_dir), stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/accounts/login/")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(url, timeout=30):
                return
        except OSError:  # refused while gunicorn starts, or slow on a busy machine
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def measure_all(base: str, usernames: list[str]) -> list[PageCost]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            return [cost for username in usernames for cost in measure_role(browser, base, username)]
        finally:
            browser.close()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciaid.settings")
    import django

    django.setup()
    from sciaid.demo.builders import DEMO_LOGINS

    with tempfile.TemporaryDirectory(prefix="sciaid-pages-") as tmp:
        prepare_demo(Path(tmp), log=lambda line: print(line, flush=True))
        with demo_server(Path(tmp)) as base:
            costs = measure_all(base, [login.username for login in DEMO_LOGINS])
    print(format_table(costs))
    return 0 if all(cost.within_goals for cost in costs) else 1
