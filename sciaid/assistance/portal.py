"""Expert assistance on the public portal (`sciaid.core.portal`): how to ask, and the published answers.

The public reads published knowledge entries only, and only their title, question, solution, specialty and date:
the text was scrubbed of names, phone and ID numbers when proposed and again when published (`knowledge.scrub`),
and the village is not shown (in a small village it would point at the farmer who asked). Answers published are
tallied per county and year (`core.portal` tallies, recounted by `services.knowledge`).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.models import KnowledgeEntry
from sciaid.assistance.services.knowledge import PORTAL_TALLY
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
from sciaid.regions.portal import area_tallies, counted

#: The only columns a public page reads.
PUBLIC_FIELDS = ("title", "question", "body", "published_at", "specialty__name_zh", "specialty__name_en")
#: Answers listed in the portal's entrance.
LATEST = 3
#: The tally of answers published per county and year (its key).
ANSWERS = "assistance_answers"


def public_answers(area=None) -> QuerySet:
    """Published entries, newest first; of villages under `area` when given."""
    entries = KnowledgeEntry.objects.filter(status=KnowledgeStatus.PUBLISHED)
    if area is not None:
        entries = entries.filter(village__code__range=area.subtree_bounds)
    return entries.select_related("specialty").only(*PUBLIC_FIELDS).order_by("-published_at", "-id")


def section(area) -> PortalSection:
    answers = public_answers(area)[:LATEST]
    return PortalSection(
        key="assistance",
        title=_("Expert assistance"),
        summary=_(
            "A technical problem with crops, livestock or fish? Tell your village information officer, or log in and "
            "submit a demand: the county routes it to an expert, who answers online or comes to the field."
        ),
        links=(
            PortalLink(_("How to ask"), reverse("qa:list") + "#ask"),
            PortalLink(_("Questions and answers"), f"{reverse('qa:list')}?area={area.code}"),
        ),
        items=tuple(
            PortalItem(entry.title, reverse("qa:detail", args=[entry.pk]), entry.specialty.name) for entry in answers
        ),
    )


def figures(area, year: int) -> list[Figure]:
    """Answers published in the year for the area's villages: the tallies of its counties."""
    return [Figure(_("Answers published"), area_tallies(area, year, [ANSWERS])[ANSWERS])]


def count_answers(place: Place | None) -> Counts:
    published = KnowledgeEntry.objects.filter(status=KnowledgeStatus.PUBLISHED)
    return counted(published, place, code="village__code", day="published_at", **{ANSWERS: Count("pk")})


class AnswerSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return KnowledgeEntry.objects.filter(status=KnowledgeStatus.PUBLISHED).only("published_at").order_by("pk")

    def location(self, entry: KnowledgeEntry) -> str:
        return reverse("qa:detail", args=[entry.pk])

    def lastmod(self, entry: KnowledgeEntry):
        return entry.published_at


register_tally(Tally(PORTAL_TALLY, (ANSWERS,), count=count_answers))
register_portal(PortalFunction("assistance", 10, section=section, figures=figures, sitemaps={"answers": AnswerSitemap}))
