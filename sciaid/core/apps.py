from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sciaid.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The audit signal handlers connect, and `__in_array` registers, on import.
        from sciaid.core import audit, lookups  # noqa: F401
