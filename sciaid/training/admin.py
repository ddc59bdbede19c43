"""Django admin for operators, read-only: trainings are run, and people registered and signed in, through the scoped
pages and the API (services), never here."""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.training.models import Attendance, Feedback, Registration, TrainingEvent, TrainingMaterial


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
