"""The self-inspection report's pages under /reports/self-inspection/: choose an area and a year, preview the
report, edit a section's narrative, download the DOCX or PDF, or make a city's or province's report in a job.

Every page reads the area from `?area=<code>&year=<yyyy>` through `regions.reports.AreaYearReportView` (an area
outside the user's jurisdiction is a 404) and every figure through `services.report_for`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from sciaid.core.models import Job
from sciaid.core.views import ScopedMixin
from sciaid.regions import reports
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.reports.self_inspection import services
from sciaid.reports.self_inspection.models import READERS, SelfInspectionDraft
from sciaid.reports.self_inspection.sections import SECTION_KEYS, SECTION_TITLES


class AreaYearForm(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = services.report_areas(user)
        fit_area_widget(self.fields["area"])


def latest_year(area: Area) -> int:
    """The report is about a finished year: last year."""
    return timezone.localdate().year - 1


class ReportPageView(reports.AreaYearReportView):
    """A page on `?area=&year=` for the indicator readers (`models.READERS`)."""

    model = SelfInspectionDraft
    required_roles = READERS
    form_class = AreaYearForm

    def resolve(self, user, area_code, year_text):
        return reports.resolve_area_year(
            area_code,
            year_text,
            areas=services.report_areas(user),
            default_area=lambda: services.report_areas(user).order_by("level", "code").first(),
            latest_year=latest_year,
        )

    def query(self) -> str:
        return f"area={self.area.code}&year={self.year}"

    def links(self) -> dict:
        query = self.query()
        return {
            "preview_url": f"{services.si_reverse('preview')}?{query}",
            "docx_url": f"{services.si_reverse('download', 'docx')}?{query}",
            "pdf_url": f"{services.si_reverse('download', 'pdf')}?{query}",
            "job_url": f"{services.si_reverse('job-create')}?{query}",
            "may_edit": services.may_edit(self.request.user, self.area),
        }


class IndexView(ReportPageView):
    """Choose the area and the year; links to the preview and the files."""

    template_name = "self_inspection/index.html"

    def report(self) -> dict:
        return {**self.links(), "is_county": self.area.level == 3, "index_url": services.si_reverse("index")}


class PreviewView(ReportPageView):
    """The report as HTML: every section with its figures and narrative, and the consistency checks."""

    template_name = "self_inspection/preview.html"

    def report(self) -> dict:
        report = services.report_for(self.request.user, self.area, self.year)
        links = self.links()
        query = self.query()
        for section in report.sections:
            section.edit_url = f"{services.si_reverse('edit', section.key)}?{query}"
        return {**links, "report": report, "index_url": services.si_reverse("index")}


class EditForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), max_length=services.MAX_TEXT)


class EditView(ReportPageView):
    """Edit one section's narrative (county admins of the area, city and province admins above it); the history is
    the audit log of its draft. "Back to the drafted text" drops the edit."""

    reports_on_area = False  # its URL names a section, a format or is POST only
    template_name = "self_inspection/edit.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["section"] not in SECTION_KEYS:
            raise Http404
        self.section = kwargs["section"]
        return super().dispatch(request, *args, **kwargs)

    def resolved(self, request):
        try:
            self.area, self.year = self.resolve(request.user, request.GET.get("area"), request.GET.get("year"))
        except ValidationError as exc:
            raise Http404 from exc
        if not services.may_edit(request.user, self.area):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.resolved(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.resolved(request)
        preview = f"{services.si_reverse('preview')}?{self.query()}#section-{self.section}"
        if "reset" in request.POST:
            services.reset_draft(request.user, self.area, self.year, self.section)
            messages.success(request, _("The drafted text is back."))
            return HttpResponseRedirect(preview)
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.save_draft(request.user, self.area, self.year, self.section, form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error("text", exc.message_dict.get("text", exc.messages))
            else:
                messages.success(request, _("The section's text is saved; regenerating the report keeps it."))
                return HttpResponseRedirect(preview)
        self.errors = {}
        context = self.get_context_data(edit_form=form)
        return self.render_to_response(context)

    def report(self) -> dict:
        report = services.report_for(self.request.user, self.area, self.year)
        section = next(section for section in report.sections if section.key == self.section)
        return {
            **self.links(),
            "section": section,
            "edit_form": EditForm(initial={"text": section.text}),
            "history": services.history(self.area, self.year, self.section),
            "section_title": SECTION_TITLES[self.section],
        }

    def get_context_data(self, **kwargs):
        edit_form = kwargs.pop("edit_form", None)
        context = super().get_context_data(**kwargs)
        if edit_form is not None:
            context["edit_form"] = edit_form
        return context


class DownloadView(ReportPageView):
    """The DOCX or PDF of the report, made now (a county's takes seconds) or the stored one if nothing changed."""

    reports_on_area = False  # its URL names a section, a format or is POST only

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in services.FORMATS:
            raise Http404
        try:
            self.area, self.year = self.resolve(request.user, request.GET.get("area"), request.GET.get("year"))
        except ValidationError as exc:
            raise Http404 from exc
        files = services.report_files(request.user, self.area, self.year)
        return serve(files.names[fmt], fmt, f"self-inspection-{self.area.code}-{self.year}.{fmt}")


def serve(name: str, fmt: str, filename: str) -> FileResponse:
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=services.CONTENT_TYPES[fmt],
    )


class JobCreateView(ReportPageView):
    """POST: make the report of `?area=&year=` in a job and show its progress (the platform's job page)."""

    reports_on_area = False  # its URL names a section, a format or is POST only
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            self.area, self.year = self.resolve(request.user, request.GET.get("area"), request.GET.get("year"))
        except ValidationError as exc:
            raise Http404 from exc
        job = services.request_report(request.user, self.area, self.year)
        return HttpResponseRedirect(reverse("core:job-detail", args=[job.pk]))


class JobFileView(ScopedMixin, View):
    """A file of a finished report job: the requester's own (jobs are scoped to who asked for them)."""

    model = Job

    def get(self, request, pk: int, fmt: str):
        if fmt not in services.FORMATS:
            raise Http404
        job = Job.objects.for_user(request.user).filter(pk=pk, kind=services.JOB_KIND).first()
        if job is None or not services.job_links(job):
            raise Http404
        result = job.result
        return serve(result[fmt], fmt, f"self-inspection-{result['area']}-{result['year']}.{fmt}")
