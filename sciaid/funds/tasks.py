"""Job kinds of this app: a large expenditure import runs as a job with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.funds.importers import ExpenditureImporter


@job_kind("funds.import_expenditures")
def import_expenditures(handle: JobHandle) -> dict:
    return run_import(handle, ExpenditureImporter)
