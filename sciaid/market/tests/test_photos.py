"""Product photos as each role meets them: the gallery's checks (re-encoded without EXIF, a PDF renamed .jpg, too big,
one too many), who may add and remove, another county's product, the API route and the pages."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from sciaid.core.models import ObjectChange
from sciaid.core.tests.pictures import GPS_INFO, MAKE, pdf_named_jpg, picture, too_big
from sciaid.market import services
from sciaid.market.choices import ProductStatus
from sciaid.market.models import Product, ProductPhoto

pytestmark = pytest.mark.django_db
LIMIT = ProductPhoto.gallery.max_photos


def stored_picture(photo: ProductPhoto) -> Image.Image:
    with photo.image.open("rb") as content:
        image = Image.open(io.BytesIO(content.read()))
        image.load()
    return image


def photos_url(product) -> str:
    return reverse("product-photos", args=[product.pk])


# --- the gallery ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_photo_is_stored_as_a_jpeg_under_a_random_name_without_exif(world, market, kind):
    upload = picture(f"我的照片.{kind.lower()}", kind=kind, exif=kind == "JPEG")
    if kind == "JPEG":
        assert MAKE in Image.open(io.BytesIO(upload.read())).getexif()
        upload.seek(0)
    (photo,) = services.add_product_photos(world.applicant, market.rice, [upload], caption="新米")
    name = photo.image.name
    assert name.startswith(f"market/products/{market.rice.pk}/") and name.endswith(".jpg") and "照片" not in name
    stored = stored_picture(photo)
    assert stored.format == "JPEG" and (photo.width, photo.height) == stored.size == (40, 30)
    exif = stored.getexif()
    assert MAKE not in exif and GPS_INFO not in exif
    assert photo.caption == "新米" and photo.position == 0
    created = ObjectChange.objects.get(content_type__model="productphoto", object_id=str(photo.pk))
    assert created.action == "create" and created.user == world.applicant and "image" not in created.after


def test_a_pdf_renamed_jpg_and_a_too_large_file_are_refused_and_nothing_is_kept(world, market):
    for upload in (pdf_named_jpg(), too_big(ProductPhoto.gallery.max_bytes)):
        with pytest.raises(ValidationError) as refused:
            services.add_product_photos(world.applicant, market.rice, [picture(), upload])
        assert list(refused.value.message_dict) == ["photos"]
    assert not ProductPhoto.objects.exists()


def test_one_photo_too_many_is_refused(world, market):
    services.add_product_photos(world.applicant, market.rice, [picture() for _ in range(LIMIT - 1)])
    with pytest.raises(ValidationError, match=str(LIMIT)):
        services.add_product_photos(world.applicant, market.rice, [picture(), picture()])
    services.add_product_photos(world.applicant, market.rice, [picture()])
    positions = list(ProductPhoto.objects.filter(product=market.rice).values_list("position", flat=True))
    assert positions == list(range(LIMIT))


@pytest.mark.parametrize("persona", ["buyer", "supervisor", "farmer", "county_admin_b"])
def test_who_does_not_run_the_product_may_not_add_or_remove_photos(world, market, persona):
    (photo,) = services.add_product_photos(world.applicant, market.rice, [picture()])
    with pytest.raises(PermissionDenied):
        services.add_product_photos(world.users[persona], market.rice, [picture()])
    with pytest.raises(PermissionDenied):
        services.remove_product_photo(world.users[persona], photo)
    assert ProductPhoto.objects.count() == 1


def test_new_photos_send_a_listed_product_back_to_review_and_the_county_lists_it_again(world, market):
    services.add_product_photos(world.applicant, market.rice, [picture()])
    assert Product.objects.get(pk=market.rice.pk).status == ProductStatus.PENDING
    services.review_product(world.county_admin, market.rice, approve=True)
    services.add_product_photos(world.applicant, market.rice, [picture()])
    assert Product.objects.get(pk=market.rice.pk).status == ProductStatus.PENDING


def test_the_cover_can_be_chosen_and_removing_it_uncovers_the_next(world, market):
    first, second, third = services.add_product_photos(world.applicant, market.rice, [picture() for _ in range(3)])
    services.put_product_photo_first(world.applicant, third)
    assert list(ProductPhoto.gallery.of(market.rice)) == [third, first, second]
    services.remove_product_photo(world.applicant, third)
    assert list(ProductPhoto.gallery.of(market.rice)) == [first, second]


def test_a_removed_photos_file_goes_when_the_removal_commits(world, market, django_capture_on_commit_callbacks):
    (photo,) = services.add_product_photos(world.applicant, market.rice, [picture()])
    storage, name = photo.image.storage, photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_product_photo(world.county_admin, photo)
    assert not storage.exists(name)
    assert ObjectChange.objects.filter(content_type__model="productphoto", action="delete").count() == 1


# --- API ------------------------------------------------------------------------------------------------------------


def test_the_supplier_uploads_lists_and_deletes_photos_through_the_api(api_for, market):
    api = api_for("applicant")
    response = api.post(photos_url(market.rice), {"photos": [picture(), picture("b.jpg", kind="JPEG")]})
    assert response.status_code == 201, response.content
    added = response.json()
    assert [row["position"] for row in added] == [0, 1]
    assert added[0]["url"] == reverse("market:photo", args=[added[0]["id"]])
    detail = api.get(reverse("product-detail", args=[market.rice.pk])).json()
    assert [row["id"] for row in detail["photos"]] == [row["id"] for row in added]
    assert api.delete(f"{photos_url(market.rice)}?photo={added[0]['id']}").status_code == 204
    assert [row["id"] for row in api.get(photos_url(market.rice)).json()] == [added[1]["id"]]


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [(pdf_named_jpg, "picture"), (lambda: too_big(ProductPhoto.gallery.max_bytes), "MB")],
)
def test_a_bad_upload_is_a_structured_400(api_for, english, market, upload, fragment):
    response = api_for("applicant").post(photos_url(market.rice), {"photos": [upload()]})
    assert response.status_code == 400
    (message,) = response.json()["photos"]
    assert fragment in message
    assert not ProductPhoto.objects.exists()


def test_one_too_many_through_the_api_is_a_400(api_for, english, market):
    api = api_for("applicant")
    assert api.post(photos_url(market.rice), {"photos": [picture() for _ in range(LIMIT)]}).status_code == 201
    response = api.post(photos_url(market.rice), {"photos": [picture()]})
    assert response.status_code == 400
    assert response.json() == {"photos": [f"At most {LIMIT} photos are kept ({LIMIT} already)."]}


def test_api_refusals_by_role_and_county(api_for, world, market):
    (photo,) = services.add_product_photos(world.applicant, market.rice, [picture()])
    services.review_product(world.county_admin, market.rice, approve=True)
    # A buyer sees the product on sale and its photos, but changes nothing.
    assert api_for("buyer").get(photos_url(market.rice)).status_code == 200
    assert api_for("buyer").post(photos_url(market.rice), {"photos": [picture()]}).status_code == 403
    assert api_for("buyer").delete(f"{photos_url(market.rice)}?photo={photo.pk}").status_code == 403
    # Another county's admin does not see the product at all.
    assert api_for("county_admin_b").get(photos_url(market.rice)).status_code == 404
    assert api_for("county_admin_b").post(photos_url(market.rice), {"photos": [picture()]}).status_code == 404
    assert api_for("county_admin_b").delete(f"{photos_url(market.rice)}?photo={photo.pk}").status_code == 404
    # A photo of another product, or no photo named, is not this product's to delete.
    api = api_for("applicant")
    assert api.delete(f"{photos_url(market.eggs)}?photo={photo.pk}").status_code == 404
    assert api.delete(photos_url(market.rice)).status_code == 400
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_deleting_a_product_stays_refused_beside_its_photos_route(api_for, market):
    assert api_for("county_admin").delete(reverse("product-detail", args=[market.rice.pk])).status_code == 405


# --- pages ----------------------------------------------------------------------------------------------------------


def test_the_catalogue_shows_each_products_first_photo_with_flat_queries(
    client, world, market, django_assert_max_num_queries
):
    first, _second = services.add_product_photos(world.county_admin, market.rice, [picture(), picture()])
    services.add_product_photos(world.county_admin, market.eggs, [picture()])
    for product in (market.rice, market.eggs):
        services.review_product(world.county_admin, product, approve=True)
    with django_assert_max_num_queries(6) as captured:
        page = client.get(reverse("market:catalogue")).content.decode()
    assert reverse("market:photo", args=[first.pk]) in page
    assert reverse("market:photo", args=[_second.pk]) not in page
    queries = len(captured.captured_queries)
    for index in range(4):
        extra = services.save_product(
            world.county_admin, market.supplier, name=f"新品{index}", category="other", unit="件", price="9", stock=5
        )
        services.add_product_photos(world.county_admin, extra, [picture()])
        services.review_product(world.county_admin, extra, approve=True)
    with django_assert_max_num_queries(queries):
        assert client.get(reverse("market:catalogue")).status_code == 200


def test_a_photo_is_public_while_its_product_is_on_sale(client, world, market, client_for):
    (photo,) = services.add_product_photos(world.applicant, market.rice, [picture()])
    url = reverse("market:photo", args=[photo.pk])
    assert client.get(url).status_code == 404  # waiting for review: not for visitors
    assert client_for("applicant").get(url).status_code == 200
    assert client_for("county_admin_b").get(url).status_code == 404
    services.review_product(world.county_admin, market.rice, approve=True)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_product_form_uploads_several_photos_and_the_page_shows_them(client_for, world, market):
    client = client_for("applicant")
    data = {"name": "富硒大米", "category": "grain_oil", "unit": "袋", "price": "50.00", "stock": 10}
    response = client.post(
        reverse("market:product-edit", args=[market.rice.pk]), {**data, "photos": [picture(), picture()]}
    )
    assert response.status_code == 302
    photos = list(ProductPhoto.gallery.of(market.rice))
    assert len(photos) == 2
    page = client.get(reverse("market:product-detail", args=[market.rice.pk])).content.decode()
    assert all(reverse("market:photo", args=[photo.pk]) in page for photo in photos)
    assert reverse("market:photo-delete", args=[photos[0].pk]) in page
    assert reverse("market:photo-first", args=[photos[1].pk]) in page
    refused = client.post(reverse("market:product-edit", args=[market.rice.pk]), {**data, "photos": [pdf_named_jpg()]})
    assert refused.status_code == 200 and refused.context["form"].errors["photos"]


def test_the_page_buttons_remove_a_photo_and_choose_the_cover(client_for, world, market):
    first, second = services.add_product_photos(world.applicant, market.rice, [picture(), picture()])
    client = client_for("applicant")
    assert client.post(reverse("market:photo-first", args=[second.pk])).status_code == 302
    assert list(ProductPhoto.gallery.of(market.rice)) == [second, first]
    assert client.post(reverse("market:photo-delete", args=[second.pk])).status_code == 302
    assert list(ProductPhoto.gallery.of(market.rice)) == [first]
    buyer_page = client_for("supervisor").get(reverse("market:product-detail", args=[market.rice.pk]))
    assert reverse("market:photo-delete", args=[first.pk]) not in buyer_page.content.decode()
    assert client_for("supervisor").post(reverse("market:photo-delete", args=[first.pk])).status_code == 403
    assert client_for("county_admin_b").post(reverse("market:photo-delete", args=[first.pk])).status_code == 404
