"""Test URLconf: a view that forgot to declare its scoping, beside views that declare it (deny-by-default)."""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path
from django.views import View

from sciaid import urls as site_urls
from sciaid.core.scoping import PUBLIC
from sciaid.core.views import ScopedListView


class Forgotten(View):
    """Serves data but says nothing about jurisdiction: the middleware must refuse it."""

    def get(self, request):
        return HttpResponse("every household in the province")


def forgotten_function(request):
    return HttpResponse("every household in the province")


class Declared(Forgotten):
    scoping = PUBLIC


class UnscopedModelList(ScopedListView):
    """Declares scoping but lists a model that has no `scope`: the base class must refuse it."""

    model = ContentType
    template_name = "core/job_list.html"


urlpatterns = [
    path("forgotten/", Forgotten.as_view()),
    path("forgotten-function/", forgotten_function),
    path("declared/", Declared.as_view()),
    path("unscoped-model/", UnscopedModelList.as_view()),
    # The refusal page is drawn in the site's layout, which links home, the inbox and the language switch.
    *site_urls.urlpatterns,
]
