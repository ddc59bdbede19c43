"""Pages of service logs: a commissioner's own log ("My service log"), the village's and the county's lists
(exported in the layout the import reads), a log with its photos and the confirm / return / resubmit buttons, the
form a commissioner fills in on a phone, and the import of paper records."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners import forms as shared_forms
from sciaid.commissioners.common import MANAGERS, is_commissioner, lines
from sciaid.commissioners.importers import header
from sciaid.commissioners.logs import forms, services
from sciaid.commissioners.logs.filters import ServiceLogFilter
from sciaid.commissioners.logs.importers import ServiceLogImporter
from sciaid.commissioners.logs.models import LogPhoto, ServiceLog
from sciaid.core.actions import Step, StepView
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.views import ImportView, ProtectedFileView, ScopedDetailView, ScopedListView, ServiceFormView


def log_column(key: str):
    return header(ServiceLogImporter.columns, key)


def my_log_url() -> str:
    return f"{reverse('commissioners:log-list')}?mine=1"


class ServiceLogListView(ScopedListView):
    """Service logs: a commissioner's own ("My service log"), the village's, the county's; exportable in the layout
    the import reads."""

    model = ServiceLog
    filterset_class = ServiceLogFilter
    select_related = ("expert", "village__parent", "team")
    template_name = "commissioners/log_list.html"
    paginate_by = 25
    export_name = "service-logs"
    export_columns = [
        (log_column("name"), lambda log, view: log.expert.name),
        (log_column("phone"), lambda log, view: log.expert.phone),
        (log_column("village"), lambda log, view: log.village.code),
        (log_column("kind"), lambda log, view: log.get_kind_display()),
        (log_column("served_on"), lambda log, view: log.served_on.isoformat()),
        (log_column("summary"), lambda log, view: log.summary),
        (log_column("participants"), lambda log, view: log.participants),
        (log_column("households"), lambda log, view: "、".join(h.number for h in log.households.all())),
        (log_column("other_households"), lambda log, view: log.other_households),
        (log_column("varieties"), lambda log, view: "、".join(lines(log.varieties))),
        (log_column("techniques"), lambda log, view: "、".join(lines(log.techniques))),
        (_("Status"), lambda log, view: log.get_status_display()),
    ]

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("households")
        if self.request.GET.get("mine"):
            qs = qs.filter(expert__user_id=self.request.user.pk)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A commissioner sees only their own (and their teams') logs: "My service log".
        context["mine"] = bool(self.request.GET.get("mine")) or granted_roles(self.request.user) == {Role.EXPERT}
        return context


class ServiceLogDetailView(ScopedDetailView):
    model = ServiceLog
    select_related = ("expert", "village__parent", "team", "agreement", "training_event", "confirmed_by", "created_by")
    template_name = "commissioners/log_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, log = self.request.user, self.object
        context.update(
            households=log.households.order_by("number"),
            photos=log.photos.all(),
            actions={t.name for t in ServiceLog.workflow.available(log, user)} if context["can_change"] else set(),
            return_form=forms.ReturnForm(user=user),
        )
        return context


class ServiceLogFormView(ServiceFormView):
    """Record a service (a commissioner, on a phone in the field) or correct one awaiting confirmation."""

    model = ServiceLog
    form_class = forms.ServiceLogForm
    template_name = "commissioners/log_form.html"
    success_message = _("Service recorded; the village or the county will confirm it.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["files"] = self.request.FILES
        return kwargs

    def perform(self, form):
        fields = form.service_fields()
        if self.object is None:
            return services.log_service(self.request.user, **fields)
        return services.update_log(self.request.user, self.object, **fields)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Correct service log") if self.object else _("Record a service"),
            "cancel_url": self.object.get_absolute_url() if self.object else my_log_url(),
        }


class ServiceLogCreateView(ServiceLogFormView):
    edits_object = False

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        """Only an active S&T commissioner records services."""
        return super().may_open(user, obj) and is_commissioner(user)


class CountyLogCreateView(ServiceLogFormView):
    """A county admin records a service on a commissioner's behalf: marked entered by the county, and confirmed."""

    form_class = forms.CountyLogForm
    template_name = "commissioners/log_enter.html"
    success_message = _("Service recorded on the commissioner's behalf (entered by the county, confirmed).")
    edits_object = False

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        """County (and platform) admins only; the service checks the village is theirs."""
        return super().may_open(user, obj) and (is_unrestricted(user) or bool(granted_roles(user) & MANAGERS))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["expert"] = self.request.POST.get("expert") or self.request.GET.get("expert")
        return kwargs

    def perform(self, form):
        fields = form.service_fields()
        return services.import_log(self.request.user, **fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Record a service for a commissioner"),
            cancel_url=reverse("commissioners:log-list"),
            chosen=context["form"].initial.get("expert"),
        )
        return context


class ServiceLogEditView(ServiceLogFormView):
    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        """Only its author corrects a log (checked once the log is found among those the user may change)."""
        return super().may_open(user, obj) and (obj is None or obj.expert.user_id == user.pk)


class ServiceLogActionView(StepView):
    model = ServiceLog
    steps = {
        "confirm": Step(shared_forms.EmptyForm, lambda u, log, data: services.confirm_log(u, log), _("Confirmed.")),
        "return": Step(
            forms.ReturnForm, lambda u, log, data: services.return_log(u, log, data["note"]), _("Returned.")
        ),
        "resubmit": Step(shared_forms.EmptyForm, lambda u, log, data: services.resubmit_log(u, log), _("Resubmitted.")),
    }


class LogImportView(ImportView):
    model = ServiceLog
    importer_class = ServiceLogImporter
    job_kind = "commissioners.import_logs"
    required_roles = MANAGERS
    heading = _("Import service logs")


class LogPhotoView(ProtectedFileView):
    model = LogPhoto
    file_field = "image"
