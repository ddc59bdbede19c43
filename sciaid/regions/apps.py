from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "sciaid.regions"
    label = "regions"
    verbose_name = _("Areas and households")

    def ready(self) -> None:
        from sciaid.regions import home, tasks  # noqa: F401  (register the home section and the import job kinds)
