"""Job kinds of this app: a large import of yearly figures runs as a job with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.demonstration.importers import FiguresImporter


@job_kind("demonstration.import_figures")
def import_figures(handle: JobHandle) -> dict:
    return run_import(handle, FiguresImporter)
