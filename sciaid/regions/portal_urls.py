"""The public portal's own pages (names in the "portal" namespace); `/` itself is the site's home page."""

from django.urls import re_path

from sciaid.regions import portal

app_name = "portal"
urlpatterns = [
    re_path(r"^portal/(?P<code>\d{12})/$", portal.AreaPortalView.as_view(), name="area"),
    re_path(r"^portal/choose/$", portal.ChooseAreaView.as_view(), name="choose"),
]
