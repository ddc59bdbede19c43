"""The knowledge base's pages: authors write on the form, the county reviews with buttons, the public reads
published articles without login (and gets 404 for anything else), reads are counted, videos are served with
ranges for seeking, and the leaflet is an A4 PDF with the article's text."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from sciaid.core.publishing import PublicationStatus
from sciaid.training.articles import services
from sciaid.training.articles.choices import ArticleKind
from sciaid.training.articles.models import Article
from sciaid.training.articles.tests.conftest import MP4, video

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_an_expert_writes_on_the_form_and_submits(world, client_for):
    client = client_for("expert")
    form = page(client, reverse("training:article-create"))
    assert "&lt;h2&gt;" in form and world.county_a.code in form
    data = {
        "kind": "article",
        "title": "稻虾共作",
        "body": "<p onclick='x()'>稻田养虾</p>",
        "area": world.county_a.code,
    }
    response = client.post(reverse("training:article-create"), {**data, "title": ""})
    assert response.status_code == 200 and not Article.objects.exists()
    response = client.post(reverse("training:article-create"), {**data, "video": video(b"GIF89a" * 20, "a.mp4")})
    assert "Send an MP4 or WebM video." in response.content.decode() and not Article.objects.exists()
    response = client.post(reverse("training:article-create"), data)
    article = Article.objects.get()
    assert response.status_code == 302 and article.body == "<p>稻田养虾</p>"
    detail = page(client, article.get_absolute_url())
    assert 'id="do-submit"' in detail and 'id="do-publish"' not in detail
    client.post(reverse("training:article-action", args=[article.pk, "submit"]))
    assert Article.objects.get(pk=article.pk).status == PublicationStatus.IN_REVIEW
    assert client.get(reverse("training:article-edit", args=[article.pk])).status_code == 403


def test_the_county_reviews_with_buttons(world, client_for, write):
    article = write("expert")
    services.submit_article(world.expert, article)
    client = client_for("county_admin")
    detail = page(client, article.get_absolute_url())
    assert 'id="do-publish"' in detail and 'id="do-return"' in detail
    response = client.post(reverse("training:article-action", args=[article.pk, "return"]), {"note": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == PublicationStatus.IN_REVIEW
    client.post(reverse("training:article-action", args=[article.pk, "publish"]))
    assert Article.objects.get(pk=article.pk).status == PublicationStatus.PUBLISHED
    response = client.post(reverse("training:article-action", args=[article.pk, "publish"]), follow=True)
    assert "perhaps someone else just changed it" in response.content.decode()
    assert client.post(reverse("training:article-action", args=[article.pk, "nonsense"])).status_code == 404
    expert = client_for("expert")
    assert expert.post(reverse("training:article-action", args=[article.pk, "withdraw"])).status_code == 302
    assert Article.objects.get(pk=article.pk).status == PublicationStatus.PUBLISHED


def test_anonymous_visitors_read_published_articles_and_reads_count(world, published, write):
    article = published(tags="河蟹，水质 养殖", video_link="https://v.example.cn/crab")
    anonymous = Client()
    html = page(anonymous, article.get_absolute_url())
    assert "河蟹养殖要定期换水" in html and '<span class="tag">水质</span>' in html
    assert 'href="https://v.example.cn/crab"' in html and "<iframe" not in html
    assert reverse("training:article-leaflet", args=[article.pk]) in html
    page(anonymous, article.get_absolute_url())
    assert Article.objects.get(pk=article.pk).reads == 2
    draft = write()
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    assert Client().get(reverse("training:article-leaflet", args=[draft.pk])).status_code == 404
    assert Client().get(reverse("training:article-edit", args=[draft.pk])).status_code == 302  # login first


def test_drafts_are_not_found_outside_their_jurisdiction(world, client_for, write):
    draft = write()
    for persona in ("county_admin_b", "farmer", "outsider", "expert"):
        assert client_for(persona).get(draft.get_absolute_url()).status_code == 404, persona
    assert "河蟹养殖要定期换水" in page(client_for("county_admin"), draft.get_absolute_url())
    assert Article.objects.get(pk=draft.pk).reads == 0


def test_the_video_is_served_with_ranges(world, published, write):
    article = published(kind=ArticleKind.VIDEO, video=video())
    url = reverse("training:article-video", args=[article.pk])
    html = page(Client(), article.get_absolute_url())
    assert f'<video controls preload="none" src="{url}"' in html
    anonymous = Client()
    whole = anonymous.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == MP4
    part = anonymous.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert part["Content-Length"] == "8" and b"".join(part.streaming_content) == b"ftypmp42"
    assert part["Content-Type"] == "video/mp4"
    tail = anonymous.get(url, HTTP_RANGE="bytes=-4")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == MP4[-4:]
    bad = anonymous.get(url, HTTP_RANGE=f"bytes={len(MP4)}-")
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{len(MP4)}"
    assert anonymous.get(url, HTTP_RANGE="bytes=9-3").status_code == 416
    draft = write(kind=ArticleKind.VIDEO, video=video())
    assert anonymous.get(reverse("training:article-video", args=[draft.pk])).status_code == 404
    assert anonymous.get(reverse("training:article-cover", args=[article.pk])).status_code == 404  # no cover


def test_the_leaflet_is_an_a4_pdf_with_the_text(world, published):
    article = published(title="大棚蔬菜冬季管理")
    response = Client().get(reverse("training:article-leaflet", args=[article.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    info = poppler("pdfinfo", response.content)
    assert "(A4)" in info
    text = pdf_text(response.content)
    for words in ("大棚蔬菜冬季管理", "水质管理", "每周换水一次", "寿县"):
        assert words in text, words


def poppler(command: str, content: bytes) -> str:
    """What poppler-utils' `pdftotext` or `pdfinfo` make of a PDF (CI installs poppler-utils)."""
    done = subprocess.run(
        [command, "-", "-"] if command == "pdftotext" else [command, "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def pdf_text(content: bytes) -> str:
    return "".join(poppler("pdftotext", content).split())


def test_the_list_filters_and_keeps_its_query_count(world, client_for, write, published, django_assert_max_num_queries):
    published(title="水稻病虫害绿色防控")
    for n in range(6):
        write(title=f"草稿{n}", kind=ArticleKind.VIDEO, video_link="https://v.example.cn/x")
    client = client_for("county_admin")
    with django_assert_max_num_queries(12):
        html = page(client, reverse("training:article-list"))
    assert "水稻病虫害绿色防控" in html and "草稿5" in html
    html = page(client, reverse("training:article-list"), {"status": "published"})
    assert "水稻病虫害绿色防控" in html and "草稿5" not in html
    html = page(client, reverse("training:article-list"), {"kind": "video", "q": "草稿1"})
    assert "草稿1" in html and "水稻" not in html
    assert client_for("farmer").get(reverse("training:article-list")).status_code == 403
    assert reverse("training:article-list") in [item["url"] for item in client.get(reverse("home")).context["menu"]]
