"""Samples of the demonstration models for the generic jurisdiction tests (see sciaid/tests/samples.py), made
through the services by the county's admin: per county a site in a village, a year of its figures and a photo."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sciaid.demonstration import services
from sciaid.demonstration.choices import OperatorKind
from sciaid.demonstration.models import DemoSite, SiteFigures, SitePhoto
from sciaid.experts.models import Specialty
from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample

URL_KWARGS["demonstration:site-action"] = lambda site: {"pk": site.pk, "action": "publish"}
URL_KWARGS["demonstration:figures-create"] = lambda figures: {"pk": figures.site_id}

FIGURES = {
    "output": Decimal("12.50"),
    "yield_per_mu": Decimal("75"),
    "income": Decimal("180000"),
    "households_driven": 20,
    "poor_income_increase": Decimal("2500"),
}


def png(name: str = "site.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@sample(DemoSite, fingerprints=lambda site: [site.name])
def site(world, county):
    name = f"Sample site {county.upper()}"
    return DemoSite.objects.filter(name=name).first() or services.save_site(
        world.users[COUNTY_ADMINS[county]],
        name=name,
        operator_kind=OperatorKind.COOPERATIVE,
        operator_name=f"Sample cooperative {county.upper()}",
        village=world.areas[f"village_{county}1"],
        industry=Specialty.objects.get(code="river-crabs"),
        area_mu=Decimal("100"),
    )


@sample(SiteFigures, search=lambda figures: None, fingerprints=lambda figures: [])
def figures(world, county):
    return services.record_figures(world.users[COUNTY_ADMINS[county]], site(world, county), year=2020, **FIGURES)[0]


@sample(SitePhoto, search=lambda photo: None, fingerprints=lambda photo: [])
def photo(world, county):
    found = SitePhoto.objects.filter(site=site(world, county)).first()
    return found or services.add_photos(world.users[COUNTY_ADMINS[county]], site(world, county), [png()])[0]
