"""Expert spreadsheets: bad rows reported and nothing written, a good file imported, a second import a no-op."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciaid.experts.importers import ExpertImporter
from sciaid.experts.models import Expert

HEADER = "Name,Username,Phone,Organisation,Professional title,Level,Selected by (division code),Specialties,"
HEADER += "Expertise,Availability,S&T commissioner\n"


def upload(text: str, name: str = "experts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


GOOD = (
    HEADER
    + "李明华,limh,13905540001,安徽农业大学,副教授,county,340422000000,河蟹、aquaculture,河蟹生态养殖,工作日,yes\n"
    "王芳,wangf,,寿县农业农村局,农艺师,,340422000000,tea,,,no\n"
)


def test_a_good_file_imports_and_a_second_import_changes_nothing(world):
    report = ExpertImporter(world.county_admin).run(upload(GOOD))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    expert = Expert.objects.get(user__username="limh")
    assert set(expert.specialties.values_list("code", flat=True)) == {"river-crabs", "aquaculture"}
    # An older template's "S&T commissioner" column is ignored: commissioners come only from selection.
    assert not expert.is_commissioner and "河蟹" in expert.expertise_tokens
    again = ExpertImporter(world.county_admin).run(upload(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = ExpertImporter(world.county_admin).run(upload(GOOD.replace("副教授", "教授")))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Expert.objects.count() == 2


def test_bad_rows_are_reported_and_nothing_is_written(world):
    bad = (
        HEADER + "李明华,limh,12345,安徽农业大学,,,340422000000,河蟹,,,是\n"  # bad phone
        "王芳,wangf,,寿县农业农村局,,,340421000000,tea,,,否\n"  # other county
        "赵六,zhao,,寿县农业农村局,,,340422000000,兔子,,,否\n"  # unknown specialty
        "钱七,qian,,寿县农业农村局,,province,340422000000,tea,,,否\n"  # level mismatch
        "孙八,limh,,寿县农业农村局,,,340422000000,tea,,,否\n"  # duplicate username (reported once others are fine)
    )
    report = ExpertImporter(world.county_admin).run(upload(bad))
    assert not report.ok
    assert {error.row for error in report.errors} == {2, 3, 4, 5}
    assert any("兔子" in error.message for error in report.errors)
    assert not Expert.objects.exists()


def test_a_missing_column_is_reported(world):
    report = ExpertImporter(world.county_admin).run(upload("姓名,用户名\n李,li\n"))
    assert (not report.ok and "Missing columns" in report.errors[0].message) or "缺少" in report.errors[0].message


def test_the_import_page(world, client_for):
    client = client_for("county_admin")
    url = reverse("experts:expert-import")
    assert client.get(url, {"template": "csv"}).status_code == 200
    response = client.post(url, {"file": upload(GOOD)})
    assert response.status_code == 200
    assert response.context["report"].created == 2
    assert client_for("triage").get(url).status_code == 403
