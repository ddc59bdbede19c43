"""The jurisdiction mechanism itself: grants cover their area's subtree, nothing else, and nothing without a grant."""

from sciaid.regions.models import Area, Household


def test_a_county_admin_sees_only_their_county(world):
    codes = set(Area.objects.for_user(world.county_admin).values_list("code", flat=True))
    assert world.village_a1.code in codes
    assert world.county_a.code in codes
    assert world.village_b1.code not in codes
    assert world.city.code not in codes


def test_a_user_with_no_grant_sees_nothing(world):
    assert not Area.objects.for_user(world.outsider).exists()
    assert not Household.objects.for_user(world.outsider).exists()


def test_a_farmer_sees_only_their_own_household(world):
    assert list(Household.objects.for_user(world.farmer)) == [world.household_a1]


def test_an_info_officer_changes_only_their_village(world):
    changeable = Household.objects.for_user(world.info_officer, "change")
    assert list(changeable) == [world.household_a1]


def test_a_supervisor_reads_but_does_not_change(world):
    assert Household.objects.for_user(world.supervisor).count() == 3
    assert not Household.objects.for_user(world.supervisor, "change").exists()


def test_a_scope_with_ancestors_also_covers_the_areas_above_the_grant(world):
    from sciaid.core.scoping import Scope

    scope = Scope(code_path="code", view=frozenset({"county_admin"}), with_ancestors=True)
    codes = set(Area.objects.filter(scope.filter_for(world.county_admin, "view")).values_list("code", flat=True))
    assert {world.province.code, world.city.code, world.county_a.code, world.village_a1.code} <= codes
    assert world.county_b.code not in codes


def test_a_catalogue_is_seen_whole_by_the_roles_it_names_and_by_nobody_else(world):
    from sciaid.core.scoping import Scope

    scope = Scope(code_path=None, view=frozenset({"expert"}), catalogue=True)
    assert Area.objects.filter(scope.filter_for(world.expert, "view")).count() == Area.objects.count()
    assert scope.filter_for(world.farmer, "view") is None
    assert scope.filter_for(world.outsider, "view") is None


def test_within_granted_areas_never_widens_the_scope(world):
    from sciaid.core.scoping import within_granted_areas

    own = within_granted_areas(Household.objects.for_user(world.county_admin), world.county_admin)
    assert set(own) == set(Household.objects.for_user(world.county_admin))
    assert not within_granted_areas(Household.objects.all(), world.outsider).exists()
    farmer = within_granted_areas(Household.objects.for_user(world.farmer), world.farmer)
    assert list(farmer) == [world.household_a1]
