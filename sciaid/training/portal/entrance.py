"""Popular-science training on the public portal (`sciaid.core.portal`): the area's upcoming trainings, the latest
articles published for it (by it, the areas above it and the counties below it), and the year's trainings and
trainees from the stored figures (`TrainingKindFigures`), tallied per county and year (`core.portal` tallies,
recounted by `services.figures.refresh_figures` whenever the stored figures are): a province sums ~200 rows, not
the ~100,000 area rows of its villages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.portal import (
    Counts,
    Figure,
    Place,
    PortalFunction,
    PortalItem,
    PortalLink,
    PortalSection,
    Tally,
    register_portal,
    register_tally,
)
from sciaid.regions.choices import AreaLevel
from sciaid.regions.portal import area_tallies, counted, publishing_area_ids
from sciaid.training.models import TrainingEvent, TrainingKindFigures
from sciaid.training.portal import public
from sciaid.training.search import published_articles
from sciaid.training.services.figures import PORTAL_TALLY

#: Upcoming trainings and latest articles listed in the portal's entrance.
EVENTS = 3
ARTICLES = 2
#: The tallies' keys: trainings held at the area's venues, trainees of its people.
HELD, TRAINEES = "training_events", "training_trainees"


def section(area) -> PortalSection:
    events = public.upcoming(TrainingEvent.objects.filter(area__code__range=area.subtree_bounds))
    articles = published_articles().filter(area_id__in=publishing_area_ids(area)).only("title")[:ARTICLES]
    trainings = (
        reverse("training:public-county", args=[area.code])
        if area.level == AreaLevel.COUNTY
        else reverse("training:public-counties")
    )
    return PortalSection(
        key="training",
        title=_("Popular-science training"),
        summary=_("Courses in the villages and fields, and a knowledge base of articles, videos and leaflets."),
        links=(
            PortalLink(_("Trainings and articles"), trainings),
            PortalLink(_("Search the knowledge base"), reverse("training:search")),
        ),
        items=(
            *(
                PortalItem(
                    event.title, reverse("training:public-event", args=[event.pk]), f"{event.starts_on:%Y-%m-%d}"
                )
                for event in events.only("title", "starts_on").order_by("starts_on", "pk")[:EVENTS]
            ),
            *(
                PortalItem(article.title, reverse("training:article-detail", args=[article.pk]), _("Article"))
                for article in articles
            ),
        ),
    )


def figures(area, year: int) -> list[Figure]:
    """Trainings held in the area and trainees of its people in the year: the tallies of its counties."""
    sums = area_tallies(area, year, [HELD, TRAINEES])
    return [Figure(_("Trainings held"), sums[HELD]), Figure(_("Trainees"), sums[TRAINEES])]


def count_figures(place: Place | None) -> Counts:
    sums = {HELD: Sum("events"), TRAINEES: Sum("trainees")}
    return counted(TrainingKindFigures.objects.all(), place, code="area__code", year="year", **sums)


def latest_year() -> int | None:
    return TrainingKindFigures.objects.aggregate(year=Max("year"))["year"]


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return published_articles().only("published_at").order_by("pk")

    def location(self, article) -> str:
        return reverse("training:article-detail", args=[article.pk])

    def lastmod(self, article):
        return article.published_at


class EventSitemap(Sitemap):
    """Announced, held and reported trainings (their public page shows no person)."""

    changefreq = "weekly"

    def items(self) -> QuerySet:
        return TrainingEvent.objects.filter(status__in=public.PUBLIC_STATES).only("pk").order_by("pk")

    def location(self, event) -> str:
        return reverse("training:public-event", args=[event.pk])


register_tally(Tally(PORTAL_TALLY, (HELD, TRAINEES), count=count_figures))
register_portal(
    PortalFunction(
        "training",
        40,
        section=section,
        figures=figures,
        latest_year=latest_year,
        sitemaps={"articles": ArticleSitemap, "trainings": EventSitemap},
    )
)
