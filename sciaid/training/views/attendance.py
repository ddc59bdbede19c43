"""Pages of who comes: an event's registrations, registering people, and the sign-in list that an info officer or
trainer opens on a phone by scanning the event's QR code — tick names (htmx, one small POST per tick), add
walk-ins — plus the paper sign-in sheet import and the trainees' ratings.

Once the event is reported the sign-in list says the attendance is closed and every sign-in is refused with that
message (the API answers 409).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.actions import ButtonView, refusals_as_errors
from sciaid.core.forms import ActingUserForm
from sciaid.core.jobs import enqueue
from sciaid.core.privacy import may_see_personal_data
from sciaid.core.scoping import VIEW, area_allows, granted_roles, is_unrestricted
from sciaid.core.views import ImportView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.training import services
from sciaid.training.choices import SIGN_IN_STATES, TOOK_PLACE, TrainingStatus
from sciaid.training.filters import RegistrationFilter
from sciaid.training.forms import DayForm, FeedbackForm, PersonForm, WalkInForm
from sciaid.training.importers import RosterImporter
from sciaid.training.models import EXPERTS, READERS, REGISTRARS, Attendance, Feedback, Registration, TrainingEvent
from sciaid.training.views.events import ObjectRuleMixin, place

#: Who signs people in: the county and info officers (their villages' people), trainers (their events' trainees).
SIGNERS = REGISTRARS | EXPERTS


class RegistrationListView(RoleRequiredMixin, ScopedListView):
    """The people registered for one event whom the user may see (an info officer: those of their villages), with
    the days each signed in; phone numbers masked unless the user's role may read them."""

    model = Registration
    filterset_class = RegistrationFilter
    select_related = ("area", "area__parent", "household")
    template_name = "training/registration_list.html"
    required_roles = SIGNERS | READERS
    export_name = "registrations"
    export_columns = [
        (gettext_lazy("Full name"), lambda r, view: r.name),
        (gettext_lazy("Participant"), lambda r, view: r.get_kind_display()),
        (gettext_lazy("Village division code"), lambda r, view: r.area.code),
        (gettext_lazy("Village"), lambda r, view: r.area.name),
        (gettext_lazy("Household number"), lambda r, view: r.household.number if r.household_id else ""),
        (gettext_lazy("Phone"), lambda r, view: view.phone_of(r)),
        (gettext_lazy("Walk-in"), lambda r, view: r.walk_in),
        (gettext_lazy("Days signed in"), lambda r, view: r.days),
    ]

    def get_queryset(self):
        self.event = get_object_or_404(TrainingEvent.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        registrations = super().get_queryset().filter(event=self.event).annotate(days=Count("attendances"))
        return registrations.order_by("area__code", "name", "pk")

    def phone_of(self, registration: Registration) -> str:
        if registration.phone_masked and may_see_personal_data(self.request.user, registration.area):
            return registration.phone
        return registration.phone_masked

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(context["object_list"])
        for row in rows:
            row.shown_phone = self.phone_of(row)
            row.may_withdraw = may_withdraw(user, row, self.event)
        return {**context, "object_list": rows, "event": self.event}


def may_withdraw(user, registration: Registration, event: TrainingEvent) -> bool:
    """No query: the registrar's area, the event's state, and no sign-in yet (the list annotates `days`)."""
    return (
        area_allows(user, registration.area, REGISTRARS)
        and event.status in SIGN_IN_STATES
        and not getattr(registration, "days", 0)
    )


class RegisterView(RoleRequiredMixin, ServiceFormView):
    """Register one person after another for a published event: a household member, another person, an expert."""

    model = TrainingEvent
    action = VIEW
    form_class = PersonForm
    template_name = "training/register.html"
    required_roles = REGISTRARS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status == TrainingStatus.PUBLISHED)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return {**kwargs, "event": self.object}

    def perform(self, form):
        with refusals_as_errors():
            registration, created = services.register(self.request.user, self.object, form.person())
        message = _("Registered: %(name)s.") if created else _("%(name)s was already registered.")
        self.success_message = message % {"name": registration.name}
        return self.object

    def get_success_url(self, saved=None):
        return reverse("training:register", args=[self.object.pk])


class WithdrawView(ButtonView):
    model = Registration
    form_class = ActingUserForm
    success_message = gettext_lazy("Registration withdrawn.")

    def perform(self, form):
        with refusals_as_errors():
            services.withdraw(self.request.user, self.object)
        return self.object

    def back_url(self) -> str:
        return reverse("training:registration-list", args=[self.object.event_id])


# --- the sign-in list --------------------------------------------------------------------------------------------


def chosen_day(event: TrainingEvent, text: str | None) -> date:
    """The day asked for (`?day=`) if it is one of the event's, else the default (today while it runs)."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return services.default_day(event)
    return day if day in event.days else services.default_day(event)


def roster(user, event: TrainingEvent, day: date, query: str = ""):
    """The registrations the user may sign in, each marked `signed` for the day: two queries for the whole list."""
    rows = Registration.objects.for_user(user).filter(event=event).select_related("area")
    if query.strip():
        rows = rows.filter(name__icontains=query.strip())
    signed = Attendance.objects.filter(registration=OuterRef("pk"), day=day)
    return rows.annotate(signed=Exists(signed)).order_by("area__code", "name", "pk")


class SignInView(ObjectRuleMixin, ScopedDetailView):
    """The sign-in list of a day (`?day=`, `?q=` to find a name): the page the event's QR code opens on a phone.

    Like every detail page it answers for the event: an event the user may not see is a 404 whatever their role;
    one they see but may not sign people in to (a supervisor, a draft) is a 403.
    """

    model = TrainingEvent
    select_related = ("area",)
    template_name = "training/signin.html"

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        if obj is None:
            return super().may_open(user)
        signs_in = is_unrestricted(user) or bool(granted_roles(user) & SIGNERS)
        shown = SIGN_IN_STATES | {TrainingStatus.REPORTED}
        return signs_in and obj.status in shown and super().may_open(user, obj)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["training/_roster.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, user = self.object, self.request.user
        day = chosen_day(event, self.request.GET.get("day"))
        rows = list(roster(user, event, day, self.request.GET.get("q", "")))
        context.update(
            place=place(event),
            day=day,
            rows=rows,
            signed=sum(1 for row in rows if row.signed),
            closed=event.status == TrainingStatus.REPORTED,
            not_yet=day > timezone.localdate(),
            query=self.request.GET.get("q", ""),
        )
        if WalkInView.may_open(user, event):
            context["walk_in_form"] = WalkInForm(user=user, event=event, initial={"day": day.isoformat()})
        return context


class TickView(ServiceFormView):
    """POST `day` and `signed` (1 or 0) for one registration: sign them in or take a mistaken tick back. With htmx
    the answer is the row alone; without, the list again. A refusal is shown on the row (or as a message)."""

    model = Registration
    form_class = DayForm
    http_method_names = ["post"]
    template_name = "training/_roster_row.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return {**kwargs, "event": self.object.event}

    def perform(self, form):
        user, day = self.request.user, form.cleaned_data["day"]
        with refusals_as_errors():
            if self.request.POST.get("signed") == "0":
                attendance = Attendance.objects.filter(registration=self.object, day=day).first()
                if attendance is not None:
                    services.sign_out(user, attendance)
            else:
                services.sign_in(user, self.object, day)
        return self.object

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            return self.answer(form.data.get("day"), error=" ".join(exc.messages))
        return self.answer(form.cleaned_data["day"].isoformat())

    def form_invalid(self, form):
        return self.answer(form.data.get("day"), error=" ".join(e for errors in form.errors.values() for e in errors))

    def answer(self, day_text: str | None, error: str = ""):
        event = self.object.event
        day = chosen_day(event, day_text)
        if not self.request.headers.get("HX-Request"):
            if error:
                messages.error(self.request, error)
            return HttpResponseRedirect(f"{reverse('training:signin', args=[event.pk])}?day={day.isoformat()}")
        rows = roster(self.request.user, event, day)
        context = {
            "row": rows.get(pk=self.object.pk),
            "day": day,
            "error": error,
            "closed": event.status not in SIGN_IN_STATES,
            # The list's count is swapped in beside the row (htmx out-of-band), so it stays true after each tick.
            "count": {"signed": rows.filter(signed=True).count(), "total": rows.count()},
        }
        return TemplateResponse(self.request, self.template_name, context)


class WalkInView(RoleRequiredMixin, ServiceFormView):
    """Sign in someone who came without registering (also offered on the sign-in list itself)."""

    model = TrainingEvent
    action = VIEW
    form_class = WalkInForm
    template_name = "training/walk_in.html"
    required_roles = SIGNERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in SIGN_IN_STATES)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return {**kwargs, "event": self.object}

    def perform(self, form):
        self.day = form.cleaned_data["day"]
        with refusals_as_errors():
            attendance, _created = services.sign_in_walk_in(self.request.user, self.object, form.person(), self.day)
        self.success_message = _("Signed in: %(name)s.") % {"name": attendance.registration.name}
        return self.object

    def get_success_url(self, saved=None):
        return f"{reverse('training:signin', args=[self.object.pk])}?day={self.day.isoformat()}"


class RosterImportView(ImportView):
    """A paper sign-in sheet of one event, typed into the template: all rows signed in, or none."""

    model = TrainingEvent
    importer_class = RosterImporter
    job_kind = "training.import_roster"
    required_roles = REGISTRARS
    heading = gettext_lazy("Import a paper sign-in sheet")
    template_name = "training/roster_import.html"

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in SIGN_IN_STATES)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = get_object_or_404(TrainingEvent.objects.for_user(request.user), pk=kwargs["pk"])
            if not self.may_open(request.user, self.event):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        uploaded = form.cleaned_data["file"]
        # The stored name is ours, never the uploader's; the extension tells the reader the format.
        uploaded.name = f"roster.{form.extension}"
        if form.estimated_rows() > settings.IMPORT_JOB_THRESHOLD:
            job = enqueue(self.job_kind, user, params={"event": self.event.pk}, input_file=uploaded)
            return redirect("core:job-detail", pk=job.pk)
        report = RosterImporter(user, self.event).run(uploaded)
        return self.render_to_response(self.get_context_data(form=self.form_class(user=user), report=report))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}


# --- ratings -------------------------------------------------------------------------------------------------------


class FeedbackView(ServiceFormView):
    """A trainee's rating of an event they attended, given by them (on their phone) or by their info officer."""

    model = Registration
    action = VIEW
    form_class = FeedbackForm
    template_name = "training/feedback.html"
    select_related = ("event", "area")
    success_message = gettext_lazy("Thank you for rating the training.")

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        if not super().may_open(user, obj):
            return False
        return obj is None or (
            obj.event.status in TOOK_PLACE
            and services.may_rate(user, obj)
            and obj.attendances.exists()
            and not Feedback.objects.filter(registration=obj).exists()
        )

    def perform(self, form):
        data = form.cleaned_data
        with refusals_as_errors():
            services.give_feedback(self.request.user, self.object, rating=data["rating"], comment=data["comment"])
        return self.object.event
