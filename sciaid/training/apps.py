from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sciaid.training"
    label = "training"
    verbose_name = _("Popular-science training")

    def ready(self) -> None:
        from sciaid.training import home, tasks  # noqa: F401  (register the home section and the roster import job)
