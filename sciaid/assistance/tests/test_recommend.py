"""Who the recommendation puts first, and why it says so: the candidate cap keeps the best specialty matches, the
proximity reason names the government that selected the expert, and a village's commissioner stays paired with it
until the next year's pairings are made."""

from __future__ import annotations

from django.utils import timezone, translation

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import recommend, services
from sciaid.core.roles import Role
from sciaid.core.text import joined_tokens
from sciaid.experts.models import Expert, Pairing, Specialty


def add_expert(world, username: str, *, area: str, level: str, specialty: str, organisation: str = "Institute"):
    user = User.objects.create_user(username, password="pw")
    RoleGrant.objects.create(user=user, role=Role.EXPERT, area=world.areas[area])
    expert = Expert.objects.create(
        user=user,
        name=username,
        organisation=organisation,
        level=level,
        home_area=world.areas[area],
        expertise="水产养殖",
        expertise_tokens=joined_tokens("水产养殖"),
    )
    expert.specialties.add(Specialty.objects.get(code=specialty))
    return expert


def reasons_by_name(demand) -> dict[str, list[str]]:
    with translation.override("en"):
        return {r.expert.name: r.reasons for r in recommend.recommend_experts(demand)}


def test_the_candidate_cap_keeps_the_best_specialty_matches_not_the_first_names(world, experts, submit, monkeypatch):
    # Three experts of a related specialty whose names sort before everyone else's, and a cap of two candidates:
    # taken in name order, the cap left out the river-crab specialist the demand is about.
    for n in range(3):
        add_expert(world, f"Aa{n}", area="county_a", level="county", specialty="aquaculture")
    monkeypatch.setattr(recommend, "CANDIDATE_LIMIT", 2)
    ranked = recommend.recommend_experts(submit())
    assert [r.expert.user.username for r in ranked][:1] == ["expert"]
    assert len(ranked) == 2


def test_a_paired_commissioner_is_always_a_candidate_even_past_the_cap(world, experts, submit, monkeypatch):
    demand = submit()
    Pairing.objects.create(expert=experts["expert_fruit"], village=world.village_a1, year=timezone.localdate().year)
    monkeypatch.setattr(recommend, "CANDIDATE_LIMIT", 1)
    assert [r.expert.user.username for r in recommend.recommend_experts(demand)] == ["expert_fruit"]


def test_the_proximity_reason_names_who_selected_the_expert_not_where_they_work(world, experts, submit):
    add_expert(
        world, "Provincial", area="province", level="province", specialty="river-crabs", organisation="安徽农业大学"
    )
    station = add_expert(
        world,
        "Station",
        area="county_a",
        level="county",
        specialty="river-crabs",
        organisation="安徽省农业技术推广总站",
    )
    reasons = reasons_by_name(submit())
    # Selected by the county, though employed by a province station: the county's expert, and said so truthfully.
    assert "Selected by this county" in reasons[station.name]
    assert "Selected by the province" in reasons["Provincial"]
    assert "Selected by the city" in reasons[experts["expert_city"].name]
    assert not any("Expert of" in reason for reasons_ in reasons.values() for reason in reasons_)


def test_last_years_commissioner_stays_paired_until_this_years_pairings(world, experts, submit):
    demand = submit()
    this_year = timezone.localdate().year
    # expert_b is selected by county B: only the pairing brings them within reach of village A1.
    Pairing.objects.create(expert=experts["expert_b"], village=world.village_a1, year=this_year - 1)
    reasons = reasons_by_name(demand)
    assert f"Commissioner paired with this village in {this_year - 1}" in reasons[experts["expert_b"].name]
    assert services.experts_in_reach(demand).filter(pk=experts["expert_b"].pk).exists()

    Pairing.objects.create(expert=experts["expert"], village=world.village_a1, year=this_year)
    reasons = reasons_by_name(demand)
    assert experts["expert_b"].name not in reasons
    assert f"Commissioner paired with this village in {this_year}" in reasons[experts["expert"].name]
    assert not services.experts_in_reach(demand).filter(pk=experts["expert_b"].pk).exists()


def test_a_pairing_of_a_later_year_is_not_in_force_yet(world, experts, submit):
    demand = submit()
    Pairing.objects.create(expert=experts["expert_b"], village=world.village_a1, year=timezone.localdate().year + 1)
    assert recommend.pairings_in_force(world.village_a1) == {}
    assert not services.experts_in_reach(demand).filter(pk=experts["expert_b"].pk).exists()
