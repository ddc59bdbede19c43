"""Knowledge from solutions: a resolved demand's solution, scrubbed of personal data, waits for the county to publish
or dismiss it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.assistance.choices import KnowledgeStatus
from sciaid.assistance.knowledge import scrub_for
from sciaid.assistance.models import Demand, KnowledgeEntry
from sciaid.assistance.services.common import require_text, require_workflow_role
from sciaid.core.notifications import notify
from sciaid.core.services import service
from sciaid.core.text import joined_tokens
from sciaid.regions.portal import count_again

#: The portal's tally of answers published per county and year (`assistance.portal`), recounted on publishing and
#: dismissing.
PORTAL_TALLY = "assistance"

# --- knowledge from solutions ---------------------------------------------------------------------------------


def knowledge_tokens(title: str, question: str, body: str) -> str:
    return joined_tokens(f"{title} {question} {body}")


def propose_knowledge(demand: Demand) -> KnowledgeEntry:
    """Turn a resolved demand's solution into a knowledge entry waiting for county review (called by `resolve`).

    Title, question and solution are scrubbed of personal data (sciaid.assistance.knowledge.scrub) before anyone
    reviews them; nothing is searchable until a reviewer publishes it."""
    title = scrub_for(demand, demand.title)[:200]
    question = scrub_for(demand, demand.description)
    body = scrub_for(demand, demand.solution_summary)
    entry, _created = KnowledgeEntry.objects.update_or_create(
        demand=demand,
        defaults={
            "village_id": demand.village_id,
            "specialty_id": demand.specialty_id,
            "title": title,
            "question": question,
            "body": body,
            "status": KnowledgeStatus.PENDING,
            "search_tokens": knowledge_tokens(title, question, body),
        },
    )
    return entry


@service
def publish_knowledge(
    user, entry: KnowledgeEntry, *, title: str | None = None, question: str | None = None, body: str | None = None
) -> KnowledgeEntry:
    """A reviewer of the demand's county publishes the entry, with their edits; the text is scrubbed again, so an
    edit cannot bring personal data back. The expert who wrote the solution is told."""
    require_workflow_role(KnowledgeEntry.workflow, user, "publish")
    demand = Demand.objects.select_related("village", "household", "requester", "resolved_by__user").get(
        pk=entry.demand_id
    )
    title = scrub_for(demand, require_text(entry.title if title is None else title, "title", _("Give a title.")))
    body = scrub_for(demand, require_text(entry.body if body is None else body, "body", _("Write the solution.")))
    question = scrub_for(demand, (entry.question if question is None else question).strip())
    if len(title) > 200:
        raise ValidationError({"title": _("A title has at most 200 characters.")})
    now = timezone.now()
    KnowledgeEntry.workflow.apply(
        entry,
        "publish",
        user,
        title=title,
        question=question,
        body=body,
        search_tokens=knowledge_tokens(title, question, body),
        reviewed_by_id=user.pk,
        reviewed_at=now,
        published_at=now,
        dismiss_reason="",
        updated_at=now,
    )
    count_again(PORTAL_TALLY, (demand.village.code, timezone.localtime(now).year))  # the portal's figures
    if demand.resolved_by_id and demand.resolved_by.user_id:
        notify(
            [demand.resolved_by.user],
            title=gettext_lazy("Your solution was published as knowledge"),
            body=title,
            url=reverse("assistance:knowledge-detail", args=[entry.pk]),
            kind="knowledge.published",
        )
    return entry


@service
def dismiss_knowledge(user, entry: KnowledgeEntry, reason: str = "") -> KnowledgeEntry:
    """A reviewer dismisses the entry (not useful to others, or not safe to publish); a published one is withdrawn."""
    require_workflow_role(KnowledgeEntry.workflow, user, "dismiss")
    # Where the portal counted it, if published: read under the row's lock, since dismissing forgets the date.
    village, published_at = (
        KnowledgeEntry.objects.select_for_update(of=("self",))
        .filter(pk=entry.pk)
        .values_list("village__code", "published_at")
        .get()
    )
    now = timezone.now()
    KnowledgeEntry.workflow.apply(
        entry,
        "dismiss",
        user,
        note=(reason or "").strip(),
        dismiss_reason=(reason or "").strip(),
        reviewed_by_id=user.pk,
        reviewed_at=now,
        published_at=None,
        updated_at=now,
    )
    if published_at is not None:
        count_again(PORTAL_TALLY, (village, timezone.localtime(published_at).year))  # the portal's figures
    return entry
