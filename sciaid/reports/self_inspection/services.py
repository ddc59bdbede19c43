"""The self-inspection report's rules: who reads and edits it, the drafts, the files and the job.

The only place that changes state: `save_draft` and `reset_draft` (each in one transaction, audited through the
`BaseModel` signals: the audit log is the drafts' history) and `request_report` (a job). Jurisdiction is the one
mechanism, `sciaid.core.scoping`: readers are the indicator readers of the area (`indicator_areas`); editors hold a
county-admin or platform-admin grant covering it (`area_allows`), so a county admin edits their county's report and
a city or province admin the reports of the areas under them.

Generated files are kept in the default storage under a name keyed by what they are made of: the area, year,
language, whether the reader sees the budgets, the latest refresh of the stored indicator rows under the area and
the latest edit of its drafts. A new refresh or edit makes a new name, so a stored file is served until the data
change, and never after.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sciaid.core.jobs import enqueue
from sciaid.core.models import ObjectChange
from sciaid.core.scoping import area_allows
from sciaid.core.services import service
from sciaid.funds.models import Budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.models import IndicatorValue
from sciaid.reports.self_inspection import render
from sciaid.reports.self_inspection.checks import run_checks
from sciaid.reports.self_inspection.models import EDITORS, SelfInspectionDraft
from sciaid.reports.self_inspection.sections import SECTION_KEYS, Report, build_report
from sciaid.reports.services import indicator_areas, may_read_indicators

JOB_KIND = "reports.self_inspection"
FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
STORAGE_FOLDER = "reports/self-inspection"
MAX_TEXT = 20000


def si_reverse(name: str, *args, **kwargs) -> str:
    """A URL of this sub-package, whether its patterns are included under the reports' namespace or on their own."""
    for prefix in ("reports:self_inspection:", "self_inspection:"):
        try:
            return reverse(prefix + name, args=args or None, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(name)


# --- who may ----------------------------------------------------------------------------------------------------


def ensure_readable(user, area: Area) -> None:
    """The report of `area` may be read by `user`: a role that reads indicators (else PermissionDenied), the area
    in their jurisdiction (else 404, as if it did not exist), a county or above (else a ValidationError)."""
    if not may_read_indicators(user):
        raise PermissionDenied
    if not indicator_areas(user).filter(pk=area.pk).exists():
        raise Http404
    if area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("The self-inspection report is made for a county, a city or the province.")})


def may_edit(user, area: Area) -> bool:
    """County admins of the area (and of the city or province above it) and platform admins edit its narrative."""
    return area.level <= AreaLevel.COUNTY and area_allows(user, area, EDITORS) and may_read_indicators(user)


def report_areas(user):
    """The areas whose report the user may choose: counties and above in their indicator jurisdiction."""
    return indicator_areas(user).filter(level__lte=AreaLevel.COUNTY)


# --- the report -------------------------------------------------------------------------------------------------


def report_for(user, area: Area, year: int) -> Report:
    """The report as `user` may read it: figures, drafted or edited narratives, the consistency checks."""
    ensure_readable(user, area)
    checks = run_checks(area, year)
    return build_report(user, area, year, checks)


def _check_section(section: str) -> None:
    if section not in SECTION_KEYS:
        raise ValidationError({"section": _("There is no such section.")})


@service
def save_draft(user, area: Area, year: int, section: str, text: str) -> SelfInspectionDraft:
    """Keep the county admin's text of one section; regenerating the report keeps it. Audited (old → new text)."""
    ensure_readable(user, area)
    if not may_edit(user, area):
        raise PermissionDenied
    _check_section(section)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the section's text, or go back to the drafted one.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("At most %(count)d characters.") % {"count": MAX_TEXT}})
    draft = SelfInspectionDraft.objects.select_for_update().filter(area=area, year=year, section=section).first()
    now = timezone.now()
    if draft is None:
        draft = SelfInspectionDraft(area=area, year=year, section=section)
    elif draft.text == text:
        return draft
    draft.text, draft.edited_by, draft.edited_at = text, user, now
    draft.save()
    return draft


@service
def reset_draft(user, area: Area, year: int, section: str) -> bool:
    """Drop the edited text of a section, so the report shows the drafted one again. Audited (the deletion)."""
    ensure_readable(user, area)
    if not may_edit(user, area):
        raise PermissionDenied
    _check_section(section)
    draft = SelfInspectionDraft.objects.select_for_update().filter(area=area, year=year, section=section).first()
    if draft is None:
        return False
    draft.delete()
    return True


def history(area: Area, year: int, section: str) -> list[ObjectChange]:
    """The audit entries of a section's draft, newest first: every edit and reset (one indexed query)."""
    return list(
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(SelfInspectionDraft),
            object_repr=str(SelfInspectionDraft(area=area, year=year, section=section)),
        ).order_by("-time", "-id")
    )


# --- files ------------------------------------------------------------------------------------------------------


def data_version(area: Area, year: int) -> str:
    """What the report's figures and texts are made of: the latest refresh of the stored indicator rows under the
    area and the latest edit of its drafts (two aggregate queries)."""
    refreshed = IndicatorValue.objects.filter(area__code__range=area.subtree_bounds, year=year).aggregate(
        latest=Max("refreshed_at")
    )["latest"]
    edited = SelfInspectionDraft.objects.filter(area=area, year=year).aggregate(latest=Max("updated_at"))["latest"]
    return f"{refreshed.isoformat() if refreshed else '-'}|{edited.isoformat() if edited else '-'}"


def storage_names(user, area: Area, year: int) -> dict[str, str]:
    language = translation.get_language() or "zh-hans"
    funds = Budget.objects.for_user(user).filter(area=area).exists()
    digest = hashlib.sha256(f"{area.code}|{year}|{language}|{funds}|{data_version(area, year)}".encode()).hexdigest()[
        :20
    ]
    return {fmt: f"{STORAGE_FOLDER}/{area.code}-{year}-{language}-{digest}.{fmt}" for fmt in FORMATS}


@dataclass
class Files:
    names: dict[str, str]
    generated: bool


def report_files(user, area: Area, year: int, progress=None) -> Files:
    """The DOCX and PDF of the report, made now or, when the data have not changed since, the stored ones."""
    ensure_readable(user, area)
    names = storage_names(user, area, year)
    if all(default_storage.exists(name) for name in names.values()):
        return Files(names, generated=False)
    report = report_for(user, area, year)
    if progress:
        progress(1)
    for step, (fmt, make) in enumerate((("docx", render.to_docx), ("pdf", render.to_pdf)), start=2):
        if default_storage.exists(names[fmt]):
            default_storage.delete(names[fmt])
        saved = default_storage.save(names[fmt], ContentFile(make(report)))
        names[fmt] = saved
        if progress:
            progress(step)
    return Files(names, generated=True)


def request_report(user, area: Area, year: int):
    """Make the report in a job (a province's takes minutes): the job's result names the stored files."""
    ensure_readable(user, area)
    return enqueue(
        JOB_KIND, user, {"area_code": area.code, "year": year, "language": translation.get_language() or "zh-hans"}
    )


def job_links(job, build_uri=None) -> dict[str, str]:
    """Download links of a finished report job (none before it finishes)."""
    if not (job.result and all(job.result.get(fmt) for fmt in FORMATS)):
        return {}
    links = {fmt: si_reverse("job-file", job.pk, fmt) for fmt in FORMATS}
    return {fmt: build_uri(url) if build_uri else url for fmt, url in links.items()}
