"""Job kinds of this app: a large paper sign-in sheet is imported as a job with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.training.importers import RosterImporter
from sciaid.training.models import TrainingEvent


@job_kind("training.import_roster")
def import_roster(handle: JobHandle) -> dict:
    """The sheet of the event given by id; the event is looked up in the requester's scope, like on the page."""
    event = TrainingEvent.objects.for_user(handle.user).get(pk=handle.params["event"])
    return run_import(handle, lambda user: RosterImporter(user, event))
