"""The training pages as each role sees them: the county plans and runs events, the info officer registers and signs
people in on a phone (htmx ticks, walk-ins, a closed list after the report), the trainer sees their events, the
farmer sees their village's events and what they attended and rates it; flat query counts on the lists."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciaid.training import services
from sciaid.training.models import Attendance, Feedback, Registration, TrainingEvent
from sciaid.training.tests.conftest import DAY, PDF, guest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def menu(client) -> list[str]:
    return [item["url"] for item in client.get(reverse("home")).context["menu"]]


def test_the_county_plans_a_training_on_the_form(world, client_for, trainer):
    client = client_for("county_admin")
    form = page(client, reverse("training:event-create"))
    assert 'type="date"' in form and trainer.name in form
    response = client.post(
        reverse("training:event-create"),
        {
            "kind": "practical",
            "title": "稻虾共作技术培训",
            "organiser_kind": "bureau",
            "organiser_name": "寿县科学技术局",
            "trainers": [trainer.pk],
            "area": world.village_a1.code,
            "address": "姚祠村村委会",
            "starts_on": "2020-05-22",
            "ends_on": "2020-05-21",
        },
    )
    assert "The last day cannot be before the first day." in response.content.decode()
    response = client.post(
        reverse("training:event-create"),
        {
            "kind": "practical",
            "title": "稻虾共作技术培训",
            "organiser_kind": "bureau",
            "organiser_name": "寿县科学技术局",
            "trainers": [trainer.pk],
            "area": world.village_a1.code,
            "starts_on": "2020-05-22",
            "ends_on": "2020-05-22",
        },
    )
    event = TrainingEvent.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    edit = page(client, reverse("training:event-edit", args=[event.pk]))
    assert 'value="2020-05-22"' in edit


def test_the_event_page_offers_the_county_its_next_step_and_the_qr_code(world, client_for, make_event):
    event = make_event(publish=False)
    client = client_for("county_admin")
    html = page(client, event.get_absolute_url())
    assert 'id="do-publish"' in html and 'id="do-hold"' not in html
    assert reverse("training:event-edit", args=[event.pk]) in html
    assert reverse("training:register", args=[event.pk]) not in html, "a draft takes no registrations"
    client.post(reverse("training:event-action", args=[event.pk, "publish"]))
    html = page(client, event.get_absolute_url())
    assert "<svg" in html and reverse("training:signin", args=[event.pk]) in html
    assert 'id="do-hold"' in html and reverse("training:register", args=[event.pk]) in html


def test_a_refused_step_is_explained_on_the_page(world, client_for, make_event):
    event = make_event(first=timezone.localdate() + timedelta(days=5))
    client = client_for("county_admin")
    response = client.post(reverse("training:event-action", args=[event.pk, "hold"]), follow=True)
    assert "it can be marked held from that day" in response.content.decode()
    assert TrainingEvent.objects.get(pk=event.pk).status == "published"


def test_an_info_officer_registers_and_signs_in_but_does_not_run_the_event(world, client_for, make_event):
    event = make_event()
    client = client_for("info_officer")
    html = page(client, event.get_absolute_url())
    assert reverse("training:register", args=[event.pk]) in html and "<svg" in html
    assert reverse("training:event-edit", args=[event.pk]) not in html and 'id="do-hold"' not in html
    register = reverse("training:register", args=[event.pk])
    response = client.post(register, {"kind": "household", "household": world.household_a1.number}, follow=True)
    assert f"Registered: {world.household_a1.head_name}." in response.content.decode()
    response = client.post(register, {"kind": "household", "household": world.household_a1.number}, follow=True)
    assert "was already registered" in response.content.decode()
    assert Registration.objects.count() == 1
    missing = client.post(register, {"kind": "guest", "name": "王五"})
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    assert client.get(reverse("training:event-edit", args=[event.pk])).status_code == 403


def test_the_sign_in_list_ticks_a_name_with_htmx(world, client_for, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    client = client_for("info_officer")
    html = page(client, reverse("training:signin", args=[event.pk]), {"day": DAY.isoformat()})
    assert f'id="registration-{registration.pk}"' in html and "0 of 1 signed in" in html
    tick = reverse("training:tick", args=[registration.pk])
    row = client.post(tick, {"day": DAY.isoformat(), "signed": "1"}, **HTMX).content.decode()
    assert row.startswith(f'<li id="registration-{registration.pk}" class="roster-row signed">')
    assert 'hx-swap-oob="true"' in row and "1 of 1 signed in" in row
    assert Attendance.objects.filter(registration=registration, day=DAY).count() == 1
    client.post(tick, {"day": DAY.isoformat(), "signed": "1"}, **HTMX)
    assert Attendance.objects.count() == 1
    client.post(tick, {"day": DAY.isoformat(), "signed": "0"}, **HTMX)
    assert not Attendance.objects.exists()
    plain = client.post(tick, {"day": DAY.isoformat(), "signed": "1"})
    assert plain.status_code == 302 and plain.url.endswith(f"?day={DAY.isoformat()}")


def test_the_sign_in_list_searches_names_with_htmx(world, client_for, make_event, member):
    event = make_event()
    services.register(world.info_officer, event, member(name="张三"))
    services.register(world.info_officer, event, member(name="李四"))
    url = reverse("training:signin", args=[event.pk])
    fragment = client_for("info_officer").get(url, {"q": "李"}, **HTMX).content.decode()
    assert fragment.startswith('<div id="roster">') and "李四" in fragment and "张三" not in fragment


def test_after_the_report_the_sign_in_list_says_it_is_closed(world, client_for, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    client = client_for("info_officer")
    html = page(client, reverse("training:signin", args=[event.pk]))
    assert "Attendance of this training is closed: it has been reported." in html
    assert reverse("training:tick", args=[registration.pk]) not in html and 'id="add-walk-in"' not in html
    row = client.post(
        reverse("training:tick", args=[registration.pk]), {"day": DAY.isoformat(), "signed": "1"}, **HTMX
    ).content.decode()
    assert 'role="alert"' in row and "closed" in row
    response = client.post(reverse("training:tick", args=[registration.pk]), {"day": DAY.isoformat()}, follow=True)
    assert "Attendance of this training is closed" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_walk_in_is_added_on_the_sign_in_list(world, client_for, make_event):
    event = make_event()
    client = client_for("info_officer")
    html = page(client, reverse("training:signin", args=[event.pk]))
    assert 'id="add-walk-in"' in html
    response = client.post(
        reverse("training:walk-in", args=[event.pk]),
        {"kind": "guest", "name": "赵六", "phone": "13905540002", "village": world.village_a1.code, "day": DAY},
    )
    assert response.status_code == 302 and response.url.endswith("?day=2020-05-22")
    registration = Registration.objects.get()
    assert registration.walk_in and registration.attendances.count() == 1


def test_a_trainer_opens_the_sign_in_list_of_their_training_only(world, client_for, make_event, member, trainer):
    taught = make_event(trainers=[trainer])
    other = make_event(title="别人的培训")
    services.register(world.info_officer, taught, member())
    client = client_for("expert")
    assert world.household_a1.head_name in page(client, reverse("training:signin", args=[taught.pk]))
    assert client.get(reverse("training:signin", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:register", args=[taught.pk])).status_code == 403


def test_the_sign_in_list_opens_for_those_who_sign_people_in(world, client_for, make_event):
    published, draft = make_event(), make_event(publish=False, title="草稿")
    assert client_for("supervisor").get(published.get_absolute_url()).status_code == 200
    assert client_for("supervisor").get(reverse("training:signin", args=[published.pk])).status_code == 403
    assert client_for("info_officer").get(reverse("training:signin", args=[draft.pk])).status_code == 404
    assert client_for("county_admin").get(reverse("training:signin", args=[draft.pk])).status_code == 403
    assert client_for("outsider").get(reverse("training:signin", args=[published.pk])).status_code == 404


def test_another_countys_training_is_not_found(world, client_for, make_event):
    event = make_event(area="village_b1")
    client = client_for("county_admin")
    for name in ("training:event-detail", "training:signin", "training:registration-list", "training:event-edit"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404


def test_a_farmer_sees_what_they_attended_and_rates_it(world, client_for, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.info_officer, registration, DAY)
    services.hold_event(world.county_admin, event)
    client = client_for("farmer")
    assert reverse("training:mine") in menu(client)
    html = page(client, event.get_absolute_url())
    rate = reverse("training:feedback", args=[registration.pk])
    assert "signed in 1 day" in html and rate in html and "<svg" not in html
    assert event.title in page(client, reverse("training:mine"))
    response = client.post(rate, {"rating": "5", "comment": "讲得很实用"})
    assert response.status_code == 302 and Feedback.objects.get().rating == 5
    assert rate not in page(client, event.get_absolute_url())
    assert client.get(rate).status_code == 403
    assert client.get(reverse("training:signin", args=[event.pk])).status_code == 403


def test_a_material_is_served_to_those_who_see_the_training_only(world, client_for, make_event):
    event = make_event()
    material = services.add_material(world.county_admin, event, title="讲义", upload=ContentFile(PDF, "a.pdf"))
    url = reverse("training:material-file", args=[material.pk])
    response = client_for("farmer").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client_for("info_officer_b").get(url).status_code == 404


def test_the_menu_offers_each_role_its_training_pages(world, client_for, trainer):
    listing, mine, stats = reverse("training:event-list"), reverse("training:mine"), reverse("training:statistics")
    admin = menu(client_for("county_admin"))
    assert listing in admin and stats in admin and mine not in admin
    officer = menu(client_for("info_officer"))
    assert listing in officer and stats not in officer
    assert mine in menu(client_for("expert"))
    assert listing not in menu(client_for("buyer"))


def test_the_statistics_page_shows_the_figures_and_exports_the_trainers(world, client_for, make_event, member, trainer):
    event = make_event(trainers=[trainer])
    registration, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.info_officer, registration, DAY)
    services.sign_in_walk_in(world.info_officer, event, guest(world), DAY)
    services.hold_event(world.county_admin, event)
    client = client_for("county_admin")
    response = client.get(reverse("training:statistics"))
    assert response.context["year"] == 2020 and response.context["stats"]["distinct_trainees"] == 2
    assert trainer.name in response.content.decode()
    export = client.get(reverse("training:statistics"), {"area": world.county_a.code, "year": 2020, "export": "csv"})
    assert trainer.name in b"".join(export.streaming_content).decode("utf-8-sig")
    bad = client.get(reverse("training:statistics"), {"year": "20x"})
    assert bad.status_code == 200 and "Write a year such as 2020." in bad.content.decode()
    assert client.get(reverse("training:statistics"), {"area": world.county_b.code}).status_code == 404


@pytest.mark.parametrize("name", ["training:event-list", "training:registration-list"])
def test_list_pages_take_the_same_queries_whatever_their_length(world, client_for, make_event, name, trainer):
    course = make_event(area="county_a", days=3, trainers=[trainer])
    client = client_for("county_admin")

    def fill(first: int, last: int) -> None:
        for index in range(first, last):
            event = make_event(title=f"培训{index}", first=date(2020, 7, 1 + index), trainers=[trainer])
            for where, day, phone in (
                (course, DAY, f"1390554{index:04d}"),
                (event, event.starts_on, f"1390555{index:04d}"),
            ):
                services.sign_in_walk_in(world.county_admin, where, guest(world, phone=phone), day)

    url = reverse(name) if name == "training:event-list" else reverse(name, args=[course.pk])
    fill(0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill(2, 6)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(response.context["object_list"]) >= 5
    assert len(more) == len(few)


@pytest.mark.parametrize(
    "path",
    [
        "/training/?kind=bogus&status=x&year=abc&township=zzz&village=1&upcoming=maybe&trainer=q&page=abc",
        "/training/?export=pdf",
        "/training/99999999/",
        "/training/99999999/sign-in/?day=notaday",
        "/training/99999999/do/publish/",
        "/training/statistics/?area=xyz&year=20x",
        "/training/statistics/?export=pdf",
        "/api/v1/trainings/?status=bogus&year=x&upcoming=perhaps",
        "/api/v1/registrations/?attended=maybe&event=x",
        "/api/v1/attendance/?day=yesterday",
        "/api/v1/reports/training/?area=xyz&year=20x",
    ],
)
def test_odd_addresses_get_a_page_or_a_clear_4xx(world, client_for, path):
    assert client_for("county_admin").get(path).status_code < 500


def test_the_home_page_lists_what_waits_for_each_role(world, client_for, make_event):
    make_event(publish=False)
    held = make_event(first=DAY, title="已举办")
    services.hold_event(world.county_admin, held)
    make_event(first=timezone.localdate() + timedelta(days=3), title="即将举办")
    sections = client_for("county_admin").get(reverse("home")).context["sections"]
    items = {item["label"]: item.get("count") for section in sections for item in section["items"]}
    assert (items["Trainings to publish"], items["Trainings to report"], items["Upcoming trainings"]) == (1, 1, 1)
    officer = client_for("info_officer").get(reverse("home")).context["sections"]
    labels = {item["label"] for section in officer for item in section["items"]}
    assert "Upcoming trainings" in labels and "Trainings to publish" not in labels
