"""What the public training pages show, without login: published events and articles only, never a person.

An event is public from its publication (open for registration) until it is reported; drafts and cancelled events
are not. Only counts of registrations leave here, never who registered. Articles of a county are those it
published and those of the city and province above it, which are meant for its farmers too.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area
from sciaid.training.choices import TrainingStatus
from sciaid.training.models import TrainingEvent
from sciaid.training.search import published_articles

#: Events a visitor may open: announced, held, or reported; not drafts, not cancelled ones.
PUBLIC_STATES = (TrainingStatus.PUBLISHED, TrainingStatus.HELD, TrainingStatus.REPORTED)
#: How many upcoming events and latest articles a county's page lists.
EVENTS_SHOWN = 30
ARTICLES_SHOWN = 10
#: The only columns of an event a public page reads: nothing that names a person.
EVENT_FIELDS = (
    "title",
    "kind",
    "organiser_kind",
    "organiser_name",
    "address",
    "starts_on",
    "ends_on",
    "capacity",
    "description",
    "status",
    "area__name",
    "area__code",
    "area__level",
    "area__parent__name",
)


def county_by_code(code: str) -> Area:
    """The county of a 6-digit prefix or a 12-digit code; 404 for anything else."""
    full = code.ljust(12, "0") if len(code) == CODE_DIGITS[AreaLevel.COUNTY] else code
    return get_object_or_404(Area.objects.select_related("parent"), level=AreaLevel.COUNTY, code=full)


def upcoming(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status=TrainingStatus.PUBLISHED, ends_on__gte=timezone.localdate())


def public_events() -> QuerySet:
    """Events a visitor may see, with the count of registrations (`registered`), reading no personal column."""
    return (
        TrainingEvent.objects.filter(status__in=PUBLIC_STATES)
        .select_related("area", "area__parent")
        .only(*EVENT_FIELDS)
        .with_figures()
    )


def county_events(county: Area) -> list[TrainingEvent]:
    """The county's upcoming events, soonest first."""
    events = upcoming(public_events()).filter(area__code__range=county.subtree_bounds)
    return list(events.order_by("starts_on", "pk")[:EVENTS_SHOWN])


def county_articles(county: Area) -> list:
    """The latest published articles for the county: its own and those of the areas above it."""
    codes = [county.code, *county.ancestor_codes()]
    return list(
        published_articles().filter(area__code__in=codes).only("title", "summary", "published_at")[:ARTICLES_SHOWN]
    )


def public_counties() -> QuerySet:
    """Counties with something to show: an upcoming event somewhere in them, or an article of their own."""
    digits = CODE_DIGITS[AreaLevel.COUNTY]
    prefixes = (
        upcoming(TrainingEvent.objects.all())
        .annotate(county=Substr("area__code", 1, digits))
        .values_list("county", flat=True)
        .distinct()
    )
    codes = {prefix.ljust(12, "0") for prefix in prefixes}
    own_articles = published_articles().filter(area_id=OuterRef("pk"))
    return (
        Area.objects.filter(level=AreaLevel.COUNTY)
        .filter(Q(code__in=codes) | Q(Exists(own_articles)))
        .select_related("parent")
        .order_by("code")
    )
