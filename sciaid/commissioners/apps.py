from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionersConfig(AppConfig):
    name = "sciaid.commissioners"
    label = "commissioners"
    verbose_name = _("S&T commissioners")

    def ready(self):
        from sciaid.commissioners import tasks  # noqa: F401  (register the import job kinds)
