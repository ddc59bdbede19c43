"""Job kinds of this app: a large price import runs as a job with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.information.importers import PriceImporter


@job_kind("information.import_prices")
def import_prices(handle: JobHandle) -> dict:
    return run_import(handle, PriceImporter)
