"""Django admin for operators, read-only: trainings are run, and people registered and signed in, through the scoped
pages and the API (services), never here."""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.training.articles.models import Article
from sciaid.training.models import (
    Attendance,
    Feedback,
    Registration,
    TrainerFigures,
    TrainingEvent,
    TrainingFigures,
    TrainingKindFigures,
    TrainingMaterial,
)


@admin.register(TrainingEvent)
class TrainingEventAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "area", "starts_on", "ends_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    date_hierarchy = "starts_on"
    raw_id_fields = ("area",)


@admin.register(TrainingMaterial)
class TrainingMaterialAdmin(ReadOnlyAdmin):
    list_display = ("title", "event", "media_type", "size")
    raw_id_fields = ("event",)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    #: The masked phone only: the admin is no back door to personal data.
    list_display = ("name", "event", "kind", "area", "phone_masked", "walk_in")
    list_filter = ("kind", "walk_in")
    raw_id_fields = ("event", "household", "expert", "area")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("registration", "event", "day", "source")
    list_filter = ("source",)
    raw_id_fields = ("registration", "event", "area")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("registration", "event", "rating", "comment")
    list_filter = ("rating",)
    raw_id_fields = ("registration", "event", "area")


@admin.register(TrainingFigures)
class TrainingFiguresAdmin(ReadOnlyAdmin):
    """Derived rows, kept by the services (`refresh_training_figures` recomputes them after a bulk load)."""

    list_display = ("area", "year", "distinct_trainees", "poor_household_trainees", "ratings", "satisfied")
    list_filter = ("year",)
    raw_id_fields = ("area",)


@admin.register(TrainingKindFigures)
class TrainingKindFiguresAdmin(ReadOnlyAdmin):
    list_display = ("area", "year", "kind", "events", "trainees")
    list_filter = ("year", "kind")
    raw_id_fields = ("area",)


@admin.register(TrainerFigures)
class TrainerFiguresAdmin(ReadOnlyAdmin):
    list_display = ("expert", "area", "year", "events", "trainees", "ratings")
    list_filter = ("year",)
    raw_id_fields = ("expert", "area")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "area", "status", "published_at", "reads")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("area", "author", "category")
