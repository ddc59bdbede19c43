"""The demo demands: every state of the journey, consistent with the services, and work in each persona's queue (the
same demands from the same seed: demo/tests/test_determinism.py)."""

from collections import Counter

from django.db.models import F, Q

from sciaid.accounts.models import User
from sciaid.assistance import services
from sciaid.assistance.choices import OPEN_STATES, AssignmentStatus, DemandStatus
from sciaid.assistance.demo import HISTORY, OPEN
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.recommend import recommend_experts
from sciaid.demo.builders import YAOCI
from sciaid.experts.models import Expert

#: Steps that must come in order when both happened.
ORDER = (
    ("submitted_at", "triaged_at"),
    ("triaged_at", "assigned_at"),
    ("assigned_at", "accepted_at"),
    ("accepted_at", "resolved_at"),
    ("resolved_at", "closed_at"),
    ("closed_at", "judged_at"),
    ("resolved_at", "called_at"),
)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_demo_demands_cover_the_journey_consistently(small_demo):
    states = Counter(Demand.objects.values_list("status", flat=True))
    for status in OPEN:
        assert states[status] >= OPEN[status]
    assert states[DemandStatus.MERGED] == HISTORY["merged"]
    assert states[DemandStatus.REJECTED] == HISTORY["rejected"]
    assert states[DemandStatus.CLOSED] >= HISTORY["rated"] + HISTORY["desk_closed"] + HISTORY["auto_closed"]
    assert 250 <= sum(states.values()) <= 350
    assert Demand.objects.filter(village__code__startswith="340421").exists()
    assert not Demand.objects.exclude(village__code__regex=r"^34042[12]").exists()
    for earlier, later in ORDER:
        assert not Demand.objects.filter(**{f"{later}__lt": F(earlier)}).exists(), (earlier, later)
    closed = Demand.objects.filter(status=DemandStatus.CLOSED)
    assert closed.filter(rating__isnull=False).exists() and closed.filter(rating__isnull=True).exists()
    assert closed.filter(valid=True).exists() and closed.filter(valid=False).exists()
    assert closed.filter(called_at__isnull=False).exists()
    assert not Demand.objects.exclude(status=DemandStatus.CLOSED).filter(judged_at__isnull=False).exists()
    assert not Demand.objects.filter(valid=True).filter(Q(on_target=False) | Q(effective=False)).exists()
    assert not Demand.objects.filter(status__in=OPEN_STATES, due_at__isnull=True).exists()
    assert not Demand.objects.exclude(status__in=OPEN_STATES).filter(due_at__isnull=False).exists()
    assert Demand.objects.filter(status__in=OPEN_STATES, escalation_level__gt=0).exists(), "some are overdue"
    assert Demand.objects.filter(status=DemandStatus.MERGED, merged_into__isnull=False).count() == 8
    assert not Demand.objects.filter(search_tokens="").exists()
    resolved = Demand.objects.filter(resolved_at__isnull=False)
    assert not resolved.filter(Q(resolved_by__isnull=True) | Q(solution_summary="")).exists()
    assert Assignment.objects.filter(status=AssignmentStatus.DECLINED).exclude(decline_reason="").exists()
    assert not Assignment.objects.filter(status=AssignmentStatus.ACCEPTED, response_seconds__isnull=True).exists()
    for assignment in Assignment.objects.select_related("demand__village", "expert"):
        assert services.experts_in_reach(assignment.demand).filter(pk=assignment.expert_id).exists()


def test_each_demo_persona_has_work_the_services_accept(small_demo):
    triage, expert, officer = user("triage"), user("expert"), user("info_officer")

    to_triage = Demand.objects.for_user(triage, "change").filter(status=DemandStatus.SUBMITTED, village__code=YAOCI[0])
    assert to_triage.exists()
    mine = Expert.objects.get(user=expert)
    # The village's commissioner, a river-crab specialist, comes first for its river-crab demand: the triage
    # officer's "Assign" button offers the demo expert, whose journey then starts.
    tops = {demand: recommend_experts(demand)[0].expert for demand in to_triage.select_related("village", "specialty")}
    demand = next((demand for demand, top in tops.items() if top == mine), None)
    assert demand is not None, {demand.title: top.name for demand, top in tops.items()}
    assert Assignment.objects.filter(expert=mine, status=AssignmentStatus.PENDING).exists()
    services.assign(triage, demand, [mine])

    to_accept = Demand.objects.for_user(expert, "change").filter(
        status=DemandStatus.ASSIGNED, assignments__status=AssignmentStatus.PENDING
    )
    demand = to_accept.first()
    assert demand is not None
    services.accept(expert, demand)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED

    to_rate = Demand.objects.for_user(officer, "change").filter(status=DemandStatus.RESOLVED, requester=officer)
    demand = to_rate.first()
    assert demand is not None
    services.rate(officer, demand, 5)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.CLOSED

    assert Demand.objects.filter(assignments__expert=mine, status=DemandStatus.IN_SERVICE).exists()
    assert Demand.objects.filter(requester__username="farmer", status=DemandStatus.CLOSED).count() == 3
