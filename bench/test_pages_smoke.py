"""The page-weight benchmark's table (its run in Chromium on the live server: `e2e/test_page_weight_bench.py`)."""

from __future__ import annotations

from bench.pages import PageCost, format_table


def test_the_table_marks_pages_over_the_goals():
    light = PageCost("farmer", "/", 200, 40.0, 5, 0, 1.2, 0.0)
    heavy = PageCost("county_admin", "/reports/", 200, 180.0, 7, 0, 2.0, 0.0)
    external = PageCost("expert", "/demands/inbox/", 200, 40.0, 6, 1, 1.0, 0.0)
    table = format_table([light, heavy, external])
    assert [line.rsplit(" ", 1)[-1] for line in table.splitlines()[1:4]] == ["ok", "OVER", "OVER"]
    assert "3 pages, 2 over the goals" in table and "heaviest /reports/ (county_admin) 180.0 KB" in table
