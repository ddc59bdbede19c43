"""Samples of the achievement models for the generic jurisdiction tests (see sciaid/tests/samples.py), all made
through the services by the county's admin: per county an achievement in review (a published one would be read
province-wide), an open technology need, and a transfer of a published achievement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sciaid.achievements import services
from sciaid.achievements.choices import AchievementKind, RequesterKind, TransferMode
from sciaid.achievements.models import Achievement, TechnologyNeed, Transfer
from sciaid.experts.models import Specialty
from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample

#: A workflow's steps are one URL each.
URL_KWARGS["achievements:achievement-action"] = lambda item: {"pk": item.pk, "action": "publish"}
URL_KWARGS["achievements:need-action"] = lambda need: {"pk": need.pk, "action": "close"}
URL_KWARGS["achievements:transfer-action"] = lambda transfer: {"pk": transfer.pk, "action": "sign"}


def entry(world, county: str, title: str) -> Achievement:
    found = Achievement.objects.filter(title=title).first()
    if found is not None:
        return found
    return services.save_achievement(
        world.users[COUNTY_ADMINS[county]],
        title=title,
        kind=AchievementKind.TECHNIQUE,
        owner="Sample institute",
        area=world.areas[f"county_{county}"],
        transfer_modes=[TransferMode.LICENCE],
        description="Sample technique",
        contact="Sample contact 13900000000",
        industries=[Specialty.objects.get(code="river-crabs")],
    )


@sample(Achievement, fingerprints=lambda item: [item.title])
def achievement(world, county):
    item = entry(world, county, f"Sample achievement {county.upper()}")
    return item if item.status != "draft" else services.submit_achievement(world.users[COUNTY_ADMINS[county]], item)


@sample(TechnologyNeed, fingerprints=lambda need: [need.title])
def need(world, county):
    title = f"Sample need {county.upper()}"
    return TechnologyNeed.objects.filter(title=title).first() or services.save_need(
        world.users[COUNTY_ADMINS[county]],
        title=title,
        description="Crabs die in July",
        area=world.areas[f"village_{county}1"],
        industry=Specialty.objects.get(code="river-crabs"),
        requester_kind=RequesterKind.COOPERATIVE,
    )


@sample(Transfer, search=lambda transfer: transfer.recipient, fingerprints=lambda transfer: [transfer.recipient])
def transfer(world, county):
    recipient = f"Sample recipient {county.upper()}"
    found = Transfer.objects.filter(recipient=recipient).first()
    if found is not None:
        return found
    admin = world.users[COUNTY_ADMINS[county]]
    published = entry(world, county, f"Sample published achievement {county.upper()}")
    if published.status == "draft":
        services.publish_achievement(admin, services.submit_achievement(admin, published))
    return services.save_transfer(
        admin,
        achievement=published,
        recipient=recipient,
        area=world.areas[f"village_{county}1"],
        mode=TransferMode.LICENCE,
        contract_value=Decimal("1000.00"),
        signed_on=date(2020, 4, 1),
        households_count=3,
    )
