from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    """Information service (信息服务): news, policies, notices, briefings and market prices (DESIGN.md §4, layer 3)."""

    name = "sciaid.information"
    verbose_name = _("Information service")

    def ready(self) -> None:
        from sciaid.information import portal, tasks  # noqa: F401  (register the portal entrance, the import job kind)
