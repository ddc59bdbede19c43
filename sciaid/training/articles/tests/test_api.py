"""The articles API per role: authors write (JSON or multipart with a video), the county reviews through the
actions, a bad video is a structured 400, another county's draft is a 404, the list keeps its query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciaid.training.articles import services
from sciaid.training.articles.models import Article
from sciaid.training.articles.tests.conftest import video

pytestmark = pytest.mark.django_db
ARTICLES = "/api/v1/articles/"


def draft(world, **overrides) -> dict:
    return {
        "title": "生猪非洲猪瘟防控",
        "body": "<p>严格消毒<script>x()</script></p>",
        "area": world.county_a.code,
        **overrides,
    }


def test_an_expert_writes_and_the_county_publishes_through_the_api(world, api_for):
    expert = api_for("expert")
    created = expert.post(ARTICLES, draft(world, category="pigs"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["body"], body["category"]) == ("draft", "<p>严格消毒</p>", "pigs")
    pk = body["id"]
    assert expert.post(f"{ARTICLES}{pk}/submit/").json()["status"] == "in_review"
    assert expert.post(f"{ARTICLES}{pk}/publish/").status_code == 409
    admin = api_for("county_admin")
    returned = admin.post(f"{ARTICLES}{pk}/return/", {}, format="json")
    assert returned.status_code == 400 and "note" in returned.json()
    returned = admin.post(f"{ARTICLES}{pk}/return/", {"note": "补充消毒剂用量"}, format="json")
    assert (returned.json()["status"], returned.json()["review_note"]) == ("draft", "补充消毒剂用量")
    assert expert.patch(f"{ARTICLES}{pk}/", {"summary": "消毒要点"}, format="json").status_code == 200
    expert.post(f"{ARTICLES}{pk}/submit/")
    published = admin.post(f"{ARTICLES}{pk}/publish/")
    assert published.status_code == 200 and published.json()["published_at"]
    assert admin.post(f"{ARTICLES}{pk}/withdraw/").json()["status"] == "withdrawn"


def test_a_video_is_uploaded_as_multipart_and_a_bad_one_is_a_400(world, api_for, settings):
    client = api_for("county_admin")
    created = client.post(ARTICLES, {**draft(world, kind="video"), "video": video()}, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["video_url"].endswith(f"/training/articles/{created.json()['id']}/video/")
    refused = client.post(ARTICLES, {**draft(world), "video": video(b"%PDF-1.4 " * 20, "a.mp4")}, format="multipart")
    assert refused.status_code == 400 and refused.json() == {"video": ["Send an MP4 or WebM video."]}
    settings.ARTICLE_VIDEO_MAX_MB = 1
    too_big = client.post(ARTICLES, {**draft(world), "video": video(b"\0" * (1024 * 1024 + 1))}, format="multipart")
    assert too_big.status_code == 400 and "video" in too_big.json()
    cover = client.post(ARTICLES, {**draft(world), "cover": video(b"not an image", "c.png")}, format="multipart")
    assert cover.status_code == 400 and "cover" in cover.json()
    assert Article.objects.count() == 1


@pytest.mark.parametrize("persona", ["farmer", "info_officer", "supervisor", "outsider"])
def test_readers_cannot_write(world, api_for, persona):
    assert api_for(persona).post(ARTICLES, draft(world), format="json").status_code == 403


def test_another_county_gets_404_and_reads_only_what_is_published(world, api_for):
    admin = world.county_admin
    hidden = services.save_article(admin, title="草稿", body="<p>x</p>", area=world.county_a)
    shown = services.save_article(admin, title="稻虾共作", body="<p>x</p>", area=world.county_a)
    services.submit_article(admin, shown)
    services.publish_article(admin, shown)
    other = api_for("county_admin_b")
    assert other.get(f"{ARTICLES}{hidden.pk}/").status_code == 404
    assert other.patch(f"{ARTICLES}{hidden.pk}/", {"title": "改"}, format="json").status_code == 404
    assert other.post(f"{ARTICLES}{hidden.pk}/submit/").status_code == 404
    assert [row["id"] for row in other.get(ARTICLES).json()["results"]] == [shown.pk]
    assert other.patch(f"{ARTICLES}{shown.pk}/", {"title": "改"}, format="json").status_code == 403
    assert other.post(f"{ARTICLES}{shown.pk}/withdraw/").status_code == 403
    wrong_area = api_for("county_admin").post(ARTICLES, draft(world, area=world.county_b.code), format="json")
    assert wrong_area.status_code == 400


def test_the_list_keeps_its_query_count(world, api_for):
    client = api_for("county_admin")
    for n in range(2):
        client.post(ARTICLES, draft(world, title=f"文章{n}", category="pigs"), format="json")
    with CaptureQueriesContext(connection) as few:
        client.get(ARTICLES)
    for n in range(2, 8):
        client.post(ARTICLES, draft(world, title=f"文章{n}", category="pigs"), format="json")
    with CaptureQueriesContext(connection) as many:
        rows = client.get(ARTICLES).json()["results"]
    assert len(rows) == 8 and len(many) == len(few)
