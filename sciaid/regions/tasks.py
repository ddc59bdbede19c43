"""Job kinds of this app: large household and village imports run as jobs with a progress bar."""

from sciaid.core.jobs import JobHandle, job_kind, run_import
from sciaid.regions.importers import HouseholdImporter, VillageImporter
from sciaid.regions.models import Area
from sciaid.regions.services import refresh_area_statistics

IMPORTERS = {"regions.import_households": HouseholdImporter, "regions.import_villages": VillageImporter}


@job_kind("regions.import_households")
def import_households(handle: JobHandle) -> dict:
    return run_import(handle, HouseholdImporter)


@job_kind("regions.import_villages")
def import_villages(handle: JobHandle) -> dict:
    return run_import(handle, VillageImporter)


@job_kind("regions.refresh_statistics")
def refresh_statistics(handle: JobHandle) -> dict:
    """Recount everything under the area given by code (or everywhere): after imports, and nightly."""
    code = handle.params.get("area_code")
    root = Area.objects.get(code=code) if code else None
    return {"areas": refresh_area_statistics(root)}
