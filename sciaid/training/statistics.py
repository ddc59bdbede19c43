"""Training figures for an area and a year, for the statistics page, its API twin and the apps above.

- events: trainings held (or held and reported) whose venue lies in the area, by their first day;
- trainees (培训人次): people signed in, each once per event however many days they came;
- distinct trainees (人数): people signed in at least once in the year, each once across all events — a household
  member known by household and name, anyone else by phone, an expert by profile (`models.person_key`);
- poor-household trainees: distinct trainees who are members of registered poor households;
- satisfaction: the trainees' 1–5 ratings, mean and share rated 4 or 5.

Trainee figures count the people of the area (a sign-in stores the trainee's village), so a township's figures
include its people trained at the county's courses. They are read from the figures the services store per area
and year (`services.figures`): a constant three queries whatever the area, province included. Distinct trainees
are a sum over areas, exact while a person's key belongs to one village (see `models.TrainingFigures`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from sciaid.core.scoping import VIEW, Scope, is_unrestricted, user_grants
from sciaid.regions import reports
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.training.choices import TOOK_PLACE, TrainingKind
from sciaid.training.models import (
    MANAGERS,
    READERS,
    Attendance,
    TrainerFigures,
    TrainingEvent,
    TrainingFigures,
    TrainingKindFigures,
)
from sciaid.training.services.figures import TRAINEE_FIELDS

#: Who reads the training statistics of their areas.
STATISTICS_READERS = MANAGERS | READERS


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


def in_area(area: Area, year: int) -> dict:
    """The stored rows of the areas under `area` (itself included) for the year."""
    return {"year": year, "area__code__range": area.subtree_bounds}


def total(field: str) -> Coalesce:
    return Coalesce(Sum(field), 0)


def satisfaction(ratings: int, rating_sum: int, satisfied: int) -> dict:
    return {
        "ratings": ratings,
        "mean_rating": mean(Decimal(rating_sum) / ratings if ratings else None),
        "satisfied_percent": percent(satisfied, ratings),
    }


def area_statistics(area: Area, year: int) -> dict:
    """Every figure of the area and year (see the module docstring), with the events and trainees by kind: two
    queries over the stored figures."""
    people = TrainingFigures.objects.filter(**in_area(area, year)).aggregate(
        **{field: total(field) for field in TRAINEE_FIELDS}
    )
    by_kind = {
        row["kind"]: row
        for row in TrainingKindFigures.objects.filter(**in_area(area, year))
        .values("kind")
        .annotate(events=total("events"), trainees=total("trainees"))
        .order_by()
    }
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "year": year,
        "events": sum(row["events"] for row in by_kind.values()),
        "trainees": sum(row["trainees"] for row in by_kind.values()),
        "distinct_trainees": people["distinct_trainees"],
        "poor_household_trainees": people["poor_household_trainees"],
        "satisfaction": satisfaction(people["ratings"], people["rating_sum"], people["satisfied"]),
        "by_kind": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "events": by_kind.get(kind.value, {}).get("events", 0),
                "trainees": by_kind.get(kind.value, {}).get("trainees", 0),
            }
            for kind in TrainingKind
        ],
    }


def trainer_statistics(area: Area, year: int) -> list[dict]:
    """Per trainer of the area's trainings of the year: events, trainees (once per event), mean rating and how
    many ratings; most events first. One query over the stored trainer figures, whatever the number of trainers."""
    rows = (
        TrainerFigures.objects.filter(**in_area(area, year))
        .values("expert", "expert__name", "expert__organisation")
        .annotate(
            events=total("events"), trainees=total("trainees"), ratings=total("ratings"), rating_sum=total("rating_sum")
        )
        .order_by("-events", "-trainees", "expert__name")
    )
    return [
        {
            "expert": row["expert"],
            "name": row["expert__name"],
            "organisation": row["expert__organisation"],
            "events": row["events"],
            "trainees": row["trainees"],
            "mean_rating": mean(Decimal(row["rating_sum"]) / row["ratings"] if row["ratings"] else None),
            "ratings": row["ratings"],
        }
        for row in rows
    ]


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
