from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionersConfig(AppConfig):
    name = "sciaid.commissioners"
    label = "commissioners"
    verbose_name = _("S&T commissioners")

    def ready(self):
        # Register the import job kinds, the ledger's recipients of two kinds, the portal's figures, the households
        # commissioners read, and the workstations a demonstration site's page lists.
        from sciaid.commissioners import fulfilment, portal, recipients, tasks  # noqa: F401
        from sciaid.commissioners.logs import households  # noqa: F401
        from sciaid.commissioners.workstations import involvement  # noqa: F401

        # Training events may fulfil agreements and workstations' duties (and count toward them).
        fulfilment.register()
