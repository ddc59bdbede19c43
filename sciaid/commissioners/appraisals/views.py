"""Pages of the yearly commissioner appraisal: the counties' rounds, the rubric form, a round with every sheet ranked
(exportable), one sheet with its score form, and a commissioner's own published sheets."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from sciaid.commissioners import forms as shared_forms
from sciaid.commissioners.appraisals import forms, services
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.filters import AppraisalFilter
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric
from sciaid.commissioners.common import EXPERTS, MANAGERS, READERS
from sciaid.core.actions import Step, StepView
from sciaid.core.pagination import CappedPaginator
from sciaid.core.scoping import CHANGE
from sciaid.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView


class AppraisalRubricListView(RoleRequiredMixin, ScopedListView):
    model = AppraisalRubric
    select_related = ("county",)
    template_name = "commissioners/appraisal_rubric_list.html"
    required_roles = READERS


class AppraisalRubricFormView(RoleRequiredMixin, ServiceFormView):
    """Set a county's rubric for a year: weights, thresholds, quota (changing it recomputes the ratings)."""

    model = AppraisalRubric
    form_class = forms.RubricForm
    template_name = "commissioners/appraisal_rubric_form.html"
    required_roles = MANAGERS
    edits_object = False
    success_message = _("Rubric saved.")

    def get_initial(self):
        rubric = (
            AppraisalRubric.objects.for_user(self.request.user, CHANGE)
            .filter(county__code=self.request.GET.get("county"), year=self.request.GET.get("year") or 0)
            .select_related("county")
            .first()
        )
        return forms.RubricForm.initial_from(rubric) if rubric else {}

    def perform(self, form):
        return services.save_appraisal_rubric(self.request.user, **form.cleaned_data)


class AppraisalRubricDetailView(ScopedDetailView):
    """The county's appraisal: the rubric, every sheet ranked, the distribution of ratings, and the next step."""

    model = AppraisalRubric
    select_related = ("county",)
    template_name = "commissioners/appraisal_rubric_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rubric = self.object
        sheets = list(rubric.sheets.select_related("expert").order_by("rank", "id"))
        counts = dict.fromkeys(Rating.values, 0)
        for sheet in sheets:
            if sheet.rating:
                counts[sheet.rating] += 1
        actions = AppraisalRubric.workflow.available(rubric, self.request.user)
        context.update(
            sheets=sheets,
            distribution=[(label, counts[value]) for value, label in Rating.choices],
            actions=actions if context["can_change"] else [],
            editable=context["can_change"] and rubric.status in (RoundStatus.DRAFT, RoundStatus.COMPUTED),
        )
        return context


RUBRIC_ACTIONS = {
    "compute": Step(shared_forms.EmptyForm, lambda u, r, data: services.compute_appraisal(u, r), _("Sheets computed.")),
    "review": Step(shared_forms.EmptyForm, lambda u, r, data: services.review_appraisal(u, r), _("Marked reviewed.")),
    "reopen": Step(shared_forms.EmptyForm, lambda u, r, data: services.reopen_appraisal(u, r), _("Reopened.")),
    "publish": Step(
        shared_forms.EmptyForm,
        lambda u, r, data: services.publish_appraisal(u, r),
        _("Published: each commissioner now sees their sheet."),
    ),
}


class AppraisalRubricActionView(StepView):
    model = AppraisalRubric
    steps = RUBRIC_ACTIONS


def sheet_column(name: str):
    """A sheet's field as an export column, headed by the field's own (translated) name."""
    return (capfirst(Appraisal._meta.get_field(name).verbose_name), lambda sheet, view: getattr(sheet, name))


class AppraisalListView(ScopedListView):
    """Appraisal sheets (`?rubric=<id>` for one county's year, ranked), and `?export=xlsx|csv` of the same rows: the
    county files the table with its report."""

    model = Appraisal
    filterset_class = AppraisalFilter
    select_related = ("rubric__county", "expert")
    template_name = "commissioners/appraisal_list.html"
    export_name = "appraisal-sheets"
    export_columns = [
        (_("County"), lambda sheet, view: sheet.rubric.county.name),
        (_("Year"), lambda sheet, view: sheet.rubric.year),
        sheet_column("rank"),
        (_("Commissioner"), lambda sheet, view: sheet.expert.name),
        (_("Organisation"), lambda sheet, view: sheet.expert.organisation),
        *(
            sheet_column(name)
            for name in (
                "villages",
                "services",
                "volume_score",
                "demands_served",
                "mean_rating",
                "callbacks",
                "satisfied_callbacks",
                "effect_score",
                "opinion_score",
                "manual_score",
                "total",
            )
        ),
        (capfirst(Appraisal._meta.get_field("rating").verbose_name), lambda sheet, view: sheet.get_rating_display()),
        sheet_column("note"),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("-rubric__year", "rubric__county__code", "rank", "id")


class AppraisalDetailView(ScopedDetailView):
    """One commissioner's sheet: the figures behind each component score, the total and the rating."""

    model = Appraisal
    select_related = ("rubric", "rubric__county", "expert")
    template_name = "commissioners/appraisal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = self.object
        if context["can_change"] and sheet.rubric.status == RoundStatus.COMPUTED:
            context["score_form"] = forms.SheetScoreForm(
                user=self.request.user,
                initial={"opinion_score": sheet.opinion_score, "manual_score": sheet.manual_score, "note": sheet.note},
            )
        return context


class AppraisalScoreView(StepView):
    """Enter a sheet's village opinion and manual scores (the URL names the one action, "score")."""

    model = Appraisal
    steps = {
        "score": Step(
            forms.SheetScoreForm,
            lambda u, sheet, data: services.score_appraisal(u, sheet, **data),
            _("Scores saved; totals and ratings recomputed."),
        )
    }


class MyAppraisalsView(RoleRequiredMixin, ScopedMixin, ListView):
    """A commissioner's own published appraisal sheets, newest year first (personal, like an inbox)."""

    model = Appraisal
    select_related = ("rubric", "rubric__county")
    template_name = "commissioners/appraisal_mine.html"
    required_roles = EXPERTS
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        return super().get_queryset().filter(expert__user=self.request.user).order_by("-rubric__year", "id")
