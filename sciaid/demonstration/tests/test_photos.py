"""Site photos through the API and the pages, on the shared gallery (`sciaid.core.photos`): the site's managers add
and remove them, its commissioners and readers only look, another county's site is not found, the public sees the
photos of public sites under the public address."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciaid.core.tests.pictures import pdf_named_jpg, picture
from sciaid.demonstration import services
from sciaid.demonstration.models import SitePhoto

pytestmark = pytest.mark.django_db
LIMIT = SitePhoto.gallery.max_photos


def photos_url(site) -> str:
    return reverse("demo-site-photos", args=[site.pk])


def test_the_county_admin_uploads_photos_and_the_site_lists_them(api_for, make_site):
    site = make_site()
    api = api_for("county_admin")
    response = api.post(photos_url(site), {"photos": [picture(), picture("b.jpg", kind="JPEG")], "caption": "蟹塘"})
    assert response.status_code == 201, response.content
    added = response.json()
    assert [(row["caption"], row["position"]) for row in added] == [("蟹塘", 0), ("蟹塘", 1)]
    detail = api.get(reverse("demo-site-detail", args=[site.pk])).json()
    assert detail["photos"] == added
    assert added[0]["url"] == reverse("demonstration:photo-file", args=[added[0]["id"]])
    assert api.delete(f"{photos_url(site)}?photo={added[0]['id']}").status_code == 204
    assert list(SitePhoto.objects.values_list("pk", flat=True)) == [added[1]["id"]]


def test_refusals_are_structured_400s(api_for, english, make_site):
    site = make_site()
    api = api_for("county_admin")
    bad = api.post(photos_url(site), {"photos": [pdf_named_jpg()]})
    assert bad.status_code == 400 and list(bad.json()) == ["photos"]
    assert api.post(photos_url(site), {"photos": [picture() for _ in range(LIMIT)]}).status_code == 201
    too_many = api.post(photos_url(site), {"photos": [picture()]})
    assert too_many.json() == {"photos": [f"At most {LIMIT} photos are kept ({LIMIT} already)."]}
    assert api.post(photos_url(site), {"caption": "x"}).status_code == 400
    assert SitePhoto.objects.count() == LIMIT


def test_the_same_roles_as_the_page_may_change_photos(api_for, world, make_site, commissioner):
    site = make_site(commissioners=[commissioner])
    (photo,) = services.add_photos(world.county_admin, site, [picture()])
    for persona in ("expert", "supervisor"):  # they read the site; only its managers add photos
        api = api_for(persona)
        assert api.get(photos_url(site)).status_code == 200
        assert api.post(photos_url(site), {"photos": [picture()]}).status_code == 403
        assert api.delete(f"{photos_url(site)}?photo={photo.pk}").status_code == 403
    assert api_for("county_admin_b").post(photos_url(site), {"photos": [picture()]}).status_code == 404
    assert api_for("county_admin_b").delete(f"{photos_url(site)}?photo={photo.pk}").status_code == 404
    assert api_for("admin").post(photos_url(site), {"photos": [picture()]}).status_code == 201
    assert SitePhoto.objects.count() == 2


def test_the_public_reads_the_photos_of_public_sites_only(world, make_site):
    public, draft = make_site(), make_site(name="未发布基地", publish=False)
    services.add_photos(world.county_admin, public, [picture()])
    services.add_photos(world.county_admin, draft, [picture()])
    anonymous = APIClient()
    (row,) = anonymous.get(photos_url(public)).json()
    assert row["url"] == reverse("demonstration:public-photo", args=[row["id"]])
    assert anonymous.get(row["url"]).status_code == 200
    assert anonymous.get(photos_url(draft)).status_code == 404
    assert anonymous.post(photos_url(public), {"photos": [picture()]}).status_code in (401, 403)


def test_the_site_page_deletes_a_photo_and_chooses_the_cover(client_for, world, make_site):
    site = make_site()
    first, second = services.add_photos(world.county_admin, site, [picture(), picture()])
    client = client_for("county_admin")
    page = client.get(reverse("demonstration:site-detail", args=[site.pk])).content.decode()
    assert reverse("demonstration:photo-first", args=[second.pk]) in page
    assert reverse("demonstration:photo-first", args=[first.pk]) not in page  # already the cover
    assert client.post(reverse("demonstration:photo-first", args=[second.pk])).status_code == 302
    assert list(SitePhoto.gallery.of(site)) == [second, first]
    assert client.post(reverse("demonstration:photo-delete", args=[second.pk])).status_code == 302
    assert list(SitePhoto.gallery.of(site)) == [first]
    assert client_for("county_admin_b").post(reverse("demonstration:photo-first", args=[first.pk])).status_code == 404
    public_page = client.get(reverse("demonstration:public-detail", args=[site.pk])).content.decode()
    assert reverse("demonstration:public-photo", args=[first.pk]) in public_page
    assert reverse("demonstration:photo-delete", args=[first.pk]) not in public_page
