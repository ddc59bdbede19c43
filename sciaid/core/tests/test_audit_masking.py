"""The audit log shows phone and ID numbers by the rule of every other page: in full to a role that may read
personal data in the change's area, masked to everyone else (a supervisor reads the log, not the numbers)."""

from django.urls import reverse

from sciaid.core.audit import mask_personal_data
from sciaid.core.models import ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.regions.services import save_household

PHONE = "13905540077"
ID_NUMBER = make_id_number(77, region="340422")


def registered(world):
    household = save_household(
        world.county_admin,
        number="340422105201-77",
        village=world.village_a1,
        head_name="王秀英",
        members=2,
        phone=PHONE,
    )
    save_household(world.county_admin, instance=household, phone="13905540078")
    return household


def entries_of(household):
    return ObjectChange.objects.filter(object_id=str(household.pk), content_type__model="household")


def test_a_supervisor_sees_phone_numbers_masked_in_the_list_and_the_entry(world, client_for):
    household = registered(world)
    client = client_for("supervisor")
    listing = client.get(reverse("core:audit-list")).content.decode()
    detail = client.get(reverse("core:audit-detail", args=[entries_of(household).last().pk])).content.decode()
    for html in (listing, detail):
        assert PHONE not in html and "13905540078" not in html
    assert "139****0077" in detail
    assert "139****0078" in listing


def test_a_county_admin_sees_them_in_full_in_their_county(world, client_for):
    household = registered(world)
    entry = entries_of(household).last()
    html = client_for("county_admin").get(reverse("core:audit-detail", args=[entry.pk])).content.decode()
    assert PHONE in html


def test_numbers_inside_notes_and_lists_are_masked_but_longer_codes_are_not():
    text = f"回访 {PHONE}；身份证 {ID_NUMBER}；户编号 3404221052010001"
    masked_id = f"{ID_NUMBER[:4]}{'*' * 10}{ID_NUMBER[-4:]}"
    assert mask_personal_data(text) == f"回访 139****0077；身份证 {masked_id}；户编号 3404221052010001"
    assert mask_personal_data({"phones": [PHONE], "members": 3}) == {"phones": ["139****0077"], "members": 3}
