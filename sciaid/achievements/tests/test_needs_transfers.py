"""Technology needs matched against the catalogue with reasons; transfers from negotiation to evaluation, their
refusals, and the figures of new varieties and techniques introduced."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciaid.achievements import services
from sciaid.achievements.choices import AchievementKind, NeedStatus, TransferStatus
from sciaid.achievements.matching import match_achievements
from sciaid.achievements.models import TechnologyNeed, Transfer
from sciaid.achievements.statistics import introduced
from sciaid.core.publishing import PublicationStatus
from sciaid.core.states import TransitionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_matching_ranks_text_industry_region_and_maturity_with_reasons(world, make_achievement, make_need):
    crab = make_achievement(title="河蟹生态养殖技术", description="河蟹蜕壳期水质调控，提高成活率。")
    related = make_achievement(title="小龙虾养殖技术", description="小龙虾养殖。", industries=("crayfish",))
    elsewhere = make_achievement(
        title="河蟹养殖新技术", description="河蟹养殖。", maturity="research", area_key="county_b", by="county_admin_b"
    )
    elsewhere.regions.set([world.areas["county_b"]])
    make_achievement(title="皖稻68", description="水稻品种。", industries=("grain",))
    need = make_need()
    matches = match_achievements(need)
    ranked = [m.achievement.pk for m in matches]
    assert ranked[0] == crab.pk and set(ranked) == {crab.pk, elsewhere.pk, related.pk}
    reasons = {m.achievement.pk: m.reasons for m in matches}
    best = matches[0].reasons
    assert "Same industry" in best and "Applicable anywhere" in best and "Maturity: Mature, widely applied" in best
    assert any(reason.startswith("Description matches the need (100%") for reason in best)
    assert "Related industry" in reasons[related.pk]
    assert "Applicable in the need's area" not in reasons[elsewhere.pk]
    assert "Maturity: Research stage" in reasons[elsewhere.pk]


def test_a_region_covering_the_need_counts(world, make_achievement, make_need):
    here = make_achievement(title="河蟹技术甲", description="河蟹。")
    here.regions.set([world.areas["county_a"]])
    match = match_achievements(make_need())[0]
    assert match.achievement == here and "Applicable in the need's area" in match.reasons


def test_a_need_from_another_app_record(world):
    need = services.need_from_text(
        world.triage, "稻田养虾技术", "农户想稻田养虾", world.areas["village_a1"], "Demand #12"
    )
    assert need.industry.code == "other" and need.source_label == "Demand #12" and "养虾" in need.words
    with pytest.raises(ValidationError):
        services.need_from_text(world.triage, "x", "y", world.areas["village_b1"], "Demand #13")


def test_needs_are_refused_outside_the_jurisdiction_and_other_counties_do_not_see_them(world, make_need, client_for):
    with pytest.raises(ValidationError):
        make_need(area_key="village_b1")
    need = make_need()
    assert client_for("county_admin_b").get(need.get_absolute_url()).status_code == 404
    page = client_for("expert").get(need.get_absolute_url())
    assert page.status_code == 200


def test_the_need_page_shows_matches_and_matching_one_marks_the_need(world, make_achievement, make_need, client_for):
    crab = make_achievement(title="河蟹生态养殖技术")
    need = make_need()
    client = client_for("county_admin")
    page = client.get(need.get_absolute_url())
    assert crab.title in page.content.decode() and "Same industry" in page.content.decode()
    client.post(reverse("achievements:need-action", args=[need.pk, "match"]), {"achievement": crab.pk})
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED and need.matched_achievement == crab
    assert client_for("expert").post(reverse("achievements:need-action", args=[need.pk, "close"])).status_code == 403


def test_the_matches_endpoint(world, make_achievement, make_need, api_for):
    crab = make_achievement(title="河蟹生态养殖技术")
    need = make_need()
    response = api_for("county_admin").get(f"/api/v1/technology-needs/{need.pk}/matches/")
    assert response.status_code == 200
    first = response.json()[0]
    assert first["achievement"]["id"] == crab.pk and "contact" not in first["achievement"] and first["reasons"]
    assert api_for("county_admin_b").get(f"/api/v1/technology-needs/{need.pk}/matches/").status_code == 404


def test_a_transfer_goes_from_negotiation_to_evaluation(world, make_achievement, make_need, make_transfer):
    need = make_need()
    transfer = make_transfer(make_achievement(), need=need, households=[world.households["household_a1"]])
    assert TechnologyNeed.objects.get(pk=need.pk).status == NeedStatus.MATCHED
    admin = world.county_admin
    with pytest.raises(TransitionRefused):
        services.apply_transfer(admin, transfer)
    services.sign_transfer(admin, transfer)
    with pytest.raises(ValidationError):
        services.apply_transfer(admin, transfer, on=date(2020, 1, 1))  # before signing
    services.apply_transfer(admin, transfer, on=date(2020, 4, 10))
    with pytest.raises(TransitionRefused):
        services.cancel_transfer(admin, transfer)
    with pytest.raises(ValidationError):
        services.evaluate_transfer(admin, transfer, "")
    services.evaluate_transfer(admin, transfer, "亩均增收2000元")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.EVALUATED and transfer.applied_on == date(2020, 4, 10)
    with pytest.raises(TransitionRefused):
        services.save_transfer(admin, instance=transfer, recipient="x")


def test_bad_transfers_are_refused_and_nothing_is_written(world, make_achievement, make_transfer):
    published = make_achievement()
    with pytest.raises(ValidationError) as refused:
        make_transfer(make_achievement(PublicationStatus.IN_REVIEW, title="in review"))
    assert "achievement" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_transfer(published, contract_value=Decimal("-1"))
    with pytest.raises(ValidationError):
        make_transfer(published, area_key="village_b1")
    with pytest.raises(ValidationError) as refused:
        make_transfer(published, area_key="village_a2", households=[world.households["household_a1"]])
    assert "households" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_transfer(published, households_count=0, households=[world.households["household_a1"]])
    with pytest.raises(TransitionRefused):
        services.sign_transfer(world.expert, make_transfer(published))
    assert Transfer.objects.count() == 1


def test_the_transfer_form_refuses_unknown_households_and_negative_values(world, make_achievement, client_for):
    item = make_achievement()
    client = client_for("county_admin")
    data = {
        "achievement": item.pk,
        "recipient": "合作社",
        "area": world.areas["village_a1"].code,
        "mode": "licence",
        "contract_value": "-5",
        "signed_on": "2020-03-01",
        "households_count": "2",
        "household_numbers": "NOPE-1",
    }
    response = client.post(reverse("achievements:transfer-create"), data)
    assert response.status_code == 200 and "NOPE-1" in response.content.decode()
    assert not Transfer.objects.exists()
    data.update(contract_value="100", household_numbers=world.households["household_a1"].number)
    assert client.post(reverse("achievements:transfer-create"), data).status_code == 302
    assert list(Transfer.objects.get().households.all()) == [world.households["household_a1"]]


def test_applied_varieties_and_techniques_are_counted_per_county_and_year(world, make_achievement, make_transfer):
    admin = world.county_admin
    variety = make_achievement(title="皖稻68", kind=AchievementKind.VARIETY)
    technique = make_achievement(title="稻虾共作技术")
    equipment = make_achievement(title="还田机", kind=AchievementKind.EQUIPMENT)
    for item, applied in ((variety, True), (variety, True), (technique, True), (technique, False), (equipment, True)):
        transfer = make_transfer(item)
        services.sign_transfer(admin, transfer)
        if applied:
            services.apply_transfer(admin, transfer, on=date(2020, 5, 1))
    [row] = introduced(Transfer.objects.for_user(admin))
    assert (row.name, row.year, row.varieties, row.techniques) == ("寿县", 2020, 2, 1)
    assert introduced(Transfer.objects.for_user(world.county_admin_b)) == []


def test_the_transfer_list_and_api(
    world, make_achievement, make_transfer, client_for, api_for, django_assert_max_num_queries
):
    item = make_achievement()
    for index in range(10):
        make_transfer(item, recipient=f"合作社{index}")
    client = client_for("county_admin")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("achievements:transfer-list"))
    assert len(response.context["object_list"]) == 10
    api = api_for("county_admin")
    pk = Transfer.objects.first().pk
    assert api.post(f"/api/v1/transfers/{pk}/sign/").json()["status"] == "signed"
    assert api.post(f"/api/v1/transfers/{pk}/sign/").status_code == 409
    body = {"achievement": item.pk, "recipient": "x", "area": world.areas["village_a1"].code, "mode": "licence",
            "contract_value": "-1", "signed_on": "2020-03-01"}  # fmt: skip
    assert api.post("/api/v1/transfers/", body, format="json").status_code == 400
    assert api_for("county_admin_b").get(f"/api/v1/transfers/{pk}/").status_code == 404
