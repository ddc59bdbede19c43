"""Samples of the information models for the generic jurisdiction tests (see sciaid/tests/samples.py): per county
one notice in review with a PDF attachment, and one market with a price — all made through the services by the
county's admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from sciaid.information import services
from sciaid.information.choices import NewsCategory
from sciaid.information.models import Market, MarketPrice, NewsAttachment, NewsItem, Product
from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample

PDF = b"%PDF-1.4\n% sample notice\n"

#: An item's workflow steps are one URL each.
URL_KWARGS["information:item-action"] = lambda item: {"pk": item.pk, "action": "publish"}


@sample(NewsItem, fingerprints=lambda item: [item.title])
def news_item(world, county):
    title = f"Sample notice {county.upper()}"
    found = NewsItem.objects.filter(title=title).first()
    if found is not None:
        return found
    admin = world.users[COUNTY_ADMINS[county]]
    item = services.save_item(
        admin, title=title, category=NewsCategory.NOTICE, area=world.areas[f"county_{county}"], body="<p>Text</p>"
    )
    services.add_attachment(admin, item, title=f"Sample form {county.upper()}", upload=ContentFile(PDF, "a.pdf"))
    return services.submit_item(admin, item)


@sample(NewsAttachment, fingerprints=lambda attachment: [attachment.title])
def attachment(world, county):
    return NewsAttachment.objects.get(item=news_item(world, county))


@sample(Market, fingerprints=lambda market: [market.name])
def market(world, county):
    name = f"Sample market {county.upper()}"
    found = Market.objects.filter(name=name).first()
    if found is not None:
        return found
    return services.save_market(world.users[COUNTY_ADMINS[county]], name=name, area=world.areas[f"county_{county}"])


@sample(MarketPrice, search=lambda price: None, fingerprints=lambda price: [price.market.name])
def market_price(world, county):
    product, _created = Product.objects.get_or_create(name="Sample rice", defaults={"unit": "元/公斤"})
    row, _created = services.record_price(
        world.users[COUNTY_ADMINS[county]],
        product=product,
        market=market(world, county),
        day=date(2020, 5, 22),
        price=Decimal("2.60"),
    )
    return row
