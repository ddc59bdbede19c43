from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sciaid.projects"
    label = "projects"
    verbose_name = _("S&T poverty-alleviation projects")

    def ready(self) -> None:
        from sciaid.projects import home, recipients  # noqa: F401  (register the home section, the ledger recipients)
