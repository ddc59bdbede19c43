"""Agreement scans are served only to who may see the agreement; every model of the app is in the operators'
read-only admin."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from sciaid.commissioners.agreements import services as agreements
from sciaid.commissioners.tests.conftest import on
from sciaid.experts.models import Pairing

PDF = b"%PDF-1.4\n% signed agreement\n"


@pytest.fixture
def signed(world, commissioner):
    agreement = agreements.save_agreement(
        world.users["county_admin"],
        pairing=Pairing.objects.get(expert=commissioner),
        starts_on=on(1),
        ends_on=on(12, 31),
    )
    scan = SimpleUploadedFile("协议 扫描件.pdf", PDF, content_type="application/pdf")
    return agreements.sign_agreement(world.users["county_admin"], agreement, signed_on=on(1, 5), scan=scan)


def scan_url(agreement) -> str:
    return reverse("commissioners:agreement-scan", args=[agreement.pk])


@pytest.mark.parametrize("persona", ["county_admin", "expert", "info_officer", "supervisor"])
def test_who_may_see_the_agreement_downloads_its_scan(client_for, signed, persona):
    response = client_for(persona).get(scan_url(signed))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, max-age=3600"
    # The stored name is ours, not the uploader's.
    assert re.search(rf'filename="agreement-{signed.pk}(_\w+)?\.pdf"', response["Content-Disposition"])


def test_another_county_gets_a_404_and_a_visitor_the_login_page(client_for, signed):
    assert client_for("county_admin_b").get(scan_url(signed)).status_code == 404
    anonymous = Client().get(scan_url(signed))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_an_agreement_without_a_scan_has_nothing_to_download(world, client_for, commissioner):
    draft = agreements.save_agreement(
        world.users["county_admin"],
        pairing=Pairing.objects.get(expert=commissioner),
        starts_on=on(1),
        ends_on=on(12, 31),
    )
    assert client_for("county_admin").get(scan_url(draft)).status_code == 404


def test_the_agreement_page_links_the_scan(client_for, signed):
    assert scan_url(signed) in client_for("expert").get(signed.get_absolute_url()).content.decode()


def test_every_commissioners_model_is_in_the_read_only_admin(world, signed):
    operator = world.users["admin"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client()
    client.force_login(operator)
    models = list(apps.get_app_config("commissioners").get_models())
    assert len(models) == 15
    for model in models:
        assert admin.site.is_registered(model), model.__name__
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, model.__name__
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403, model.__name__
    page = client.get(reverse("admin:commissioners_agreement_change", args=[signed.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
