from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "sciaid.regions"
    label = "regions"
    verbose_name = _("Areas and households")

    def ready(self) -> None:
        # Register the home section, the import job kinds and the portal pages' sitemap.
        from sciaid.regions import home, portal, tasks  # noqa: F401
