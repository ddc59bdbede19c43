from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "sciaid.assistance"
    label = "assistance"
    verbose_name = _("Expert assistance")

    def ready(self) -> None:
        from sciaid.assistance import home, portal  # noqa: F401  (register the home section and the portal entrance)
        from sciaid.assistance.knowledge import knowledge_suggestions
        from sciaid.core.suggestions import register_suggester

        register_suggester(knowledge_suggestions)
