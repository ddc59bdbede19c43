"""Forms of the yearly appraisal: the county's rubric, and the scores entered on a sheet."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.appraisals.models import AppraisalRubric
from sciaid.commissioners.forms import TEXTAREA, CountyYearForm
from sciaid.core.forms import ActingUserForm


class RubricForm(CountyYearForm):
    """The rubric's weights (summing to 100), thresholds and optional quota for excellent."""

    weight_volume = forms.IntegerField(label=_("Weight: service volume"), min_value=0, max_value=100, initial=40)
    weight_effect = forms.IntegerField(label=_("Weight: effect"), min_value=0, max_value=100, initial=20)
    weight_opinion = forms.IntegerField(label=_("Weight: village opinion"), min_value=0, max_value=100, initial=20)
    weight_manual = forms.IntegerField(label=_("Weight: manual score"), min_value=0, max_value=100, initial=20)
    volume_target = forms.IntegerField(label=_("Confirmed services for full marks"), min_value=1, initial=12)
    excellent_from = forms.DecimalField(label=_("Excellent from (score)"), min_value=0, max_value=100, initial=85)
    qualified_from = forms.DecimalField(label=_("Qualified from (score)"), min_value=0, max_value=100, initial=60)
    excellent_quota = forms.IntegerField(
        label=_("Excellent at most (per cent of commissioners)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for no quota."),
    )

    def clean(self):
        data = super().clean()
        weights = [data.get(name) for name in ("weight_volume", "weight_effect", "weight_opinion", "weight_manual")]
        if None not in weights and sum(weights) != 100:
            self.add_error("weight_manual", _("The four weights must add up to 100."))
        return data

    @staticmethod
    def initial_from(rubric: AppraisalRubric) -> dict:
        fields = [name for name in RubricForm.base_fields if name not in ("county", "year")]
        return {"county": rubric.county.code, "year": rubric.year, **{name: getattr(rubric, name) for name in fields}}


class SheetScoreForm(ActingUserForm):
    opinion_score = forms.DecimalField(
        label=_("Village opinion score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    manual_score = forms.DecimalField(
        label=_("Manual score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)
