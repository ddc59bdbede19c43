"""FilterSets of the yearly appraisal (rubrics and sheets), shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric


class AppraisalRubricFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    county = django_filters.CharFilter(field_name="county__code", label=_("County code"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoundStatus.choices)

    class Meta:
        model = AppraisalRubric
        fields = ["year", "county", "status"]


class AppraisalFilter(django_filters.FilterSet):
    rubric = django_filters.NumberFilter(field_name="rubric_id", label=_("Rubric"))
    year = django_filters.NumberFilter(field_name="rubric__year", label=_("Year"))
    county = django_filters.CharFilter(field_name="rubric__county__code", label=_("County code"))
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", label=_("Commissioner"))

    class Meta:
        model = Appraisal
        fields = ["rubric", "year", "county", "rating", "expert"]
