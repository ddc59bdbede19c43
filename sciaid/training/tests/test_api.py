"""The training API per role: the county runs events (publish / hold / report / cancel), info officers register and
sign in their villages' people, trainers their trainees, farmers rate; 409 after the report, 404 outside the
jurisdiction, 200 (not 201) for someone already registered or signed in; the report endpoint; flat query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciaid.experts.models import Pairing
from sciaid.training import fulfilment, services
from sciaid.training.choices import TrainingStatus
from sciaid.training.models import Attendance, Registration, TrainingEvent
from sciaid.training.tests.conftest import DAY, guest

pytestmark = pytest.mark.django_db

TRAININGS = "/api/v1/trainings/"
REGISTRATIONS = "/api/v1/registrations/"
ATTENDANCE = "/api/v1/attendance/"
FEEDBACK = "/api/v1/training-feedback/"
REPORT = "/api/v1/reports/training/"


def plan(world, **overrides) -> dict:
    return {
        "kind": "practical",
        "title": "稻虾共作技术培训",
        "organiser_kind": "bureau",
        "organiser_name": "寿县科学技术局",
        "area": world.village_a1.code,
        "starts_on": DAY.isoformat(),
        "ends_on": DAY.isoformat(),
        "topics": ["river-crabs"],
        **overrides,
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_county_runs_a_training_through_the_api(world, api_for, trainer):
    client = api_for("county_admin")
    created = client.post(TRAININGS, plan(world, trainers=[trainer.pk], capacity=40), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["registered"], body["trainees"], body["topics"]) == ("draft", 0, 0, ["river-crabs"])
    assert body["sign_in_url"].endswith(f"/training/{body['id']}/sign-in/")
    url = f"{TRAININGS}{body['id']}/"
    assert client.post(f"{url}publish/").json()["status"] == "published"
    patched = client.patch(url, {"capacity": 50}, format="json").json()
    assert (patched["capacity"], patched["trainers"]) == (50, [trainer.pk])
    assert client.post(f"{url}hold/").json()["status"] == "held"
    assert client.post(f"{url}report/").json()["status"] == "reported"
    refused = client.post(f"{url}cancel/", {"reason": "改期"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_refused"
    assert client.patch(url, {"title": "改名"}, format="json").status_code == 400


def test_bad_plans_are_a_400_with_the_field(world, api_for):
    client = api_for("county_admin")
    wrong = client.post(TRAININGS, plan(world, ends_on="2020-05-01"), format="json")
    assert wrong.status_code == 400 and "ends_on" in wrong.json()
    elsewhere = client.post(TRAININGS, plan(world, area=world.village_b1.code), format="json")
    assert elsewhere.status_code == 400 and "area" in elsewhere.json()


def test_an_event_fulfils_a_registered_kind_of_record_the_user_may_see(world, api_for, trainer, monkeypatch):
    monkeypatch.setitem(fulfilment._models, "experts.pairing", Pairing)
    pairing = Pairing.objects.create(expert=trainer, village=world.village_a1, year=2020)
    client = api_for("county_admin")
    made = client.post(TRAININGS, plan(world, fulfils_type="experts.pairing", fulfils_id=pairing.pk), format="json")
    assert made.status_code == 201 and made.json()["fulfils_type"] == "experts.pairing"
    assert TrainingEvent.objects.get(pk=made.json()["id"]).fulfils == pairing
    unknown = client.post(TRAININGS, plan(world, fulfils_type="regions.household", fulfils_id=1), format="json")
    assert unknown.status_code == 400 and "fulfils_type" in unknown.json()
    foreign = plan(world, area=world.village_b1.code, fulfils_type="experts.pairing", fulfils_id=pairing.pk)
    hidden = api_for("county_admin_b").post(TRAININGS, foreign, format="json")
    assert hidden.status_code == 400 and "fulfils_id" in hidden.json()


def test_who_sees_which_trainings(world, api_for, make_event, member, trainer):
    draft = make_event(publish=False, title="草稿")
    village = make_event(title="姚祠村培训")
    county = make_event(area="county_a", title="全县培训", trainers=[trainer])
    neighbour = make_event(area="village_a2", title="新桥村培训")
    other = make_event(area="village_b1", title="凤台县培训")
    assert set(ids(api_for("county_admin").get(TRAININGS))) == {draft.pk, village.pk, county.pk, neighbour.pk}
    assert set(ids(api_for("info_officer").get(TRAININGS))) == {village.pk, county.pk}
    assert set(ids(api_for("farmer").get(TRAININGS))) == {village.pk, county.pk}
    assert set(ids(api_for("expert").get(TRAININGS))) == {county.pk}
    assert set(ids(api_for("county_admin_b").get(TRAININGS))) == {other.pk}
    assert api_for("info_officer").get(f"{TRAININGS}{draft.pk}/").status_code == 404


def test_only_the_county_writes_trainings_and_another_county_gets_404(world, api_for, make_event):
    event = make_event()
    officer = api_for("info_officer")
    assert officer.post(TRAININGS, plan(world), format="json").status_code == 403
    assert officer.post(f"{TRAININGS}{event.pk}/hold/").status_code == 403
    outsider = api_for("county_admin_b")
    for method, path in (("get", ""), ("patch", ""), ("post", "hold/"), ("delete", "")):
        assert getattr(outsider, method)(f"{TRAININGS}{event.pk}/{path}").status_code == 404
    assert TrainingEvent.objects.get(pk=event.pk).status == TrainingStatus.PUBLISHED


def test_registering_someone_twice_answers_200_with_the_same_registration(world, api_for, make_event):
    event = make_event()
    client = api_for("info_officer")
    person = {"event": event.pk, "kind": "household", "household": world.household_a1.pk, "name": "张三"}
    first = client.post(REGISTRATIONS, person, format="json")
    again = client.post(REGISTRATIONS, {**person, "name": "张 三"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Registration.objects.count() == 1
    neighbour = client.post(REGISTRATIONS, {**person, "household": world.household_a2.pk}, format="json")
    assert neighbour.status_code == 400 and "household" in neighbour.json()


def test_a_guests_phone_is_masked_for_roles_that_may_not_read_it(world, api_for, make_event):
    event = make_event()
    made = api_for("info_officer").post(
        REGISTRATIONS,
        {"event": event.pk, "kind": "guest", "name": "王五", "phone": "13905541234", "village": world.village_a1.code},
        format="json",
    )
    assert made.status_code == 201 and made.json()["phone"] == "13905541234"
    row = api_for("supervisor").get(REGISTRATIONS, {"event": event.pk}).json()["results"][0]
    assert (row["phone"], row["village"]) == ("139****1234", world.village_a1.code)
    bad = api_for("info_officer").post(
        REGISTRATIONS, {"event": event.pk, "kind": "guest", "name": "x", "phone": "123"}, format="json"
    )
    assert bad.status_code == 400 and "phone" in bad.json()


def test_sign_in_is_counted_once_and_refused_with_409_after_the_report(world, api_for, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    client = api_for("info_officer")
    first = client.post(ATTENDANCE, {"registration": registration.pk, "day": DAY.isoformat()}, format="json")
    again = client.post(ATTENDANCE, {"registration": registration.pk, "day": DAY.isoformat()}, format="json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    walk_in = {
        "event": event.pk,
        "day": DAY.isoformat(),
        "walk_in": {"kind": "guest", "name": "赵六", "phone": "13905540002", "village": world.village_a1.code},
    }
    assert client.post(ATTENDANCE, walk_in, format="json").status_code == 201
    assert client.post(ATTENDANCE, walk_in, format="json").status_code == 200
    assert client.post(ATTENDANCE, {"day": DAY.isoformat()}, format="json").status_code == 400
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    another = {**walk_in, "walk_in": {**walk_in["walk_in"], "phone": "13905540003"}}
    late = client.post(ATTENDANCE, another, format="json")
    assert late.status_code == 409 and "reported" in late.json()["detail"]
    assert client.delete(f"{ATTENDANCE}{first.json()['id']}/").status_code == 409
    assert Attendance.objects.count() == 2
    assert TrainingEvent.objects.with_figures().get(pk=event.pk).trainees == 2


def test_a_trainer_signs_in_the_trainees_of_their_training_only(world, api_for, make_event, member, trainer):
    taught = make_event(trainers=[trainer])
    other = make_event(title="别人的培训")
    mine, _ = services.register(world.info_officer, taught, member())
    theirs, _ = services.register(world.info_officer, other, member())
    client = api_for("expert")
    assert ids(client.get(REGISTRATIONS)) == [mine.pk]
    assert client.post(ATTENDANCE, {"registration": mine.pk, "day": DAY.isoformat()}, format="json").status_code == 201
    refused = client.post(ATTENDANCE, {"registration": theirs.pk, "day": DAY.isoformat()}, format="json")
    assert refused.status_code == 400 and "registration" in refused.json()


def test_a_farmer_sees_their_households_registrations_and_rates_a_training(world, api_for, make_event, member):
    event = make_event()
    own, _ = services.register(world.info_officer, event, member())
    services.register(world.info_officer, event, guest(world))
    services.sign_in(world.info_officer, own, DAY)
    services.hold_event(world.county_admin, event)
    client = api_for("farmer")
    assert ids(client.get(REGISTRATIONS)) == [own.pk]
    assert client.post(FEEDBACK, {"registration": own.pk, "rating": 0}, format="json").status_code == 400
    rated = client.post(FEEDBACK, {"registration": own.pk, "rating": 5, "comment": "很实用"}, format="json")
    assert rated.status_code == 201 and rated.json()["event"] == event.pk
    assert client.post(FEEDBACK, {"registration": own.pk, "rating": 4}, format="json").status_code == 400
    assert client.post(REGISTRATIONS, {"event": event.pk, "kind": "guest"}, format="json").status_code == 403


def test_the_training_report_gives_the_figures_of_the_area_and_year(world, api_for, make_event, member):
    event = make_event()
    first, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.info_officer, first, DAY)
    services.sign_in_walk_in(world.info_officer, event, guest(world), DAY)
    services.hold_event(world.county_admin, event)
    services.give_feedback(world.farmer, first, rating=5)
    body = api_for("county_admin").get(REPORT, {"area": world.county_a.code, "year": 2020}).json()
    figures = [body[key] for key in ("events", "trainees", "distinct_trainees", "poor_household_trainees")]
    assert figures == [1, 2, 2, 1]
    assert body["satisfaction"] == {"ratings": 1, "mean_rating": "5.00", "satisfied_percent": "100.0"}
    assert api_for("county_admin").get(REPORT).json()["year"] == 2020
    assert api_for("supervisor").get(REPORT, {"area": world.county_a.code}).status_code == 200
    assert api_for("county_admin").get(REPORT, {"area": world.county_b.code}).status_code == 404
    assert api_for("info_officer").get(REPORT).status_code == 403
    assert api_for("county_admin").get(REPORT, {"year": "20x"}).status_code == 400
    assert api_for("county_admin").get(REPORT, {"area": "xyz"}).status_code == 400


@pytest.mark.parametrize("url", [TRAININGS, REGISTRATIONS, ATTENDANCE, FEEDBACK])
def test_list_query_counts_do_not_grow_with_rows(world, api_for, make_event, url):
    client = api_for("county_admin")

    def fill(count: int) -> None:
        for index in range(count):
            event = make_event(title=f"培训{index}", first=date(2020, 6, 1 + len(TrainingEvent.objects.all())))
            attendance, _ = services.sign_in_walk_in(
                world.county_admin, event, guest(world, phone=f"1390554{index:04d}"), event.starts_on
            )
            services.hold_event(world.county_admin, event)
            services.give_feedback(world.county_admin, attendance.registration, rating=4)

    fill(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(4)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(url).json()["results"]) >= 6
    assert len(more) == len(few)
