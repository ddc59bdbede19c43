from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county (`seed_demo`): on top of every app, because it fills all of them."""

    name = "sciaid.demo"
    label = "demo"
    verbose_name = _("Demo data")
