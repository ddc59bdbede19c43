"""An impossible `?year=` on any page a user's menu opens is never a server error.

`test_bad_input_classes` covers every list's FilterSet; this covers the pages that read the year themselves
(statistics, reports, allocation and appraisal pages, the calendar): each answers with its own refusal or falls back
to a year it can show, but never a 5xx.
"""

import pytest

PERSONAS = ("admin", "county_admin", "expert", "info_officer", "triage")
IMPOSSIBLE = ("0", "-1", "99999999999999999999", "2020x")


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_menu_page_fails_on_an_impossible_year(world, client_for, persona):
    client = client_for(persona)
    home = client.get("/")
    assert home.status_code == 200
    failures = []
    for item in home.context["menu"]:
        for year in IMPOSSIBLE:
            response = client.get(item["url"], {"year": year})
            if response.status_code >= 500:
                failures.append(f"{item['url']}?year={year} → {response.status_code}")
    assert not failures, "\n".join(failures)
