"""Shared base model, the audit log and the job table. No domain models live here."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sciaid.core.context import current_user
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedManager

AUDIT_IGNORED_FIELDS = frozenset({"created_at", "updated_at", "created_by", "updated_by"})


def actor_field(verbose_name) -> models.ForeignKey:
    """Who took one step of a workflow (approved, returned, signed): optional until the step is taken, kept when
    the account would be deleted (PROTECT), and never listed from the user's side (no reverse accessor)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class BaseModel(models.Model):
    """Every domain record: when and by whom it was created and last changed, and an audit trail of its values.

    The values loaded from the database are kept so that the audit log can record old → new without a query.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Fields never copied into the audit log (secrets, ciphertext); their masked twins are logged instead.
    audit_exclude: tuple[str, ...] = ()

    objects = ScopedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        user = current_user()
        if user is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def audit_values(self, loaded: bool = False) -> dict:
        """The logged fields' values as JSON-ready data: as loaded from the database, or as they are now."""
        source = getattr(self, "_loaded_values", None) if loaded else None
        if loaded and source is None:
            return {}
        values = {}
        for field in self._meta.concrete_fields:
            if field.name in AUDIT_IGNORED_FIELDS or field.name in self.audit_exclude:
                continue
            value = source.get(field.attname) if loaded else getattr(self, field.attname)
            values[field.attname] = to_json(value)
        return values


def to_json(value):
    """Dates, decimals and UUIDs as the strings DjangoJSONEncoder makes of them."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return DjangoJSONEncoder().default(value)


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State change")
    IMPORT = "import", _("Spreadsheet import")


class ObjectChange(models.Model):
    """One audited change: who did what to which object, when, with the values before and after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, db_index=False
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    #: Division code of the area the change concerns, kept so that the log is scoped like its objects.
    area_code = models.CharField(_("area code"), max_length=12, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.CharField(_("note"), max_length=500, blank=True)

    # Supervisors and managers read the log of the areas they are granted.
    scope = Scope(code_path="area_code", view=frozenset({Role.SUPERVISOR, Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN}))
    objects = ScopedManager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("audit log")
        # Plain indexes, not `db_index=True`: that would add LIKE-pattern twins on PostgreSQL, which no lookup uses
        # (areas are read by code range, requests by id) and every write of the log would pay for. The object index
        # serves lookups by content type alone too.
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_change_object_idx"),
            models.Index(fields=["request_id"], name="core_change_request_idx"),
            models.Index(fields=["area_code"], name="core_change_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for every field whose value differs; for display in the user's language."""
        before, after = self.before or {}, self.after or {}
        labels = self._field_labels()
        keys = sorted(set(before) | set(after))
        return [
            (labels.get(key, key), before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)
        ]

    def _field_labels(self) -> dict[str, str]:
        model = self.content_type.model_class() if self.content_type_id else None
        return {} if model is None else field_labels(model, get_language())


@lru_cache(maxsize=512)
def field_labels(model: type[models.Model], language: str | None) -> dict[str, str]:
    """A model's field labels by column name, in `language` (the active one, which keys the cache): made once, not
    for each of an audit page's 50 rows (1,000 translations a page)."""
    return {field.attname: str(field.verbose_name) for field in model._meta.concrete_fields}


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work (an import, an export, a report) with its progress, log and result for the user."""

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    log = models.TextField(_("log"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    input_file = models.FileField(_("input file"), upload_to="jobs/in/%Y/%m/", blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/out/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: Kind, requester, parameters and input file's digest (sciaid.core.jobs.dedupe_key): one waiting or running job
    #: per key, so a second submission of the same work joins the first instead of doing it twice.
    dedupe_key = models.CharField(_("deduplication key"), max_length=64, blank=True, editable=False)
    #: Last sign of life of the process running the job; a running job silent for too long died with its process.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)

    # A job is its requester's own business.
    scope = Scope(code_path=None, owner_path="requested_by")
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status__in=["pending", "running"]) & ~models.Q(dedupe_key=""),
                name="core_job_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(100, int(self.progress * 100 / self.total)) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class CalendarDay(BaseModel):
    """An exception to the default working week (Monday–Friday work, Saturday–Sunday rest): a public holiday or a
    make-up working day (调休上班), as announced each year by the State Council.

    This is data, not code, so that an operator can enter next year's days as soon as they are announced; the
    `chinesecalendar` package seeds the years it knows (`load_work_calendar`). A holiday row that falls on a weekend
    changes nothing but is kept, so the list reads like the official notice. `sciaid.core.calendar` reads it.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=64, blank=True)

    # Everybody's SLA clock runs on it; only platform admins change it.
    scope = Scope(code_path=None, view=frozenset(Role.values), change=frozenset({Role.PLATFORM_ADMIN}), catalogue=True)
    objects = ScopedManager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class Notification(models.Model):
    """One message in a user's in-app inbox; the same text may also have gone out by email or SMS.

    The text is stored as the sender rendered it (in the recipient's language at the time), so that the inbox shows
    exactly what was sent. Written by `sciaid.core.notifications.notify`, marked read by `mark_read`.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    # A user's inbox is their own business, whatever their role.
    scope = Scope(code_path=None, owner_path="recipient")
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The unread count on every page, and the inbox newest first.
            models.Index(fields=["recipient", "read_at"], name="core_notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="core_notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class PortalTally(models.Model):
    """One figure the public portal shows, kept for one area and year (`sciaid.core.portal`: tallies).

    The services that publish, withdraw or change what a figure counts recount its row in the same transaction, so
    the portal of a province sums a few hundred rows instead of counting ~100,000 published items per request. The
    area is a division code only (core knows no areas): the county of what is counted, or the city or province for
    what those publish themselves. `refresh_portal_tallies` recounts every row after bulk loads and repairs drift.
    """

    key = models.CharField(_("figure"), max_length=40)
    area_code = models.CharField(_("division code"), max_length=12)
    #: The year counted; 0 for a figure of no one year (the size of the catalogue).
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        ordering = ["key", "year", "area_code"]
        verbose_name = _("portal figure")
        verbose_name_plural = _("portal figures")
        constraints = [models.UniqueConstraint(fields=["key", "year", "area_code"], name="core_portal_tally_once")]

    def __str__(self) -> str:
        return f"{self.key} · {self.area_code} · {self.year}"
