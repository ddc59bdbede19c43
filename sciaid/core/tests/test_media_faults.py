"""A full or read-only disk under MEDIA_ROOT: an upload fails with a clear message (a form error, a structured API
507), and nothing is half-written — no partial file, no record pointing at a missing file."""

from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sciaid.core.files import StorageFailed, UploadStorage
from sciaid.funds.models import Expenditure

PDF = b"%PDF-1.4\n% voucher\n"


@contextmanager
def disk(failure: int, *, partial: bool):
    """Every file write fails with `failure` (ENOSPC, EROFS), after writing part of the file when `partial`."""

    def write(storage, name, content):
        if partial:
            path = Path(storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4\n% half of it")
        raise OSError(failure, "simulated")

    with mock.patch.object(FileSystemStorage, "_save", write):
        yield


def stored_files(media_root) -> list[Path]:
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def test_the_default_storage_is_the_one_that_cleans_up():
    assert isinstance(default_storage, UploadStorage)


def test_a_full_disk_leaves_no_partial_file_and_says_so(db, media_root, english):
    before = stored_files(media_root)
    with disk(errno.ENOSPC, partial=True), pytest.raises(StorageFailed) as failed:
        default_storage.save("vouchers/x.pdf", ContentFile(PDF))
    assert stored_files(media_root) == before
    assert "full or read-only" in str(failed.value)


@pytest.fixture
def budget(world, api_for):
    body = {"year": 2020, "area": world.county_a.code, "source": "county", "amount": "10000", "purpose": "平台运行"}
    return api_for("county_admin").post(reverse("budget-list"), body, format="json").json()


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS])
def test_an_api_upload_to_a_failing_disk_is_a_507_and_writes_nothing(world, api_for, budget, media_root, failure):
    body = {"budget": budget["id"], "category": "equipment", "amount": "7650", "spent_on": "2020-05-18", "payee": "x"}
    before = stored_files(media_root)
    with disk(failure, partial=True):
        response = api_for("county_admin").post(
            reverse("expenditure-list"),
            {**body, "voucher": SimpleUploadedFile("v.pdf", PDF, "application/pdf")},
            format="multipart",
        )
    assert response.status_code == 507
    assert response.json()["code"] == "storage_failed"
    assert "full or read-only" in response.json()["detail"]
    assert not Expenditure.objects.exists()
    assert stored_files(media_root) == before


def test_a_form_upload_to_a_full_disk_is_a_form_error_and_writes_nothing(world, client_for, budget, media_root):
    before = stored_files(media_root)
    with translation.override("en"):
        url = reverse("funds:budget-spend", args=[budget["id"]])
    with disk(errno.ENOSPC, partial=True):
        response = client_for("county_admin").post(
            url,
            {
                "category": "equipment",
                "amount": "7650",
                "spent_on": "2020-05-18",
                "payee": "x",
                "voucher": SimpleUploadedFile("v.pdf", PDF, "application/pdf"),
            },
        )
    assert response.status_code == 200
    assert "full or read-only" in response.content.decode()
    assert not Expenditure.objects.exists()
    assert stored_files(media_root) == before
