"""The expert-assistance benchmark at a tiny size: experts and demands load once, consistently, and every
measurement runs (PostgreSQL only, like the province benchmark)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Q

from bench.assistance import AssistancePlan, ensure_assistance, measure_assistance
from bench.generate import ensure_dataset
from bench.test_bench_smoke import TINY
from sciaid.assistance.choices import OPEN_STATES, DemandStatus
from sciaid.assistance.models import Assignment, Demand, ExpertRecord
from sciaid.assistance.recommend import service_records
from sciaid.assistance.services import experts_in_reach
from sciaid.experts.models import Expert, Pairing

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY"),
]

SMALL = AssistancePlan(experts=60, demands=3000)
LABELS = (
    "generate experts and demands (COPY)",
    "expert records rebuild (rebuild_expert_records)",
    "expert recommendation (recommend_experts)",
    "similar-demand search (similar_demands)",
    "triage queue (API list, county desk)",
    "SLA sweep (escalate_overdue + close_unrated)",
)


@pytest.mark.django_db
def test_it_loads_experts_and_demands_once_and_measures_every_row():
    ensure_dataset(TINY, log=lambda line: None)
    seconds, generated = ensure_assistance(SMALL, TINY.key, log=lambda line: None)
    assert generated
    assert Expert.objects.count() == SMALL.experts
    assert Demand.objects.count() == SMALL.demands
    assert Pairing.objects.exists() and not Demand.objects.filter(search_tokens="").exists()
    assert not Demand.objects.filter(Q(assigned_at__lt=F("submitted_at")) | Q(closed_at__lt=F("resolved_at"))).exists()
    assert not Demand.objects.filter(status__in=OPEN_STATES, due_at__isnull=True).exists()
    for assignment in Assignment.objects.select_related("demand__village")[:50]:
        assert experts_in_reach(assignment.demand).filter(pk=assignment.expert_id).exists()
    assert not ensure_assistance(SMALL, TINY.key, log=lambda line: None)[1]

    before = Demand.objects.filter(status=DemandStatus.CLOSED).count()
    rows = measure_assistance(seconds, generated, SMALL, repeat=2)
    assert [row.measurement for row in rows] == list(LABELS)
    assert all(row.p50 is not None or row.rate for row in rows)
    assert Demand.objects.filter(status=DemandStatus.CLOSED).count() == before, "the sweep must be rolled back"
    kept = {r.pk: (r.open_assignments, r.ratings, r.rating_total) for r in ExpertRecord.objects.all()}
    rebuilt = service_records(Expert.objects.values_list("pk", flat=True))
    assert {pk: kept.get(pk, (0, 0, 0)) for pk in rebuilt} == {
        pk: (r.open_assignments, r.ratings, r.rating_total) for pk, r in rebuilt.items()
    }
