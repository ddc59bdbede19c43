"""Knowledge from solutions: a resolved demand's solution as a reusable entry, reviewed by the county desk."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.models.demands import TRIAGERS, Demand
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import PublishedScope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area

# --- knowledge from solutions -------------------------------------------------------------------------------------

#: Who reviews a county's solution summaries before they become knowledge: the county desk.
KNOWLEDGE_REVIEWERS = TRIAGERS


class KnowledgeEntry(BaseModel):
    """A resolved demand's solution as reusable knowledge: personal data scrubbed when proposed, then reviewed
    (edited and published, or dismissed) by the desk of the demand's county. Only published entries are searched."""

    demand = models.OneToOneField(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="knowledge")
    #: The demand's village, copied so the scope and the search filter need no join through the demand table.
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    specialty = models.ForeignKey(Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    body = models.TextField(_("solution"))
    status = models.CharField(
        _("status"), max_length=16, choices=KnowledgeStatus.choices, default=KnowledgeStatus.PENDING
    )
    reviewed_by = actor_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    #: Space-separated jieba words of title, question and solution, for the search while a demand is typed.
    search_tokens = models.TextField(_("search words"), blank=True, editable=False)

    #: Reviewers see their county's entries in every state; once published, an entry is read by every logged-in role
    #: of the province, so a farmer anywhere may find the answer. Changing stays with the county's reviewers.
    scope = PublishedScope(
        code_path="village__code",
        view=KNOWLEDGE_REVIEWERS | {Role.SUPERVISOR},
        change=KNOWLEDGE_REVIEWERS,
        published=Q(status=KnowledgeStatus.PUBLISHED),
    )
    workflow = StateMachine(
        "status",
        [
            Transition(
                "publish",
                frozenset({KnowledgeStatus.PENDING, KnowledgeStatus.DISMISSED}),
                KnowledgeStatus.PUBLISHED,
                KNOWLEDGE_REVIEWERS,
                _("Publish"),
            ),
            Transition(
                "dismiss",
                frozenset({KnowledgeStatus.PENDING, KnowledgeStatus.PUBLISHED}),
                KnowledgeStatus.DISMISSED,
                KNOWLEDGE_REVIEWERS,
                _("Dismiss"),
            ),
        ],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        indexes = [
            models.Index(fields=["status", "village"], name="assist_knowledge_status_idx"),
            models.Index(fields=["status", "published_at"], name="assist_knowledge_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title
