"""On the demo county, no link a user is shown leads to a refusal or a missing page.

Every demo login opens its menu, then every link on those pages (one of each shape: `/projects/7/` stands for all
project pages), as a user clicking around would. A link to a page the role may not open is a defect of the page that
shows it (DESIGN §2: one `may_open` decides both), so this walks what the templates render rather than a list.

The same walk checks each menu page's weight (`page_weight.page_problems`): the demo is seeded once for both.
"""

import re
from urllib.parse import parse_qsl, urlsplit

from django.test import Client

from sciaid.accounts.models import User
from sciaid.demo.builders import DEMO_LOGINS
from sciaid.tests.page_weight import page_problems

LINK = re.compile(r'<a\s[^>]*href="([^"#]+)"')
#: Links that are not pages of the platform: files, the API, Django's admin (staff only, by its own permissions).
NOT_PAGES = re.compile(r"^/(en/)?(api/|admin/|media/|static/)|/(scan|voucher|photo|file|download|result)/?$")
PAGES_PER_LOGIN = 400


def shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path), tuple(sorted(key for key, _ in parse_qsl(parts.query)))


def walk(client: Client, heavy: list[str]) -> list[tuple[str, int, str]]:
    """(url, status, page it was linked from) for every page shape reachable in two clicks from the menu; what is
    wrong with the weight of each menu page is added to `heavy`."""
    home = client.get("/")
    assert home.status_code == 200
    heavy += page_problems("/", home.content.decode())
    queue = [(item["url"], "menu") for item in home.context["menu"]]
    seen, broken, opened = set(), [], 0
    while queue and opened < PAGES_PER_LOGIN:
        url, origin = queue.pop(0)
        if shape(url) in seen or NOT_PAGES.search(urlsplit(url).path):
            continue
        seen.add(shape(url))
        response = client.get(url)
        opened += 1
        if response.status_code not in (200, 302):
            broken.append((url, response.status_code, origin))
            continue
        if origin == "menu" and response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            heavy += page_problems(url, body)
            queue += [(link.replace("&amp;", "&"), url) for link in LINK.findall(body) if link.startswith("/")]
    return broken


def test_no_demo_login_is_shown_a_link_it_cannot_open_or_a_heavy_page(full_demo):
    broken, heavy = {}, []
    for user in User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]):
        client = Client()
        client.force_login(user)
        found_heavy: list[str] = []
        if found := walk(client, found_heavy):
            broken[user.username] = found
        heavy += [f"{user.username} {problem}" for problem in found_heavy]
    report = [
        f"{login}: {url} → {status} (linked from {origin})"
        for login, rows in broken.items()
        for url, status, origin in rows
    ]
    assert not report + heavy, "\n".join(report + heavy)
