"""The page-weight benchmark on the live test server: one demo role's menu measured in Chromium on the slow link,
and the table it prints. (The benchmark itself serves collected, compressed files under gunicorn; here WhiteNoise
reads the source files, so only the mechanics are checked, not the goals.) It lives with the browser tests so that
their `seeded` fixture brings back the rows an earlier live-server test's flush emptied (the specialty tree)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bench.pages import format_table, measure_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_measures_every_page_of_a_roles_menu(browser, live_server, monkeypatch):
    call_command("seed_demo", verbosity=0)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    costs = measure_role(browser, live_server.url, "info_officer")
    paths = [cost.path for cost in costs]
    assert paths[0] == "/" and "/demands/new/" in paths, paths
    assert all(cost.status == 200 and cost.requests >= 2 and cost.kb > 1 for cost in costs), costs
    assert not any(cost.external for cost in costs)
    table = format_table(costs)
    assert table.count("\n") == len(costs) + 1
    assert "/demands/new/" in table and "info_officer" in table
