"""Job kinds of this app: large household and village imports run as jobs with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind
from sciaid.regions.importers import HouseholdImporter, VillageImporter

IMPORTERS = {"regions.import_households": HouseholdImporter, "regions.import_villages": VillageImporter}


def run_import(handle: JobHandle, importer_class) -> dict:
    def progress(done: int, total: int) -> None:
        if handle.job.total != total:
            handle.set_total(total)
        handle.advance(done)

    with handle.job.input_file.open("rb") as uploaded:
        uploaded.name = handle.job.input_file.name
        report = importer_class(handle.user).run(uploaded, progress)
    return report.as_dict()


@job_kind("regions.import_households")
def import_households(handle: JobHandle) -> dict:
    return run_import(handle, HouseholdImporter)


@job_kind("regions.import_villages")
def import_villages(handle: JobHandle) -> dict:
    return run_import(handle, VillageImporter)
