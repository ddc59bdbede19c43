"""Pages of training events: the list, an event's page (with its sign-in QR code, materials, figures and the steps
open to the user), the planning form, the workflow buttons, and the materials, served only to those who may see
the event.

Every button is one POST calling one service function; a refusal comes back as a message and changes nothing.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Exists, OuterRef
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sciaid.core.actions import Step, StepView, open_steps
from sciaid.core.forms import ActingUserForm
from sciaid.core.links import may_open
from sciaid.core.notifications import absolute_url
from sciaid.core.views import ProtectedFileView, RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from sciaid.training import services
from sciaid.training.choices import TrainingStatus
from sciaid.training.filters import TrainingEventFilter
from sciaid.training.forms import EventForm, MaterialForm, ReasonForm
from sciaid.training.models import MANAGERS, Feedback, Registration, TrainingEvent, TrainingMaterial
from sciaid.training.services.events import EDITABLE


class ObjectRuleMixin:
    """Detail pages whose object carries a rule of its own (a state): `may_open(user, obj)` decides, and the page
    refuses (403) with the same answer the links to it were given."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.may_open(self.request.user, obj):
            raise PermissionDenied
        return obj


def place(event: TrainingEvent) -> str:
    return " · ".join(part for part in (event.area.name, event.address) if part)


class EventListView(ScopedListView):
    """The trainings the user may see, newest first, with how many registered and signed in."""

    model = TrainingEvent
    filterset_class = TrainingEventFilter
    select_related = ("area", "area__parent")
    template_name = "training/event_list.html"
    export_name = "trainings"
    export_columns = [
        (_("First day"), lambda e, view: e.starts_on.isoformat()),
        (_("Last day"), lambda e, view: e.ends_on.isoformat()),
        (_("Title"), lambda e, view: e.title),
        (_("Kind of training"), lambda e, view: e.get_kind_display()),
        (_("Organiser"), lambda e, view: e.organiser_name),
        (_("Division code"), lambda e, view: e.area.code),
        (_("Venue"), lambda e, view: place(e)),
        (_("Status"), lambda e, view: e.get_status_display()),
        (_("Capacity"), lambda e, view: e.capacity or ""),
        (_("Registered"), lambda e, view: e.registered),
        (_("Trainees"), lambda e, view: e.trainees),
    ]

    def get_queryset(self):
        return super().get_queryset().with_figures().prefetch_related("trainers").order_by("-starts_on", "-id")


def sign_in_qr(request, event: TrainingEvent) -> str:
    """The sign-in list's address as a QR code, drawn on the server as inline SVG (no script, no image request)."""
    path = reverse("training:signin", args=[event.pk])
    url = absolute_url(path) if settings.SITE_URL else request.build_absolute_uri(path)
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#1d2327"))


class EventDetailView(ScopedDetailView):
    """An event: facts, trainers and topics, materials, figures, the user's own part in it, and the next steps."""

    model = TrainingEvent
    select_related = ("area", "area__parent", "fulfils_type")
    template_name = "training/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_figures().prefetch_related("trainers", "topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.object
        actions = open_steps(event, user, context["can_change"])
        feedback = Feedback.objects.for_user(user).filter(event=event)
        context.update(
            place=place(event),
            actions=actions,
            cancel_form=ReasonForm(user=user),
            materials=event.materials.order_by("id"),
            mine=own_registrations(user).filter(event=event),
            satisfaction=feedback.aggregate(ratings=Count("pk"), mean=Avg("rating")),
            comments=feedback.exclude(comment="").select_related("area")[:20],
        )
        if may_open(user, "training:signin", event.pk, obj=event):
            context["qr"] = sign_in_qr(self.request, event)
        return context


def own_registrations(user):
    """The user's own part in trainings: their household's registrations (a farmer) or their own (an expert), each
    with the days signed in and whether it was rated."""
    household, user_id = getattr(user, "household_id", None), getattr(user, "pk", None)
    own = Registration.objects.for_user(user)
    own = own.filter(household_id=household) if household else own.filter(expert__user_id=user_id)
    return (
        own.annotate(days=Count("attendances"), rated=Exists(Feedback.objects.filter(registration=OuterRef("pk"))))
        .select_related("event", "event__area")
        .order_by("-event__starts_on", "name", "pk")
    )


class EventFormView(RoleRequiredMixin, ServiceFormView):
    """Plan an event (no pk) or correct one not yet held. `?fulfils=commissioners.agreement:12` pre-fills what it
    fulfils, for links from the record's own page."""

    model = TrainingEvent
    form_class = EventForm
    template_name = "regions/form.html"
    required_roles = MANAGERS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status in EDITABLE)

    def get_initial(self):
        label, _sep, object_id = self.request.GET.get("fulfils", "").partition(":")
        return {"fulfils_type": label, "fulfils_id": object_id} if object_id.isdigit() else {}

    def perform(self, form):
        return services.save_event(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit training") if self.object else _("Plan a training"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("training:event-list"),
        }


STEPS = {
    "publish": Step(
        ActingUserForm,
        lambda user, event, data: services.publish_event(user, event),
        _("Published: info officers can register people now."),
    ),
    "hold": Step(ActingUserForm, lambda user, event, data: services.hold_event(user, event), _("Marked held.")),
    "report": Step(
        ActingUserForm,
        lambda user, event, data: services.report_event(user, event),
        _("Reported: the attendance is closed."),
    ),
    "cancel": Step(
        ReasonForm, lambda user, event, data: services.cancel_event(user, event, data["reason"]), _("Cancelled.")
    ),
}


class EventActionView(StepView):
    """POST one step of an event's workflow; a refusal is shown on the event's page and changes nothing."""

    model = TrainingEvent
    steps = STEPS


# --- materials -----------------------------------------------------------------------------------------------------


class MaterialFormView(RoleRequiredMixin, ServiceFormView):
    model = TrainingEvent
    form_class = MaterialForm
    template_name = "training/form.html"
    required_roles = MANAGERS
    success_message = _("Material added.")

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or obj.status != TrainingStatus.CANCELLED)

    def perform(self, form):
        data = form.cleaned_data
        services.add_material(self.request.user, self.object, title=data["title"], upload=data["file"])
        return self.object

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Add a material"),
            "cancel_url": self.object.get_absolute_url(),
        }


class MaterialDeleteView(ServiceFormView):
    model = TrainingMaterial
    form_class = ActingUserForm
    http_method_names = ["post"]
    success_message = _("Material removed.")

    def perform(self, form):
        services.delete_material(self.request.user, self.object)
        return self.object


class MaterialFileView(ProtectedFileView):
    """A material's file, served only to those who may see its event (never from a public media URL), under a name
    made from its title rather than the uploaded one."""

    model = TrainingMaterial
    file_field = "file"
    title_field = "title"
    as_attachment = True
