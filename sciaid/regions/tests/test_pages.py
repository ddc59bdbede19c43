"""The regions pages as each role uses them: browsing areas, finding villages, reading and editing households,
status changes, incomes, pairings and visits, exports with personal data masked by role.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sciaid.core.models import ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit
from sciaid.regions.services import refresh_area_statistics


def en(url: str) -> str:
    """The English version of a page (the active language may leak between requests, so strip first)."""
    return "/en" + url.removeprefix("/en")


def household_url(household, name="household-detail"):
    return reverse(f"regions:{name}", args=[household.pk])


def household_form(world, **changes) -> dict:
    data = {
        "number": "3404221052010099",
        "village": world.village_a1.code,
        "head_name": "王秀英",
        "id_number": make_id_number(77),
        "phone": "13905541234",
        "members": "4",
        "main_cause": "illness",
        "other_causes": ["skills"],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def export_rows(response, fmt: str) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]


# --- pages render, in both languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_county_admin_browses_every_page_in_both_languages(world, client_for, prefix):
    client = client_for("county_admin")
    pairing = CadrePairing.objects.get(household=world.household_a1)
    # Reverse in the default language (no prefix), whatever an earlier request left active.
    with translation.override("zh-hans"):
        pages = page_urls(world, pairing)
    for page in pages:
        response = client.get(prefix + page)
        assert response.status_code == 200, page
        assert f'lang="{"en" if prefix else "zh-hans"}"' in response.content.decode()


def page_urls(world, pairing) -> list[str]:
    return [
        reverse("home"),
        reverse("regions:area-list"),
        reverse("regions:area-detail", args=[world.county_a.code]),
        reverse("regions:area-detail", args=[world.township_a1.code]),
        reverse("regions:area-detail", args=[world.village_a1.code]),
        reverse("regions:household-list"),
        reverse("regions:household-create"),
        household_url(world.household_a1),
        household_url(world.household_a1, "household-edit"),
        household_url(world.household_a1, "income-add"),
        household_url(world.household_a1, "pairing-create"),
        reverse("regions:visit-create", args=[pairing.pk]),
        reverse("regions:visit-list"),
        reverse("regions:visit-stats"),
        reverse("regions:household-import"),
        reverse("regions:village-import"),
    ]


def test_the_area_page_shows_ancestors_and_children_with_counts(world, client_for):
    response = client_for("admin").get(reverse("regions:area-detail", args=[world.county_a.code]))
    page = response.content.decode()
    assert [a.name for a in response.context["ancestors"]] == ["安徽省", "淮南市"]
    children = {child.name: child for child in response.context["children"]}
    assert set(children) == {"隐贤镇", "安丰镇"}
    assert (children["隐贤镇"].village_count, children["隐贤镇"].poor_count, children["隐贤镇"].household_count) == (
        2,
        1,
        2,
    )
    assert (children["安丰镇"].village_count, children["安丰镇"].poor_count, children["安丰镇"].household_count) == (
        1,
        1,
        1,
    )
    assert "隐贤镇" in page


def test_a_county_admin_sees_no_ancestor_above_their_county(world, client_for):
    response = client_for("county_admin").get(reverse("regions:area-detail", args=[world.village_a1.code]))
    assert [a.name for a in response.context["ancestors"]] == ["寿县", "隐贤镇"]
    assert "户主1" in response.content.decode()


def test_the_area_page_query_count_does_not_grow_with_children(world, client_for):
    client = client_for("county_admin")
    url = reverse("regions:area-detail", args=[world.township_a1.code])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        Household.objects.create(number=f"extra{i}", village=world.village_a2, head_name="x")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- finding villages ---------------------------------------------------------------------------------------------


def village_names(client, **params) -> set[str]:
    response = client.get(reverse("regions:area-list"), params)
    assert response.status_code == 200
    return {area.name for area in response.context["object_list"]}


def test_village_filters(world, client_for):
    client = client_for("county_admin")
    assert village_names(client) == {"姚祠村", "新桥村", "塘湾村"}
    assert village_names(client, q="ycc") == {"姚祠村"}
    assert village_names(client, q="YCC") == {"姚祠村"}
    assert village_names(client, q="yaoci") == {"姚祠村"}
    assert village_names(client, q="姚祠") == {"姚祠村"}
    assert village_names(client, township=world.township_a2.code) == {"塘湾村"}
    assert village_names(client, is_poor="true") == {"姚祠村", "塘湾村"}


def test_the_lifted_filter_splits_poor_villages_by_lifted_year(world, client_for):
    world.village_a3.lifted_year = 2019
    world.village_a3.save()
    client = client_for("county_admin")
    assert village_names(client, lifted="true") == {"塘湾村"}
    assert village_names(client, lifted="false") == {"姚祠村"}


def test_filters_offer_only_the_users_own_areas(world, client_for):
    response = client_for("county_admin").get(reverse("regions:household-list"))
    form = response.context["filter"].form
    assert {a.code for a in form.fields["township"].queryset} == {world.township_a1.code, world.township_a2.code}
    assert world.village_b1.code not in {a.code for a in form.fields["village"].queryset}
    assert "黄湾村" not in response.content.decode()


def test_another_countys_village_code_filters_nothing_in(world, client_for):
    response = client_for("county_admin").get(reverse("regions:household-list"), {"village": world.village_b1.code})
    assert world.household_b1 not in response.context["object_list"]
    assert response.context["filter"].errors


def test_a_large_scope_gets_a_village_code_box_instead_of_a_select(world, client_for, monkeypatch):
    monkeypatch.setattr("sciaid.regions.filters.AREA_SELECT_LIMIT", 2)
    response = client_for("county_admin").get(reverse("regions:household-list"), {"village": world.village_a3.code})
    assert 'name="village"' in response.content.decode()
    assert response.context["filter"].form.fields["village"].widget.input_type == "text"
    assert list(response.context["object_list"]) == [world.household_a3]


# --- households: who sees what ------------------------------------------------------------------------------------


def test_household_list_filters(world, client_for):
    client = client_for("county_admin")
    url = reverse("regions:household-list")
    assert len(client.get(url).context["object_list"]) == 3
    assert list(client.get(url, {"township": world.township_a2.code}).context["object_list"]) == [world.household_a3]
    assert list(client.get(url, {"q": "户主2"}).context["object_list"]) == [world.household_a2]
    assert list(client.get(url, {"village": world.village_a1.code}).context["object_list"]) == [world.household_a1]


def test_a_farmer_sees_only_their_own_household(world, client_for):
    client = client_for("farmer")
    response = client.get(reverse("regions:household-list"))
    assert list(response.context["object_list"]) == [world.household_a1]
    assert client.get(household_url(world.household_a1)).status_code == 200
    assert client.get(household_url(world.household_a2)).status_code == 404


@pytest.mark.parametrize("page", ["household-detail", "household-edit", "income-add", "pairing-create"])
def test_another_county_gets_404_on_county_a_households(world, client_for, page):
    client = client_for("county_admin_b")
    assert client.get(household_url(world.household_a1, page)).status_code == 404
    if page != "household-detail":
        assert client.post(household_url(world.household_a1, page), household_form(world)).status_code == 404


def test_another_county_cannot_change_a_households_status(world, client_for):
    response = client_for("county_admin_b").post(household_url(world.household_a1, "household-transition"))
    assert response.status_code == 404


def test_a_supervisor_reads_but_may_not_edit(world, client_for):
    client = client_for("supervisor")
    assert client.get(household_url(world.household_a1)).status_code == 200
    assert client.get(household_url(world.household_a1, "household-edit")).status_code == 403
    assert client.get(reverse("regions:household-create")).status_code == 403


def test_the_detail_page_masks_personal_data_by_role(world, client_for):
    full_id = world.household_a1.id_number
    admin_page = client_for("county_admin").get(household_url(world.household_a1)).content.decode()
    assert full_id in admin_page and "13905540001" in admin_page
    supervisor_page = client_for("supervisor").get(household_url(world.household_a1)).content.decode()
    assert full_id not in supervisor_page and "13905540001" not in supervisor_page
    assert world.household_a1.id_number_masked in supervisor_page and "139****0001" in supervisor_page


def test_the_list_page_never_shows_full_id_numbers(world, client_for):
    page = client_for("county_admin").get(reverse("regions:household-list")).content.decode()
    assert world.household_a1.id_number not in page
    assert world.household_a1.id_number_masked in page


# --- exports ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_household_exports_mask_personal_data_unless_the_role_may_see_it(world, client_for, fmt):
    url = reverse("regions:household-list")
    full = export_rows(client_for("county_admin").get(url, {"export": fmt}), fmt)
    masked = export_rows(client_for("supervisor").get(url, {"export": fmt}), fmt)
    assert len(full) == len(masked) == 4
    full_cells = {cell for row in full for cell in row}
    masked_cells = {cell for row in masked for cell in row}
    assert world.household_a1.id_number in full_cells and "13905540001" in full_cells
    assert world.household_a1.id_number not in masked_cells and "13905540001" not in masked_cells
    assert world.household_a1.id_number_masked in masked_cells and "139****0001" in masked_cells
    assert world.household_b1.number not in full_cells


def test_exports_follow_the_filters(world, client_for):
    rows = export_rows(
        client_for("county_admin").get(reverse("regions:area-list"), {"q": "ycc", "export": "csv"}), "csv"
    )
    assert [row[1] for row in rows[1:]] == ["姚祠村"]


def test_an_unknown_export_format_is_a_404(world, client_for):
    assert client_for("county_admin").get(reverse("regions:household-list"), {"export": "pdf"}).status_code == 404


def make_households(village, count: int) -> None:
    Household.objects.bulk_create(
        Household(number=f"{village.code}{n:05d}", village=village, head_name=f"户{n}") for n in range(count)
    )


@pytest.mark.parametrize("params", [{}, {"export": "csv"}, {"export": "xlsx"}])
def test_household_list_and_export_queries_do_not_grow_with_rows(world, client_for, params):
    client = client_for("county_admin")
    url = reverse("regions:household-list")
    make_households(world.village_a2, 3)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, params)
        export_rows(response, params["export"]) if params else None
    make_households(world.village_a3, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
        export_rows(response, params["export"]) if params else None
    assert len(many) == len(few)


def test_village_list_queries_do_not_grow_with_rows(world, client_for):
    from sciaid.regions.models import Area

    client = client_for("county_admin")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("regions:area-list"))
    Area.objects.bulk_create(
        Area(code=f"340422105{n:03d}", name=f"村{n}", level=5, parent=world.township_a1) for n in range(300, 330)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("regions:area-list"))
    assert len(many) == len(few)


# --- editing households -------------------------------------------------------------------------------------------


def test_a_county_admin_registers_a_household(world, client_for):
    response = client_for("county_admin").post(reverse("regions:household-create"), household_form(world))
    household = Household.objects.get(number="3404221052010099")
    assert response.status_code == 302 and response.url == household_url(household)
    assert household.id_number == make_id_number(77)
    assert household.other_causes == ["skills"]
    assert ObjectChange.objects.filter(object_id=str(household.pk), action="create").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", make_id_number(77)[:-1] + ("0" if make_id_number(77)[-1] != "0" else "1"), "check digit"),
        ("id_number", "12345", "18 characters"),
        ("phone", "12345678901", "11 digits"),
        ("village", "340421101201", "Select a valid choice"),
    ],
)
def test_a_bad_form_explains_the_error_and_writes_nothing(world, client_for, field, value, message):
    before = Household.objects.count()
    response = client_for("county_admin").post(
        en(reverse("regions:household-create")), household_form(world, **{field: value})
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert Household.objects.count() == before


def test_an_id_number_of_another_household_is_refused_on_the_form(world, client_for):
    response = client_for("county_admin").post(
        en(reverse("regions:household-create")), household_form(world, id_number=world.household_a2.id_number)
    )
    assert "already registered" in " ".join(response.context["form"].errors["id_number"])
    assert not Household.objects.filter(number="3404221052010099").exists()


def test_editing_keeps_the_id_number_when_left_blank(world, client_for):
    household = world.household_a1
    client = client_for("county_admin")
    form = client.get(household_url(household, "household-edit")).context["form"]
    assert household.id_number_masked in str(form["id_number"].help_text)
    data = household_form(world, number=household.number, id_number="", head_name="新户主", phone="13905549999")
    response = client.post(household_url(household, "household-edit"), data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.head_name == "新户主" and household.phone == "13905549999"
    assert household.id_number == make_id_number(1, region="340422")


def test_an_info_officer_edits_households_of_their_village_only(world, client_for):
    client = client_for("info_officer")
    assert client.get(household_url(world.household_a1, "household-edit")).status_code == 200
    assert client.get(household_url(world.household_a2, "household-edit")).status_code == 404
    form = client.get(reverse("regions:household-create")).context["form"]
    assert [a.code for a in form.fields["village"].queryset] == [world.village_a1.code]


# --- status, income, pairing, visit -------------------------------------------------------------------------------


def test_status_buttons_follow_the_workflow(world, client_for):
    client = client_for("county_admin")
    page = client.get(household_url(world.household_a1))
    assert [t.name for t in page.context["transitions"]] == ["lift"]
    response = client.post(household_url(world.household_a1, "household-transition"), {"action": "lift"})
    assert response.status_code == 302
    world.household_a1.refresh_from_db()
    assert world.household_a1.status == HouseholdStatus.LIFTED and world.household_a1.lifted_year


def test_a_refused_transition_comes_back_as_a_message(world, client_for):
    client = client_for("county_admin")
    response = client.post(
        en(household_url(world.household_a1, "household-transition")), {"action": "return_to_poverty"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    world.household_a1.refresh_from_db()
    assert world.household_a1.status == HouseholdStatus.POOR


def test_an_income_is_recorded_once_a_year(world, client_for):
    client = client_for("county_admin")
    url = household_url(world.household_a1, "income-add")
    client.post(url, {"year": "2020", "income_per_capita": "4800.50"})
    client.post(url, {"year": "2020", "income_per_capita": "5100"})
    assert list(HouseholdIncome.objects.values_list("year", "income_per_capita")) == [(2020, Decimal("5100.00"))]
    assert "5100.00" in client.get(household_url(world.household_a1)).content.decode()


def test_a_pairing_and_a_visit_are_recorded(world, client_for):
    client = client_for("county_admin")
    household = world.household_a2
    response = client.post(
        household_url(household, "pairing-create"),
        {"cadre_name": "李干部", "cadre_phone": "13800000000", "started_on": "2020-01-01"},
    )
    assert response.status_code == 302
    pairing = CadrePairing.objects.get(household=household)
    response = client.post(
        reverse("regions:visit-create", args=[pairing.pk]), {"visited_on": "2020-05-01", "relief_amount": "300"}
    )
    assert response.status_code == 302 and response.url == household_url(household)
    assert Visit.objects.get(pairing=pairing).relief_amount == Decimal("300.00")


def test_a_visit_before_the_pairing_began_is_refused(world, client_for):
    pairing = CadrePairing.objects.get(household=world.household_a1)
    response = client_for("county_admin").post(
        en(reverse("regions:visit-create", args=[pairing.pk])), {"visited_on": "2019-05-01", "relief_amount": "0"}
    )
    assert "outside the pairing" in response.content.decode()
    assert Visit.objects.filter(pairing=pairing).count() == 1


def test_an_info_officer_may_not_pair_cadres(world, client_for):
    response = client_for("info_officer").post(
        household_url(world.household_a1, "pairing-create"), {"cadre_name": "李", "started_on": "2020-01-01"}
    )
    assert response.status_code == 403
    assert CadrePairing.objects.filter(household=world.household_a1).count() == 1


# --- visit statistics ---------------------------------------------------------------------------------------------


def test_visit_statistics_page_shows_chart_data_and_tables(world, client_for):
    response = client_for("county_admin").get(
        reverse("regions:visit-stats"), {"area": world.county_a.code, "year": "2020"}
    )
    page = response.content.decode()
    assert "vendor/echarts-6.1.0.simple.min.js" in page
    assert 'id="visits-data"' in page
    assert response.context["chart"]["visits"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert "500.00" in page


def test_visit_statistics_open_on_the_latest_year_with_visits(world, client_for):
    response = client_for("county_admin").get(reverse("regions:visit-stats"))
    assert response.context["stats"]["year"] == 2020
    assert response.context["chart"]["visits"][2] == 1


def test_only_the_statistics_page_loads_echarts(world, client_for):
    page = client_for("county_admin").get(reverse("regions:household-list")).content.decode()
    assert "echarts" not in page


def test_visit_statistics_are_refused_to_roles_without_visits(world, client_for):
    assert client_for("farmer").get(reverse("regions:visit-stats")).status_code == 403
    response = client_for("county_admin").get(reverse("regions:visit-stats"), {"area": world.county_b.code})
    assert "stats" not in response.context


def test_the_home_page_lists_the_users_areas_and_work(world, client_for):
    sections = client_for("county_admin").get(reverse("home")).context["sections"]
    counts = {item["url"]: item.get("count") for s in sections for item in s["items"]}
    assert reverse("regions:area-detail", args=[world.county_a.code]) in counts
    assert counts[reverse("regions:area-list")] == 3
    assert counts[reverse("regions:household-list")] == 3
    farmer_sections = client_for("farmer").get(reverse("home")).context["sections"]
    urls = [item["url"] for s in farmer_sections for item in s["items"]]
    assert household_url(world.household_a1) in urls
    assert reverse("regions:household-import") not in urls


def home_items(client) -> dict[str, dict]:
    """The items of the user's (English) home page, by label."""
    sections = client.get(en(reverse("home"))).context["sections"]
    return {str(item["label"]): item for section in sections for item in section["items"]}


def home_counts(client) -> dict[str, int | None]:
    return {label: item.get("count") for label, item in home_items(client).items()}


def test_the_home_page_shows_where_the_county_stands_and_what_is_left_to_do(world, client_for):
    client = client_for("county_admin")
    items = home_items(client)
    counts = home_counts(client)
    assert counts["Villages"] == 3
    assert (counts["Poor villages"], counts["Poor villages lifted out"], counts["Poor villages not yet lifted"]) == (
        2,
        0,
        2,
    )
    assert (counts["Households"], counts["Households not yet lifted out"]) == (3, 3)
    assert "Households at risk of return to poverty" not in counts
    assert items["Poor villages not yet lifted"]["url"] == en(reverse("regions:area-list")) + "?lifted=false"
    # Both poor villages are lifted out and a household is flagged at risk: the rows of what is left follow.
    Area.objects.filter(is_poor=True).update(lifted_year=2019)
    Household.objects.filter(pk=world.household_a1.pk).update(status=HouseholdStatus.AT_RISK, lifted_year=2019)
    counts = home_counts(client)
    assert (counts["Poor villages"], counts["Poor villages lifted out"]) == (2, 2)
    assert "Poor villages not yet lifted" not in counts
    assert (counts["Households not yet lifted out"], counts["Households at risk of return to poverty"]) == (2, 1)


def test_each_home_figure_links_to_a_list_of_that_many_rows(world, client_for):
    client = client_for("county_admin")
    Household.objects.filter(pk=world.household_a1.pk).update(status=HouseholdStatus.AT_RISK, lifted_year=2019)
    regions = en("/regions/")
    figures = [item for item in home_items(client).values() if item["url"].startswith(regions) and "count" in item]
    assert len(figures) == 7
    for item in figures:
        assert client.get(item["url"]).context["paginator"].count == item["count"], item["label"]


def test_above_county_level_the_home_figures_come_from_the_refreshed_statistics(world, client_for):
    client = client_for("admin")
    before = home_items(client)
    refresh_area_statistics()
    after = home_counts(client)
    assert before["Villages"].get("count") is None and "Poor villages" not in before
    assert (after["Villages"], after["Poor villages"], after["Households"]) == (4, 3, 4)


def test_roles_that_do_not_read_households_see_no_household_figures(world, client_for):
    counts = home_counts(client_for("applicant"))
    assert counts["Villages"] == 3
    assert not any(label.startswith("Households") for label in counts)


def test_the_visit_statistics_api_opens_on_the_latest_year_with_visits(world, api_for):
    stats = api_for("county_admin").get("/api/v1/households/visit-statistics/", {"area": world.county_a.code}).json()
    assert stats["year"] == 2020 and stats["months"][2]["visits"] == 1


def test_the_income_form_opens_on_the_year_after_the_latest_recorded(world, client_for):
    client = client_for("county_admin")
    url = household_url(world.household_a1, "income-add")
    last_year = date.today().year - 1
    assert client.get(url).context["form"].initial["year"] == last_year
    HouseholdIncome.objects.create(household=world.household_a1, year=2020, income_per_capita=Decimal("3650"))
    assert client.get(url).context["form"].initial["year"] == 2021
    HouseholdIncome.objects.create(household=world.household_a1, year=last_year, income_per_capita=Decimal("5000"))
    assert client.get(url).context["form"].initial["year"] == last_year
