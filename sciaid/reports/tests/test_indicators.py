"""Every domain's indicators against the hand-computed year 2020 of `conftest.py`: a county read live, the province
read from the stored rows (the sum of its counties), ratios from summed parts, periods finer than a year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sciaid.assistance.statistics import parse_period
from sciaid.reports.indicators import REGISTRY
from sciaid.reports.models import IndicatorValue
from sciaid.reports.services import MONTHS, indicator_months, indicator_values, live_figures, refresh_indicators

YEAR = "2020"


def values(user, area, period: str = YEAR, keys=None) -> dict:
    return {result.indicator.key: result.value for result in indicator_values(user, area, parse_period(period), keys)}


def d(text) -> Decimal:
    return Decimal(str(text))


#: County A (live), county B (live), the province (stored) for 2020: every figure written out by hand.
EXPECTED = {
    "assistance.demands_received": (3, 1, 4),
    "assistance.demands_resolved": (2, 1, 3),
    "assistance.demands_rated": (2, 1, 3),
    "assistance.demands_satisfied": (1, 1, 2),
    "assistance.demands_judged": (2, 1, 3),
    "assistance.demands_valid": (1, 1, 2),
    "assistance.sla_breached": (1, 0, 1),
    "assistance.sla_met": (2, 1, 3),
    "assistance.satisfaction": ("50.0", "100.0", "66.7"),
    "assistance.valid_rate": ("50.0", "100.0", "66.7"),
    "assistance.sla_met_rate": ("66.7", "100.0", "75.0"),
    # Commissioner 0 is paired in both counties: once in each, twice in their sum.
    "commissioners.commissioners": (2, 1, 3),
    "commissioners.poor_villages": (2, 1, 3),
    "commissioners.poor_villages_covered": (2, 1, 3),
    "commissioners.coverage_rate": ("100.0", "100.0", "100.0"),
    "commissioners.services": (8, 0, 8),
    "commissioners.trainings": (3, 0, 3),
    "commissioners.trainees": (50, 0, 50),
    "commissioners.households_helped": (10, 0, 10),
    "commissioners.new_varieties": (1, 0, 1),
    "commissioners.new_techniques": (2, 0, 2),
    "commissioners.appraised": (2, 1, 3),
    "commissioners.excellent": (1, 1, 2),
    "commissioners.qualified": (1, 0, 1),
    "commissioners.unqualified": (0, 0, 0),
    "commissioners.excellent_rate": ("50.0", "100.0", "66.7"),
    "commissioners.workstations_filed": (1, 0, 1),
    "training.trainings": (4, 1, 5),
    "training.trainees": (50, 12, 62),
    "training.distinct_trainees": (32, 12, 44),
    "training.poor_household_trainees": (10, 0, 10),
    "training.ratings": (20, 4, 24),
    "training.ratings_satisfied": (15, 4, 19),
    "training.satisfaction": ("75.0", "100.0", "79.2"),
    "funds.budgeted": ("300000", "10000", "310000"),
    "funds.allocated": ("300000", "6000", "306000"),
    "funds.unallocated": ("0", "4000", "4000"),
    "funds.spent": ("287606", "1000", "288606"),
    "funds.balance": ("12394", "5000", "17394"),
    "funds.execution_rate": ("95.9", "10.0", "93.1"),
    "projects.declared": (2, 0, 2),
    "projects.approved": (1, 0, 1),
    "projects.approved_amount": ("70000", 0, "70000"),
    "projects.approval_rate": ("50.0", None, "50.0"),
    "projects.stage_draft": (1, 0, 1),
    "projects.stage_in_progress": (1, 0, 1),
    "projects.stage_rejected": (1, 0, 1),
    "projects.stage_accepted": (0, 0, 0),
    "demonstration.sites": (1, 0, 1),
    "demonstration.households_driven": (20, 0, 20),
    "demonstration.income": ("180000", 0, "180000"),
    "achievements.transfers": (2, 0, 2),
    "achievements.contract_value": ("1500", 0, "1500"),
    "achievements.transfers_applied": (1, 0, 1),
    "market.purchases": ("350.50", 0, "350.50"),
    "market.pieces": (7, 0, 7),
    "market.orders": (3, 0, 3),
    "market.quotas": ("1000", "500", "1500"),
    "market.quota_purchases": ("400", 0, "400"),
    "market.quota_rate": ("40.0", "0.0", "26.7"),
    "regions.households": (3, 1, 4),
    "regions.poor_households": (3, 1, 4),
    "regions.lifted_households": (0, 0, 0),
}


def expected(column: int) -> dict:
    return {key: None if row[column] is None else d(row[column]) for key, row in EXPECTED.items()}


def test_every_indicator_has_a_hand_computed_value():
    stages = {key for key in REGISTRY if key.startswith("projects.stage_")}
    missing = set(REGISTRY) - set(EXPECTED) - stages
    assert missing == set()


def test_a_county_reads_its_figures_live(world, data):
    assert IndicatorValue.objects.count() == 0
    got = values(world.admin, world.county_a, keys=list(EXPECTED))
    assert got == expected(0)
    assert values(world.admin, world.county_b, keys=list(EXPECTED)) == expected(1)


def test_the_province_reads_the_sum_of_its_stored_counties(world, data):
    refresh_indicators(2020)
    got = values(world.admin, world.province, keys=list(EXPECTED))
    assert got == expected(2)
    assert values(world.admin, world.city, keys=list(EXPECTED)) == expected(2)


def test_before_a_refresh_the_province_reads_zeros_and_no_ratio(world, data):
    got = values(world.admin, world.province, keys=["assistance.demands_received", "assistance.satisfaction"])
    assert got == {"assistance.demands_received": 0, "assistance.satisfaction": None}


def test_stored_county_rows_equal_the_live_figures(world, data):
    refresh_indicators(2020)
    stored = {row.key: row.value for row in IndicatorValue.objects.filter(area=world.county_a, year=2020, month=0)}
    live = live_figures(parse_period("2020"), [world.county_a], [k for k, i in REGISTRY.items() if i.additive])
    assert stored == {key: live[world.county_a.pk].get(key, 0) for key in stored}
    assert set(stored) == {key for key, indicator in REGISTRY.items() if indicator.additive}


def test_a_ratio_above_county_divides_summed_parts_not_a_mean_of_rates(world, data):
    refresh_indicators(2020)
    (result,) = indicator_values(world.admin, world.province, parse_period("2020"), "assistance.satisfaction")
    assert (result.numerator, result.denominator, result.value) == (2, 3, d("66.7"))
    # The mean of the counties' rates (50 % and 100 %) would be 75 %.
    assert result.value != d("75.0")
    assert result.live is False
    assert result.refreshed_at is not None


@pytest.mark.parametrize(
    ("period", "received", "resolved", "satisfaction", "sla"),
    [
        ("2020-Q1", 1, 1, "100.0", "100.0"),
        ("2020-Q3", 2, 1, "0.0", "50.0"),
        ("2020-07", 2, 1, "0.0", "50.0"),
        ("2020-03", 1, 1, "100.0", "100.0"),
        ("2020-Q4", 0, 0, None, None),
    ],
)
def test_months_and_quarters_of_a_county(world, data, period, received, resolved, satisfaction, sla):
    keys = ["assistance.demands_received", "assistance.demands_resolved", "assistance.satisfaction"]
    got = values(world.admin, world.county_a, period, [*keys, "assistance.sla_met_rate"])
    assert got == {
        keys[0]: received,
        keys[1]: resolved,
        keys[2]: satisfaction and d(satisfaction),
        "assistance.sla_met_rate": sla and d(sla),
    }


@pytest.mark.parametrize(
    ("period", "received", "purchases", "transfers", "approved"),
    [
        ("2020-Q1", 1, "100.00", 0, 0),
        ("2020-Q2", 0, "0", 1, "70000"),
        ("2020-Q3", 3, "250.50", 1, "0"),
        ("2020-07", 3, "0", 1, "0"),
        ("2020-08", 0, "250.50", 0, "0"),
    ],
)
def test_months_and_quarters_of_the_province_sum_the_stored_months(
    world, data, period, received, purchases, transfers, approved
):
    refresh_indicators(2020)
    keys = ["assistance.demands_received", "market.purchases", "achievements.transfers", "projects.approved_amount"]
    got = values(world.admin, world.province, period, keys)
    assert got == dict(zip(keys, [d(received), d(purchases), d(transfers), d(approved)], strict=True))


def test_the_twelve_months_at_once_equal_each_month_asked_alone(world, data):
    refresh_indicators(2020)
    keys = [key for key, indicator in REGISTRY.items() if indicator.monthly]
    for area in (world.province, world.county_a):
        by_month = indicator_months(world.admin, area, 2020, keys)
        assert sorted(by_month) == list(MONTHS)
        for month in MONTHS:
            alone = indicator_values(world.admin, area, parse_period(f"2020-{month:02d}"), keys)
            assert [result.value for result in by_month[month]] == [result.value for result in alone], month


def test_the_stored_year_is_the_sum_of_its_months(world, data):
    refresh_indicators(2020)
    for key in ("assistance.demands_received", "market.purchases", "achievements.contract_value"):
        rows = IndicatorValue.objects.filter(key=key, area=world.county_a, year=2020)
        months = sum(row.value for row in rows if row.month)
        assert rows.get(month=0).value == months


def test_an_indicator_of_a_whole_year_refuses_a_month(world, data):
    with pytest.raises(ValidationError) as refused:
        values(world.admin, world.county_a, "2020-07", ["assistance.demands_received", "funds.spent"])
    assert "funds.spent" in refused.value.message_dict["period"][0]
    assert "assistance.demands_received" not in refused.value.message_dict["period"][0]
    # A ratio exists per month only when both its parts do.
    with pytest.raises(ValidationError):
        values(world.admin, world.county_a, "2020-Q3", ["funds.execution_rate"])
    assert not REGISTRY["training.satisfaction"].monthly
    assert REGISTRY["assistance.satisfaction"].monthly


def test_yearly_indicators_store_only_the_whole_year(world, data):
    refresh_indicators(2020)
    assert set(IndicatorValue.objects.filter(key="funds.spent").values_list("month", flat=True)) == {0}
    assert set(IndicatorValue.objects.filter(key="market.purchases").values_list("month", flat=True)) == set(range(13))


def test_unknown_keys_are_named(world, data):
    with pytest.raises(ValidationError) as refused:
        values(world.admin, world.county_a, keys="assistance.demands_received,nope.never,funds.nothing")
    assert "nope.never, funds.nothing" in refused.value.message_dict["keys"][0]


def test_a_refresh_rewrites_a_figure_that_fell_to_zero(world, data):
    refresh_indicators(2020)
    assert IndicatorValue.objects.get(key="market.quotas", area=world.county_b, year=2020, month=0).value == 500
    from sciaid.market.models import Quota

    Quota.objects.filter(buyer__area=world.county_b).delete()
    written = refresh_indicators(2020)
    assert IndicatorValue.objects.get(key="market.quotas", area=world.county_b, year=2020, month=0).value == 0
    assert IndicatorValue.objects.count() == written


def test_a_refresh_of_some_counties_leaves_the_others(world, data):
    refresh_indicators(2020, [world.county_b])
    assert set(IndicatorValue.objects.values_list("area", flat=True)) == {world.county_b.pk}
    refresh_indicators(2020)
    assert set(IndicatorValue.objects.values_list("area", flat=True)) == {world.county_a.pk, world.county_b.pk}
