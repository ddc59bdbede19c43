"""The assistance API, by sub-domain: demands and their journey, the knowledge base, the subsidy statements."""

from sciaid.assistance.api.demands import DemandViewSet
from sciaid.assistance.api.knowledge import KnowledgeEntryViewSet
from sciaid.assistance.api.subsidies import SubsidyStatementViewSet

__all__ = ["DemandViewSet", "KnowledgeEntryViewSet", "SubsidyStatementViewSet"]
