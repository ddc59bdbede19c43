"""The regions service functions the pages call: jurisdiction, validation, transitions and visit statistics."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciaid.core.models import Job, JobStatus, ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.core.states import TransitionRefused
from sciaid.regions import services
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import Area, AreaStatistics, CadrePairing, Household, Visit


def test_pinyin_of_gives_full_pinyin_and_initials():
    assert services.pinyin_of("姚祠村") == ("yaocicun", "ycc")


def test_visit_statistics_count_visits_per_month_and_relief_per_year(world):
    pairing = CadrePairing.objects.get(household=world.household_a1)
    other = services.pair_cadre(
        world.county_admin, world.household_a3, cadre_name="张干部", started_on=date(2019, 1, 1)
    )
    for pair, day, amount in [
        (pairing, date(2020, 3, 20), "200.50"),
        (pairing, date(2020, 7, 1), "0"),
        (other, date(2020, 7, 9), "300"),
        (other, date(2019, 12, 31), "1000"),
    ]:
        services.record_visit(world.county_admin, pair, visited_on=day, relief_amount=Decimal(amount))
    # County B's visit (from the world) is outside the county and must not count.
    stats = services.visit_statistics(world.county_admin, world.county_a, 2020)
    assert [row["visits"] for row in stats["months"]] == [0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    assert stats["years"] == [
        {"year": 2019, "visits": 1, "relief": Decimal("1000.00")},
        {"year": 2020, "visits": 4, "relief": Decimal("1000.50")},
    ]
    township = services.visit_statistics(world.county_admin, world.township_a2, 2020)
    assert sum(row["visits"] for row in township["months"]) == 1


def test_visit_statistics_stay_inside_the_users_jurisdiction(world):
    stats = services.visit_statistics(world.county_admin_b, world.province, 2020)
    assert stats["years"] == [{"year": 2020, "visits": 1, "relief": Decimal("500.00")}]
    assert services.visit_statistics(world.info_officer, world.village_a1, 2020)["years"] == []


def test_save_household_refuses_a_village_outside_the_jurisdiction(world):
    with pytest.raises(ValidationError) as error:
        services.save_household(
            world.county_admin, number="x1", village=world.village_b1, head_name="某", members=1, id_number=None
        )
    assert "village" in error.value.message_dict
    assert not Household.objects.filter(number="x1").exists()


def test_a_household_cannot_be_moved_to_another_county(world):
    with pytest.raises(ValidationError):
        services.save_household(world.county_admin, instance=world.household_a1, village=world.village_b1)
    world.household_a1.refresh_from_db()
    assert world.household_a1.village == world.village_a1


def test_another_county_may_not_correct_a_household(world):
    with pytest.raises(PermissionDenied):
        services.save_household(world.county_admin_b, instance=world.household_a1, head_name="改")


def test_an_id_number_belongs_to_one_household_only(world):
    with pytest.raises(ValidationError) as error:
        services.save_household(world.county_admin, instance=world.household_a2, id_number=world.household_a1.id_number)
    assert "id_number" in error.value.message_dict


def test_saving_a_household_is_audited_without_the_clear_id_number(world):
    number = make_id_number(55)
    household = services.save_household(
        world.county_admin, number="x2", village=world.village_a1, head_name="某", members=2, id_number=number
    )
    change = ObjectChange.objects.get(object_id=str(household.pk), action="create", content_type__model="household")
    assert change.user == world.county_admin
    assert number not in str(change.after) and change.after["id_number_masked"] == household.id_number_masked


def test_status_transitions_follow_the_workflow_and_roles(world):
    household = services.change_household_status(world.county_admin, world.household_a1, "lift", 2019)
    assert (household.status, household.lifted_year) == (HouseholdStatus.LIFTED, 2019)
    with pytest.raises(TransitionRefused):
        services.change_household_status(world.county_admin, world.household_a1, "lift")
    with pytest.raises(TransitionRefused):
        services.change_household_status(world.info_officer, world.household_a2, "flag_at_risk")
    services.change_household_status(world.info_officer, world.household_a1, "flag_at_risk")
    assert Household.objects.get(pk=world.household_a1.pk).status == HouseholdStatus.AT_RISK


def test_a_stale_copy_cannot_repeat_a_transition(world):
    stale = Household.objects.get(pk=world.household_a1.pk)
    services.change_household_status(world.county_admin, world.household_a1, "lift")
    with pytest.raises(TransitionRefused):
        services.change_household_status(world.county_admin, stale, "lift")


def test_a_visit_may_not_be_in_the_future_or_outside_the_pairing(world):
    pairing = CadrePairing.objects.get(household=world.household_a1)
    for day in (date(2019, 12, 31), date(date.today().year + 1, 1, 1)):
        with pytest.raises(ValidationError):
            services.record_visit(world.county_admin, pairing, visited_on=day)
    assert Visit.objects.filter(pairing=pairing).count() == 1


def test_income_is_one_row_per_year(world):
    services.set_income(world.info_officer, world.household_a1, 2020, Decimal("4000"))
    income = services.set_income(world.info_officer, world.household_a1, 2020, Decimal("4100.10"))
    assert list(world.household_a1.incomes.values_list("year", "income_per_capita")) == [(2020, Decimal("4100.10"))]
    assert income.income_per_capita == Decimal("4100.10")
    with pytest.raises(PermissionDenied):
        services.set_income(world.info_officer, world.household_a2, 2020, Decimal("1"))


def test_statistics_count_every_level_under_an_area(world):
    written = services.refresh_area_statistics()
    assert written == Area.objects.count()
    county = AreaStatistics.objects.get(area=world.county_a)
    assert (county.villages, county.poor_villages, county.households, county.poor_households) == (3, 2, 3, 3)
    city = AreaStatistics.objects.get(area=world.city)
    assert (city.villages, city.poor_villages, city.households) == (4, 3, 4)
    village = AreaStatistics.objects.get(area=world.village_a1)
    assert (village.villages, village.households) == (1, 1)


def test_refreshing_one_county_leaves_the_rest_alone(world):
    services.refresh_area_statistics()
    services.change_household_status(world.county_admin, world.household_a1, "lift", 2020)
    services.refresh_area_statistics(world.county_a)
    assert AreaStatistics.objects.get(area=world.county_a).lifted_households == 1
    # The city was not recounted: it still shows the old figure until its own refresh.
    assert AreaStatistics.objects.get(area=world.city).lifted_households == 0


def test_above_county_level_the_counts_come_from_the_statistics(world, django_assert_num_queries):
    assert services.child_counts(world.admin, world.city)[0].village_count is None
    services.refresh_area_statistics()
    with django_assert_num_queries(1):
        children = services.child_counts(world.admin, world.city)
    assert {(c.name, c.village_count, c.household_count) for c in children} == {("寿县", 3, 3), ("凤台县", 1, 1)}
    assert all(c.counts_refreshed_at for c in children)


def test_an_import_schedules_a_recount_of_the_area(world, django_capture_on_commit_callbacks):
    services.refresh_area_statistics()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_statistics_refresh(world.county_admin)
    assert Job.objects.get(kind="regions.refresh_statistics").status == JobStatus.SUCCEEDED
