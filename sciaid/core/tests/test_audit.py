"""The audit log: every create, update and delete of a domain record says who changed what from what to what."""

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.regions.models import Household
from sciaid.regions.services import delete_household, save_household

ID_NUMBER = make_id_number(77, region="340422")


def changes_of(obj) -> list[ObjectChange]:
    """The audit entries of one object, oldest first."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(ObjectChange.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("time", "id"))


def register(world, **fields) -> Household:
    values = {"number": "340422105201-77", "village": world.village_a1, "head_name": "王秀英", "members": 2}
    return save_household(world.county_admin, **(values | fields))


def test_creating_a_record_logs_its_values_and_who_created_it(world):
    household = register(world, phone="13905540077")

    [entry] = changes_of(household)
    assert entry.action == ChangeAction.CREATE
    assert entry.user == world.county_admin
    assert entry.user_name == "county_admin"
    assert entry.before is None
    assert entry.after["head_name"] == "王秀英"
    assert entry.after["phone"] == "13905540077"
    assert entry.area_code == world.village_a1.code
    assert household.created_by == world.county_admin


def test_changing_a_record_logs_only_the_changed_fields_old_and_new(world):
    household = register(world)

    save_household(world.info_officer, instance=household, head_name="王秀兰", members=3)

    entry = changes_of(household)[-1]
    assert entry.action == ChangeAction.UPDATE
    assert entry.user == world.info_officer
    assert entry.before == {"head_name": "王秀英", "members": 2}
    assert entry.after == {"head_name": "王秀兰", "members": 3}
    with translation.override("en"):
        assert entry.changed_fields() == [("head of household", "王秀英", "王秀兰"), ("members", 2, 3)]


def test_saving_without_a_change_writes_no_entry(world):
    household = register(world)
    before = ObjectChange.objects.count()

    save_household(world.county_admin, instance=household, head_name="王秀英", members=2)
    Household.objects.get(pk=household.pk).save()

    assert ObjectChange.objects.count() == before


def test_deleting_a_record_logs_its_last_values(world):
    household = register(world)
    pk = household.pk

    delete_household(world.county_admin, household)

    entry = ObjectChange.objects.filter(object_id=str(pk), action=ChangeAction.DELETE).get()
    assert entry.user == world.county_admin
    assert entry.before["head_name"] == "王秀英"
    assert entry.after is None


def test_the_log_never_holds_the_id_number_or_its_ciphertext(world):
    household = register(world, id_number=ID_NUMBER)
    household.refresh_from_db()
    save_household(world.county_admin, instance=household, id_number=make_id_number(78, region="340422"))
    household.refresh_from_db()

    entries = changes_of(household)
    assert [e.action for e in entries] == [ChangeAction.CREATE, ChangeAction.UPDATE]
    logged = str([(e.before, e.after) for e in entries])
    assert ID_NUMBER not in logged
    assert household.id_number_encrypted not in logged
    assert household.id_number_hash not in logged
    # The masked twin is what shows that the number changed.
    assert entries[1].after == {"id_number_masked": household.id_number_masked}


def test_a_supervisor_reads_the_log_of_their_own_county_only(world):
    in_a = register(world)
    in_b = save_household(world.county_admin_b, number="B-1", village=world.village_b1, head_name="李四", members=1)

    visible = ObjectChange.objects.for_user(world.supervisor)

    assert visible.filter(object_id=str(in_a.pk), content_type__model="household").exists()
    assert not visible.filter(object_id=str(in_b.pk), content_type__model="household").exists()
    assert not ObjectChange.objects.for_user(world.farmer).exists()
