from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    """Achievement transformation (成果转化): the catalogue of S&T achievements, technology needs matched to it, and
    transfers (DESIGN.md §4, layer 4)."""

    name = "sciaid.achievements"
    verbose_name = _("Achievement transformation")

    def ready(self) -> None:
        from sciaid.achievements import portal  # noqa: F401  (register the portal entrance)
        from sciaid.achievements.services import may_record_need, need_from_source, need_of_demand
        from sciaid.core.handoffs import Handoff, register_handoff

        # A triage desk turns a farmer's demand into a technology need (issue 11), without either app importing the
        # other: assistance offers what is registered here on the demand's page.
        register_handoff(
            "assistance.demand",
            Handoff(
                "technology_need",
                _("Turn into a technology need"),
                "achievements:need-detail",
                make=need_from_source,
                made_from=need_of_demand,
                may_offer=may_record_need,
            ),
        )
