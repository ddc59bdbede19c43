"""The demand pages: each renders for its roles in Chinese and English and is refused or 404 for others; every action
is one POST whose refusal is shown as a message and changes nothing; the queue's query count is flat; photos are
served only to who may see their demand."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Assignment, Demand, Photo

LANGUAGES = ["", "/en"]


def url(name: str, *args, language: str = "") -> str:
    """The page's address in the default language (whatever an earlier request left active), or under /en/."""
    with translation.override("zh-hans"):
        return language + reverse(f"assistance:{name}", args=args)


def picture(name: str = "p.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def act(client, demand: Demand, action: str, **data):
    return client.post(url("demand-action", demand.pk, action), data)


@pytest.fixture
def assigned(world, experts, submit):
    demand = submit(household=world.household_a1)
    services.assign(world.triage, demand, [experts["expert"]])
    return demand


@pytest.fixture
def resolved(world, assigned):
    services.accept(world.expert, assigned)
    services.resolve(world.expert, assigned, "换水，投放底改")
    return assigned


# --- pages by role ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        ("info_officer", "demand-create", 200),
        ("farmer", "demand-create", 200),
        ("expert", "demand-create", 403),
        ("info_officer", "demand-list", 200),
        ("triage", "triage-queue", 200),
        ("county_admin", "triage-queue", 200),
        ("info_officer", "triage-queue", 403),
        ("expert", "expert-inbox", 200),
        ("triage", "expert-inbox", 403),
    ],
)
def test_each_list_page_opens_for_its_roles_only(client_for, experts, persona, page, expected, language):
    response = client_for(persona).get(url(page, language=language))
    assert response.status_code == expected
    if expected == 200:
        assert f'lang="{"en" if language else "zh-hans"}"' in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demand_page_shows_the_timeline_and_thread_to_who_may_see_it(client_for, world, assigned, language):
    services.accept(world.expert, assigned)
    services.reply(world.expert, assigned, "水温多少？", asks_requester=True)
    for persona in ("info_officer", "triage", "expert", "supervisor", "farmer"):
        response = client_for(persona).get(url("demand-detail", assigned.pk, language=language))
        assert response.status_code == 200, persona
        assert "水温多少？" in response.content.decode()
    for persona in ("info_officer_b", "county_admin_b", "outsider"):
        assert client_for(persona).get(url("demand-detail", assigned.pk)).status_code == 404, persona


def test_the_farmer_sees_only_their_own_households_demands(client_for, world, submit):
    other = submit(title="别人的需求")  # no household: not the farmer's
    assert client_for("farmer").get(url("demand-detail", other.pk)).status_code == 404
    assert "别人的需求" not in client_for("farmer").get(url("demand-list")).content.decode()


# --- submitting ------------------------------------------------------------------------------------------------


def test_an_info_officer_submits_a_demand_with_photos_and_a_duplicate_is_flagged(client_for, world, crabs):
    client = client_for("info_officer")
    form = client.get(url("demand-create")).content.decode()
    assert 'accept="image/*"' in form and "multiple" in form and "capture" in form
    assert world.village_b1.name not in form  # only the officer's own villages
    data = {
        "village": world.village_a1.pk,
        "household": world.household_a1.pk,
        "title": "河蟹死亡",
        "description": "池塘河蟹死亡很多",
        "specialty": crabs.pk,
        "urgency": "urgent",
        "preferred_mode": "on_site",
    }
    response = client.post(url("demand-create"), {**data, "photos": [picture(), picture("q.png")]})
    first = Demand.objects.get()
    assert response.status_code == 302 and response.url == url("demand-detail", first.pk)
    assert (first.urgency, first.household, first.photos.count()) == ("urgent", world.household_a1, 2)

    response = client.post(url("demand-create"), data, follow=True)
    second = Demand.objects.exclude(pk=first.pk).get()
    assert second.possible_duplicate_of == first
    assert any(str(first.pk) in text for text in texts(response))


def test_a_submission_for_another_village_is_refused_and_saves_nothing(client_for, world, crabs):
    data = {"title": "t", "description": "d", "specialty": crabs.pk, "urgency": "normal", "preferred_mode": "online"}
    response = client_for("info_officer").post(url("demand-create"), {**data, "village": world.village_b1.pk})
    assert response.status_code == 200 and "village" in response.context["form"].errors
    too_many = [picture(f"{i}.jpg") for i in range(7)]
    response = client_for("farmer").post(url("demand-create"), {**data, "photos": too_many})
    assert "photos" in response.context["form"].errors
    assert not Demand.objects.exists()


def test_a_farmer_submits_for_their_own_household(client_for, world, crabs):
    data = {"title": "t", "description": "d", "specialty": crabs.pk, "urgency": "normal", "preferred_mode": "online"}
    assert client_for("farmer").post(url("demand-create"), data).status_code == 302
    assert Demand.objects.get().household == world.household_a1


def test_similar_resolved_demands_show_while_typing(client_for, resolved):
    response = client_for("info_officer").get(url("similar"), {"title": "河蟹死亡", "description": ""})
    assert resolved.title in response.content.decode()
    assert "<html" not in response.content.decode()
    assert (
        resolved.title not in client_for("info_officer_b").get(url("similar"), {"title": "河蟹死亡"}).content.decode()
    )


# --- the triage queue ------------------------------------------------------------------------------------------


def test_the_queue_puts_overdue_demands_first_and_leaves_other_counties_out(client_for, world, submit):
    later, overdue = submit(title="以后"), submit(title="逾期")
    Demand.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timezone.timedelta(hours=2))
    services.submit_demand(
        world.info_officer_b, title="B县", description="d", specialty=later.specialty, village=world.village_b1
    )
    response = client_for("triage").get(url("triage-queue"))
    demands = list(response.context["object_list"])
    assert [d.title for d in demands] == ["逾期", "以后"]
    assert 'class="overdue"' in response.content.decode()
    urgent = client_for("triage").get(url("triage-queue"), {"overdue": "true"}).context["object_list"]
    assert [d.title for d in urgent] == ["逾期"]


def test_the_queue_query_count_does_not_grow_with_demands(client_for, world, submit):
    client = client_for("triage")

    def count(n: int) -> int:
        while Demand.objects.count() < n:
            submit(title=f"需求{Demand.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("triage-queue")).status_code == 200
        return len(queries)

    assert count(3) == count(30)


# --- actions ---------------------------------------------------------------------------------------------------


def test_the_triage_officer_sees_recommendations_and_assigns_the_top_one(client_for, world, experts, submit):
    demand = submit()
    client = client_for("triage")
    page = client.get(url("demand-detail", demand.pk))
    recommendations = page.context["recommendations"]
    assert recommendations[0].expert == experts["expert"]
    assert "assign-top" in page.content.decode()
    response = act(client, demand, "assign", experts=recommendations[0].expert.pk)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ASSIGNED
    assert list(demand.assignments.values_list("expert", flat=True)) == [experts["expert"].pk]


def test_a_refused_action_shows_the_message_and_changes_nothing(client_for, world, experts, assigned):
    again = act(client_for("triage"), assigned, "assign", experts=experts["expert_fruit"].pk)
    assert again.status_code == 302
    assert texts(again)  # wrong state: the service refused
    assert assigned.assignments.count() == 1
    rejected = act(client_for("triage"), assigned, "reject", reason="")
    assert texts(rejected)
    assigned.refresh_from_db()
    assert (assigned.status, assigned.reject_reason) == (DemandStatus.ASSIGNED, "")
    # Another county's officer cannot even see it.
    assert act(client_for("county_admin_b"), assigned, "reject", reason="x").status_code == 404
    assert act(client_for("supervisor"), assigned, "reject", reason="x").status_code == 403
    assert act(client_for("triage"), assigned, "fly").status_code == 404


def test_classify_merge_and_reject(client_for, world, crabs, submit):
    first, second, third = submit(), submit(title="重复"), submit(title="不是技术问题")
    client = client_for("triage")
    data = {
        "title": "新标题",
        "description": "d",
        "specialty": crabs.pk,
        "urgency": "urgent",
        "preferred_mode": "online",
    }
    act(client, first, "triage", **data)
    act(client, second, "merge", into=first.pk)
    act(client, third, "reject", reason="问候")
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.title, first.status, first.urgency) == ("新标题", DemandStatus.TRIAGED, "urgent")
    assert (second.status, second.merged_into) == (DemandStatus.MERGED, first)
    assert (third.status, third.reject_reason) == (DemandStatus.REJECTED, "问候")
    refused = act(client, first, "merge", into=first.pk)
    assert texts(refused)
    first.refresh_from_db()
    assert first.status == DemandStatus.TRIAGED


def test_the_expert_accepts_replies_schedules_and_resolves(client_for, world, assigned):
    client = client_for("expert")
    inbox = client.get(url("expert-inbox"))
    assert [d.pk for d in inbox.context["object_list"]] == [assigned.pk]
    act(client, assigned, "accept")
    response = client.post(
        url("demand-action", assigned.pk, "reply"),
        {"text": "请拍一张池塘照片", "asks_requester": "on", "photos": [picture()]},
    )
    assert response.status_code == 302
    act(client, assigned, "schedule_visit", scheduled_for="2030-05-06T09:30", place="池塘边")
    act(client, assigned, "resolve", solution_summary="换水")
    assigned.refresh_from_db()
    assert assigned.status == DemandStatus.RESOLVED and assigned.solution_summary == "换水"
    assert assigned.visits.count() == 1 and assigned.messages.get().photos.count() == 1


def test_the_expert_declines_with_a_reason(client_for, world, assigned):
    refused = act(client_for("expert"), assigned, "decline", reason="")
    assert texts(refused)
    assert Assignment.objects.get().status == "pending"
    act(client_for("expert"), assigned, "decline", reason="不在本地")
    assigned.refresh_from_db()
    assert assigned.status == DemandStatus.DECLINED


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_requester_rates_with_big_stars(client_for, world, resolved, language):
    page = client_for("info_officer").get(url("demand-detail", resolved.pk, language=language)).content.decode()
    assert 'name="rating"' in page and 'type="radio"' in page
    assert texts(act(client_for("expert"), resolved, "rate", rating=5))  # the expert may not rate
    act(client_for("info_officer"), resolved, "rate", rating=5, comment="很好")
    resolved.refresh_from_db()
    assert (resolved.status, resolved.rating) == (DemandStatus.CLOSED, 5)


def test_the_county_calls_back_and_judges(client_for, world, resolved):
    services.rate(world.info_officer, resolved, 4)
    admin = client_for("county_admin")
    act(admin, resolved, "callback", answer="满意", satisfied="on")
    refused = act(admin, resolved, "judge", valid="on", on_target="on")
    assert texts(refused)
    resolved.refresh_from_db()
    assert resolved.valid is None and resolved.callback_satisfied is True
    criteria = dict.fromkeys(("on_target", "effective", "truthful", "complete", "timely"), "on")
    act(admin, resolved, "judge", valid="on", **criteria)
    resolved.refresh_from_db()
    assert resolved.valid is True


# --- photos ----------------------------------------------------------------------------------------------------


def test_photos_are_served_only_to_who_may_see_the_demand(client_for, world, submit):
    demand = submit(photos=[picture()])
    photo = Photo.objects.get(demand=demand)
    response = client_for("triage").get(url("photo", photo.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    for persona in ("info_officer_b", "county_admin_b", "expert"):
        assert client_for(persona).get(url("photo", photo.pk)).status_code == 404, persona
    page = client_for("triage").get(url("demand-detail", demand.pk)).content.decode()
    assert url("photo", photo.pk) in page and photo.image.url not in page
