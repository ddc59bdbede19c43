"""The page-weight benchmark on the live test server: one demo role's menu measured in Chromium on the slow link,
and the table it prints. (The benchmark itself serves collected, compressed files under gunicorn; here WhiteNoise
reads the source files, so only the mechanics are checked, not the goals.)"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bench.pages import PageCost, format_table, measure_all


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_measures_every_page_of_a_roles_menu(live_server, monkeypatch):
    call_command("seed_demo", verbosity=0)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    costs = measure_all(live_server.url, ["info_officer"])
    paths = [cost.path for cost in costs]
    assert paths[0] == "/" and "/demands/new/" in paths, paths
    assert all(cost.status == 200 and cost.requests >= 2 and cost.kb > 1 for cost in costs), costs
    assert not any(cost.external for cost in costs)
    table = format_table(costs)
    assert table.count("\n") == len(costs) + 1
    assert "/demands/new/" in table and "info_officer" in table


def test_the_table_marks_pages_over_the_goals():
    light = PageCost("farmer", "/", 200, 40.0, 5, 0, 1.2, 0.0)
    heavy = PageCost("county_admin", "/reports/", 200, 180.0, 7, 0, 2.0, 0.0)
    external = PageCost("expert", "/demands/inbox/", 200, 40.0, 6, 1, 1.0, 0.0)
    table = format_table([light, heavy, external])
    assert [line.rsplit(" ", 1)[-1] for line in table.splitlines()[1:4]] == ["ok", "OVER", "OVER"]
    assert "3 pages, 2 over the goals" in table and "heaviest /reports/ (county_admin) 180.0 KB" in table
