"""The job that makes a city's or the province's self-inspection report (`services.request_report`)."""

from __future__ import annotations

from django.utils import translation

from sciaid.core.jobs import JobHandle, job_kind
from sciaid.regions.models import Area
from sciaid.reports.self_inspection.services import JOB_KIND, report_files


@job_kind(JOB_KIND)
def make_report(handle: JobHandle) -> dict:
    """Figures and checks (step 1), the DOCX (2), the PDF (3); stored files are reused while the data are unchanged."""
    params = handle.params
    area = Area.objects.get(code=params["area_code"])
    handle.set_total(3)
    with translation.override(params.get("language") or "zh-hans"):
        files = report_files(handle.user, area, int(params["year"]), progress=handle.advance)
    return {"area": area.code, "year": int(params["year"]), "generated": files.generated, **files.names}
