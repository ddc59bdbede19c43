"""The demo's trainings: the seeds' commissioner course (May 22–24 2020, 54 trainees), a year of farmer trainings
that reads as real, and one training coming up in the demo info officer's village; each demo login sees its part."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.training.choices import TrainingKind, TrainingStatus
from sciaid.training.models import Feedback, Registration, TrainingEvent
from sciaid.training.statistics import area_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(small_demo):
    return small_demo


def test_the_commissioner_course_of_the_seeds(demo):
    course = TrainingEvent.objects.with_figures().get(kind=TrainingKind.COMMISSIONER)
    assert (course.starts_on.isoformat(), course.ends_on.isoformat()) == ("2020-05-22", "2020-05-24")
    assert (course.status, course.trainees, course.area.name) == (TrainingStatus.REPORTED, 54, "寿县")
    assert course.materials.count() == 1 and course.trainers.count() == 3


def test_a_year_of_farmer_trainings_reads_as_real(demo):
    figures = area_statistics(User.objects.get(username="county_admin").grants.get().area, 2020)
    assert figures["events"] >= 15
    assert figures["distinct_trainees"] < figures["trainees"], "some villagers came more than once"
    assert 0 < figures["poor_household_trainees"] < figures["distinct_trainees"]
    assert figures["satisfaction"]["satisfied_percent"] > 80
    assert {row["kind"] for row in figures["by_kind"] if row["events"]} == set(TrainingKind.values)


def test_a_training_is_coming_up_in_the_info_officers_village(demo, client):
    coming = TrainingEvent.objects.get(status=TrainingStatus.PUBLISHED)
    assert coming.starts_on > timezone.localdate() and coming.area.name == "姚祠村"
    officer = User.objects.get(username="info_officer")
    assert Registration.objects.filter(event=coming, created_by=officer).count() == 8
    client.force_login(officer)
    assert coming.title in client.get(reverse("training:event-list"), {"upcoming": "true"}).content.decode()
    assert TrainingEvent.objects.filter(status=TrainingStatus.DRAFT).count() == 1


def test_the_demo_farmer_and_expert_see_their_part(demo, client):
    farmer = User.objects.get(username="farmer")
    own = Registration.objects.filter(household=farmer.household, event__status=TrainingStatus.REPORTED)
    assert Feedback.objects.filter(registration__in=own, created_by=farmer).exists()
    assert own.exclude(feedback__isnull=False).exists(), "one attended training is left for the farmer to rate"
    client.force_login(farmer)
    assert "姚祠村" in client.get(reverse("training:mine")).content.decode()
    expert = User.objects.get(username="expert")
    assert TrainingEvent.objects.filter(trainers__user=expert, area__name="姚祠村").count() >= 3
