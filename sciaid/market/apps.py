from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    """Consumption poverty alleviation (消费扶贫): certified suppliers, products, buyers, quotas, orders (layer 4)."""

    name = "sciaid.market"
    label = "market"
    verbose_name = _("Consumption poverty alleviation")

    def ready(self) -> None:
        from sciaid.market import home, tasks  # noqa: F401  (register the home section and the periodic alert task)
