"""Drafts: the county admin's text survives regeneration, the figures refresh, the audit log is the history; who may
read and who may edit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sciaid.core.models import ObjectChange
from sciaid.funds import services as funds
from sciaid.funds.models import FundSource
from sciaid.reports.self_inspection import services
from sciaid.reports.self_inspection.models import SelfInspectionDraft


def section(report, key):
    return next(item for item in report.sections if item.key == key)


def row(report, key, indicator):
    return next(item for item in section(report, key).rows if item.key == indicator)


def budget(world, amount: str):
    source = FundSource.objects.get(code="county")
    return funds.create_budget(
        world.county_admin, year=2020, area=world.county_a, source=source, amount=amount, purpose="Platform"
    )


def test_regenerating_keeps_the_edited_text_and_refreshes_the_figures(world):
    budget(world, "1000")
    before = services.report_for(world.county_admin, world.county_a, 2020)
    assert row(before, "platform", "funds.budgeted").text == "¥1,000"
    drafted = section(before, "platform").text
    services.save_draft(world.county_admin, world.county_a, 2020, "platform", "Our own words about the platform.")
    budget(world, "500")
    after = services.report_for(world.county_admin, world.county_a, 2020)
    platform = section(after, "platform")
    assert platform.text == "Our own words about the platform." and platform.edited
    assert platform.drafted != drafted and "¥1,500" in platform.drafted
    assert row(after, "platform", "funds.budgeted").text == "¥1,500"
    assert not section(after, "basic").edited


def test_edits_are_audited_and_a_reset_brings_the_drafted_text_back(world):
    services.save_draft(world.county_admin, world.county_a, 2020, "problems", "First")
    services.save_draft(world.county_admin, world.county_a, 2020, "problems", "Second")
    draft = SelfInspectionDraft.objects.get()
    assert (draft.text, draft.edited_by) == ("Second", world.county_admin)
    entries = services.history(world.county_a, 2020, "problems")
    assert [entry.after["text"] for entry in entries] == ["Second", "First"]
    assert entries[0].before["text"] == "First" and entries[0].user == world.county_admin
    assert services.reset_draft(world.county_admin, world.county_a, 2020, "problems")
    assert not SelfInspectionDraft.objects.exists()
    assert ObjectChange.objects.filter(action="delete", object_repr=str(draft)).count() == 1
    report = services.report_for(world.county_admin, world.county_a, 2020)
    assert not section(report, "problems").edited


def test_one_draft_per_area_year_and_section(world):
    for text in ("a", "b", "c"):
        services.save_draft(world.county_admin, world.county_a, 2020, "basic", text)
    services.save_draft(world.county_admin, world.county_a, 2021, "basic", "other year")
    assert SelfInspectionDraft.objects.count() == 2


def test_bad_sections_and_empty_texts_are_refused(world):
    with pytest.raises(ValidationError):
        services.save_draft(world.county_admin, world.county_a, 2020, "nonsense", "x")
    with pytest.raises(ValidationError):
        services.save_draft(world.county_admin, world.county_a, 2020, "basic", "   ")


@pytest.mark.parametrize(
    ("persona", "area", "outcome"),
    [
        ("county_admin", "county_a", "edit"),
        ("admin", "county_a", "edit"),  # the province's platform admin
        ("admin", "city", "edit"),
        ("county_admin", "city", Http404),  # above the county admin's jurisdiction
        ("county_admin_b", "county_a", Http404),
        ("triage", "county_a", PermissionDenied),  # reads, never edits
        ("supervisor", "county_a", PermissionDenied),
        ("farmer", "county_a", PermissionDenied),
        ("outsider", "county_a", PermissionDenied),
    ],
)
def test_who_may_edit(world, persona, area, outcome):
    user, where = world.users[persona], world.areas[area]
    if outcome == "edit":
        services.save_draft(user, where, 2020, "next_steps", "Train more.")
        assert SelfInspectionDraft.objects.get().edited_by == user
    else:
        with pytest.raises(outcome):
            services.save_draft(user, where, 2020, "next_steps", "Train more.")
        assert not SelfInspectionDraft.objects.exists()


def test_a_village_has_no_report(world):
    with pytest.raises(ValidationError):
        services.report_for(world.county_admin, world.village_a1, 2020)


def test_stored_files_are_kept_until_the_data_change(world, media_root):
    first = services.report_files(world.county_admin, world.county_a, 2020)
    again = services.report_files(world.county_admin, world.county_a, 2020)
    assert first.generated and not again.generated and again.names == first.names
    services.save_draft(world.county_admin, world.county_a, 2020, "basic", "Edited.")
    edited = services.report_files(world.county_admin, world.county_a, 2020)
    assert edited.generated and edited.names != first.names
