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

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.models import Job, ObjectChange
from sciaid.core.roles import Role
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
    household = world.households[f"household_{county}1"]
    return ObjectChange.objects.filter(area_code=household.village.code, object_id=str(household.pk)).first()


@sample(Job, fingerprints=lambda job: [job.kind])
def job(world, county):
    job = Job(kind=f"sample-export-{county}", requested_by=world.users[COUNTY_ADMINS[county]])
    job.result_file.save(f"export-{county}.csv", ContentFile(b"sample"), save=False)
    job.save()
    return job


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
