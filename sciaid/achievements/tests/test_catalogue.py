"""The catalogue's review: a county admin enters, submits, publishes and withdraws their county's entries; other
roles and other counties are refused; the same title of the same owner is refused everywhere (form, API, DB)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sciaid.achievements import services
from sciaid.achievements.models import Achievement
from sciaid.core.publishing import PublicationStatus
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Specialty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_county_admin_takes_an_entry_from_draft_to_published_and_withdrawn(world, make_achievement):
    item = make_achievement(PublicationStatus.DRAFT, title="皖稻68")
    assert item.title_pinyin == "wandao68" and item.title_initials.startswith("wd")
    assert "皖稻" in item.words.split()
    admin = world.county_admin
    services.submit_achievement(admin, item)
    with pytest.raises(ValidationError):
        services.return_achievement(admin, item, "")  # a return says what to change
    services.publish_achievement(admin, item)
    item.refresh_from_db()
    assert item.status == PublicationStatus.PUBLISHED and item.published_by == admin and item.published_on
    services.withdraw_achievement(admin, item, "superseded")
    with pytest.raises(TransitionRefused):
        services.publish_achievement(admin, item)
    with pytest.raises(TransitionRefused):
        services.save_achievement(admin, instance=item, title="皖稻69")


@pytest.mark.parametrize("persona", ["expert", "supervisor", "farmer", "triage"])
def test_other_roles_may_not_publish(world, make_achievement, persona):
    item = make_achievement(PublicationStatus.IN_REVIEW)
    with pytest.raises(TransitionRefused):
        services.publish_achievement(world.users[persona], item)
    assert Achievement.objects.get(pk=item.pk).status == PublicationStatus.IN_REVIEW


def test_another_county_may_neither_enter_nor_review_here(world, make_achievement):
    with pytest.raises(ValidationError) as refused:
        make_achievement(PublicationStatus.DRAFT, by="county_admin_b")
    assert "area" in refused.value.message_dict
    item = make_achievement(PublicationStatus.IN_REVIEW)
    with pytest.raises(TransitionRefused):
        services.publish_achievement(world.county_admin_b, item)
    with pytest.raises(PermissionDenied):
        services.save_achievement(world.county_admin_b, instance=item, title="x")


def test_the_same_title_and_owner_is_refused_even_written_differently(world, make_achievement):
    make_achievement(PublicationStatus.DRAFT, title="稻虾共作技术", owner="安徽农业大学")
    with pytest.raises(ValidationError) as refused:
        make_achievement(
            PublicationStatus.DRAFT, title=" 稻虾 共作技术 ", owner="安徽农业大学", area_key="province", by="admin"
        )
    assert "already in the catalogue" in str(refused.value.message_dict["title"])
    assert make_achievement(PublicationStatus.DRAFT, title="稻虾共作技术", owner="安徽省农业科学院").pk
    assert Achievement.objects.filter(title_key="稻虾共作技术").count() == 2


def test_the_database_refuses_a_duplicate_too(world, make_achievement):
    item = make_achievement(PublicationStatus.DRAFT)
    twin = Achievement(
        title=item.title, kind=item.kind, owner=item.owner, area=item.area, description="x",
        title_key=item.title_key, owner_key=item.owner_key,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_an_entry_needs_an_industry_and_a_transfer_mode(world, make_achievement):
    with pytest.raises(ValidationError) as refused:
        make_achievement(PublicationStatus.DRAFT, transfer_modes=[])
    assert "transfer_modes" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_achievement(PublicationStatus.DRAFT, industries=())
    assert "industries" in refused.value.message_dict
    assert not Achievement.objects.exists()


def form_data(world, **changes):
    data = {
        "title": "河蟹生态养殖技术",
        "kind": "technique",
        "owner": "淮南市水产技术推广站",
        "area": world.areas["county_a"].code,
        "maturity": "mature",
        "industries": [str(Specialty.objects.get(code="river-crabs").pk)],
        "transfer_modes": ["free_extension"],
        "description": "种草投螺、稀放精养。",
        "contact": "李站长 13905541111",
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_form_enters_an_entry_and_refuses_a_duplicate_with_a_clear_message(world, client_for):
    client = client_for("county_admin")
    response = client.post(reverse("achievements:achievement-create"), form_data(world))
    item = Achievement.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    again = client.post(reverse("achievements:achievement-create"), form_data(world, title="河蟹生态养殖技术 "))
    assert again.status_code == 200
    assert "already in the catalogue" in again.content.decode()
    assert Achievement.objects.count() == 1


def test_the_review_buttons_move_the_entry(world, client_for, make_achievement):
    item = make_achievement(PublicationStatus.DRAFT)
    client = client_for("county_admin")
    for step in ("submit", "publish"):
        response = client.post(reverse("achievements:achievement-action", args=[item.pk, step]))
        assert response.status_code == 302
    assert Achievement.objects.get(pk=item.pk).status == PublicationStatus.PUBLISHED
    # A step the state does not allow is a message on the page, nothing changes.
    client.post(reverse("achievements:achievement-action", args=[item.pk, "publish"]), follow=True)
    assert Achievement.objects.get(pk=item.pk).status == PublicationStatus.PUBLISHED
    assert (
        client_for("expert").post(reverse("achievements:achievement-action", args=[item.pk, "withdraw"])).status_code
        == 403
    )


def test_a_published_entry_is_read_with_its_contact_by_logged_in_roles(world, client_for, make_achievement):
    item = make_achievement(PublicationStatus.PUBLISHED, area_key="county_b", by="county_admin_b")
    draft = make_achievement(PublicationStatus.DRAFT, area_key="county_b", by="county_admin_b", title="draft b")
    page = client_for("farmer").get(item.get_absolute_url())
    assert page.status_code == 200 and "13905540000" in page.content.decode()
    assert client_for("county_admin").get(draft.get_absolute_url()).status_code == 404
    assert client_for("county_admin").get(reverse("achievements:achievement-edit", args=[item.pk])).status_code == 403


def test_the_catalogue_list_stays_at_few_queries(world, client_for, make_achievement, django_assert_max_num_queries):
    for index in range(12):
        make_achievement(PublicationStatus.PUBLISHED, title=f"品种{index}")
    client = client_for("county_admin")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("achievements:achievement-list"))
    assert len(response.context["object_list"]) == 12


# --- API ---------------------------------------------------------------------------------------------------------


def api_body(world, **changes):
    body = {
        "title": "稻虾共作技术",
        "kind": "technique",
        "owner": "安徽农业大学",
        "area": world.areas["county_a"].code,
        "industries": ["crayfish"],
        "transfer_modes": ["cooperation"],
        "description": "一稻两虾。",
        "contact": "张老师",
    }
    body.update(changes)
    return body


def test_the_api_enters_and_publishes_and_refuses_a_duplicate_with_400(world, api_for):
    api = api_for("county_admin")
    created = api.post("/api/v1/achievements/", api_body(world), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.post(f"/api/v1/achievements/{pk}/submit/").status_code == 200
    published = api.post(f"/api/v1/achievements/{pk}/publish/", {"on": "2020-05-01"}, format="json")
    assert published.json()["status"] == "published" and published.json()["published_on"] == "2020-05-01"
    assert api.post(f"/api/v1/achievements/{pk}/publish/").status_code == 409
    duplicate = api.post("/api/v1/achievements/", api_body(world, title="稻虾共作技术"), format="json")
    assert duplicate.status_code == 400 and "title" in duplicate.json()
    assert api.post("/api/v1/achievements/", api_body(world, transfer_modes=[]), format="json").status_code == 400
    assert Achievement.objects.count() == 1


def test_the_api_hides_other_counties_drafts_and_refuses_other_roles(world, api_for, make_achievement):
    draft_b = make_achievement(PublicationStatus.DRAFT, area_key="county_b", by="county_admin_b")
    assert api_for("county_admin").get(f"/api/v1/achievements/{draft_b.pk}/").status_code == 404
    assert api_for("county_admin").post(f"/api/v1/achievements/{draft_b.pk}/submit/").status_code == 404
    assert api_for("expert").post("/api/v1/achievements/", api_body(world), format="json").status_code == 403
