"""One sample object per model and county, for the generic jurisdiction tests (sciaid/tests/test_jurisdiction.py).

Every model served by an API viewset or a scoped HTML view needs an entry here, or the jurisdiction test fails: a new
endpoint is covered by registering how to make (or find) one object of its model in county "a" and one in county
"b" of the test world (sciaid.testing), nothing else. County "a" is run by `county_admin`, county "b" by
`county_admin_b`; each must see its own county's sample and never the other's.

    @sample(Demand, search=lambda d: d.title)
    def demand(world, county):
        return Demand.objects.create(village=world.areas[f"village_{county}1"], title=f"Sample demand {county}", ...)

`search(obj)` is the text that `?q=` finds the object by (default: its name, head_name, title or username);
`fingerprints(obj)` are strings that identify the object in a page or a spreadsheet export (default: the values of
its unique text fields). The test checks both against the own county's sample too, so they cannot silently miss.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance.models import Demand
from sciaid.core.models import CalendarDay, Job, Notification, ObjectChange
from sciaid.core.roles import Role
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.models import Area, CadrePairing, Household, Visit

COUNTIES = ("a", "b")
#: The persona who runs each county.
COUNTY_ADMINS = {"a": "county_admin", "b": "county_admin_b"}
#: URL kwargs other than the object's pk or slug: {url name: function(obj) -> kwargs}.
URL_KWARGS: dict[str, Callable[[models.Model], dict]] = {}


def default_search(obj) -> str | None:
    for attr in ("name", "head_name", "title", "username"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return None


def default_fingerprints(obj) -> list[str]:
    values = []
    for f in obj._meta.concrete_fields:
        if f.unique and isinstance(f, models.CharField) and f.editable and not f.primary_key:
            value = getattr(obj, f.attname)
            if value:
                values.append(str(value))
    return values


@dataclass(frozen=True)
class Sample:
    factory: Callable
    search: Callable[[models.Model], str | None] = default_search
    fingerprints: Callable[[models.Model], list[str]] = default_fingerprints


SAMPLES: dict[type[models.Model], Sample] = {}


def sample(model: type[models.Model], **options):
    """Register `factory(world, county) -> instance in that county` as the sample of `model`."""

    def register(factory):
        SAMPLES[model] = Sample(factory, **options)
        return factory

    return register


# --- core -------------------------------------------------------------------------------------------------------


@sample(ObjectChange, fingerprints=lambda change: [])
def object_change(world, county):
    """The county's newest entry: the audit list shows the newest first, one page of them."""
    village = world.households[f"household_{county}1"].village
    return ObjectChange.objects.filter(area_code=village.code).order_by("-time", "-id").first()


@sample(Job, fingerprints=lambda job: [job.kind])
def job(world, county):
    job = Job(kind=f"sample-export-{county}", requested_by=world.users[COUNTY_ADMINS[county]])
    job.result_file.save(f"export-{county}.csv", ContentFile(b"sample"), save=False)
    job.save()
    return job


@sample(CalendarDay, fingerprints=lambda day: [])
def calendar_day(world, county):
    """The work calendar is a catalogue every role with a page on it reads: two days of the year its page opens on."""
    day = date(timezone.localdate().year, 12, {"a": 30, "b": 31}[county])
    return CalendarDay.objects.get_or_create(date=day, defaults={"name": f"Sample day {county}"})[0]


@sample(Notification)
def notification(world, county):
    """A message in the county admin's own inbox: an inbox is scoped to its owner, not to an area."""
    return Notification.objects.create(recipient=world.users[COUNTY_ADMINS[county]], title=f"Sample notice {county}")


# --- regions ----------------------------------------------------------------------------------------------------


@sample(Area)
def area(world, county):
    return world.areas[f"village_{county}1"]


@sample(Household)
def household(world, county):
    return world.households[f"household_{county}1"]


@sample(CadrePairing, search=lambda p: p.cadre_name, fingerprints=lambda p: [p.cadre_name])
def pairing(world, county):
    return CadrePairing.objects.get(household=world.households[f"household_{county}1"])


@sample(Visit, fingerprints=lambda v: [v.pairing.cadre_name])
def visit(world, county):
    return Visit.objects.select_related("pairing").get(pairing__household=world.households[f"household_{county}1"])


# --- accounts ---------------------------------------------------------------------------------------------------


def member(world, county) -> User:
    """A village info officer of the county, with a name that is nobody else's substring."""
    username = f"sample_member_{county}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password="pw", full_name=f"Sample {county.upper()}")
        RoleGrant.objects.create(user=user, role=Role.INFO_OFFICER, area=world.areas[f"village_{county}1"])
    return user


sample(User)(member)


@sample(RoleGrant, fingerprints=lambda grant: [grant.user.username])
def grant(world, county):
    return RoleGrant.objects.select_related("user").get(user=member(world, county))


# --- experts ----------------------------------------------------------------------------------------------------


@sample(Expert, fingerprints=lambda expert: [expert.name])
def expert(world, county):
    """A county-level commissioner of the county, with a login of their own."""
    user = User.objects.create_user(f"sample_expert_{county}", password="pw")
    RoleGrant.objects.create(user=user, role=Role.EXPERT, area=world.areas[f"county_{county}"])
    made = Expert.objects.create(
        user=user,
        name=f"Sample expert {county.upper()}",
        organisation="Sample institute",
        home_area=world.areas[f"county_{county}"],
        is_commissioner=True,
        phone=f"1390000000{'12'[COUNTIES.index(county)]}",
    )
    made.specialties.add(Specialty.objects.get(code="river-crabs"))
    return made


@sample(Pairing, search=lambda p: p.expert.name, fingerprints=lambda p: [p.expert.name])
def expert_pairing(world, county):
    return Pairing.objects.create(
        expert=Expert.objects.get(user__username=f"sample_expert_{county}"),
        village=world.areas[f"village_{county}1"],
        year=2020,
    )


@sample(Specialty, fingerprints=lambda specialty: [specialty.code])
def specialty(world, county):
    """The tree is a catalogue every role reads: the counties' samples are simply two of its nodes."""
    return Specialty.objects.get(code={"a": "river-crabs", "b": "tea"}[county])


# --- assistance -------------------------------------------------------------------------------------------------


@sample(Demand, fingerprints=lambda demand: [demand.title])
def demand(world, county):
    """A demand of the county's first village, submitted by its info officer."""
    officer = world.users[{"a": "info_officer", "b": "info_officer_b"}[county]]
    return Demand.objects.create(
        title=f"Sample demand {county.upper()}",
        description="Crabs die in July",
        specialty=Specialty.objects.get(code="river-crabs"),
        village=world.areas[f"village_{county}1"],
        requester=officer,
        requester_role=Role.INFO_OFFICER,
    )


#: A demand's actions are one URL each: the jurisdiction tests post the rejection, which needs the demand's county.
URL_KWARGS["assistance:demand-action"] = lambda demand: {"pk": demand.pk, "action": "reject"}


# --- the other apps -----------------------------------------------------------------------------------------------
# Apps above assistance keep their samples beside their tests, in `sciaid/<app>/tests/samples.py`, registered with
# the same `@sample` decorator; importing them here is what registers them.
def _app_samples(name: str) -> bool:
    has_tests = importlib.util.find_spec(f"{name}.tests") is not None
    return has_tests and importlib.util.find_spec(f"{name}.tests.samples") is not None


for _config in django_apps.get_app_configs():
    if _config.name.startswith("sciaid.") and _app_samples(_config.name):
        importlib.import_module(f"{_config.name}.tests.samples")

#: Built last, after every other sample has written its audit entries, so that it is on the audit list's first page.
SAMPLES[ObjectChange] = SAMPLES.pop(ObjectChange)
