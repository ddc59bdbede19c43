"""Job kinds of this app: large roster and service-log imports run as jobs with a progress bar."""

from sciaid.commissioners.logs.importers import ServiceLogImporter
from sciaid.commissioners.selection.importers import RosterImporter
from sciaid.core.jobs import JobHandle, job_kind, run_import


@job_kind("commissioners.import_roster")
def import_roster(handle: JobHandle) -> dict:
    return run_import(handle, RosterImporter)


@job_kind("commissioners.import_logs")
def import_logs(handle: JobHandle) -> dict:
    return run_import(handle, ServiceLogImporter)
