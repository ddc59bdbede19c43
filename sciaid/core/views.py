"""Base classes for HTML views: each names its model (and filterset, export columns, form and service) and gets
jurisdiction scoping, pagination, filtering, spreadsheet export and clean error handling for free.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from sciaid.core.filters import NotificationFilter, ObjectChangeFilter
from sciaid.core.forms import ImportForm
from sciaid.core.homepage import home_sections
from sciaid.core.jobs import enqueue
from sciaid.core.models import Job, Notification, ObjectChange
from sciaid.core.notifications import mark_read
from sciaid.core.pagination import CappedPaginator
from sciaid.core.scoping import CHANGE, SCOPED, VIEW, granted_roles, is_unrestricted, may
from sciaid.core.spreadsheets import FORMATS, export_response


class ScopedMixin(LoginRequiredMixin):
    """Restricts a view's objects to the user's jurisdiction; a view without a scoped model refuses to serve."""

    scoping = SCOPED
    model: type[models.Model] | None = None
    #: Joins to load with the objects (keeps the query count flat).
    select_related: tuple[str, ...] = ()
    action = VIEW

    def get_queryset(self):
        if self.model is None or getattr(self.model, "scope", None) is None:
            raise PermissionDenied
        qs = self.model._default_manager.for_user(self.request.user, self.action)
        return qs.select_related(*self.select_related) if self.select_related else qs


class ScopedListView(ScopedMixin, ListView):
    """A filtered, paginated list of what the user may see; `?export=xlsx|csv` downloads the same rows."""

    filterset_class = None
    paginate_by = 50
    paginator_class = CappedPaginator
    #: [(header, function(obj, view) -> value)] for exports; None means the list cannot be exported.
    export_columns: list[tuple[Any, Any]] | None = None
    export_name = "export"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.filterset_class:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs
        else:
            self.filterset = None
        return qs

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt and self.export_columns is not None:
            if fmt not in FORMATS:
                raise Http404
            return self.export(self.get_queryset(), fmt)
        return super().get(request, *args, **kwargs)

    def export(self, queryset, fmt: str):
        headers = [str(header) for header, _ in self.export_columns]
        rows = ([value(obj, self) for _, value in self.export_columns] for obj in queryset.iterator(chunk_size=2000))
        return export_response(_chain([headers], rows), fmt, self.export_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["can_export"] = self.export_columns is not None
        return context


def _chain(first, rest):
    yield from first
    yield from rest


class ScopedDetailView(ScopedMixin, DetailView):
    """One object the user may see; anything outside their jurisdiction is a 404, as if it did not exist."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = may(self.request.user, self.object, CHANGE)
        return context


class ServiceFormView(ScopedMixin, FormView):
    """A form whose valid data goes to a service function; a refusal from the service becomes a form error.

    Subclasses set `form_class` and implement `perform(form)` (calling services) returning the object to show.
    For edits, `object` is looked up within the user's *change* scope, so editing outside it is a 404.
    """

    action = CHANGE
    success_message = _("Saved.")
    edits_object = True

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and self.edits_object and self.kwargs.get("pk"):
            self.object = self._get_object_or_deny()
        return super().dispatch(request, *args, **kwargs)

    def _get_object_or_deny(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            # Visible but not changeable is a refusal; invisible is a 404.
            if self.model._default_manager.for_user(self.request.user, VIEW).filter(pk=self.kwargs["pk"]).exists():
                raise PermissionDenied from None
            raise Http404 from None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url(saved))

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self, saved=None):
        return saved.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


# --- the core's own pages: home, audit log, jobs --------------------------------------------------------------


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's starting page: their areas and the lists their work starts from."""

    scoping = SCOPED
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = home_sections(self.request.user)
        return context


class AuditLogView(ScopedListView):
    """Who changed what, when, old → new: supervisors and managers see the changes of their own areas."""

    model = ObjectChange
    filterset_class = ObjectChangeFilter
    template_name = "core/audit_list.html"
    select_related = ("content_type",)


class AuditEntryView(ScopedDetailView):
    model = ObjectChange
    template_name = "core/audit_detail.html"
    select_related = ("content_type",)


class JobListView(ScopedListView):
    model = Job
    template_name = "core/job_list.html"
    paginate_by = 25


class JobDetailView(ScopedDetailView):
    """A job's progress; the page polls the progress fragment with htmx until the job is finished."""

    model = Job
    template_name = "core/job_detail.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["core/job_progress.html"]
        return [self.template_name]


class JobResultView(ScopedDetailView):
    """The job's result file, served only to the job's owner (never from a public media URL: it may hold IDs)."""

    model = Job

    def render_to_response(self, context, **response_kwargs):
        if not self.object.result_file:
            raise Http404
        name = self.object.result_file.name.rsplit("/", 1)[-1]
        try:
            content = self.object.result_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(content, as_attachment=True, filename=name)


# --- role-gated pages and spreadsheet imports -------------------------------------------------------------------


class RoleRequiredMixin:
    """Refuse (403) a logged-in user none of whose roles may use the page at all; anonymous users go to login."""

    required_roles: frozenset[str] = frozenset()

    @classmethod
    def allows(cls, user) -> bool:
        return is_unrestricted(user) or bool(granted_roles(user) & cls.required_roles)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_unrestricted(user) or granted_roles(user) & self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(RoleRequiredMixin, ScopedMixin, FormView):
    """Upload a spreadsheet: small files import at once and show the report; large ones run as a job.

    `?template=xlsx|csv` downloads the blank template with an example row.
    """

    form_class = ImportForm
    template_name = "core/import.html"
    importer_class = None
    job_kind = ""
    heading = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("template")
        if fmt in FORMATS:
            return self.importer_class.template(fmt)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        uploaded = form.cleaned_data["file"]
        # The stored name is ours, never the uploader's; the extension tells the reader the format.
        uploaded.name = f"{self.job_kind.rsplit('.', 1)[-1]}.{form.extension}"
        if form.estimated_rows() > settings.IMPORT_JOB_THRESHOLD:
            job = enqueue(self.job_kind, user, input_file=uploaded)
            return redirect("core:job-detail", pk=job.pk)
        report = self.importer_class(user).run(uploaded)
        return self.render_to_response(self.get_context_data(form=self.form_class(user=user), report=report))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["columns"] = self.importer_class.columns
        return context


# --- the notification inbox ------------------------------------------------------------------------------------


class NotificationListView(ScopedListView):
    """The user's own inbox, newest first; unread messages stand out and can be marked read."""

    model = Notification
    filterset_class = NotificationFilter
    template_name = "core/notification_list.html"
    paginate_by = 25

    def get_queryset(self):
        # Own messages only, even for operators whose scope is unrestricted.
        return super().get_queryset().filter(recipient=self.request.user)


class NotificationReadView(ScopedMixin, View):
    """POST: mark one notification (pk) or all of them read, then go to its link (`open`) or back to the inbox."""

    model = Notification
    action = CHANGE
    http_method_names = ["post"]

    def post(self, request, pk: int | None = None):
        if pk is None:
            mark_read(request.user)
            return redirect("core:notification-list")
        notification = get_object_or_404(self.get_queryset().filter(recipient=request.user), pk=pk)
        mark_read(request.user, [notification.pk])
        target = notification.url
        if request.POST.get("open") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        return redirect("core:notification-list")
