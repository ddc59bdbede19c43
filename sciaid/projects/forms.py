"""Forms of the project pages. They check what one form can (required fields, sizes, choices) and hand the rest to
`services`, which owns every business rule (jurisdiction, state, caps, conflicts of interest)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.accounts.models import User
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.demonstration.models import DemoSite
from sciaid.demonstration.services import sites_of_county
from sciaid.funds.models import Budget
from sciaid.projects import services
from sciaid.projects.choices import BudgetCategory, CallKind, FindingLevel, IndicatorKind, Verdict
from sciaid.projects.models import Milestone
from sciaid.projects.widgets import VillagePicker
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, **kwargs)


class EmptyForm(ActingUserForm):
    """An action that needs nothing but the button."""


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CallForm(ActingUserForm):
    area = forms.ModelChoiceField(label=_("Published by"), queryset=Area.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=date.today().year)
    kind = forms.ChoiceField(label=_("Type"), choices=CallKind.choices)
    budget_cap = money_field(_("Total budget (yuan)"))
    per_project_cap = money_field(_("At most per project (yuan)"))
    deadline = forms.DateField(label=_("Declaration deadline"), widget=DATE)
    required_attachments = forms.CharField(
        label=_("Required attachments"), required=False, widget=TEXTAREA, help_text=_("One document per line.")
    )
    eligible_areas = forms.ModelMultipleChoiceField(
        label=_("Eligible townships"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("None chosen: the whole area."),
    )
    budget = forms.ModelChoiceField(label=_("Funded from budget"), queryset=Budget.objects.none(), required=False)
    criteria = forms.CharField(
        label=_("Review rubric"),
        required=False,
        widget=TEXTAREA,
        help_text=_("One criterion per line as “name: weight”; empty for the default rubric."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.for_user(self.user, CHANGE).filter(level__lte=AreaLevel.COUNTY).order_by("code")
        self.fields["area"].queryset = areas
        self.fields["eligible_areas"].queryset = Area.objects.for_user(self.user, CHANGE).filter(
            level=AreaLevel.TOWNSHIP
        )
        self.fields["budget"].queryset = Budget.objects.for_user(self.user, CHANGE).select_related("area")

    def clean_required_attachments(self) -> list[str]:
        return lines(self.cleaned_data["required_attachments"])

    def clean_criteria(self) -> list[tuple[str, int]] | None:
        rubric = []
        for line in lines(self.cleaned_data["criteria"]):
            name, _sep, weight = line.rpartition(":")
            if not name.strip() or not weight.strip().isdigit() or int(weight) < 1:
                raise forms.ValidationError(_("Write each criterion as “name: weight”, e.g. “Effect: 30”."))
            rubric.append((name.strip(), int(weight)))
        return rubric or None


class BasicsForm(ActingUserForm):
    """Step 1 of a declaration: who, what, where, how much."""

    title = forms.CharField(label=_("Project title"), max_length=200)
    organisation = forms.CharField(label=_("Applicant organisation"), max_length=128)
    industry = forms.CharField(label=_("Industry"), max_length=64)
    partner = forms.CharField(label=_("Partner institution"), max_length=128, required=False)
    requested_amount = money_field(_("Requested amount (yuan)"))
    villages = forms.ModelMultipleChoiceField(label=_("Villages"), queryset=Area.objects.none(), widget=VillagePicker)
    demo_sites = forms.ModelMultipleChoiceField(
        label=_("Demonstration sites"),
        queryset=DemoSite.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The county's demonstration sites where the project shows its varieties and techniques."),
    )
    summary = forms.CharField(label=pgettext_lazy("project", "Summary"), required=False, widget=TEXTAREA)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        county = self.instance.county if self.instance else services.declaring_county(self.user, call)
        villages = self.fields["villages"]
        villages.queryset = county.descendants(level=AreaLevel.VILLAGE)
        villages.widget.offer(county)
        self.fields["demo_sites"].queryset = sites_of_county(self.user, county)
        if self.instance is not None:
            for name in ("title", "organisation", "industry", "partner", "requested_amount", "summary"):
                self.initial.setdefault(name, getattr(self.instance, name))
            self.initial.setdefault("villages", list(self.instance.villages.all()))
            self.initial.setdefault("demo_sites", list(self.instance.demo_sites.all()))
        else:
            self.initial.setdefault("organisation", self.user.organisation)


class IndicatorRow(forms.Form):
    # The select's first option is its initial value, so an untouched spare row counts as empty.
    kind = forms.ChoiceField(label=_("Indicator"), choices=IndicatorKind.choices, initial=IndicatorKind.HOUSEHOLDS)
    name = forms.CharField(label=_("Description"), max_length=100, required=False)
    unit = forms.CharField(label=pgettext_lazy("measure", "Unit"), max_length=16, required=False)
    planned = forms.DecimalField(label=_("Planned"), max_digits=14, decimal_places=2, min_value=0)


class BudgetRow(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetCategory.choices, initial=BudgetCategory.EQUIPMENT)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = money_field(_("Amount (yuan)"))


class TeamRow(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    organisation = forms.CharField(label=_("Organisation"), max_length=128, required=False)
    duty = forms.CharField(label=_("Duty"), max_length=64, required=False)


class RowsForm(ActingUserForm):
    """A step made of repeated rows (indicators, budget lines, team): a formset wearing the form interface that
    ServiceFormView expects. Blank rows are ignored; the rows given replace the draft's."""

    row_form: type[forms.Form] = forms.Form
    relation = ""
    extra = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = formset_factory(self.row_form, extra=self.extra)
        fields = list(self.row_form.base_fields)
        initial = list(getattr(self.instance, self.relation).values(*fields)) if self.instance else []
        self.rows = formset(self.data if self.is_bound else None, prefix="rows", initial=initial)

    def is_valid(self) -> bool:
        return super().is_valid() & self.rows.is_valid()

    def cleaned_rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.rows.forms if form.has_changed() and form.cleaned_data]


class IndicatorsForm(RowsForm):
    row_form = IndicatorRow
    relation = "indicators"


class BudgetForm(RowsForm):
    row_form = BudgetRow
    relation = "budget_lines"


class TeamForm(RowsForm):
    row_form = TeamRow
    relation = "team"


class AttachmentForm(ActingUserForm):
    name = forms.CharField(label=_("Document"), max_length=100)
    file = forms.FileField(label=_("Attachment file"), help_text=_("PDF, image, Word or Excel; at most 20 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = self.instance.call.required_attachments if self.instance else []
        if required:
            self.fields["name"].widget = forms.Select(choices=[(name, name) for name in required])
            # The next document still missing comes first, so attaching them in turn is one tap each.
            missing = services.missing_attachments(self.instance)
            self.initial.setdefault("name", missing[0] if missing else required[0])


class ScoreForm(ActingUserForm):
    """A reviewer's scores, 0–100 on each criterion of the call's rubric, and comments."""

    comments = forms.CharField(label=_("Comments"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review = self.instance
        self.initial.setdefault("comments", review.comments)
        comments = self.fields.pop("comments")
        for criterion in review.project.call.criteria.all():
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight})",
                min_value=0,
                max_value=100,
                initial=(review.scores or {}).get(str(criterion.pk)),
            )
        self.fields["comments"] = comments

    def service_data(self) -> dict:
        data = self.cleaned_data
        scores = {name[6:]: value for name, value in data.items() if name.startswith("score_")}
        return {"scores": scores, "comments": data["comments"]}


class CheckForm(ActingUserForm):
    passed = forms.TypedChoiceField(
        label=_("Formal check"),
        choices=[("1", _("Passed: send to review")), ("0", _("Return for changes"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comments"), required=False, widget=TEXTAREA)


class AssignForm(ActingUserForm):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    count = forms.IntegerField(label=_("Or draw this many at random"), min_value=1, max_value=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pool = services.reviewer_pool(self.instance)
        self.fields["reviewers"].queryset = User.objects.filter(pk__in=[u.pk for u in pool.eligible])
        self.fields["reviewers"].label_from_instance = lambda user: f"{user} · {user.organisation}"
        self.conflicted = pool.conflicted


class ApproveForm(ActingUserForm):
    amount = money_field(_("Approved amount (yuan)"))
    comment = forms.CharField(label=_("Comments"), required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.initial.setdefault("amount", self.instance.requested_amount)


class RejectForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class TaskBookForm(ActingUserForm):
    """The county writes the task book: milestones, a target for each indicator, what the money may be spent on."""

    milestones = forms.CharField(
        label=_("Milestones"), widget=TEXTAREA, help_text=_("One per line as “YYYY-MM-DD what is due”.")
    )
    budget_scope = forms.CharField(label=_("Budget scope"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in self.instance.indicators.all() if self.instance else []:
            self.fields[f"target_{indicator.pk}"] = forms.DecimalField(
                label=_("Target: %(name)s") % {"name": indicator},
                max_digits=14,
                decimal_places=2,
                min_value=0,
                initial=indicator.planned,
            )

    def clean_milestones(self) -> list[dict]:
        rows = []
        for line in lines(self.cleaned_data["milestones"]):
            day, _sep, title = line.partition(" ")
            try:
                due_on = date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(_("Start each milestone with its date, e.g. “2020-09-30 …”.")) from None
            rows.append({"due_on": due_on, "title": title.strip()})
        return rows

    def service_data(self) -> dict:
        data = self.cleaned_data
        targets = {name[7:]: value for name, value in data.items() if name.startswith("target_")}
        return {"milestones": data["milestones"], "budget_scope": data["budget_scope"], "targets": targets}


class ProgressForm(ActingUserForm):
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=Milestone.objects.none())
    report = forms.CharField(label=pgettext_lazy("project", "Progress"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["milestone"].queryset = self.instance.milestones.all()


class FinalForm(ActingUserForm):
    summary = forms.CharField(label=_("Final report"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in self.instance.indicators.all() if self.instance else []:
            self.fields[f"achieved_{indicator.pk}"] = forms.DecimalField(
                label=_("Achieved: %(name)s (planned %(planned)s)")
                % {"name": indicator, "planned": indicator.target or indicator.planned},
                max_digits=14,
                decimal_places=2,
                min_value=0,
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        achieved = {name[9:]: value for name, value in data.items() if name.startswith("achieved_")}
        return {"summary": data["summary"], "achieved": achieved}


class AcceptForm(ActingUserForm):
    verdict = forms.ChoiceField(
        label=pgettext_lazy("acceptance", "Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Committee comments"), required=False, widget=TEXTAREA)


class RectificationForm(ActingUserForm):
    description = forms.CharField(label=_("What to rectify"), widget=TEXTAREA)
    deadline = forms.DateField(label=pgettext_lazy("rectification", "Deadline"), widget=DATE)


class DrawForm(ActingUserForm):
    area = forms.ModelChoiceField(label=_("County"), queryset=Area.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=date.today().year)
    project_count = forms.IntegerField(label=_("Projects to draw"), min_value=1, max_value=1000)
    inspector_count = forms.IntegerField(label=_("Inspectors to draw"), min_value=1, max_value=1000)
    seed = forms.IntegerField(
        label=pgettext_lazy("draw", "Seed"),
        min_value=0,
        max_value=2**62,
        required=False,
        help_text=_("Empty: chosen at random."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.COUNTY)


class FindingForm(ActingUserForm):
    level = forms.ChoiceField(label=pgettext_lazy("inspection", "Conclusion"), choices=FindingLevel.choices)
    findings = forms.CharField(label=pgettext_lazy("inspection", "Findings"), widget=TEXTAREA)
    rectification = forms.CharField(label=_("To rectify"), required=False, widget=TEXTAREA)
    deadline = forms.DateField(label=_("Rectify by"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("rectification") and not data.get("deadline"):
            self.add_error("deadline", _("Give the rectification a deadline."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        rows = [{"description": data["rectification"], "deadline": data["deadline"]}] if data["rectification"] else []
        return {"level": data["level"], "findings": data["findings"], "rectifications": rows}


class EvidenceForm(ActingUserForm):
    evidence = forms.CharField(label=_("What was rectified"), widget=TEXTAREA)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)


class CloseForm(ActingUserForm):
    accepted = forms.TypedChoiceField(
        label=pgettext_lazy("rectification", "Evidence"),
        choices=[("1", _("Convincing: close the item")), ("0", _("Not yet rectified: return it"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)
