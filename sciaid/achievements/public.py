"""The public catalogue, readable without a login: published achievements only, public fields only — never the
contact, the reviewer or the review note. Search by Chinese words or pinyin (`?q=`), filters by kind, industry,
transfer mode and area (`?area=<county code>`: the county's catalogue with its city's and province's)."""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from sciaid.achievements.filters import PublicAchievementFilter
from sciaid.achievements.services import public_achievements
from sciaid.core.pagination import CappedPaginator
from sciaid.core.scoping import PUBLIC
from sciaid.regions.chooser import with_chosen_area

#: The only columns a public page reads.
PUBLIC_FIELDS = (
    "title",
    "kind",
    "owner",
    "maturity",
    "transfer_modes",
    "price_guide",
    "description",
    "published_on",
    "status",
    "title_pinyin",
    "area__name",
    "area__code",
)


class PublicAchievementListView(ListView):
    """Published achievements, alphabetical by pinyin, or best matches first when searching."""

    scoping = PUBLIC
    template_name = "achievements/public_list.html"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        rows = public_achievements().select_related("area").only(*PUBLIC_FIELDS).order_by("title_pinyin", "id")
        self.filterset = PublicAchievementFilter(with_chosen_area(self.request), queryset=rows)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_string=query.urlencode())
        return context


class PublicAchievementDetailView(DetailView):
    """A published achievement; anything else (a draft, a withdrawn entry, a wrong number) is a 404 here."""

    scoping = PUBLIC
    template_name = "achievements/public_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return public_achievements().select_related("area").only(*PUBLIC_FIELDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["industries"] = self.object.industries.all()
        return context
