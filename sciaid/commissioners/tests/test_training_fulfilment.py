"""A commissioner's training events count toward their agreements and the statistics, once.

The decision under test: the training event is the source of truth for a training it records. An event fulfilling an
agreement adds its trainings (if held) and its trainees (each once per event) to the agreement's progress and to the
statistics of the agreement's village and year; a service log that records the event still counts as a service but
never its own training or participants, so an event written as a log (or as two) counts once.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciaid.commissioners.agreements import services as agreements
from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.logs.forms import ServiceLogForm
from sciaid.commissioners.models import Agreement, ServiceLog, VillageYearFigures, Workstation
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.experts.models import Pairing
from sciaid.training import services as training
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.fulfilment import fulfillable_choices
from sciaid.training.services import Person

pytestmark = pytest.mark.usefixtures("english")


def signed_agreement(world, expert, village="village_a1", admin="county_admin") -> Agreement:
    pairing = Pairing.objects.get(expert=expert, village=world.areas[village], year=YEAR)
    agreement = agreements.save_agreement(
        world.users[admin], pairing=pairing, starts_on=on(1), ends_on=on(12, 31), target_trainings=4
    )
    return agreements.sign_agreement(world.users[admin], agreement, signed_on=on(1, 2))


def make_event(world, fulfils, *, trainers=(), area="village_a1", admin="county_admin", days=2, trainees=3):
    """A published training on March 3 (and the following days) fulfilling `fulfils`, with `trainees` signed in."""
    event = training.save_event(
        world.users[admin],
        kind=TrainingKind.PRACTICAL,
        title="稻虾共作技术培训",
        organiser_name="寿县科学技术局",
        area=world.areas[area],
        starts_on=on(3, 3),
        ends_on=on(3, 3) + timedelta(days=days - 1),
        trainers=trainers,
        fulfils=fulfils,
    )
    training.publish_event(world.users[admin], event)
    for number in range(trainees):
        person = Person(ParticipantKind.GUEST, f"学员{number}", phone=f"1390554{number:04d}", village=world.areas[area])
        # Everyone comes on both days: still one trainee each for the event.
        for day in event.days:
            training.sign_in_walk_in(world.users[admin], event, person, day)
    return event


def confirmed_log(world, expert, **fields):
    defaults = {"kind": ServiceKind.TRAINING, "served_on": on(3, 3), "summary": "稻虾共作培训", "participants": 99}
    entry = logs.log_service(expert.user, village=world.areas["village_a1"], **{**defaults, **fields})
    return logs.confirm_log(world.users["county_admin"], entry)


def trained(agreement: Agreement) -> tuple[int, int]:
    targets = {t.key: t.actual for t in statistics.progress([agreement])[agreement.pk]}
    return targets["trainings"], targets["trainees"]


@pytest.fixture
def fulfilled(world, commissioner):
    """The commissioner's signed agreement with village A1 and a held two-day event fulfilling it (3 trainees)."""
    agreement = signed_agreement(world, commissioner)
    event = make_event(world, agreement, trainers=[commissioner])
    training.hold_event(world.users["county_admin"], event)
    return agreement, event


def test_agreements_and_workstations_are_what_events_fulfil():
    assert {"commissioners.agreement", "commissioners.workstation"} <= {label for label, _ in fulfillable_choices()}
    assert Workstation._meta.label_lower == "commissioners.workstation"


def test_an_event_written_as_two_logs_counts_once_everywhere(world, commissioner, fulfilled, api_for):
    agreement, event = fulfilled
    confirmed_log(world, commissioner, training_event=event)
    confirmed_log(world, commissioner, training_event=event, served_on=on(3, 4))
    confirmed_log(world, commissioner, participants=10, served_on=on(4, 1))  # a training without an event
    # Agreement: the event (1 training, 3 trainees) + the log without event (1, 10); never the linked logs' 99s.
    assert trained(agreement) == (2, 13)
    # Stored village figures hold the logs' own figures: three services, one training of their own.
    stored = VillageYearFigures.objects.get(village=world.areas["village_a1"], year=YEAR)
    assert (stored.services, stored.trainings, stored.trainees) == (3, 1, 10)
    for area in ("county_a", "province"):
        totals = statistics.commissioner_statistics(world.areas[area], YEAR)["totals"]
        assert (totals["services"], totals["trainings"], totals["trainees"]) == (3, 2, 13)
    groups = {
        row["area"].name: row for row in statistics.commissioner_statistics(world.areas["county_a"], YEAR)["groups"]
    }
    assert (groups["隐贤镇"]["trainings"], groups["隐贤镇"]["trainees"]) == (2, 13)
    assert statistics.commissioner_statistics(world.areas["county_a"], YEAR + 1)["totals"]["trainings"] == 0
    api = api_for("county_admin")
    body = api.get(reverse("report-commissioners"), {"area": world.areas["county_a"].code, "year": YEAR}).json()
    assert (body["totals"]["trainings"], body["totals"]["trainees"]) == (2, 13)
    progress = api.get(reverse("agreement-detail", args=[agreement.pk])).json()["progress"]
    assert {row["key"]: row["actual"] for row in progress}["trainees"] == 13


def test_an_event_fulfilling_the_agreement_counts_without_any_log(world, fulfilled):
    agreement, _event = fulfilled
    assert trained(agreement) == (1, 3)
    totals = statistics.commissioner_statistics(world.areas["county_a"], YEAR)["totals"]
    assert (totals["services"], totals["trainings"], totals["trainees"]) == (0, 1, 3)


def test_a_log_without_event_counts_as_before(world, commissioner):
    agreement = signed_agreement(world, commissioner)
    confirmed_log(world, commissioner, participants=25)
    assert trained(agreement) == (1, 25)
    assert statistics.commissioner_statistics(world.areas["county_a"], YEAR)["totals"]["trainees"] == 25


def test_an_event_not_yet_held_counts_nothing_until_it_is(world, commissioner):
    agreement = signed_agreement(world, commissioner)
    event = make_event(world, agreement, trainers=[commissioner])
    confirmed_log(world, commissioner, training_event=event)
    assert trained(agreement) == (0, 0)
    assert statistics.commissioner_statistics(world.areas["county_a"], YEAR)["totals"]["trainings"] == 0
    training.hold_event(world.users["county_admin"], event)
    assert trained(agreement) == (1, 3)
    assert statistics.commissioner_statistics(world.areas["county_a"], YEAR)["totals"]["trainees"] == 3


def test_a_log_records_only_a_training_of_its_own_agreements(world, commissioner, make_commissioner, fulfilled):
    _agreement, event = fulfilled
    wang = make_commissioner("wang", villages=["village_a1"])
    others = make_event(world, signed_agreement(world, wang), trainers=[commissioner, wang])
    unlinked = make_event(world, None, trainers=[commissioner])
    before = ServiceLog.objects.count()
    refusals = [
        ({"training_event": others}, "training_event"),  # fulfils another commissioner's agreement
        ({"training_event": unlinked}, "training_event"),  # fulfils nothing
        ({"training_event": event, "kind": ServiceKind.GUIDANCE}, "training_event"),
        ({"training_event": event, "served_on": on(3, 10)}, "served_on"),  # not one of the training's days
    ]
    for fields, field in refusals:
        with pytest.raises(ValidationError) as refused:
            logs.log_service(
                world.users["expert"],
                village=world.areas["village_a1"],
                summary="培训",
                **{"kind": ServiceKind.TRAINING, "served_on": on(3, 3), **fields},
            )
        assert field in refused.value.message_dict
    assert ServiceLog.objects.count() == before
    # wang trains `others` too, but may record it: it fulfils his agreement.
    assert confirmed_log(world, wang, training_event=others).training_event == others


def test_a_commissioner_links_only_events_they_may_see(world, commissioner, make_commissioner, fulfilled, api_for):
    _agreement, event = fulfilled
    # An event fulfilling the agreement that the commissioner neither trains nor attends: not theirs to see.
    hidden = make_event(world, _agreement, trainers=[make_commissioner("wang", villages=["village_a1"])])
    form = ServiceLogForm(user=world.users["expert"])
    assert list(form.fields["training_event"].queryset) == [event]
    body = {
        "village": world.areas["village_a1"].code,
        "kind": "training",
        "served_on": on(3, 3).isoformat(),
        "summary": "培训",
        "training_event": hidden.pk,
    }
    api = api_for("expert")
    refused = api.post(reverse("service-log-list"), body, format="json")
    assert refused.status_code == 400 and "training_event" in refused.json()
    created = api.post(reverse("service-log-list"), {**body, "training_event": event.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["training_event"] == event.pk


def test_the_log_page_names_the_training_it_records(world, commissioner, fulfilled, client_for):
    _agreement, event = fulfilled
    entry = confirmed_log(world, commissioner, training_event=event)
    page = client_for("expert").get(reverse("commissioners:log-detail", args=[entry.pk]))
    assert page.status_code == 200
    assert reverse("training:event-detail", args=[event.pk]) in page.content.decode()
    form = client_for("expert").get(reverse("commissioners:log-create"))
    assert f'<option value="{event.pk}">' in form.content.decode()


def test_event_figures_take_a_constant_number_of_queries(
    world, commissioner, make_commissioner, fulfilled, django_assert_max_num_queries
):
    wang = make_commissioner("wang", villages=["village_a1", "village_a2"])
    for village in ("village_a1", "village_a2"):
        make_event(world, signed_agreement(world, wang, village), trainers=[wang], area=village, trainees=2)
    all_agreements = list(Agreement.objects.all())
    statistics.commissioner_statistics(world.areas["county_a"], YEAR)  # warms the content-type cache
    # The statistics without events took ten queries; the events add three.
    with django_assert_max_num_queries(13):
        statistics.commissioner_statistics(world.areas["province"], YEAR)
    with django_assert_max_num_queries(4):
        statistics.progress(all_agreements)
