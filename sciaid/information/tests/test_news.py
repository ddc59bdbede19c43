"""News workflow: a county admin drafts, submits, publishes and withdraws their county's items; the province's are
the platform admin's; other roles and other counties are refused; bodies are sanitised whoever sends them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from sciaid.core.models import ChangeAction, Notification, ObjectChange
from sciaid.core.publishing import PublicationStatus
from sciaid.core.states import TransitionRefused
from sciaid.information import services
from sciaid.information.models import NewsItem
from sciaid.information.tests.conftest import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_county_admin_takes_an_item_from_draft_to_published_and_back(world, make_item):
    item = make_item(PublicationStatus.DRAFT)
    services.submit_item(world.county_admin, item)
    services.publish_item(world.county_admin, item)
    assert NewsItem.objects.get(pk=item.pk).status == PublicationStatus.PUBLISHED
    assert item.published_on is not None
    services.withdraw_item(world.county_admin, item, "outdated")
    services.redraft_item(world.county_admin, item)
    item.refresh_from_db()
    assert (item.status, item.published_on) == (PublicationStatus.DRAFT, None)
    steps = ObjectChange.objects.filter(object_id=str(item.pk), action=ChangeAction.TRANSITION)
    assert steps.count() == 4


def test_submitting_tells_the_areas_reviewers_and_returning_tells_the_author(world, make_item):
    item = make_item(PublicationStatus.DRAFT, area_key="province", by="admin")
    services.submit_item(world.admin, item)
    # A county admin does not review the province's items; nobody else manages the province here.
    assert not Notification.objects.filter(kind="news.submitted", recipient=world.county_admin).exists()
    county_item = make_item(PublicationStatus.IN_REVIEW)
    assert Notification.objects.filter(kind="news.submitted", recipient=world.admin).exists()
    services.return_item(world.admin, county_item, "Add the date.")
    assert Notification.objects.filter(kind="news.returned", recipient=world.county_admin).exists()


def test_returning_needs_a_note(world, make_item):
    with pytest.raises(ValidationError):
        services.return_item(world.county_admin, make_item(PublicationStatus.IN_REVIEW), " ")


@pytest.mark.parametrize("persona", ["info_officer", "expert", "farmer", "supervisor", "triage"])
def test_roles_other_than_managers_may_not_write_or_publish(world, make_item, persona, client_for):
    user = world.users[persona]
    with pytest.raises(ValidationError):
        services.save_item(user, title="x", area=world.areas["county_a"], body="<p>x</p>")
    with pytest.raises(TransitionRefused):
        services.publish_item(user, make_item(PublicationStatus.IN_REVIEW))
    assert client_for(persona).get(reverse("information:item-create")).status_code == 403


def test_a_county_admin_may_not_publish_for_the_province_or_another_county(world, make_item):
    for key in ("province", "county_b"):
        with pytest.raises(ValidationError):
            services.save_item(world.county_admin, title="x", area=world.areas[key], body="<p>x</p>")
    with pytest.raises(TransitionRefused, match="jurisdiction"):
        services.publish_item(world.county_admin_b, make_item(PublicationStatus.IN_REVIEW))


def test_items_are_published_for_a_county_city_or_province_only(world):
    with pytest.raises(ValidationError):
        services.save_item(world.county_admin, title="x", area=world.areas["village_a1"], body="<p>x</p>")


def test_only_a_draft_changes(world, make_item):
    item = make_item(PublicationStatus.PUBLISHED)
    with pytest.raises(TransitionRefused):
        services.save_item(world.county_admin, instance=item, title="changed")
    with pytest.raises(TransitionRefused):
        services.delete_item(world.county_admin, item)
    with pytest.raises(TransitionRefused):
        services.add_attachment(world.county_admin, item, title="form", upload=ContentFile(PDF, "a.pdf"))
    assert NewsItem.objects.get(pk=item.pk).title == item.title


def test_publishing_twice_is_refused_with_the_state(world, make_item):
    item = make_item(PublicationStatus.PUBLISHED)
    with pytest.raises(TransitionRefused, match="Published"):
        services.publish_item(world.county_admin, item)


@pytest.mark.parametrize(
    ("body", "gone"),
    [
        ('<p>Hi</p><script>alert("x")</script>', "<script"),
        ('<p onclick="steal()">Hi</p><img src="x.png" onerror="steal()">', "steal"),
        ('<a href="javascript:steal()">Hi</a>', "javascript:"),
        ('<p style="display:none">Hi</p><iframe src="http://evil"></iframe>', "iframe"),
    ],
)
def test_the_body_is_sanitised(world, body, gone):
    item = services.save_item(world.county_admin, title="t", area=world.areas["county_a"], body=body)
    assert gone not in NewsItem.objects.get(pk=item.pk).body
    assert "Hi" in item.body


def test_a_body_of_nothing_but_script_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.save_item(world.county_admin, title="t", area=world.areas["county_a"], body="<script>x</script>")
    assert "body" in refused.value.message_dict


def test_the_summary_defaults_to_the_first_words(world):
    item = services.save_item(world.county_admin, title="t", area=world.areas["county_a"], body="<p>First words</p>")
    assert item.summary == "First words"


# --- who reads what -------------------------------------------------------------------------------------------


def test_published_items_reach_the_province_drafts_stay_with_their_countys_managers(world, make_item):
    county = make_item(PublicationStatus.PUBLISHED, title="County notice")
    province = make_item(PublicationStatus.PUBLISHED, area_key="province", by="admin", title="Province notice")
    draft = make_item(PublicationStatus.DRAFT, title="County draft")
    visible = lambda persona: set(NewsItem.objects.for_user(world.users[persona]).values_list("pk", flat=True))  # noqa: E731
    for persona in ("info_officer", "farmer", "info_officer_b", "county_admin_b"):
        assert visible(persona) == {county.pk, province.pk}, persona
    assert visible("county_admin") == {county.pk, province.pk, draft.pk}
    assert visible("outsider") == set()
    changeable = NewsItem.objects.for_user(world.county_admin_b, "change")
    assert not changeable.filter(pk=county.pk).exists()


def test_another_countys_item_is_not_found(world, make_item, client_for):
    item = make_item(PublicationStatus.IN_REVIEW)
    client = client_for("county_admin_b")
    assert client.get(reverse("information:item-detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("information:item-action", args=[item.pk, "publish"])).status_code == 404
    assert NewsItem.objects.get(pk=item.pk).status == PublicationStatus.IN_REVIEW


def test_the_pages_walk_an_item_through_its_workflow(world, client_for):
    client = client_for("county_admin")
    response = client.post(
        reverse("information:item-create"),
        {"title": "春耕通知", "category": "notice", "area": "340422000000", "body": "<p>春耕</p><script>x</script>"},
    )
    item = NewsItem.objects.get(title="春耕通知")
    assert response.url == item.get_absolute_url()
    assert "<script" not in item.body
    for step in ("submit", "publish"):
        client.post(reverse("information:item-action", args=[item.pk, step]))
    item.refresh_from_db()
    assert item.status == PublicationStatus.PUBLISHED
    page = client.get(item.get_absolute_url())
    assert b"do-withdraw" in page.content and b"do-publish" not in page.content


def test_a_refused_step_is_a_message_and_changes_nothing(world, make_item, client_for):
    item = make_item(PublicationStatus.DRAFT)
    response = client_for("county_admin").post(
        reverse("information:item-action", args=[item.pk, "publish"]), follow=True
    )
    assert "cannot be done now" in response.content.decode()
    assert NewsItem.objects.get(pk=item.pk).status == PublicationStatus.DRAFT


def test_the_managers_list_shows_their_items_in_few_queries(
    world, make_item, client_for, django_assert_max_num_queries
):
    for index in range(12):
        make_item(PublicationStatus.PUBLISHED, title=f"Item {index}")
    client = client_for("county_admin")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("information:item-list"))
    assert len(response.context["object_list"]) == 12


# --- attachments ------------------------------------------------------------------------------------------------


def test_attachments_are_checked_by_content(world, make_item):
    item = make_item(PublicationStatus.DRAFT)
    with pytest.raises(ValidationError):
        services.add_attachment(world.county_admin, item, title="x", upload=ContentFile(b"MZ\x90\x00", "form.pdf"))
    attachment = services.add_attachment(world.county_admin, item, title="Form", upload=ContentFile(PDF, "x.exe"))
    assert attachment.file.name.endswith(".pdf") and attachment.media_type == "application/pdf"


def test_too_large_attachments_are_refused(world, make_item, settings, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="at most"):
        services.add_attachment(
            world.county_admin, make_item(PublicationStatus.DRAFT), title="x", upload=ContentFile(PDF)
        )


def test_an_unpublished_items_attachment_is_served_to_its_managers_only(world, make_item, client_for, client):
    item = make_item(PublicationStatus.DRAFT)
    attachment = services.add_attachment(world.county_admin, item, title="Form", upload=ContentFile(PDF, "a.pdf"))
    protected = reverse("information:attachment-file", args=[attachment.pk])
    assert client_for("county_admin").get(protected).status_code == 200
    assert client_for("county_admin_b").get(protected).status_code == 404
    assert client_for("info_officer").get(protected).status_code == 404
    assert client.get(reverse("information:public-attachment", args=[attachment.pk])).status_code == 404


def test_other_roles_may_not_delete(world, make_item, client_for):
    item = make_item(PublicationStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.delete_item(world.county_admin_b, item)
    services.delete_item(world.county_admin, item)
    assert not NewsItem.objects.filter(pk=item.pk).exists()
