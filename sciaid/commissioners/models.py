"""The commissioners app's models live in its sub-domains (`selection`, `teams`, `agreements`, `logs`, `allocation`,
`appraisals`, `workstations`); Django registers them from here, and the first migration names the upload paths of
agreement scans and log photos by these names."""

from sciaid.commissioners.agreements.models import Agreement, scan_path
from sciaid.commissioners.allocation.models import AllocationRule
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric
from sciaid.commissioners.logs.models import LogPhoto, ServiceLog, VillageYearFigures, log_photo_path
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.commissioners.teams.models import Team, TeamMember
from sciaid.commissioners.workstations.models import (
    Workstation,
    WorkstationActivity,
    WorkstationAppraisal,
    WorkstationReview,
)

__all__ = [
    "Agreement",
    "AllocationRule",
    "Appraisal",
    "AppraisalRubric",
    "Batch",
    "Candidate",
    "LogPhoto",
    "ServiceLog",
    "Team",
    "TeamMember",
    "VillageYearFigures",
    "Workstation",
    "WorkstationActivity",
    "WorkstationAppraisal",
    "WorkstationReview",
    "log_photo_path",
    "scan_path",
]
