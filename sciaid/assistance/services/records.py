"""The experts' service records (what the recommendation scores), kept up to date by every step that changes an
assignment or takes a demand with assignments out of the open states."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from sciaid.assistance.models import Assignment, Demand, ExpertRecord
from sciaid.assistance.recommend import service_records

# --- the experts' service records (what the recommendation scores) ----------------------------------------------

RECORD_FIELDS = ["open_assignments", "ratings", "rating_total", "response_seconds"]


def refresh_records(expert_ids: Iterable[int]) -> None:
    """Recompute the stored service records (`ExpertRecord`) of these experts, inside the current transaction.

    Every transition that changes an assignment, a rating, or takes a demand with assignments out of the open states
    calls it last. The rows are locked in id order before they are recomputed: a concurrent transition touching the
    same expert waits, then (read committed) recomputes from what the first one committed, so no count is lost.
    """
    ids = sorted(set(expert_ids))
    if not ids:
        return
    ExpertRecord.objects.bulk_create([ExpertRecord(expert_id=pk) for pk in ids], ignore_conflicts=True)
    list(ExpertRecord.objects.select_for_update().filter(expert_id__in=ids).order_by("pk").values_list("pk"))
    ExpertRecord.objects.bulk_update(service_records(ids).values(), RECORD_FIELDS)


def refresh_demand_records(demand: Demand) -> None:
    """Recompute the records of every expert assigned to this demand (its state decides their open workload)."""
    refresh_records(Assignment.objects.filter(demand=demand).values_list("expert_id", flat=True))


def rebuild_records(batch_size: int = 2000) -> int:
    """Recompute every expert's service record from the assignments (`manage.py rebuild_expert_records`, after bulk
    loads or to repair); returns how many records were written. Locks them all first, like `refresh_records`, then
    computes them all in two grouped scans and writes them back with batched upserts. Experts who were never
    assigned anything have no record (the recommendation reads that as no history)."""
    with transaction.atomic():
        ids = list(Assignment.objects.order_by("expert_id").values_list("expert_id", flat=True).distinct())
        ExpertRecord.objects.exclude(expert_id__in=ids).delete()
        ExpertRecord.objects.bulk_create(
            [ExpertRecord(expert_id=pk) for pk in ids], ignore_conflicts=True, batch_size=batch_size
        )
        list(ExpertRecord.objects.select_for_update().order_by("pk").values_list("pk"))
        records = list(service_records().values())
        ExpertRecord.objects.bulk_create(
            records, update_conflicts=True, unique_fields=["expert"], update_fields=RECORD_FIELDS, batch_size=batch_size
        )
    return len(records)
