"""Odd query strings and addresses get a page or a clear 4xx, never a 500 (users edit URLs and share old links)."""

import pytest

PAGES = [
    "/regions/areas/?level=abc&township=zzz&is_poor=maybe",
    "/regions/areas/notacode/",
    "/regions/households/?township=340422&village=x&status=bogus&main_cause=1&page=abc",
    "/regions/households/?page=999999",
    "/regions/households/?export=pdf",
    "/regions/visits/statistics/?area=xyz&year=20x",
    "/demands/?status=bogus&specialty=nope&overdue=perhaps",
    "/demands/queue/?township=abc&urgency=zzz",
    "/demands/99999999/",
    "/demands/99999999/assign/",
    "/demands/photos/99999999/",
    "/demands/sla/?county=nonsense",
    "/assistance/statistics/?area=xyz&period=20x",
    "/assistance/statistics/?period=2020-13",
    "/experts/?specialty=nope&level=moon",
    "/audit/?action=bogus&since=yesterday&content_type=abc",
    "/jobs/99999999/",
    "/jobs/99999999/result/",
    "/api/v1/households/?page=abc",
    "/api/v1/households/?page_size=-1&village=x",
    "/api/v1/demands/?status=bogus&village=abc",
    "/api/v1/reports/assistance/?area=xyz&period=20x",
    "/api/v1/areas/?ordering=nonexistent",
]


@pytest.mark.parametrize("path", PAGES)
def test_bad_input_is_answered_without_a_server_error(world, client_for, path):
    response = client_for("county_admin").get(path)
    assert response.status_code < 500, f"{path} answered {response.status_code}"
