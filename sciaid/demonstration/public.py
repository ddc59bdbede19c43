"""Pages anyone reads without a login: the list of demonstrating (and closed) sites with filters by county, industry
and kind, a site's page with its yearly figures, photos and the trainings held there, and its photos.

No personal data: no household (only counts), no operating household's name or coordinates (its home), no phone;
commissioners by name and organisation, as the county publicises them. Sites still being entered are a 404.
"""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from sciaid.core.files import StoredFileMixin
from sciaid.core.pagination import CappedPaginator
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import public_view
from sciaid.demonstration import services
from sciaid.demonstration.choices import PUBLIC_STATES
from sciaid.demonstration.filters import PublicSiteFilter
from sciaid.demonstration.models import SitePhoto
from sciaid.regions.chooser import with_chosen_area
from sciaid.training.portal.public import public_events

#: The only columns a public page reads of a site.
PUBLIC_FIELDS = (
    "name",
    "kind",
    "operator_kind",
    "operator_name",
    "address",
    "latitude",
    "longitude",
    "area_mu",
    "established_year",
    "description",
    "households_driven",
    "poor_households_driven",
    "status",
    "name_pinyin",
    "village__name",
    "village__code",
    "village__parent__name",
    "industry__code",
    "industry__name_zh",
    "industry__name_en",
)


def public_site_rows():
    return services.public_sites().select_related("village", "village__parent", "industry").only(*PUBLIC_FIELDS)


@public_view
class PublicSiteListView(ListView):
    """Demonstration sites, by name; filtered by county (`?area=<code>`), industry, kind and operator kind."""

    template_name = "demonstration/public_list.html"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = PublicSiteFilter(with_chosen_area(self.request), queryset=public_site_rows())
        return self.filterset.qs.order_by("name_pinyin", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_string=query.urlencode())
        return context


@public_view
class PublicSiteDetailView(DetailView):
    """A demonstrating or closed site as the public sees it."""

    template_name = "demonstration/public_detail.html"
    context_object_name = "site"

    def get_queryset(self):
        return public_site_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.object
        figures = list(site.figures.order_by("year"))
        context.update(
            achievements=site.achievements.filter(status=PublicationStatus.PUBLISHED).only("title", "kind"),
            commissioners=site.commissioners.only("name", "organisation", "title"),
            photos=site.photos.only("caption", "site_id"),
            figures=figures,
            charts=services.figures_chart(figures),
            events=services.events_at(public_events(), site)[:20],
            training=services.training_figures(site),
        )
        return context


@public_view
class PublicPhotoView(StoredFileMixin, DetailView):
    """A photo of a public site (re-encoded, without EXIF); photos of other sites are 404 here."""

    queryset = SitePhoto.objects.filter(site__status__in=PUBLIC_STATES)
    file_field = "image"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "public, max-age=3600"
        return response
