"""Knowledge from solutions: personal data is scrubbed (property tests), a resolved demand proposes an entry, the
county desk publishes or dismisses it (every refusal path), published entries are read across the province and
found while a farmer types, by the API and the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import services
from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.knowledge import ID_NUMBER, MOBILE, knowledge_suggestions, scrub, search_knowledge
from sciaid.assistance.models import KnowledgeEntry
from sciaid.core.models import Notification, ObjectChange
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.states import TransitionRefused
from sciaid.core.suggestions import suggestions

# --- scrubbing ----------------------------------------------------------------------------------------------------

#: Chinese text without the name marker's character, digits or ASCII: what farmers write around personal data.
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5, exclude_characters="某")
FILLER = st.text(alphabet=st.one_of(CJK, st.sampled_from("，。！？ \n、abcXY")), max_size=30)
NAMES = st.text(alphabet=CJK, min_size=2, max_size=4)
PHONES = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
IDS = st.from_regex(r"\d{17}[\dX]", fullmatch=True)


@given(before=FILLER, phone=PHONES, middle=FILLER, number=IDS, name=NAMES, after=FILLER)
def test_scrub_removes_phones_ids_and_names_wherever_they_stand(before, phone, middle, number, name, after):
    text = f"{before}{phone}{middle}{number}{name}{after}"
    cleaned = scrub(text, names=[name])
    assert phone not in cleaned and number not in cleaned and name not in cleaned
    assert not ID_NUMBER.search(cleaned) and not MOBILE.search(cleaned)


@given(text=FILLER, names=st.lists(NAMES, max_size=3))
def test_scrub_is_idempotent(text, names):
    once = scrub(text, names=names)
    assert scrub(once, names=names) == once


@given(text=FILLER)
def test_text_without_personal_data_is_left_alone(text):
    assert scrub(text, names=[], places=[]) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三丰电话139-0554-1234", "某某电话1**********"),
        ("打0554-6621234找他", "打****-*******找他"),
        ("身份证34042219900101123X", "身份证******************"),
        ("姚祠村的王五家", "某村的某某家"),
        ("王家的鱼", "王家的鱼"),  # a lone surname is not a name to scrub
    ],
)
def test_scrub_by_example(text, expected):
    assert scrub(text, names=["张三丰", "张三", "王五", "王"], places=["姚祠村", "姚祠"]) == expected


# --- the workflow ---------------------------------------------------------------------------------------------


def resolve(world, experts, submit, *, summary: str = "换水三分之一，泼洒底改", **fields):
    demand = submit(**fields)
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    services.resolve(world.expert, demand, summary)
    return demand


@pytest.fixture
def entry(world, experts, submit) -> KnowledgeEntry:
    return resolve(world, experts, submit).knowledge


def test_resolving_proposes_a_scrubbed_entry_for_review(world, experts, submit):
    world.info_officer.full_name = "李信息"
    world.info_officer.save()
    demand = resolve(
        world,
        experts,
        submit,
        household=world.household_a1,
        farmer_phone="13905541234",
        description="户主1家河蟹死亡，李信息代报，电话13905541234，姚祠村",
        summary="已电话13905541234告知户主1：换水",
    )
    entry = KnowledgeEntry.objects.get(demand=demand)
    assert entry.status == KnowledgeStatus.PENDING and entry.village == world.village_a1
    for secret in ("13905541234", "户主1", "李信息", "姚祠"):
        assert secret not in entry.question + entry.body + entry.title
    assert entry.body == "已电话1**********告知某某：换水"
    assert "换水" in entry.search_tokens.split()
    assert search_knowledge("河蟹死亡换水", world.farmer) == []  # not published yet


def test_the_county_desk_publishes_with_edits_scrubbed_again(world, entry):
    services.publish_knowledge(world.triage, entry, title="河蟹死亡的处理", body="换水。联系13905541234")
    entry.refresh_from_db()
    assert entry.status == KnowledgeStatus.PUBLISHED and entry.reviewed_by == world.triage
    assert entry.title == "河蟹死亡的处理" and "13905541234" not in entry.body
    assert entry.published_at is not None
    assert ObjectChange.objects.filter(object_id=str(entry.pk), action="transition").exists()
    notice = Notification.objects.get(recipient=world.expert, kind="knowledge.published")
    assert notice.title and notice.body == "河蟹死亡的处理"


def test_publishing_needs_a_title_and_a_solution(world, entry):
    with pytest.raises(ValidationError) as refused:
        services.publish_knowledge(world.triage, entry, body="  ")
    assert "body" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["expert", "info_officer", "supervisor", "farmer"])
def test_only_the_county_desk_reviews(world, entry, persona):
    with pytest.raises(PermissionDenied):
        services.publish_knowledge(world.users[persona], entry)
    with pytest.raises(PermissionDenied):
        services.dismiss_knowledge(world.users[persona], entry)


def test_another_countys_desk_may_not_review(world, entry):
    with pytest.raises(TransitionRefused):
        services.publish_knowledge(world.county_admin_b, entry)
    assert KnowledgeEntry.objects.get(pk=entry.pk).status == KnowledgeStatus.PENDING


def test_dismissing_withdraws_and_publishing_twice_is_refused(world, entry):
    services.publish_knowledge(world.county_admin, entry)
    with pytest.raises(TransitionRefused):
        services.publish_knowledge(world.triage, entry)
    services.dismiss_knowledge(world.triage, entry, "过时")
    entry.refresh_from_db()
    assert entry.status == KnowledgeStatus.DISMISSED and entry.published_at is None
    assert entry.dismiss_reason == "过时"
    with pytest.raises(TransitionRefused):
        services.dismiss_knowledge(world.triage, entry)


def test_notifications_speak_the_recipients_language_not_the_requests(world, experts, submit):
    """A user who never chose a language is told in the platform's default (Chinese), even when an
    English-speaking officer causes the notification."""
    demand = submit()
    with translation.override("en"):
        services.assign(world.triage, demand, [experts["expert"]])
    assert Notification.objects.get(recipient=world.expert, kind="demand.assigned").title == "有需求分派给您"


def test_a_recipient_with_a_preferred_language_is_told_in_it(world):
    """Each language group is rendered in its own language."""
    world.expert.language = "en"
    notify([world.expert, world.triage], title=gettext_lazy("A demand was assigned to you"))
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"expert": "A demand was assigned to you", "triage": "有需求分派给您"}


def test_published_entries_are_read_across_the_province_and_pending_ones_by_the_desk(world, entry):
    visible = KnowledgeEntry.objects.for_user
    assert entry in visible(world.triage) and entry not in visible(world.info_officer_b)
    assert entry not in visible(world.farmer) and entry not in visible(world.county_admin_b)
    services.publish_knowledge(world.triage, entry)
    for persona in ("info_officer_b", "farmer", "county_admin_b", "expert", "buyer"):
        assert entry in visible(world.users[persona]), persona
    assert entry not in visible(world.outsider)
    assert entry not in visible(world.county_admin_b, "change")


def test_other_provinces_do_not_read_a_provinces_knowledge(world, entry):
    from sciaid.regions.models import Area

    province = Area.objects.create(code="320000000000", level=1, name="江苏省")
    stranger = User.objects.create_user("stranger", password="pw")
    RoleGrant.objects.create(user=stranger, role=Role.FARMER, area=province)
    services.publish_knowledge(world.triage, entry)
    assert entry not in KnowledgeEntry.objects.for_user(stranger)


# --- search and suggestions -----------------------------------------------------------------------------------


def test_published_knowledge_is_found_best_first(world, experts, submit):
    crabs = resolve(world, experts, submit, summary="河蟹死亡要换水，泼洒底改，降低密度").knowledge
    fruit = resolve(
        world, experts, submit, title="苹果树修剪", description="苹果树怎么修剪", summary="冬季修剪"
    ).knowledge
    for entry in (crabs, fruit):
        services.publish_knowledge(world.triage, entry)
    found = search_knowledge("河蟹大量死亡", world.info_officer_b)
    assert [entry for entry, _score in found] == [crabs]
    assert search_knowledge("的了吗", world.farmer) == []
    suggested = knowledge_suggestions(world.farmer, "河蟹死亡", 5)
    assert suggested[0].url == reverse("assistance:knowledge-detail", args=[crabs.pk])


def test_the_demand_form_shows_knowledge_while_typing(world, entry, client_for):
    services.publish_knowledge(world.triage, entry, title="河蟹死亡的处理办法")
    assert suggestions(world.info_officer_b, "河蟹死亡")[0].title == "河蟹死亡的处理办法"
    response = client_for("info_officer_b").get(reverse("assistance:similar"), {"title": "河蟹死亡"})
    assert "河蟹死亡的处理办法" in response.content.decode()
    assert 'id="suggestions"' in response.content.decode()


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_publishes_and_dismisses(world, entry, api_for):
    url = reverse("knowledge-publish", args=[entry.pk])
    assert api_for("expert").post(url, {}, format="json").status_code == 404  # not visible while in review
    assert api_for("county_admin_b").post(url, {}, format="json").status_code == 404
    assert api_for("supervisor").post(url, {}, format="json").status_code == 403
    body = api_for("triage").post(url, {"title": "新标题"}, format="json").json()
    assert body["status"] == "published" and body["title"] == "新标题"
    assert api_for("triage").post(url, {}, format="json").status_code == 409
    listed = api_for("farmer").get(reverse("knowledge-list")).json()["results"]
    assert [row["id"] for row in listed] == [entry.pk]
    assert api_for("expert").post(reverse("knowledge-dismiss", args=[entry.pk]), {}, format="json").status_code == 403
    dismissed = api_for("county_admin").post(reverse("knowledge-dismiss", args=[entry.pk]), {"reason": "x"})
    assert dismissed.json()["status"] == "dismissed"
    assert api_for("farmer").get(reverse("knowledge-list")).json()["results"] == []


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_review_queue_and_the_detail_page(world, entry, client_for, language):
    with translation.override(language):
        queue, detail = reverse("assistance:knowledge-review"), reverse("assistance:knowledge-detail", args=[entry.pk])
        publish = reverse("assistance:knowledge-action", args=[entry.pk, "publish"])
        heading = gettext("Knowledge review")
    client = client_for("triage")
    page = client.get(queue).content.decode()
    assert heading in page and entry.title in page
    assert client_for("farmer").get(queue).status_code == 403
    assert 'name="body"' in client.get(detail).content.decode()
    assert client.post(publish, {"title": "标题", "question": "", "body": "换水"}).status_code == 302
    assert detail not in client.get(queue).content.decode()
    assert KnowledgeEntry.objects.get(pk=entry.pk).status == KnowledgeStatus.PUBLISHED
    farmer_page = client_for("farmer").get(detail).content.decode()
    assert "换水" in farmer_page and 'name="body"' not in farmer_page
    assert "标题" in client_for("farmer").get(reverse("assistance:knowledge-list")).content.decode()


def test_a_refused_review_shows_a_message_and_changes_nothing(world, entry, client_for):
    services.dismiss_knowledge(world.triage, entry)
    dismiss = reverse("assistance:knowledge-action", args=[entry.pk, "dismiss"])
    response = client_for("triage").post(dismiss, {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert KnowledgeEntry.objects.get(pk=entry.pk).status == KnowledgeStatus.DISMISSED
    assert client_for("triage").post(reverse("assistance:knowledge-action", args=[entry.pk, "nope"])).status_code == 404


def test_the_knowledge_pages_query_a_constant_number_of_times(world, experts, submit, client_for):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for("triage").get(reverse("assistance:knowledge-review")).status_code == 200
        return len(queries)

    resolve(world, experts, submit)
    one = count()
    for i in range(4):
        resolve(world, experts, submit, title=f"河蟹问题{i}")
    assert count() == one
