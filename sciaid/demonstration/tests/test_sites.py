"""Sites and their figures as each role meets them: who enters, publishes, closes, enters figures; what is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciaid.core.models import ObjectChange
from sciaid.core.states import TransitionRefused
from sciaid.demonstration import services
from sciaid.demonstration.choices import SiteStatus
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.demonstration.tests.samples import png
from sciaid.training.models import TrainingEvent

pytestmark = pytest.mark.django_db


def test_a_county_admin_enters_publishes_and_closes_a_site(world, make_site, published_achievement, commissioner):
    site = make_site(
        publish=False,
        achievements=[published_achievement],
        commissioners=[commissioner],
        households_driven=40,
        poor_households_driven=12,
        poor_households=[world.household_a1, world.household_a2],
    )
    assert site.status == SiteStatus.DRAFT
    assert set(site.poor_households.all()) == {world.household_a1, world.household_a2}
    services.publish_site(world.county_admin, site)
    services.close_site(world.county_admin, site, "land returned")
    assert DemoSite.objects.get(pk=site.pk).status == SiteStatus.CLOSED
    changes = ObjectChange.objects.filter(content_type__model="demosite", object_id=str(site.pk), action="transition")
    assert changes.count() == 2


def test_the_same_name_in_the_same_village_is_refused(world, make_site):
    make_site()
    with pytest.raises(ValidationError) as refused:
        make_site()
    assert "name" in refused.value.message_dict


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"poor_households_driven": 5, "households_driven": 2}, "poor_households_driven"),
        ({"area_mu": Decimal("-1")}, "area_mu"),
        ({"latitude": Decimal("32.3")}, "longitude"),
        ({"latitude": Decimal("95"), "longitude": Decimal("116")}, "latitude"),
        ({"operator_name": "  "}, "operator_name"),
    ],
)
def test_bad_site_data_is_refused_on_its_field(world, make_site, fields, field):
    with pytest.raises(ValidationError) as refused:
        make_site(**fields)
    assert field in refused.value.message_dict
    assert not DemoSite.objects.exists()


def test_households_of_another_county_or_more_than_counted_are_refused(world, make_site):
    with pytest.raises(ValidationError) as refused:
        make_site(by="admin", households_driven=5, poor_households_driven=5, poor_households=[world.household_b1])
    assert "poor_households" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        picked = [world.household_a1, world.household_a2]
        make_site(households_driven=5, poor_households_driven=1, poor_households=picked)
    assert "poor_households_driven" in refused.value.message_dict


def test_an_unpublished_achievement_is_refused(world, make_site, published_achievement):
    from sciaid.achievements import services as achievement_services

    achievement_services.withdraw_achievement(world.county_admin, published_achievement, "old")
    published_achievement.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        make_site(achievements=[published_achievement])
    assert "achievements" in refused.value.message_dict


def test_a_county_admin_cannot_enter_a_site_in_another_county(world, make_site):
    with pytest.raises(ValidationError) as refused:
        make_site(village="village_b1")
    assert "village" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["expert", "farmer", "supervisor", "info_officer"])
def test_other_roles_cannot_enter_or_publish_sites(world, make_site, persona):
    with pytest.raises(ValidationError):
        make_site(by=persona, publish=False)
    site = make_site(publish=False)
    with pytest.raises(TransitionRefused):
        services.publish_site(world.users[persona], site)


def test_only_a_draft_is_deleted(world, make_site):
    site = make_site()
    with pytest.raises(TransitionRefused):
        services.delete_site(world.county_admin, site)
    draft = make_site(name="另一个示范点", publish=False)
    services.delete_site(world.county_admin, draft)
    assert not DemoSite.objects.filter(pk=draft.pk).exists()


def test_the_commissioner_enters_figures_and_a_second_entry_corrects_the_year(world, make_site, commissioner, figures):
    site = make_site(village="village_b1", by="county_admin_b", commissioners=[])
    with pytest.raises(PermissionDenied):
        services.record_figures(world.expert, site, year=2020, **figures)
    services.save_site(world.county_admin_b, instance=site, commissioners=[commissioner])
    row, created = services.record_figures(world.expert, site, year=2020, **figures)
    assert created
    row, created = services.record_figures(world.expert, site, year=2020, **{**figures, "income": Decimal("9")})
    assert not created and SiteFigures.objects.get(pk=row.pk).income == Decimal("9")
    # Serving the site lets them read it though their grant is in the other county.
    assert DemoSite.objects.for_user(world.expert).filter(pk=site.pk).exists()


@pytest.mark.parametrize("persona", ["farmer", "supervisor", "county_admin_b", "expert"])
def test_others_may_not_enter_figures(world, make_site, figures, persona):
    site = make_site()
    with pytest.raises(PermissionDenied):
        services.record_figures(world.users[persona], site, year=2020, **figures)


@pytest.mark.parametrize("year", [1999, 2999])
def test_a_year_not_begun_is_refused(world, make_site, figures, year):
    with pytest.raises(ValidationError) as refused:
        services.record_figures(world.county_admin, make_site(), year=year, **figures)
    assert "year" in refused.value.message_dict


def test_negative_figures_are_refused(world, make_site, figures):
    with pytest.raises(ValidationError):
        services.record_figures(world.county_admin, make_site(), year=2020, **{**figures, "income": Decimal("-1")})
    assert not SiteFigures.objects.exists()


def test_the_site_page_shows_the_history_chart_and_trainings(world, client_for, make_site, figures):
    site = make_site()
    for year in (2018, 2019, 2020):
        services.record_figures(world.county_admin, site, year=year, **figures)
    from sciaid.training.fulfilment import resolve_fulfils

    assert resolve_fulfils(world.county_admin, "demonstration.demosite", site.pk) == site
    page = client_for("county_admin").get(site.get_absolute_url()).content.decode()
    assert 'data-bar-chart="income-data"' in page and "2018" in page and "2020" in page
    assert TrainingEvent.objects.count() == 0


def test_other_county_and_outsiders_get_404(world, client_for, make_site):
    site = make_site()
    assert client_for("county_admin_b").get(site.get_absolute_url()).status_code == 404
    assert client_for("outsider").get(site.get_absolute_url()).status_code in (403, 404)
    assert client_for("county_admin_b").get(reverse("demonstration:site-edit", args=[site.pk])).status_code == 404


def test_the_figures_form_refuses_a_reader_and_saves_for_the_county(world, client_for, make_site, figures):
    site = make_site()
    url = reverse("demonstration:figures-create", args=[site.pk])
    assert client_for("supervisor").get(url).status_code == 403
    response = client_for("county_admin").post(url, {"year": 2020, **figures})
    assert response.status_code == 302
    bad = client_for("county_admin").post(url, {"year": 2020, **figures, "output": "-3"})
    assert bad.status_code == 200 and SiteFigures.objects.count() == 1


def test_photos_are_re_encoded_and_bad_files_refused(world, client_for, make_site):
    site = make_site()
    photo = services.add_photos(world.county_admin, site, [png()])[0]
    assert photo.image.name.endswith(".jpg") and "site" not in photo.image.name.rsplit("/", 1)[-1]
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.add_photos(world.county_admin, site, [SimpleUploadedFile("x.png", b"<script>", "image/png")])
    with pytest.raises(PermissionDenied):
        services.add_photos(world.county_admin_b, site, [png()])


def test_the_site_list_query_count_does_not_grow(world, client_for, make_site, django_assert_max_num_queries):
    for index in range(12):
        make_site(name=f"示范点{index}")
    client = client_for("county_admin")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("demonstration:site-list")).status_code == 200
