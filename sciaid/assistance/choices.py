from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DemandStatus(models.TextChoices):
    """Where a demand is in its journey (DESIGN.md §5); `merged`, `rejected` and `declined` are the side exits."""

    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    IN_SERVICE = "in_service", _("In service")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("demand", "Closed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")
    DECLINED = "declined", _("Declined, back to triage")


#: States a triage officer still has to route.
TRIAGE_STATES = frozenset({DemandStatus.SUBMITTED, DemandStatus.TRIAGED, DemandStatus.DECLINED})
#: States in which an expert serves the demand.
SERVICE_STATES = frozenset({DemandStatus.ACCEPTED, DemandStatus.IN_SERVICE})
#: States that still need someone's work (the SLA clock runs, duplicates are flagged against them).
OPEN_STATES = TRIAGE_STATES | {DemandStatus.ASSIGNED} | SERVICE_STATES
#: States of a demand whose service is over.
SERVED_STATES = frozenset({DemandStatus.RESOLVED, DemandStatus.CLOSED})


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ServiceMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the expert")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


#: Assignments that make up an expert's open workload.
OPEN_ASSIGNMENTS = frozenset({AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED})


class SlaStage(models.TextChoices):
    """The clock a demand's `due_at` belongs to, by state."""

    TRIAGE = "triage", _("Triage")
    ACCEPT = "accept", _("Acceptance")
    RESOLVE = "resolve", _("Resolution")


class KnowledgeStatus(models.TextChoices):
    """A solution summary on its way to searchable knowledge: the county reviews it first."""

    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    DISMISSED = "dismissed", _("Dismissed")


class StatementStatus(models.TextChoices):
    """A county's yearly subsidy statement, reviewed county → city → province."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the city")
    CITY_APPROVED = "city_approved", _("Approved by the city")
    APPROVED = "approved", _("Approved by the province")
    RETURNED = "returned", _("Returned")


class RecipientKind(models.TextChoices):
    EXPERT = "expert", _("Expert")
    INFO_OFFICER = "info_officer", _("Village info officer")
