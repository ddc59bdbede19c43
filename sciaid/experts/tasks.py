"""Job kinds of this app: a large expert import runs as a job with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.experts.importers import ExpertImporter


@job_kind("experts.import_experts")
def import_experts(handle: JobHandle) -> dict:
    return run_import(handle, ExpertImporter)
