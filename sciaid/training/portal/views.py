"""Public pages of the training app (no login): the knowledge-base search, the counties' training pages and the page
of one published event. They show only what `portal.public` selects: published rows, counts, never a person."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.generic import DetailView, TemplateView

from sciaid.core.scoping import public_view
from sciaid.regions.chooser import chosen_area
from sciaid.training.portal import public
from sciaid.training.search import search

#: Longer queries are cut: a search box, not a document comparison.
MAX_QUERY = 100


def query_of(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY]


@public_view
class SearchView(TemplateView):
    """One search over articles (anyone), and for logged-in users also Q&A knowledge and their trainings'
    materials; each hit links to its page only when the user may open it."""

    template_name = "training/search.html"

    def get_context_data(self, **kwargs):
        query = query_of(self.request)
        hits = search(query, self.request.user) if query else []
        return super().get_context_data(query=query, hits=hits, **kwargs)


@public_view
class CountyListView(TemplateView):
    """Counties with upcoming trainings or articles (of the visitor's chosen area only, when they chose one);
    `?county=<code>` goes straight to one."""

    template_name = "training/portal/counties.html"

    def get(self, request, *args, **kwargs):
        code = request.GET.get("county", "").strip()
        if code:
            return redirect("training:public-county", code=public.county_by_code(code).code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        counties = public.public_counties()
        area = chosen_area(self.request)
        if area is not None:
            counties = counties.filter(code__range=area.subtree_bounds)
        return super().get_context_data(counties=list(counties), **kwargs)


@public_view
class CountyView(TemplateView):
    """A county's public training page: its upcoming trainings, the latest articles, a search box."""

    template_name = "training/portal/county.html"

    def get_context_data(self, **kwargs):
        county = public.county_by_code(kwargs["code"])
        return super().get_context_data(
            county=county, events=public.county_events(county), articles=public.county_articles(county), **kwargs
        )


@public_view
class PublicEventView(DetailView):
    """One announced, held or reported training, as the public sees it: no registrations, no materials."""

    template_name = "training/portal/event.html"
    context_object_name = "event"

    def get_queryset(self):
        return public.public_events()
