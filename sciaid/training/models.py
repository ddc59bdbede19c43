"""Training events (培训), the people registered for them, who signed in on which day, their ratings, and the
materials handed out.

Every record stores the area it concerns when it is created: an event its venue's area (a village, a township or a
whole county), a registration, sign-in and rating the trainee's village (for an expert trainee, the event's area).
Jurisdiction is then one indexed range on the division code, and a household that moves later never moves its
training history.

A person is known across events by `person_key`: a household member by household and name, anyone else by their
phone number (as a keyed hash, never in clear), an expert by their profile. That key makes "a person once per event"
a unique constraint and "distinct trainees" a COUNT(DISTINCT).
"""

from __future__ import annotations

import os
import uuid
from datetime import date, timedelta

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.privacy import decrypt
from sciaid.core.roles import Role
from sciaid.core.scoping import GrantFilter, Scope, ScopedQuerySet
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training.articles.models import Article  # noqa: F401 (Django registers the knowledge base from here)
from sciaid.training.choices import OrganiserKind, ParticipantKind, SignInSource, TrainingKind, TrainingStatus

#: Who runs trainings: they plan, publish, hold and report events of their areas.
MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
READERS = frozenset({Role.SUPERVISOR})
#: Who registers people and signs them in: the county, and the info officers for the people of their villages.
REGISTRARS = MANAGERS | {Role.INFO_OFFICER}
#: Experts see the events they train (and sign their trainees in) and those they attend as trainees.
EXPERTS = frozenset({Role.EXPERT})
FARMERS = frozenset({Role.FARMER})
#: A multi-day course lasts at most this many days.
MAX_DAYS = 31


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def open_events_near(event_path: str = "") -> GrantFilter:
    """Info officers and farmers see the events past their draft held at their village or for an area above it
    (their township's, their county's): the trainings meant for their people."""
    prefix = _prefix(event_path)

    def narrow(user, grant) -> Q:
        area = grant.area
        near = Q(**{f"{prefix}area__code__range": area.subtree_bounds}) | Q(
            **{f"{prefix}area__code__in": area.ancestor_codes()}
        )
        return near & ~Q(**{f"{prefix}status": TrainingStatus.DRAFT})

    return narrow


def taught_by(user) -> models.QuerySet:
    """Ids of the events the user trains (a subquery)."""
    return TrainingEvent.trainers.through.objects.filter(expert__user_id=user.pk).values("trainingevent_id")


def attended_by_expert(user) -> models.QuerySet:
    """Ids of the events the user is registered for as an expert trainee (a subquery)."""
    return Registration.objects.filter(expert__user_id=user.pk).values("event_id")


def experts_events(event_path: str = "") -> GrantFilter:
    """An expert's events: those they train and those they attend (a subquery each, so no row is repeated)."""
    field = f"{event_path}_id__in" if event_path else "pk__in"

    def narrow(user, grant) -> Q:
        return Q(**{field: taught_by(user)}) | Q(**{field: attended_by_expert(user)})

    return narrow


def taught_or_own(registration_path: str = "") -> GrantFilter:
    """An expert's view of trainees: everyone at the events they train, and their own registrations."""
    prefix = _prefix(registration_path)

    def narrow(user, grant) -> Q:
        return Q(**{f"{prefix}event_id__in": taught_by(user)}) | Q(**{f"{prefix}expert__user_id": user.pk})

    return narrow


def own_household(registration_path: str = "") -> GrantFilter:
    """A farmer sees their own household's registrations only, never their neighbours'."""
    prefix = _prefix(registration_path)

    def narrow(user, grant) -> Q:
        return Q(**{f"{prefix}household_id": getattr(user, "household_id", None) or 0})

    return narrow


def normal_name(name: str) -> str:
    """A name as people are told apart by it: without spaces (张 三 and 张三 are one person)."""
    return "".join((name or "").split())


def person_key(kind: str, *, household_id=None, name: str = "", phone_hash: str = "", expert_id=None) -> str:
    """Who a trainee is across events: a household member by household and name, an expert by profile, anyone else
    by phone. A pure function of the registration's own data, so any order of registrations finds the same people."""
    if kind == ParticipantKind.HOUSEHOLD:
        return f"h:{household_id}:{normal_name(name)}"
    if kind == ParticipantKind.EXPERT:
        return f"e:{expert_id}"
    return f"p:{phone_hash}"


class TrainingEventQuerySet(ScopedQuerySet):
    def with_figures(self) -> TrainingEventQuerySet:
        """Annotate `registered` (people registered) and `trainees` (people who signed in at least once): one
        subquery each, so a list's query count does not grow with its rows."""
        registered = (
            Registration.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk"))
        )
        attended = (
            Attendance.objects.filter(event=OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(n=Count("registration", distinct=True))
        )
        return self.annotate(
            registered=Coalesce(Subquery(registered.values("n")), Value(0)),
            trainees=Coalesce(Subquery(attended.values("n")), Value(0)),
        )


class TrainingEvent(BaseModel):
    """A training event: what kind, who organises and teaches it, on which topics, where and when, for how many
    people; optionally what it fulfils (an assistance agreement, a project, a workstation's duty)."""

    kind = models.CharField(_("kind of training"), max_length=16, choices=TrainingKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    organiser_kind = models.CharField(
        _("organiser kind"), max_length=16, choices=OrganiserKind.choices, default=OrganiserKind.BUREAU
    )
    organiser_name = models.CharField(_("organiser"), max_length=200)
    trainers = models.ManyToManyField(Expert, verbose_name=_("trainers"), blank=True, related_name="training_events")
    topics = models.ManyToManyField(Specialty, verbose_name=_("topics"), blank=True, related_name="training_events")
    #: The venue's village or township, or the whole county for a county-wide course: what the event concerns.
    area = models.ForeignKey(Area, verbose_name=_("venue area"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"), db_index=True)
    ends_on = models.DateField(_("last day"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Empty: no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    fulfils_type = models.ForeignKey(
        ContentType,
        verbose_name=_("fulfils (record type)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fulfils_id = models.PositiveBigIntegerField(_("fulfils (record id)"), null=True, blank=True)
    fulfils = GenericForeignKey("fulfils_type", "fulfils_id")
    status = models.CharField(
        _("status"), max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.DRAFT, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    scope = Scope(
        code_path="area__code",
        view=READERS | EXPERTS | FARMERS | {Role.INFO_OFFICER},
        change=MANAGERS,
        narrowed={
            Role.INFO_OFFICER: open_events_near(),
            Role.FARMER: open_events_near(),
            Role.EXPERT: experts_events(),
        },
    )
    workflow = StateMachine(
        "status",
        [
            Transition("publish", frozenset({TrainingStatus.DRAFT}), TrainingStatus.PUBLISHED, MANAGERS, _("Publish")),
            Transition("hold", frozenset({TrainingStatus.PUBLISHED}), TrainingStatus.HELD, MANAGERS, _("Mark held")),
            Transition(
                "report",
                frozenset({TrainingStatus.HELD}),
                TrainingStatus.REPORTED,
                MANAGERS,
                _("Report and close attendance"),
            ),
            Transition(
                "cancel",
                frozenset({TrainingStatus.DRAFT, TrainingStatus.PUBLISHED}),
                TrainingStatus.CANCELLED,
                MANAGERS,
                _("Cancel the training"),
            ),
        ],
    )
    objects = models.Manager.from_queryset(TrainingEventQuerySet)()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        indexes = [
            models.Index(fields=["area", "starts_on"], name="training_event_area_idx"),
            models.Index(fields=["fulfils_type", "fulfils_id"], name="training_event_fulfils_idx"),
            # The portal's upcoming trainings of a province: the few published events not yet over.
            models.Index(fields=["status", "ends_on"], name="training_event_upcoming_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_event_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:event-detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
            if (self.ends_on - self.starts_on).days >= MAX_DAYS:
                raise ValidationError({"ends_on": _("A training lasts at most %(n)d days.") % {"n": MAX_DAYS}})

    @property
    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def reach_prefix(self) -> str:
        """Where its trainees may come from: the whole county of its venue (a village's training welcomes the
        neighbours), or its own area when it is held for a city or the province."""
        if self.area.level >= AreaLevel.COUNTY:
            return self.area.code[: CODE_DIGITS[AreaLevel.COUNTY]]
        return self.area.prefix

    def reaches(self, area: Area) -> bool:
        return area.code.startswith(self.reach_prefix)


def material_path(material: TrainingMaterial, filename: str) -> str:
    """Never the uploaded name (it may carry personal data): a random one with the extension of the checked type."""
    return f"training/{material.event_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class TrainingMaterial(BaseModel):
    """A handout, slides or a worksheet of an event; served only to those who may see the event."""

    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("training event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path)
    media_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    #: Logged by name (below): the file object itself is not JSON.
    audit_exclude = ("file",)
    scope = Scope(
        code_path="event__area__code",
        view=TrainingEvent.scope.view,
        change=MANAGERS,
        narrowed={
            Role.INFO_OFFICER: open_events_near("event"),
            Role.FARMER: open_events_near("event"),
            Role.EXPERT: experts_events("event"),
        },
    )

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:event-detail", args=[self.event_id])

    def audit_values(self, loaded: bool = False) -> dict:
        values = super().audit_values(loaded)
        if values:
            values["file"] = self._loaded_values.get("file") if loaded else self.file.name
        return values


class Registration(BaseModel):
    """A person registered for an event: a member of a registered household, an expert (for commissioner
    trainings), or anyone else named with a phone number. Walk-ins signed in on the day are registrations too.

    The phone number is stored encrypted, with a keyed hash to recognise the person and a masked copy to show.
    """

    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("training event"), on_delete=models.PROTECT, related_name="registrations"
    )
    kind = models.CharField(_("participant"), max_length=16, choices=ParticipantKind.choices)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    name = models.CharField(_("full name"), max_length=64)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=11, blank=True, editable=False)
    #: The trainee's village (the event's area for an expert): stored now, so moving a household moves no history.
    area = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    person_key = models.CharField(_("person"), max_length=100, editable=False, db_index=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)

    audit_exclude = ("phone_encrypted", "phone_hash")
    scope = Scope(
        code_path="area__code",
        view=READERS | FARMERS,
        change=REGISTRARS | EXPERTS,
        narrowed={Role.FARMER: own_household(), Role.EXPERT: taught_or_own()},
    )

    class Meta:
        ordering = ["event", "area__code", "name", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["area", "event"], name="training_reg_area_idx")]
        constraints = [
            models.UniqueConstraint(fields=["event", "person_key"], name="training_registration_once"),
            models.CheckConstraint(
                condition=(
                    Q(kind=ParticipantKind.HOUSEHOLD, household__isnull=False, expert__isnull=True)
                    | Q(kind=ParticipantKind.EXPERT, expert__isnull=False, household__isnull=True)
                    | (Q(kind=ParticipantKind.GUEST, household__isnull=True, expert__isnull=True) & ~Q(phone_hash=""))
                ),
                name="training_registration_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("training:registration-list", args=[self.event_id])

    @property
    def phone(self) -> str:
        return decrypt(self.phone_encrypted)


class Attendance(BaseModel):
    """A trainee signed in on one day of an event: ticked on the list, added as a walk-in, or from a paper sheet.

    A person signs in once a day (unique), so however often or in whatever order they are ticked and imported,
    they count once for the event.
    """

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="attendances"
    )
    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("training event"), on_delete=models.PROTECT, related_name="attendances"
    )
    area = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    source = models.CharField(_("recorded by"), max_length=16, choices=SignInSource.choices)

    scope = Scope(
        code_path="area__code",
        view=READERS | FARMERS,
        change=REGISTRARS | EXPERTS,
        narrowed={Role.FARMER: own_household("registration"), Role.EXPERT: taught_or_own("registration")},
    )

    class Meta:
        ordering = ["event", "day", "id"]
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        indexes = [
            models.Index(fields=["event", "day"], name="training_attendance_event_idx"),
            models.Index(fields=["area", "day"], name="training_attendance_area_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="training_attendance_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} · {self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:signin", args=[self.event_id])


class Feedback(BaseModel):
    """A trainee's rating (1–5) and comment on an event they attended, given by them or by their info officer."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="feedback"
    )
    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("training event"), on_delete=models.PROTECT, related_name="feedback"
    )
    area = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (poor) to 5 (excellent)")
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    scope = Scope(
        code_path="area__code",
        view=READERS,
        change=REGISTRARS | FARMERS | EXPERTS,
        narrowed={Role.FARMER: own_household("registration"), Role.EXPERT: taught_or_own("registration")},
    )

    class Meta:
        ordering = ["event", "-created_at", "-id"]
        verbose_name = _("training feedback")
        verbose_name_plural = _("training feedback")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="training_feedback_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} · {self.rating}"

    def get_absolute_url(self) -> str:
        return reverse("training:event-detail", args=[self.event_id])


def year_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(_("year"))


class TrainingFigures(models.Model):
    """An area's trainee figures for a year, stored by the services whenever a sign-in, rating or event changes
    (`services.figures`), so the statistics sum a few thousand rows instead of counting millions of sign-ins.

    The row of an area is also the lock that serialises the refreshes of its figures (and of the two tables below).

    Trainees count in the area recorded at their sign-in (their village; an expert's, the course's area). Summing
    areas gives a township's, county's or province's figures because a person's key belongs to one village: a
    household member's key names their household, a guest's phone is registered with one village. Otherwise (a
    household that moved during the year, one phone given in two villages, an expert at courses of two areas) that
    person counts once in each area they signed in from, and a sum over those areas counts them more than once.
    """

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    year = year_field()
    distinct_trainees = models.PositiveIntegerField(_("distinct trainees"), default=0)
    poor_household_trainees = models.PositiveIntegerField(_("poor-household trainees"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    satisfied = models.PositiveIntegerField(_("ratings of 4 or 5"), default=0)

    class Meta:
        verbose_name = _("training figures")
        verbose_name_plural = _("training figures")
        constraints = [models.UniqueConstraint(fields=["year", "area"], name="training_figures_once")]

    def __str__(self) -> str:
        return f"{self.area_id} · {self.year}"


class TrainingKindFigures(models.Model):
    """An area's trainings held (at its venue) and trainees (of its people, once per event) of one kind and year."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    year = year_field()
    kind = models.CharField(_("kind of training"), max_length=16, choices=TrainingKind.choices)
    events = models.PositiveIntegerField(_("trainings held"), default=0)
    trainees = models.PositiveIntegerField(_("trainees"), default=0)

    class Meta:
        verbose_name = _("training figures by kind")
        verbose_name_plural = _("training figures by kind")
        constraints = [models.UniqueConstraint(fields=["year", "area", "kind"], name="training_kind_figures_once")]

    def __str__(self) -> str:
        return f"{self.area_id} · {self.year} · {self.kind}"


class TrainerFigures(models.Model):
    """A trainer's trainings held at a venue area in a year (by first day), their trainees (once per event) and
    ratings: every figure is a sum over events, so summing areas is exact."""

    expert = models.ForeignKey(Expert, verbose_name=_("trainer"), on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("venue area"), on_delete=models.CASCADE, related_name="+")
    year = year_field()
    events = models.PositiveIntegerField(_("trainings held"), default=0)
    trainees = models.PositiveIntegerField(_("trainees"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)

    class Meta:
        verbose_name = _("trainer figures")
        verbose_name_plural = _("trainer figures")
        constraints = [models.UniqueConstraint(fields=["year", "area", "expert"], name="trainer_figures_once")]

    def __str__(self) -> str:
        return f"{self.expert_id} · {self.area_id} · {self.year}"
