"""The demand lists start from their selective side and stay exact: the county admin's API list unites the
requester's own demands with the county's (a `UNION` of two indexed reads, not an `OR` that scans every demand);
the expert's inbox starts from their open assignments; the triage queue narrows each branch to its county's open
demands. Each list shows exactly the rows its user may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.accounts.models import RoleGrant
from sciaid.assistance import services
from sciaid.assistance.models import Demand
from sciaid.core.context import acting_as
from sciaid.core.roles import Role
from sciaid.experts.models import Specialty

pytestmark = pytest.mark.django_db


def demand_queries(ctx) -> list[str]:
    """The queries that read demands, without the check whether the user owns any (`scoping.owns_some`)."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "assistance_demand"' in q["sql"] and not q["sql"].startswith('SELECT 1 AS "a"')
    ]


def in_county_b(world) -> Demand:
    return services.submit_demand(
        world.info_officer_b,
        title="B1 需求",
        description="别的县",
        specialty=Specialty.objects.get(code="river-crabs"),
        village=world.village_b1,
    )


def submitted_elsewhere(user, village, specialty) -> Demand:
    """A demand of `village` that `user` submitted while they were its info officer: their own, outside their county."""
    grant = RoleGrant.objects.create(user=user, role=Role.INFO_OFFICER, area=village)
    user.forget_grants()
    demand = services.submit_demand(
        user, title="旧需求", description="以前提交的", specialty=specialty, village=village
    )
    grant.delete()
    user.forget_grants()
    return demand


@pytest.fixture
def own_elsewhere(world, crabs) -> Demand:
    return submitted_elsewhere(world.county_admin, world.village_b1, crabs)


def test_county_admin_api_list_is_a_union_and_exact(world, client, submit, own_elsewhere):
    in_county = submit(title="A1 需求")
    in_county_b(world)
    client.force_login(world.county_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/demands/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {in_county.pk, own_elsewhere.pk}
    listing = demand_queries(ctx)
    # The count and the page's keys read the union once each; the page's rows are then read by key alone.
    assert listing and all(sql.count(" UNION ") == 1 for sql in listing)


def test_an_official_who_owns_no_demand_reads_the_county_alone(world, client, submit):
    """No union when the admin's own branch is empty: one indexed read of the county's demands, the same rows."""
    in_county = submit(title="A1 需求")
    in_county_b(world)
    client.force_login(world.county_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/demands/")
        page = client.get(reverse("assistance:demand-list"))
    assert {row["id"] for row in response.json()["results"]} == {in_county.pk}
    assert [d.pk for d in page.context["object_list"]] == [in_county.pk]
    listing = demand_queries(ctx)
    assert listing and not any(" UNION " in sql for sql in listing)
    owned_checks = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    assert len(owned_checks) == 2, "asked again by each request, since none found a demand of theirs"


def test_expert_inbox_starts_from_open_assignments(world, client, experts, submit):
    pending, accepted, resolved, others = (submit(title=f"需求 {n}") for n in range(4))
    for demand in (pending, accepted, resolved):
        services.assign(world.triage, demand, [experts["expert"]])
    services.assign(world.triage, others, [experts["expert_fruit"]])
    services.accept(world.expert, accepted)
    services.accept(world.expert, resolved)
    services.resolve(world.expert, resolved, "已解决")
    client.force_login(world.expert)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assistance:expert-inbox"))
    assert response.status_code == 200
    assert {d.pk for d in response.context["object_list"]} == {pending.pk, accepted.pk}
    assert all('"assistance_assignment"."demand_id"' in sql or 'U0."demand_id"' in sql for sql in demand_queries(ctx))


def test_inbox_query_count_does_not_grow(world, client, experts, submit):
    client.force_login(world.expert)
    services.assign(world.triage, submit(), [experts["expert"]])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assistance:expert-inbox"))
    for n in range(5):
        services.assign(world.triage, submit(title=f"更多 {n}"), [experts["expert"]])
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("assistance:expert-inbox"))
    assert len(response.context["object_list"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_triage_queue_narrows_every_branch_and_is_exact(world, client, submit, crabs):
    submitted_elsewhere(world.triage, world.village_b1, crabs)  # their own branch is not empty: a union
    open_a = submit(title="待分诊")
    rejected = submit(title="已驳回")
    services.reject(world.triage, rejected, "重复")
    in_county_b(world)
    client.force_login(world.triage)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("assistance:triage-queue"))
    assert [d.pk for d in response.context["object_list"]] == [open_a.pk]
    (count, *_rest) = demand_queries(ctx)
    union = count[count.index(" UNION ") - 400 : count.index(" UNION ") + 400]
    # The open states and the county's code range are inside the union's branches, not only around it.
    assert union.count('"status" IN') >= 1 and union.count("BETWEEN") >= 1


def test_a_demand_of_their_own_made_during_a_request_is_listed_by_it(world, crabs, rf):
    """Within one request the answer "owns none" is asked again, so a demand the request itself created shows."""
    admin = world.county_admin
    with acting_as(request=rf.get("/")):
        assert not Demand.objects.for_user(admin).exists()
        own = submitted_elsewhere(admin, world.village_b1, crabs)
        assert list(Demand.objects.for_user(admin)) == [own]
