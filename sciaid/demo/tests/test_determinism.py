"""Two fresh databases get the same demo: every draw comes from one seeded Random, none from the clock or the ids."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction

from sciaid.assistance.models import Demand
from sciaid.demo.builders import FENGTAI, SHOUXIAN, DemoBuilder
from sciaid.experts.models import Pairing
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit


def fingerprint() -> dict[str, list]:
    """The demo's content by natural keys (codes, household numbers), leaving out ids, ciphertexts and timestamps."""
    return {
        "areas": list(Area.objects.values_list("code", "name", "is_poor", "lifted_year").order_by("code")),
        "households": list(
            Household.objects.values_list(
                "number",
                "head_name",
                "id_number_hash",
                "phone",
                "members",
                "main_cause",
                "other_causes",
                "status",
                "lifted_year",
            ).order_by("number")
        ),
        "incomes": list(
            HouseholdIncome.objects.values_list("household__number", "year", "income_per_capita").order_by(
                "household__number", "year"
            )
        ),
        "pairings": list(
            CadrePairing.objects.values_list(
                "household__number", "cadre_name", "cadre_organisation", "cadre_phone", "started_on"
            ).order_by("household__number")
        ),
        "expert_pairings": list(
            Pairing.objects.values_list("expert__name", "expert__organisation", "village__code", "year").order_by(
                "village__code", "year", "expert__name"
            )
        ),
        "demands": sorted(
            Demand.objects.values_list(
                "title", "description", "status", "village__code", "requester__username", "rating", "valid"
            ),
            key=repr,
        ),
        "visits": list(
            Visit.objects.values_list("pairing__household__number", "visited_on", "notes", "relief_amount").order_by(
                "pairing__household__number", "visited_on", "notes"
            )
        ),
    }


@pytest.mark.django_db
def test_two_fresh_databases_get_the_same_demo():
    prints = []
    for _ in range(2):
        with transaction.atomic():
            # Determinism does not depend on size: a smaller 寿县 keeps the test quick.
            DemoBuilder(counties=(replace(SHOUXIAN, villages=30, poor_villages=8), FENGTAI)).build()
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert Area.objects.count() == 0
    assert prints[0]["households"] and prints[0]["expert_pairings"] and prints[0]["demands"]
    assert prints[0] == prints[1]
