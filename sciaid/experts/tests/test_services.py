"""Rules of experts and commissioner pairings: rights, jurisdiction, the yearly village limit, duplicates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciaid.accounts.models import User
from sciaid.core.models import ObjectChange
from sciaid.core.roles import Role
from sciaid.experts import services
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing
from sciaid.experts.tests.conftest import spec


def test_creating_an_expert_creates_their_login_with_the_expert_role(world, make_expert):
    expert = make_expert("crab_a", expertise="河蟹生态养殖与水质调控")
    user = User.objects.get(username="crab_a")
    assert expert.user == user
    assert [(g.role, g.area) for g in user.grants.all()] == [(Role.EXPERT, world.county_a)]
    assert expert.level == ExpertLevel.COUNTY
    assert {"河蟹", "水质"} <= set(expert.expertise_tokens.split())
    assert ObjectChange.objects.filter(object_repr="crab_a", action="create").exists()


def test_an_existing_account_gets_the_profile(english, world, make_expert):
    expert = make_expert("expert", name="王海")
    assert expert.user == world.expert
    with pytest.raises(ValidationError, match="already has an expert profile"):
        make_expert("expert")


def test_a_county_admin_cannot_create_experts_of_another_county_or_the_province(world, make_expert):
    with pytest.raises(PermissionDenied):
        make_expert("x", home="county_b", by="county_admin")
    with pytest.raises(PermissionDenied):
        make_expert("y", home="province", by="county_admin")
    assert not Expert.objects.exists()


def test_roles_other_than_managers_cannot_create_experts(world, make_expert):
    for persona in ("triage", "supervisor", "info_officer", "expert", "outsider"):
        with pytest.raises(PermissionDenied):
            make_expert(f"by_{persona}", by=persona)


def test_level_follows_the_selecting_area(world, make_expert):
    assert make_expert("prov", home="province").level == ExpertLevel.PROVINCE
    with pytest.raises(ValidationError, match="level"):
        make_expert("bad", level=ExpertLevel.PROVINCE)
    with pytest.raises(ValidationError):
        make_expert("village_level", home="village_a1", by="admin")


def test_an_expert_edits_only_their_own_expertise_availability_and_phone(world, make_expert):
    expert = make_expert("expert", name="王海")
    services.save_expert(world.expert, instance=expert, expertise="稻虾共作", availability="周末", phone="13905549999")
    expert.refresh_from_db()
    assert (expert.expertise, expert.phone) == ("稻虾共作", "13905549999")
    assert "稻虾" in expert.expertise_tokens
    # Sending unchanged fields is fine (a full form); changing them is not.
    services.save_expert(world.expert, instance=expert, name="王海", expertise="稻虾共作")
    with pytest.raises(PermissionDenied):
        services.save_expert(world.expert, instance=expert, name="王大海")
    with pytest.raises(PermissionDenied):
        services.save_expert(world.expert, instance=expert, specialties=[spec("tea")])
    other = make_expert("other_a")
    with pytest.raises(PermissionDenied):
        services.save_expert(world.expert, instance=other, expertise="x")


def test_service_areas_must_be_the_managers_own(world, make_expert):
    with pytest.raises(PermissionDenied):
        make_expert("far", service_areas=[world.township_b1])
    expert = make_expert("near", service_areas=[world.township_a1])
    assert list(expert.service_areas.all()) == [world.township_a1]


def test_specialties_are_required_and_audited(world, make_expert):
    expert = make_expert("crab_a")
    with pytest.raises(ValidationError):
        services.set_specialties(world.county_admin, expert, [])
    services.set_specialties(world.county_admin, expert, [spec("tea"), spec("pigs")])
    assert set(expert.specialties.values_list("code", flat=True)) == {"tea", "pigs"}
    assert (
        ObjectChange.objects.filter(after__has_key="specialties").exists()
        or ObjectChange.objects.filter(object_id=str(expert.pk), action="update").exists()
    )
    with pytest.raises(PermissionDenied):
        services.set_specialties(world.county_admin_b, expert, [spec("tea")])


def test_deactivate_and_reactivate(world, make_expert):
    expert = make_expert("crab_a")
    with pytest.raises(PermissionDenied):
        services.deactivate_expert(world.expert, expert)
    services.deactivate_expert(world.county_admin, expert)
    assert not Expert.objects.get(pk=expert.pk).is_active
    with pytest.raises(ValidationError):
        services.deactivate_expert(world.county_admin, expert)
    services.reactivate_expert(world.county_admin, expert)
    assert Expert.objects.get(pk=expert.pk).is_active


# --- pairings ----------------------------------------------------------------------------------------------------


def test_pairing_a_commissioner_with_a_village_of_the_county(world, make_expert):
    expert = make_expert("crab_a")
    pairing = services.pair_commissioner(world.county_admin, expert, world.village_a1, 2020)
    assert (pairing.expert, pairing.village, pairing.year) == (expert, world.village_a1, 2020)
    # A non-poor village may be paired too.
    services.pair_commissioner(world.county_admin, expert, world.village_a2, 2020)


def test_pairing_refuses_another_countys_village_and_non_villages(world, make_expert):
    expert = make_expert("crab_a")
    with pytest.raises(PermissionDenied):
        services.pair_commissioner(world.county_admin, expert, world.village_b1, 2020)
    with pytest.raises(ValidationError):
        services.pair_commissioner(world.county_admin, expert, world.township_a1, 2020)
    for persona in ("triage", "expert", "info_officer"):
        with pytest.raises(PermissionDenied):
            services.pair_commissioner(world.users[persona], expert, world.village_a1, 2020)
    assert not Pairing.objects.exists()


def test_a_province_commissioner_may_be_paired_by_a_county(world, make_expert):
    expert = make_expert("prov", home="province")
    assert services.pair_commissioner(world.county_admin, expert, world.village_a1, 2020).pk


def test_duplicate_pairing_is_refused_with_a_clear_message(english, world, make_expert):
    expert = make_expert("crab_a", name="李明")
    services.pair_commissioner(world.county_admin, expert, world.village_a1, 2020)
    with pytest.raises(ValidationError, match="李明 is already paired with 姚祠村 for 2020"):
        services.pair_commissioner(world.county_admin, expert, world.village_a1, 2020)
    assert services.pair_commissioner(world.county_admin, expert, world.village_a1, 2021).pk


def test_at_most_max_villages_a_year(english, world, make_expert, settings):
    settings.COMMISSIONER_MAX_VILLAGES = 2
    expert = make_expert("crab_a")
    services.pair_commissioner(world.county_admin, expert, world.village_a1, 2020)
    services.pair_commissioner(world.county_admin, expert, world.village_a2, 2020)
    with pytest.raises(ValidationError, match="at most 2 villages"):
        services.pair_commissioner(world.county_admin, expert, world.village_a3, 2020)
    assert services.pair_commissioner(world.county_admin, expert, world.village_a3, 2021).pk


def test_only_active_commissioners_are_paired(english, world, make_expert):
    plain = make_expert("plain", is_commissioner=False)
    with pytest.raises(ValidationError, match="commissioners"):
        services.pair_commissioner(world.county_admin, plain, world.village_a1, 2020)
    other = make_expert("b_expert", home="county_b")
    with pytest.raises(ValidationError, match="Unknown expert"):
        services.pair_commissioner(world.county_admin, other, world.village_a1, 2020)


def test_unpair(world, make_expert):
    pairing = services.pair_commissioner(world.county_admin, make_expert("crab_a"), world.village_a1, 2020)
    with pytest.raises(PermissionDenied):
        services.unpair(world.county_admin_b, pairing)
    with pytest.raises(PermissionDenied):
        services.unpair(world.triage, pairing)
    services.unpair(world.county_admin, pairing)
    assert not Pairing.objects.exists()


# --- specialty tree ----------------------------------------------------------------------------------------------


def test_the_seeded_tree_has_the_issues_specialties(db):
    assert spec("river-crabs").parent == spec("aquaculture")
    assert spec("aquaculture").parent.name_zh == "养殖业"
    assert {s.name_zh for s in spec("planting").children.all()} >= {
        "粮食作物",
        "蔬菜",
        "果树",
        "茶叶",
        "食用菌",
        "中药材",
    }


def test_only_platform_admins_edit_the_tree(english, world, make_expert):
    with pytest.raises(PermissionDenied):
        services.save_specialty(world.county_admin, code="rabbits", name_zh="兔", name_en="Rabbits")
    rabbits = services.save_specialty(
        world.admin, code="rabbits", name_zh="兔", name_en="Rabbits", parent=spec("breeding")
    )
    with pytest.raises(ValidationError, match="under itself"):
        services.save_specialty(world.admin, instance=spec("breeding"), parent=rabbits)
    make_expert("crab_a")
    with pytest.raises(ValidationError):
        services.delete_specialty(world.admin, spec("river-crabs"))
    with pytest.raises(ValidationError):
        services.delete_specialty(world.admin, spec("breeding"))
    services.delete_specialty(world.admin, rabbits)
