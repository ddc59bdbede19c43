from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "sciaid.regions"
    label = "regions"
    verbose_name = _("Areas and households")

    def ready(self) -> None:
        from sciaid.regions import tasks  # noqa: F401  (registers the import job kinds)
