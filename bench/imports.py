"""The household import at province scale: rows/s with full validation beside a raw COPY of the same file, and the
peak memory of the process while it imports.

The file is written to a temporary file, not held in memory, so the peak measures the import alone. The peak is
the kernel's high-water mark (VmHWM), reset just before the import through /proc/self/clear_refs. Nothing measured
stays in the database: each import runs in a transaction that is rolled back, after the foreign-key checks a commit
would run.
"""

from __future__ import annotations

import csv
import gc
import io
import random
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.files import File
from django.db import connection, transaction
from django.utils import translation
from django.utils.encoding import force_str

from bench.generate import county_id_number
from sciaid.regions.choices import AreaLevel, HouseholdStatus, PovertyCause
from sciaid.regions.importers import HouseholdImporter
from sciaid.regions.models import Area

SEED = 7
#: Serial numbers of imported heads start far above any generated county's, so their ID numbers are new.
IMPORT_SERIAL_START = 200_000


def write_import_csv(county: Area, count: int, target) -> None:
    """`count` new households spread over the county's villages, as a county keeps them (Chinese labels)."""
    rng = random.Random(SEED)
    villages = list(Area.objects.filter(level=AreaLevel.VILLAGE, code__range=county.subtree_bounds))
    with translation.override("en"):
        headers = [force_str(column.header) for column in HouseholdImporter.columns]
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    with translation.override("zh-hans"):
        statuses = [str(label) for _, label in HouseholdStatus.choices]
        causes = [str(label) for _, label in PovertyCause.choices]
    for index in range(count):
        village = villages[index % len(villages)]
        status = rng.choice(statuses)
        writer.writerow(
            [
                f"{village.code}{5000 + index // len(villages):04d}",
                village.code,
                f"户主{index}",
                county_id_number(county.code[:6], IMPORT_SERIAL_START + index),
                f"139{index:08d}",
                rng.randint(1, 6),
                rng.choice(causes),
                rng.choice(causes),
                status,
                "2019" if status == statuses[1] else "",
                "2020",
                str(Decimal(rng.randint(300_000, 1_200_000)) / 100),
            ]
        )
    text.flush()
    text.detach()
    target.seek(0)


def timed_import(county_admin, upload: File, count: int) -> tuple[float, float, float]:
    """Import the file and roll it back; return (seconds, peak RSS in MB, RSS before in MB)."""
    gc.collect()
    before = rss_mb("VmRSS")
    reset_peak()
    with transaction.atomic():
        started = time.perf_counter()
        report = HouseholdImporter(county_admin).run(upload)
        check_deferred_constraints()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    if not report.ok or report.created != count:
        raise RuntimeError(f"import failed: {report.as_dict()['errors'][:5]}")
    return seconds, rss_mb("VmHWM"), before


def check_deferred_constraints() -> None:
    """Run now the foreign-key checks PostgreSQL defers to COMMIT (Django's constraints are DEFERRABLE INITIALLY
    DEFERRED), which a rolled-back measurement would otherwise never pay: ~10 checks a household imported."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_seconds(upload: File) -> float:
    """The floor: COPY of the same file into a scratch table of text columns."""
    columns = ", ".join(f"c{i} text" for i in range(len(HouseholdImporter.columns)))
    upload.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_import_scratch ({columns}) ON COMMIT DROP")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_import_scratch FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := upload.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


@dataclass
class ImportRun:
    rows: int
    seconds: float
    peak_mb: float
    before_mb: float
    copy_seconds: float | None = None


def household_import(county_admin, count: int, floor: bool = True) -> ImportRun:
    """Import `count` rows as the county admin would (then roll back); with `floor`, COPY the same file too."""
    with tempfile.TemporaryFile() as target:
        write_import_csv(county_admin.primary_area(), count, target)
        upload = File(target, name="households.csv")
        run = ImportRun(count, *timed_import(county_admin, upload, count))
        if floor:
            run.copy_seconds = copy_seconds(upload)
    return run


def reset_peak() -> None:
    """Reset the kernel's RSS high-water mark of this process (Linux), so VmHWM measures from now."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def rss_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0
