from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "sciaid.experts"
    label = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from sciaid.experts import home, tasks  # noqa: F401  (register the home section and the import job kind)
