from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sciaid.training"
    label = "training"
    verbose_name = _("Popular-science training")

    def ready(self) -> None:
        from sciaid.core.suggestions import register_suggester
        from sciaid.training import home, tasks  # noqa: F401  (register the home section and the roster import job)
        from sciaid.training.portal import entrance  # noqa: F401  (register the portal entrance)
        from sciaid.training.search import article_suggestions

        # The demand form offers published articles too (core.suggestions: assistance must not import training).
        register_suggester(article_suggestions)
