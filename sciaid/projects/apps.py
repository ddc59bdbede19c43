from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sciaid.projects"
    label = "projects"
    verbose_name = _("S&T poverty-alleviation projects")

    def ready(self) -> None:
        # Register the home section, the ledger recipients and the projects a demonstration site's page lists.
        from sciaid.projects import home, involvement, recipients  # noqa: F401
