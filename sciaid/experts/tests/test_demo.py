"""The demo experts: every poor village of 寿县 has a commissioner for 2020, 1–3 villages each, deterministically."""

from collections import Counter
from dataclasses import replace

import pytest
from django.db import transaction

from sciaid.demo.builders import FENGTAI, SHOUXIAN, DemoBuilder
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Area


def build() -> list:
    """The demo (which calls build_experts last) on a smaller 寿县 that still has its 72 poor villages."""
    DemoBuilder(counties=(replace(SHOUXIAN, villages=80, poor_villages=72), FENGTAI)).build()
    return list(
        Pairing.objects.values_list("expert__name", "expert__organisation", "village__code", "year").order_by(
            "village__code"
        )
    )


@pytest.mark.django_db
def test_demo_experts_cover_every_poor_village_and_are_deterministic():
    prints = []
    for _ in range(2):
        with transaction.atomic():
            prints.append(build())
            shouxian_poor = set(
                Area.objects.filter(is_poor=True, code__startswith="340422").values_list("code", flat=True)
            )
            paired = Pairing.objects.filter(year=2020, village__code__startswith="340422")
            assert set(paired.values_list("village__code", flat=True)) == shouxian_poor
            assert len(shouxian_poor) == 72
            assert Expert.objects.filter(is_commissioner=True, home_area__code="340422000000").count() == 59
            loads = Counter(paired.values_list("expert_id", flat=True))
            assert set(loads.values()) <= {1, 2, 3}
            assert Pairing.objects.filter(village__code__startswith="340421").exists()
            mine = Expert.objects.get(user__username="expert")
            assert mine.pairings.filter(village__code="340422105201", year=2020).exists()
            assert Expert.objects.filter(level="province").exists() and Expert.objects.filter(level="city").exists()
            assert all(e.expertise_tokens for e in Expert.objects.all())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
