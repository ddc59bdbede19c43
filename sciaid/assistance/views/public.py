"""The public questions and answers, without login: published knowledge entries only, public fields only (see
`assistance.portal`), filtered by the visitor's chosen area unless the link names one."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from sciaid.assistance.filters import KnowledgeFilter
from sciaid.assistance.portal import public_answers
from sciaid.core.pagination import CappedPaginator
from sciaid.core.scoping import PUBLIC
from sciaid.regions.choices import AreaLevel
from sciaid.regions.chooser import with_chosen_area
from sciaid.regions.filters import in_subtree
from sciaid.regions.models import Area


class PublicAnswerFilter(KnowledgeFilter):
    """Words and specialty as for the desk, no states (everything here is published), and the area asked from."""

    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        to_field_name="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code"),
        method=in_subtree("village__code"),
    )

    class Meta(KnowledgeFilter.Meta):
        fields = ["q", "specialty", "area"]


class PublicAnswerListView(ListView):
    """Published answers, newest first, with how to ask a question of one's own."""

    scoping = PUBLIC
    template_name = "assistance/public_answers.html"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = PublicAnswerFilter(with_chosen_area(self.request), queryset=public_answers())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter=self.filterset, query_string=query.urlencode(), **kwargs)


class PublicAnswerView(DetailView):
    """One published answer; anything else (in review, dismissed, a wrong number) is a 404 here."""

    scoping = PUBLIC
    template_name = "assistance/public_answer.html"
    context_object_name = "entry"

    def get_queryset(self):
        return public_answers()
