"""The demo experts: every poor village of 寿县 has a commissioner for 2020, 1–3 villages each (the same ones from the
same seed: demo/tests/test_determinism.py)."""

from collections import Counter

from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Area


def test_demo_experts_cover_every_poor_village(small_demo):
    shouxian_poor = set(Area.objects.filter(is_poor=True, code__startswith="340422").values_list("code", flat=True))
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
