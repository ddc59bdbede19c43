"""Pages for the commissioners' year: selection batches, teams, agreements, service logs, coverage, alerts and
statistics.

Views declare what they show and hand every change to `commissioners.services`; scoping, pagination, filtering,
exports and imports come from the base classes in `sciaid.core.views`.
"""

from __future__ import annotations

from datetime import date

from django import forms as django_forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from sciaid.assistance.report_views import StatisticsForm
from sciaid.assistance.statistics import STATISTICS_ROLES, primary_area, statistics_areas
from sciaid.assistance.views import Action, ObjectActionView
from sciaid.commissioners import forms, services, statistics
from sciaid.commissioners.choices import BatchStatus
from sciaid.commissioners.filters import AgreementFilter, BatchFilter, CandidateFilter, ServiceLogFilter, TeamFilter
from sciaid.commissioners.importers import RosterImporter, ServiceLogImporter, header
from sciaid.commissioners.models import (
    EXPERTS,
    MANAGERS,
    Agreement,
    Batch,
    Candidate,
    LogPhoto,
    ServiceLog,
    Team,
)
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.spreadsheets import FORMATS, export_response
from sciaid.core.views import (
    ImportView,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
)
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Area, code_validator


def may_manage(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & MANAGERS)


def is_commissioner(user) -> bool:
    return Expert.objects.filter(user_id=getattr(user, "pk", None), is_commissioner=True, is_active=True).exists()


# --- area and year reports ---------------------------------------------------------------------------------------


class AreaYearForm(StatisticsForm):
    """The area (limited to the user's areas) and the year a report shows."""

    period = None
    year = django_forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


def default_year(area: Area) -> int:
    """The latest year with pairings in the area (the demo's year, or this one), else the current year."""
    latest = Pairing.objects.filter(village__code__range=area.subtree_bounds).aggregate(y=Max("year"))["y"]
    return latest or timezone.localdate().year


def resolve_area_year(user, area_code: str | None, year_text: str | None) -> tuple[Area, int]:
    """The area and year asked for, with the user's defaults; malformed → ValidationError, not theirs → Http404."""
    if area_code:
        try:
            code_validator(area_code)
        except ValidationError as exc:
            raise ValidationError({"area": exc.messages}) from None
        area = statistics_areas(user).filter(code=area_code).first()
    else:
        area = primary_area(user)
    if area is None:
        raise Http404
    if not year_text:
        return area, default_year(area)
    if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        raise ValidationError({"year": [_("Write a year such as 2019.")]})
    return area, int(year_text)


class AreaYearView(RoleRequiredMixin, ScopedMixin, TemplateView):
    """A report on `?area=<code>&year=<yyyy>`: county staff, supervisors and the platform read it."""

    model = ServiceLog
    required_roles = STATISTICS_ROLES
    reports_on_area = True

    def get(self, request, *args, **kwargs):
        try:
            self.area, self.year = resolve_area_year(request.user, request.GET.get("area"), request.GET.get("year"))
            self.errors = {}
        except ValidationError as exc:
            self.area, self.year, self.errors = None, None, exc.message_dict
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in FORMATS or self.area is None:
                raise Http404
            return export_response(self.export_rows(), fmt, f"{self.export_name}-{self.area.code}-{self.year}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"area": self.area.code if self.area else "", "year": self.year or ""}
        form = AreaYearForm({**initial, **self.request.GET.dict()}, user=self.request.user)
        for field, messages in self.errors.items():
            form.add_error(field if field in form.fields else None, messages)
        context.update(form=form, area=self.area, year=self.year)
        if self.area is not None:
            context["query_string"] = f"area={self.area.code}&year={self.year}"
            context.update(self.report())
        return context

    def report(self) -> dict:
        raise NotImplementedError

    def export_rows(self):
        raise Http404


class CoverageView(AreaYearView):
    """Poor villages covered by a commissioner this year, per township, and the ones still without."""

    template_name = "commissioners/coverage.html"
    export_name = "coverage"

    def report(self) -> dict:
        return {"coverage": statistics.coverage(self.area, self.year)}

    def export_rows(self):
        yield [_("Township"), _("Village division code"), _("Village")]
        for village in statistics.coverage(self.area, self.year, uncovered_limit=100000)["uncovered"]:
            yield [village.parent.name if village.parent else "", village.code, village.name]


STATISTICS_COLUMNS = [
    ("commissioners", _("Commissioners")),
    ("poor_villages", _("Poor villages")),
    ("covered", _("Villages covered")),
    ("coverage_rate", _("Coverage (%)")),
    ("services", _("Confirmed services")),
    ("trainings", _("Trainings")),
    ("trainees", _("Trainees")),
    ("varieties", _("New varieties")),
    ("techniques", _("New techniques")),
    ("households", _("Households helped")),
]


class StatisticsView(AreaYearView):
    """The commissioners' year in the figures the county reports print; `?export=xlsx|csv` downloads the table."""

    template_name = "commissioners/statistics.html"
    export_name = "commissioner-statistics"

    def report(self) -> dict:
        stats = statistics.commissioner_statistics(self.area, self.year)
        # Each cell carries its column's label: on a phone the table stacks and every figure is named.
        rows = [(row["area"], [(label, row[key]) for key, label in STATISTICS_COLUMNS]) for row in stats["groups"]]
        return {
            "stats": stats,
            "columns": [label for _key, label in STATISTICS_COLUMNS],
            "rows": rows,
            "totals": [(label, stats["totals"][key]) for key, label in STATISTICS_COLUMNS],
        }

    def export_rows(self):
        report = self.report()
        yield [_("Area"), *report["columns"]]
        for area, cells in report["rows"]:
            yield [area.name if area else "", *(value for _label, value in cells)]
        yield [_("Total"), *(value for _label, value in report["totals"])]
        yield []
        yield [_("Appraisal rating"), _("Commissioners")]
        for row in report["stats"]["appraisal"]:
            yield [row["label"], row["count"]]


class AlertsView(AreaYearView):
    """Commissioners without a confirmed village visit for N days, and agreements behind target at mid-year."""

    template_name = "commissioners/alerts.html"

    def report(self) -> dict:
        today = timezone.localdate()
        as_of = min(today, date(self.year, 12, 31))
        return {
            "as_of": as_of,
            "idle_days": settings.COMMISSIONER_IDLE_DAYS,
            "idle": statistics.idle_commissioners(self.area, self.year, as_of),
            "behind": statistics.behind_target(self.area, self.year, as_of),
        }


# --- selection batches -------------------------------------------------------------------------------------------


class BatchListView(ScopedListView):
    model = Batch
    filterset_class = BatchFilter
    select_related = ("county",)
    template_name = "commissioners/batch_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_open": may_manage(self.request.user)}


class BatchDetailView(ScopedDetailView):
    """A batch with its candidates; the county decides each, an expert applies, the roster imports and exports."""

    model = Batch
    select_related = ("county",)
    template_name = "commissioners/batch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, batch = self.request.user, self.object
        candidates = Candidate.objects.for_user(user).filter(batch=batch).select_related("expert")
        own = Candidate.objects.filter(batch=batch, expert__user_id=user.pk).first()
        context.update(
            candidates=candidates,
            own=own,
            may_apply=own is None and batch.status == BatchStatus.OPEN and bool(granted_roles(user) & EXPERTS),
            may_nominate=batch.status == BatchStatus.OPEN and bool(granted_roles(user) & services.NOMINATORS),
            batch_actions=Batch.workflow.available(batch, user) if context["can_change"] else [],
            apply_form=forms.ApplyForm(user=user),
            reject_form=forms.ReasonForm(user=user),
            nominate_form=forms.NominateForm(user=user),
        )
        return context


class BatchFormView(RoleRequiredMixin, ServiceFormView):
    model = Batch
    form_class = forms.BatchForm
    template_name = "regions/form.html"
    edits_object = False
    required_roles = MANAGERS
    success_message = _("Batch opened.")

    def perform(self, form):
        return services.open_batch(self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Open a selection batch"),
            "cancel_url": reverse("commissioners:batch-list"),
        }


class BatchActionView(ObjectActionView):
    """Close or reopen a batch; apply to it (an expert) or nominate into it (the county or an organisation)."""

    model = Batch
    actions = {
        "close": Action(forms.EmptyForm, lambda u, b, data: services.close_batch(u, b), _("Batch closed.")),
        "reopen": Action(
            forms.EmptyForm, lambda u, b, data: Batch.workflow.apply(b, "reopen", u), _("Batch reopened.")
        ),
        "apply": Action(forms.ApplyForm, lambda u, b, data: services.apply(u, b, **data), _("Application sent.")),
        "nominate": Action(
            forms.NominateForm, lambda u, b, data: services.nominate(u, b, **data), _("Expert nominated.")
        ),
    }

    def get_queryset(self):
        # Applying and nominating need only to see the batch; the services check who may do it.
        if self.kwargs.get("action") in ("apply", "nominate"):
            return Batch.objects.for_user(self.request.user)
        return super().get_queryset()

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


class CandidateListView(ScopedListView):
    """The selected roster (approved candidates by default), exportable in the layout the roster imports from."""

    model = Candidate
    filterset_class = CandidateFilter
    select_related = ("batch__county", "expert")
    template_name = "commissioners/candidate_list.html"
    export_name = "commissioner-roster"
    export_columns = [
        (header(RosterImporter.columns, "county"), lambda c, view: c.batch.county.code),
        (header(RosterImporter.columns, "year"), lambda c, view: c.batch.year),
        (header(RosterImporter.columns, "name"), lambda c, view: c.expert.name),
        (header(RosterImporter.columns, "phone"), lambda c, view: c.expert.phone),
        (header(RosterImporter.columns, "nominated_by"), lambda c, view: c.nominated_by),
        (_("Level"), lambda c, view: c.get_level_display()),
        (_("Status"), lambda c, view: c.get_status_display()),
    ]


class CandidateActionView(ObjectActionView):
    model = Candidate
    actions = {
        "approve": Action(
            forms.EmptyForm, lambda u, c, data: services.decide(u, c, approve=True), _("Candidate approved.")
        ),
        "reject": Action(
            forms.ReasonForm,
            lambda u, c, data: services.decide(u, c, approve=False, reason=data["reason"]),
            _("Candidate rejected."),
        ),
        "withdraw": Action(forms.EmptyForm, lambda u, c, data: services.withdraw(u, c), _("Application withdrawn.")),
    }

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


class RosterImportView(ImportView):
    model = Batch
    importer_class = RosterImporter
    job_kind = "commissioners.import_roster"
    required_roles = MANAGERS
    heading = _("Import a commissioner roster")


# --- teams -------------------------------------------------------------------------------------------------------


class TeamListView(ScopedListView):
    model = Team
    filterset_class = TeamFilter
    select_related = ("county", "leader")
    template_name = "commissioners/team_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_create": may_manage(self.request.user)}


class TeamDetailView(ScopedDetailView):
    model = Team
    select_related = ("county", "leader")
    template_name = "commissioners/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        context.update(
            members=team.members.select_related("expert"),
            villages=team.villages.select_related("parent").order_by("code"),
            agreements=Agreement.objects.for_user(self.request.user).filter(team=team).select_related("village"),
        )
        return context


class TeamFormView(RoleRequiredMixin, ServiceFormView):
    model = Team
    form_class = forms.TeamForm
    template_name = "regions/form.html"
    required_roles = MANAGERS

    def perform(self, form):
        return services.save_team(self.request.user, instance=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit service team") if self.object else _("Form a service team"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("commissioners:team-list"),
        }


# --- agreements --------------------------------------------------------------------------------------------------


class AgreementListView(ScopedListView):
    """Agreements with their progress against each target, one line each."""

    model = Agreement
    filterset_class = AgreementFilter
    select_related = ("village__parent", "expert", "team")
    template_name = "commissioners/agreement_list.html"
    export_name = "agreements"
    export_columns = [
        (_("Year"), lambda a, view: a.year),
        (_("Village division code"), lambda a, view: a.village.code),
        (_("Village"), lambda a, view: a.village.name),
        (_("Commissioner or team"), lambda a, view: a.team.name if a.team_id else a.expert.name),
        (_("Status"), lambda a, view: a.get_status_display()),
        (_("Signed on"), lambda a, view: a.signed_on or ""),
        (_("Term starts"), lambda a, view: a.starts_on),
        (_("Term ends"), lambda a, view: a.ends_on),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        figures = statistics.progress(page)
        for agreement in page:
            agreement.targets = figures[agreement.pk]
        context["object_list"] = page
        context["may_create"] = may_manage(self.request.user)
        return context


class AgreementDetailView(ScopedDetailView):
    model = Agreement
    select_related = ("village__parent", "expert", "team", "pairing")
    template_name = "commissioners/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agreement = self.request.user, self.object
        actions = {t.name for t in Agreement.workflow.available(agreement, user)} if context["can_change"] else set()
        context.update(
            targets=statistics.progress([agreement])[agreement.pk],
            logs=ServiceLog.objects.for_user(user).filter(agreement=agreement).select_related("expert")[:50],
            actions=actions,
            sign_form=forms.SignForm(user=user),
            terminate_form=forms.ReasonForm(user=user),
        )
        return context


class AgreementFormView(RoleRequiredMixin, ServiceFormView):
    model = Agreement
    template_name = "regions/form.html"
    required_roles = MANAGERS

    def get_form_class(self):
        return forms.AgreementTermsForm if self.object else forms.AgreementForm

    def get_initial(self):
        pairing = self.request.GET.get("pairing")
        return {"pairing": pairing} if pairing else {}

    def perform(self, form):
        return services.save_agreement(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit agreement") if self.object else _("Draft an agreement"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("commissioners:agreement-list"),
        }


class AgreementActionView(ObjectActionView):
    model = Agreement
    actions = {
        "sign": Action(forms.SignForm, lambda u, a, data: services.sign_agreement(u, a, **data), _("Signed.")),
        "fulfil": Action(forms.EmptyForm, lambda u, a, data: services.fulfil_agreement(u, a), _("Marked fulfilled.")),
        "terminate": Action(
            forms.ReasonForm,
            lambda u, a, data: services.terminate_agreement(u, a, data["reason"]),
            _("Agreement terminated."),
        ),
    }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["files"] = self.request.FILES
        return kwargs

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


class ProtectedFileView(ScopedMixin, View):
    """A file of a record, served only to who may see the record (never from a public media URL)."""

    field = ""
    content_type = "application/octet-stream"

    def get(self, request, pk: int):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        stored = getattr(obj, self.field)
        if not stored:
            raise Http404
        try:
            content = stored.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = stored.name.rsplit("/", 1)[-1]
        response = FileResponse(content, filename=name)
        response["Cache-Control"] = "private, max-age=3600"
        return response


class AgreementScanView(ProtectedFileView):
    model = Agreement
    field = "scan"


class LogPhotoView(ProtectedFileView):
    model = LogPhoto
    field = "image"


# --- service logs ------------------------------------------------------------------------------------------------


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
        (log_column("varieties"), lambda log, view: "、".join(services.lines(log.varieties))),
        (log_column("techniques"), lambda log, view: "、".join(services.lines(log.techniques))),
        (_("Status"), lambda log, view: log.get_status_display()),
    ]

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("households")
        if self.request.GET.get("mine"):
            qs = qs.filter(expert__user_id=self.request.user.pk)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            may_log=is_commissioner(user),
            may_import=LogImportView.allows(user),
            # A commissioner sees only their own (and their teams') logs: "My service log".
            mine=bool(self.request.GET.get("mine")) or granted_roles(user) == {Role.EXPERT},
        )
        return context


class ServiceLogDetailView(ScopedDetailView):
    model = ServiceLog
    select_related = ("expert", "village__parent", "team", "agreement", "confirmed_by")
    template_name = "commissioners/log_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, log = self.request.user, self.object
        context.update(
            households=log.households.order_by("number"),
            photos=log.photos.all(),
            actions={t.name for t in ServiceLog.workflow.available(log, user)} if context["can_change"] else set(),
            own=log.expert.user_id == user.pk,
            return_form=forms.NoteForm(user=user),
        )
        return context


class ServiceLogFormView(ServiceFormView):
    """Record a service (a commissioner, on a phone in the field) or correct one awaiting confirmation."""

    model = ServiceLog
    form_class = forms.ServiceLogForm
    template_name = "commissioners/log_form.html"
    success_message = _("Service recorded; the village or the county will confirm it.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not kwargs.get("pk") and not is_commissioner(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

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


class ServiceLogActionView(ObjectActionView):
    model = ServiceLog
    actions = {
        "confirm": Action(forms.EmptyForm, lambda u, log, data: services.confirm_log(u, log), _("Confirmed.")),
        "return": Action(
            forms.NoteForm, lambda u, log, data: services.return_log(u, log, data["note"]), _("Returned.")
        ),
        "resubmit": Action(forms.EmptyForm, lambda u, log, data: services.resubmit_log(u, log), _("Resubmitted.")),
    }

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


class LogImportView(ImportView):
    model = ServiceLog
    importer_class = ServiceLogImporter
    job_kind = "commissioners.import_logs"
    required_roles = MANAGERS
    heading = _("Import service logs")
