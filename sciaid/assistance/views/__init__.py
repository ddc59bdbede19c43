"""Pages of expert assistance, by sub-domain: a demand's journey (`demands`), knowledge from solutions
(`knowledge`) and subsidy statements (`subsidies`).

Every action is one POST to a `sciaid.core.actions.StepView`, which calls exactly one service function; a refusal
(invalid data, wrong role or county, wrong state, someone was faster) comes back as a message and changes nothing.
"""

from __future__ import annotations

from sciaid.assistance.views.demands import (
    ACTIONS,
    DemandActionView,
    DemandDetailView,
    DemandListView,
    DemandSubmitView,
    ExpertInboxView,
    PhotoView,
    SimilarDemandsView,
    SlaPolicyView,
    TriageQueueView,
)
from sciaid.assistance.views.knowledge import (
    KNOWLEDGE_ACTIONS,
    KnowledgeActionView,
    KnowledgeDetailView,
    KnowledgeListView,
    KnowledgeReviewView,
)
from sciaid.assistance.views.subsidies import (
    STATEMENT_ACTIONS,
    StatementActionView,
    StatementComputeView,
    StatementDetailView,
    StatementListView,
)

__all__ = [
    "ACTIONS",
    "KNOWLEDGE_ACTIONS",
    "STATEMENT_ACTIONS",
    "DemandActionView",
    "DemandDetailView",
    "DemandListView",
    "DemandSubmitView",
    "ExpertInboxView",
    "KnowledgeActionView",
    "KnowledgeDetailView",
    "KnowledgeListView",
    "KnowledgeReviewView",
    "PhotoView",
    "SimilarDemandsView",
    "SlaPolicyView",
    "StatementActionView",
    "StatementComputeView",
    "StatementDetailView",
    "StatementListView",
    "TriageQueueView",
]
