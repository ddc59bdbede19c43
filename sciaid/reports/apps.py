from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sciaid.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The indicator modules fill the registry; the tasks register the refresh job; home adds the figures section.
        from sciaid.core.signals import imported
        from sciaid.reports import home, indicators, tasks  # noqa: F401

        # Every successful import refreshes the importing user's stored indicators (`tasks.refresh_after_import`).
        imported.connect(tasks.refresh_after_import, dispatch_uid="reports.refresh_after_import")
