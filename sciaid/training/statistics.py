"""Training figures for an area and a year, for the statistics page, its API twin and the apps above.

- events: trainings held (or held and reported) whose venue lies in the area, by their first day;
- trainees (培训人次): people signed in, each once per event however many days they came;
- distinct trainees (人数): people signed in at least once in the year, each once across all events — a household
  member known by household and name, anyone else by phone, an expert by profile (`models.person_key`);
- poor-household trainees: distinct trainees who are members of registered poor households;
- satisfaction: the trainees' 1–5 ratings, mean and share rated 4 or 5.

Trainee figures count the people of the area (a sign-in stores the trainee's village), so a township's figures
include its people trained at the county's courses. Every figure is one aggregate query.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from sciaid.core.scoping import VIEW, Scope, is_unrestricted, user_grants
from sciaid.experts.models import Expert
from sciaid.regions import reports
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.training.choices import TOOK_PLACE, TrainingKind
from sciaid.training.models import MANAGERS, READERS, Attendance, Feedback, TrainingEvent

#: Who reads the training statistics of their areas.
STATISTICS_READERS = MANAGERS | READERS
#: A rating of at least this counts as satisfied.
SATISFIED_RATING = 4


def may_read_statistics(user) -> bool:
    return is_unrestricted(user) or any(grant.role in STATISTICS_READERS for grant in user_grants(user))


def statistics_areas(user) -> models.QuerySet:
    """The areas, down to townships, under the user's grants of a role that reads training statistics."""
    areas = Area.objects.filter(level__lte=AreaLevel.TOWNSHIP).order_by("code")
    if is_unrestricted(user):
        return areas
    condition = Scope(code_path="code", view=STATISTICS_READERS).filter_for(user, VIEW)
    return areas.filter(condition) if condition is not None else areas.none()


def latest_year(area: Area) -> int:
    """The latest year with a training in the area (pages open on it), or this year when there is none."""
    latest = TrainingEvent.objects.filter(area__code__range=area.subtree_bounds).aggregate(last=Max("starts_on"))
    return latest["last"].year if latest["last"] else timezone.localdate().year


def resolve_area_year(user, area_code: str | None, year_text: str | None) -> tuple[Area, int]:
    """The area and year a training report is about (see `regions.reports.resolve_area_year`)."""
    areas = statistics_areas(user)
    return reports.resolve_area_year(
        area_code,
        year_text,
        areas=areas,
        default_area=lambda: areas.order_by("level", "code").first(),
        latest_year=latest_year,
    )


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_bounds(year: int) -> dict:
    return {"gte": date(year, 1, 1), "lt": date(year + 1, 1, 1)}


def events_of(area: Area, year: int) -> models.QuerySet:
    """The trainings that took place in the area with their first day in the year."""
    bounds = year_bounds(year)
    return TrainingEvent.objects.filter(
        area__code__range=area.subtree_bounds,
        starts_on__gte=bounds["gte"],
        starts_on__lt=bounds["lt"],
        status__in=TOOK_PLACE,
    )


def trainee_figures(attendances: models.QuerySet) -> dict:
    """trainees (once per event), distinct trainees (once overall), poor-household trainees (distinct): one query."""
    return attendances.aggregate(
        trainees=Count("registration", distinct=True),
        distinct_trainees=Count("registration__person_key", distinct=True),
        poor_household_trainees=Count(
            "registration__person_key", distinct=True, filter=Q(registration__household__isnull=False)
        ),
    )


def satisfaction(feedback: models.QuerySet) -> dict:
    figures = feedback.aggregate(
        ratings=Count("pk"), mean=Avg("rating"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING))
    )
    return {
        "ratings": figures["ratings"],
        "mean_rating": mean(figures["mean"]),
        "satisfied_percent": percent(figures["satisfied"], figures["ratings"]),
    }


def area_statistics(area: Area, year: int) -> dict:
    """Every figure of the area and year (see the module docstring), with the events and trainees by kind."""
    bounds = year_bounds(year)
    attendances = Attendance.objects.filter(
        area__code__range=area.subtree_bounds, day__gte=bounds["gte"], day__lt=bounds["lt"]
    )
    events = events_of(area, year)
    by_kind_events = dict(events.values_list("kind").annotate(n=Count("pk")).order_by())
    by_kind_trainees = dict(
        attendances.values_list("event__kind").annotate(n=Count("registration", distinct=True)).order_by()
    )
    feedback = Feedback.objects.filter(
        area__code__range=area.subtree_bounds, event__starts_on__gte=bounds["gte"], event__starts_on__lt=bounds["lt"]
    )
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "year": year,
        "events": sum(by_kind_events.values()),
        **trainee_figures(attendances),
        "satisfaction": satisfaction(feedback),
        "by_kind": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "events": by_kind_events.get(kind.value, 0),
                "trainees": by_kind_trainees.get(kind.value, 0),
            }
            for kind in TrainingKind
        ],
    }


def trainer_statistics(area: Area, year: int) -> list[dict]:
    """Per trainer of the area's trainings of the year: events, trainees (once per event), mean rating and how
    many ratings; most events first. Four queries, whatever the number of trainers."""
    events = events_of(area, year)
    taught = dict(
        TrainingEvent.trainers.through.objects.filter(trainingevent__in=events)
        .values_list("expert")
        .annotate(n=Count("trainingevent"))
        .order_by()
    )
    trainees = dict(
        Attendance.objects.filter(event__in=events, event__trainers__isnull=False)
        .values_list("event__trainers")
        .annotate(n=Count("registration", distinct=True))
        .order_by()
    )
    ratings = {
        row["event__trainers"]: row
        for row in Feedback.objects.filter(event__in=events, event__trainers__isnull=False)
        .values("event__trainers")
        .annotate(mean=Avg("rating"), count=Count("pk"))
        .order_by()
    }
    experts = Expert.objects.filter(pk__in=list(taught)).only("name", "organisation")
    rows = [
        {
            "expert": expert.pk,
            "name": expert.name,
            "organisation": expert.organisation,
            "events": taught[expert.pk],
            "trainees": trainees.get(expert.pk, 0),
            "mean_rating": mean(ratings.get(expert.pk, {}).get("mean")),
            "ratings": ratings.get(expert.pk, {}).get("count", 0),
        }
        for expert in experts
    ]
    return sorted(rows, key=lambda row: (-row["events"], -row["trainees"], row["name"]))


def fulfilment_figures(model: type[models.Model], ids) -> dict[int, dict]:
    """{record id: {"events", "trainees"}} of the trainings that took place fulfilling records of `model` (the
    agreements of a commissioner, say): the one source of their training figures. Two queries."""
    content_type = ContentType.objects.get_for_model(model)
    events = TrainingEvent.objects.filter(fulfils_type=content_type, fulfils_id__in=list(ids), status__in=TOOK_PLACE)
    counts = dict(events.values_list("fulfils_id").annotate(n=Count("pk")).order_by())
    trainees = dict(
        Attendance.objects.filter(event__in=events)
        .values_list("event__fulfils_id")
        .annotate(n=Count("registration", distinct=True))
        .order_by()
    )
    return {pk: {"events": counts[pk], "trainees": trainees.get(pk, 0)} for pk in counts}
