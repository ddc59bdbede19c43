"""Forms filled where the network comes and goes (js/field.js): the demand form and the commissioner's service log
keep a draft on the phone, wait for the connection when it drops, then send by themselves and say so; photos are
made smaller on the phone before they are sent."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from sciaid.assistance.models import Demand, Photo
from sciaid.commissioners.models import ServiceLog
from sciaid.experts import services as experts
from sciaid.experts.models import Expert, Specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTICE = "[data-draft-notice]"
DRAFTS = "Object.keys(localStorage).filter(key => key.startsWith('sciaid:draft:'))"


def camera_photo(folder: Path) -> Path:
    """A 4000 × 3000 picture, as a phone's camera takes it."""
    path = folder / "pond.jpg"
    buffer = io.BytesIO()
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def stored_drafts(page) -> list[str]:
    return [page.evaluate(f"localStorage.getItem({key!r})") for key in page.evaluate(DRAFTS)]


def test_a_demand_typed_offline_is_kept_and_sent_when_the_network_returns(world, phone, tmp_path):
    crabs = Specialty.objects.get(code="river-crabs")
    page = phone.page
    phone.log_in("info_officer")
    phone.open("/en/demands/new/")
    page.select_option("select[name=village]", str(world.village_a1.pk))
    page.fill("input[name=title]", "河蟹七月大量死亡")
    page.fill("textarea[name=description]", "池塘河蟹最近死亡很多，水质发绿")
    page.select_option("select[name=specialty]", str(crabs.pk))
    page.set_input_files("input[name=photos]", str(camera_photo(tmp_path)))

    page.context.set_offline(True)
    page.click("form.card button[type=submit]")
    notice = page.locator(NOTICE)
    notice.wait_for(state="visible")
    assert "No connection" in notice.inner_text()
    assert any("河蟹七月大量死亡" in draft for draft in stored_drafts(page)), "the draft is kept on the phone"
    assert not Demand.objects.exists()
    phone.screenshot("offline")

    page.context.set_offline(False)
    page.locator(f"{NOTICE} [data-draft-link]").wait_for(state="visible")
    assert "entries were sent" in notice.inner_text()
    demand = Demand.objects.get()
    assert (demand.title, demand.specialty) == ("河蟹七月大量死亡", crabs)
    assert page.locator(f"{NOTICE} [data-draft-link]").get_attribute("href").endswith(f"/demands/{demand.pk}/")
    assert stored_drafts(page) == [], "the draft is cleared once sent"
    photo = Photo.objects.get(demand=demand)
    assert max(photo.width, photo.height) == 1600, "resized on the phone (the server would have kept 2048)"
    assert page.input_value("input[name=title]") == ""
    phone.screenshot("sent")


def test_a_draft_comes_back_after_a_reload_until_it_is_discarded(world, phone):
    page = phone.page
    phone.log_in("info_officer")
    phone.open("/en/demands/new/")
    page.fill("input[name=title]", "玉米叶子发黄")
    page.fill("textarea[name=description]", "一半的玉米叶子发黄")
    page.wait_for_function(f"{DRAFTS}.length === 1")

    page.reload()
    notice = page.locator(NOTICE)
    notice.wait_for(state="visible")
    assert "draft you had not sent was restored" in notice.inner_text()
    assert page.input_value("input[name=title]") == "玉米叶子发黄"
    assert phone.overflow() <= 0
    phone.screenshot("restored")

    page.click(f"{NOTICE} [data-draft-discard]")
    assert page.input_value("input[name=title]") == ""
    assert stored_drafts(page) == []
    assert notice.is_hidden()


def test_a_service_logged_offline_is_saved_when_the_network_returns(world, phone):
    commissioner = Expert.objects.create(
        user=world.expert, name="李明华", organisation="安徽农业大学", home_area=world.county_a, is_commissioner=True
    )
    experts.pair_commissioner(world.county_admin, commissioner, world.village_a1, date.today().year)
    page = phone.page
    phone.log_in("expert")
    phone.open("/en/commissioners/logs/new/")
    page.select_option("select[name=village]", world.village_a1.code)
    page.select_option("select[name=kind]", "training")
    page.fill("textarea[name=summary]", "稻虾共作技术培训")
    page.fill("input[name=participants]", "32")

    page.context.set_offline(True)
    page.click("#save-log")
    page.locator(NOTICE).wait_for(state="visible")
    assert "No connection" in page.locator(NOTICE).inner_text()
    assert not ServiceLog.objects.exists()

    page.context.set_offline(False)
    page.locator(f"{NOTICE} [data-draft-link]").wait_for(state="visible")
    log = ServiceLog.objects.get()
    assert (log.summary, log.participants) == ("稻虾共作技术培训", 32)
    assert stored_drafts(page) == []


def test_online_the_server_answers_as_before_errors_then_the_saved_demand(world, phone):
    """With the network up the form behaves as without the script: the form again with its errors, then the saved
    demand's page (the CSRF token travels with the form data)."""
    page = phone.page
    phone.log_in("info_officer")
    phone.open("/en/demands/new/")
    page.select_option("select[name=village]", str(world.village_a1.pk))
    page.fill("input[name=title]", "猪不吃食")
    page.fill("textarea[name=description]", "三头猪两天不吃食")
    page.click("form.card button[type=submit]")
    page.locator(".field.has-error").first.wait_for()  # no specialty chosen: the server's answer, errors shown
    assert page.input_value("input[name=title]") == "猪不吃食"
    assert len(stored_drafts(page)) == 1, "a refused submission keeps its draft"
    assert not Demand.objects.exists()

    page.select_option("select[name=specialty]", str(Specialty.objects.get(code="river-crabs").pk))
    phone.follow("form.card button[type=submit]")
    demand = Demand.objects.get()
    assert page.url.endswith(f"/demands/{demand.pk}/")
    assert stored_drafts(page) == []
