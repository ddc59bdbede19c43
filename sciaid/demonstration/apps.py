from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemonstrationConfig(AppConfig):
    name = "sciaid.demonstration"
    label = "demonstration"
    verbose_name = _("Industrial demonstration")

    def ready(self) -> None:
        from sciaid.demonstration import portal, tasks  # noqa: F401  (register the portal entrance, the figures import job)
        from sciaid.demonstration.models import DemoSite
        from sciaid.training.fulfilment import register_fulfillable

        # Training events may be held at a site (and its page lists them with their trainees).
        register_fulfillable(DemoSite)
