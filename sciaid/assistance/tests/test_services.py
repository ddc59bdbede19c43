"""Subsidy rule edges, recommendation ranking, photos, sweeps, and concurrent assignment on PostgreSQL."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone, translation
from PIL import Image

from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Assignment, Demand, SubsidyRule
from sciaid.assistance.recommend import recommend_experts
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Pairing


@pytest.mark.parametrize(
    ("services_count", "expert", "officer"),
    [(0, "0", "0"), (4, "400", "0"), (5, "500", "300"), (6, "600", "330"), (49, "4900", "1620"), (70, "5000", "2000")],
)
def test_the_default_subsidy_rule(services_count, expert, officer):
    rule = SubsidyRule()
    assert rule.expert_amount(services_count) == Decimal(expert)
    assert rule.officer_amount(services_count) == Decimal(officer)


def test_subsidies_count_valid_services_of_the_year(world, experts, submit):
    SubsidyRule.objects.create(area=world.county_a, year=2024, expert_per_service=Decimal("150.00"))
    resolved = timezone.make_aware(timezone.datetime(2024, 6, 1, 10))
    for i in range(6):
        demand = submit(title=f"需求{i}")
        Demand.objects.filter(pk=demand.pk).update(
            status=DemandStatus.CLOSED, resolved_by=experts["expert"], resolved_at=resolved, valid=i < 5
        )
    rows = {row.kind: row for row in services.subsidies(world.county_a, 2024)}
    assert (rows["expert"].services, rows["expert"].amount) == (5, Decimal("750.00"))
    assert (rows["info_officer"].services, rows["info_officer"].amount) == (5, Decimal("300.00"))
    assert services.subsidies(world.county_a, 2023) == []
    assert services.subsidies(world.county_b, 2024) == []


def test_the_paired_specialist_ranks_first(world, experts, submit):
    demand = submit()
    Pairing.objects.create(expert=experts["expert"], village=world.village_a1, year=timezone.localdate().year)
    with translation.override("en"):
        ranked = recommend_experts(demand)
    names = [r.expert.user.username for r in ranked]
    # Same specialty + matching words + paired > related specialty of the city; fruit trees and county B never.
    assert names == ["expert", "expert_city"]
    assert f"Commissioner paired with this village in {timezone.localdate().year}" in ranked[0].reasons
    assert ranked[0].score > ranked[1].score


def test_open_workload_lowers_the_score(world, experts, submit):
    demand = submit()
    before = {r.expert.user.username: r for r in recommend_experts(demand)}
    for i in range(7):
        services.assign(world.triage, submit(title=f"忙{i}"), [experts["expert"]])
    with translation.override("en"):
        after = {r.expert.user.username: r for r in recommend_experts(demand)}
    assert before["expert"].score - after["expert"].score == pytest.approx(1.5)  # 7 × 0.25, capped at 1.5
    assert "7 open demands" in after["expert"].reasons
    assert after["expert_city"].score == before["expert_city"].score


def jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (4000, 3000), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("../../etc/passwd.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_photos_are_reencoded_without_exif_and_renamed(world, submit):
    demand = submit(photos=[jpeg_with_exif()])
    photo = demand.photos.get()
    assert "passwd" not in photo.image.name and photo.image.name.startswith(f"demands/{demand.pk}/")
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == 2048 and not stored.getexif()


def test_a_file_that_is_no_picture_is_refused(world, submit):
    with pytest.raises(ValidationError):
        submit(photos=[SimpleUploadedFile("a.jpg", b"<script>", content_type="image/jpeg")])


def test_at_most_six_photos(world, submit):
    with pytest.raises(ValidationError):
        submit(photos=[jpeg_with_exif() for _ in range(7)])


def resolved_demand(world, experts, submit) -> Demand:
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    return services.resolve(world.expert, demand, "换水")


def test_unrated_demands_close_after_the_configured_days(world, experts, submit, settings):
    settings.ASSISTANCE_AUTO_CLOSE_DAYS = 7
    demand = resolved_demand(world, experts, submit)
    assert services.close_unrated(timezone.now() + timedelta(days=6)) == 0
    assert services.close_unrated(timezone.now() + timedelta(days=8)) == 1
    assert services.close_unrated(timezone.now() + timedelta(days=8)) == 0
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED and demand.rating is None


def test_waiting_for_the_farmer_moves_the_deadline(world, experts, submit):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    services.reply(world.expert, demand, "水温多少？", asks_requester=True)
    deadline = demand.due_at
    Demand.objects.filter(pk=demand.pk).update(paused_since=timezone.now() - timedelta(days=7))
    demand.refresh_from_db()
    services.reply(world.info_officer, demand, "32度")
    demand.refresh_from_db()
    assert demand.paused_since is None and demand.paused_hours >= 5 * 24 - 1
    assert demand.due_at - deadline >= timedelta(days=5)


def test_overdue_demands_escalate_once_per_tier(world, experts, submit):
    demand = submit()
    Demand.objects.filter(pk=demand.pk).update(due_at=timezone.now() - timedelta(days=10))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    demand.refresh_from_db()
    assert demand.escalation_level == 3


def test_a_second_acceptance_is_refused(world, experts, submit):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    with pytest.raises(TransitionRefused):
        services.accept(world.expert, demand)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_assigning_at_once_give_one_assignment(world, experts, submit):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections with row locks: run with DATABASE_URL on PostgreSQL")
    demand = submit()
    second = world.county_admin
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(user, expert):
        try:
            barrier.wait()
            services.assign(user, Demand.objects.get(pk=demand.pk), [expert])
            outcomes[user.username] = "assigned"
        except TransitionRefused as refused:
            outcomes[user.username] = str(refused)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(world.triage, experts["expert"])),
        threading.Thread(target=run, args=(second, experts["expert_city"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values())[0] == "assigned"
    assert list(outcomes.values()).count("assigned") == 1
    assert Assignment.objects.filter(demand=demand).count() == 1
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ASSIGNED
