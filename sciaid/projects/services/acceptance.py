"""The end of a project: the final report, the money statement, the acceptance verdict (验收) and the archive."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.funds import services as funds
from sciaid.projects.choices import OPEN_RECTIFICATIONS, Verdict
from sciaid.projects.models import Indicator, Project
from sciaid.projects.services.common import (
    managers_of,
    require_own,
    require_role,
    require_state,
    require_text,
    tell,
    to_amount,
)


@service
def submit_final(user, project: Project, *, summary: str, achieved: Mapping) -> Project:
    """The applicant's final report: what each indicator achieved, and a summary. Open rectifications stop it."""
    require_role(user, Project.workflow, "submit_final")
    require_state(project, "submit_final")
    require_own(user, project)
    if project.rectifications.filter(status__in=OPEN_RECTIFICATIONS).exists():
        raise ValidationError(_("Close every rectification item before the final report."))
    summary = require_text(summary, "summary", _("Summarise what the project achieved."))
    values = {str(key): value for key, value in achieved.items()}
    indicators = list(project.indicators.all())
    for indicator in indicators:
        if values.get(str(indicator.pk)) in (None, ""):
            raise ValidationError({"achieved": _("Give the achieved value of “%(name)s”.") % {"name": indicator}})
        indicator.achieved = to_amount(values[str(indicator.pk)], "achieved")
    Project.workflow.apply(project, "submit_final", user, final_summary=summary, final_at=timezone.now())
    Indicator.objects.bulk_update(indicators, ["achieved"])
    tell(managers_of(project), project, "final", gettext_lazy("A project submitted its final report"))
    return project


def statement(project: Project):
    """The project's money from the funds ledger: allocated, spent, balance."""
    return funds.statement(project)


@service
def accept(user, project: Project, *, verdict: str, comment: str = "") -> Project:
    """The acceptance committee's verdict (验收): passed or passed with conditions → accepted; failed → failed.
    Anything but a clean pass needs the committee's comments."""
    require_role(user, Project.workflow, "accept")
    require_state(project, "accept")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if verdict != Verdict.PASSED:
        comment = require_text(comment, "comment", _("Give the committee's conditions or reasons."))
    name = "fail" if verdict == Verdict.FAILED else "accept"
    Project.workflow.apply(
        project, name, user, note=comment, verdict=verdict, verdict_comment=comment, accepted_at=timezone.now()
    )
    tell([project.applicant], project, "verdict", gettext_lazy("The acceptance verdict on your project"))
    return project


@service
def archive(user, project: Project) -> Project:
    """A finished project goes to the archive: read-only history."""
    require_role(user, Project.workflow, "archive")
    if project.archived_at:
        raise TransitionRefused(_("The project is already archived."))
    Project.workflow.apply(project, "archive", user, archived_at=timezone.now())
    return project
