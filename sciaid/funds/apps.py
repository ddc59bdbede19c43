from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "sciaid.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from sciaid.funds import tasks  # noqa: F401  (register the import job kind)
