"""Samples of the funds models for the generic jurisdiction tests: per county a budget, an allocation to the
county's first village (so its statement page has a recipient object), and an expenditure with a voucher."""

from datetime import date

from django.core.files.base import ContentFile

from sciaid.funds import services
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource
from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample

PDF = b"%PDF-1.4\n% sample voucher\n"

URL_KWARGS["funds:statement"] = lambda allocation: {"ct": allocation.content_type_id, "object_id": allocation.object_id}


@sample(FundSource, search=lambda source: source.name_en, fingerprints=lambda source: [source.code])
def fund_source(world, county):
    """A catalogue every reader of the books sees: the counties' samples are simply two of its entries."""
    return FundSource.objects.order_by("position")[0 if county == "a" else 1]


@sample(Budget, search=lambda budget: budget.purpose, fingerprints=lambda budget: [budget.purpose])
def budget(world, county):
    purpose = f"Sample budget {county}"
    found = Budget.objects.filter(purpose=purpose).first()
    if found:
        return found
    return services.create_budget(
        world.users[COUNTY_ADMINS[county]],
        year=2020,
        area=world.areas[f"county_{county}"],
        source=FundSource.objects.get(code="county"),
        amount="10000",
        purpose=purpose,
    )


@sample(Allocation, search=lambda a: a.recipient_name, fingerprints=lambda a: [a.recipient_name])
def allocation(world, county):
    name = f"Sample recipient {county}"
    found = Allocation.objects.filter(recipient_name=name).first()
    if found:
        return found
    return services.allocate(
        world.users[COUNTY_ADMINS[county]],
        budget(world, county),
        recipient_kind="organisation",
        recipient=world.areas[f"village_{county}1"],
        recipient_name=name,
        amount="6000",
        purpose="Sample allocation",
        allocated_on=date(2020, 3, 1),
    )


@sample(Expenditure, search=lambda e: e.payee, fingerprints=lambda e: [e.payee])
def expenditure(world, county):
    payee = f"Sample payee {county}"
    found = Expenditure.objects.filter(payee=payee).first()
    if found:
        return found
    return services.spend(
        world.users[COUNTY_ADMINS[county]],
        allocation(world, county),
        category="training",
        amount="1000",
        spent_on=date(2020, 4, 1),
        payee=payee,
        voucher=ContentFile(PDF, name="voucher.pdf"),
    )
