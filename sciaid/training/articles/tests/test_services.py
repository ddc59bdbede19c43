"""The knowledge base's rules: who writes, submits, returns, publishes and withdraws what; the body sanitised and the
search columns kept; reads counted in the database; videos and covers checked by their content."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from sciaid.core.models import Notification, ObjectChange
from sciaid.core.publishing import PublicationStatus
from sciaid.core.states import TransitionRefused
from sciaid.training.articles import services
from sciaid.training.articles.choices import ArticleKind
from sciaid.training.articles.models import Article
from sciaid.training.articles.tests.conftest import MP4, WEBM, video

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def image(fmt: str = "PNG") -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, fmt)
    return ContentFile(out.getvalue(), "any.name")


def test_an_expert_writes_submits_and_the_county_publishes(world, write):
    article = write("expert")
    assert (article.status, article.author, article.area) == (PublicationStatus.DRAFT, world.expert, world.county_a)
    services.submit_article(world.expert, article)
    assert Notification.objects.filter(recipient=world.county_admin, kind="article.submitted").exists()
    with pytest.raises(TransitionRefused):
        services.publish_article(world.expert, article)
    services.publish_article(world.county_admin, article)
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED and article.published_at is not None
    assert Notification.objects.filter(recipient=world.expert, kind="article.published").exists()
    assert ObjectChange.objects.filter(object_id=article.pk, note="publish").exists()


def test_the_county_returns_with_a_note_and_the_author_corrects(world, write):
    article = write("expert")
    services.submit_article(world.expert, article)
    with pytest.raises(ValidationError):
        services.return_article(world.county_admin, article, " ")
    with pytest.raises(ValidationError):  # in review, the expert may no longer change it
        services.save_article(world.expert, instance=article, title="改")
    services.return_article(world.county_admin, article, "请补充用药剂量")
    article.refresh_from_db()
    assert (article.status, article.review_note) == (PublicationStatus.DRAFT, "请补充用药剂量")
    assert Notification.objects.get(recipient=world.expert, kind="article.returned").body == "请补充用药剂量"
    services.save_article(world.expert, instance=article, title="河蟹养殖水质管理（修订）")
    services.submit_article(world.expert, article)
    assert Article.objects.get(pk=article.pk).review_note == ""


def test_withdrawn_articles_may_be_corrected_and_republished(world, published):
    article = published()
    with pytest.raises(ValidationError):  # a published article is withdrawn before it changes
        services.save_article(world.county_admin, instance=article, title="新标题")
    services.withdraw_article(world.county_admin, article)
    services.save_article(world.county_admin, instance=article, title="新标题")
    services.publish_article(world.county_admin, article)
    assert Article.objects.get(pk=article.pk).status == PublicationStatus.PUBLISHED


@pytest.mark.parametrize("persona", ["info_officer", "farmer", "supervisor", "county_admin_b", "outsider"])
def test_others_may_not_write_for_county_a(world, persona):
    with pytest.raises(ValidationError):
        services.save_article(world.users[persona], title="稻虾共作", area=world.county_a)


def test_experts_see_only_their_own_drafts_and_cannot_review(world, write):
    colleague = write("county_admin")
    own = write("expert", title="茶叶修剪")
    assert list(Article.objects.for_user(world.expert)) == [own]
    with pytest.raises(PermissionDenied):
        services.save_article(world.expert, instance=colleague, title="改")
    services.submit_article(world.county_admin, colleague)
    with pytest.raises(TransitionRefused):
        services.return_article(world.expert, colleague, "no")


def test_another_county_cannot_touch_the_article(world, write):
    article = write()
    services.submit_article(world.county_admin, article)
    with pytest.raises(TransitionRefused):
        services.publish_article(world.county_admin_b, article)
    with pytest.raises(PermissionDenied):
        services.save_article(world.county_admin_b, instance=article, title="改")


def test_published_articles_are_read_across_the_province(world, published, write):
    article = published()
    draft = write()
    for persona in ("farmer", "info_officer_b", "county_admin_b"):
        visible = set(Article.objects.for_user(world.users[persona]))
        assert article in visible and draft not in visible
    assert set(Article.objects.readable_by(world.outsider)) == {article}


def test_the_body_is_sanitised_and_indexed(world, write):
    article = write(
        title="水稻病虫害绿色防控",
        tags="水稻 绿色防控",
        body='<p onclick="steal()">稻飞虱<script>alert(1)</script><a href="javascript:alert(1)">看</a></p>',
    )
    assert "script" not in article.body and "onclick" not in article.body and "javascript" not in article.body
    assert "稻飞虱" in article.body
    words = article.words.split()
    assert {"水稻", "稻飞虱", "防控"} <= set(words)
    assert article.title_pinyin == "shuidaobingchonghailvsefangkong sdbchlsfk"


def test_reads_are_counted_in_the_database(world, published, write):
    article = published()
    stale = Article.objects.get(pk=article.pk)
    services.record_read(article)
    services.record_read(stale)  # a stale copy still adds one: the increment happens in SQL
    draft = write()
    services.record_read(draft)
    assert Article.objects.get(pk=article.pk).reads == 2
    assert Article.objects.get(pk=draft.pk).reads == 0


def test_videos_are_checked_by_their_content(world, write, settings):
    assert write(kind=ArticleKind.VIDEO, video=video()).video.name.endswith(".mp4")
    assert write(kind=ArticleKind.VIDEO, video=video(WEBM, "x.mp4")).video.name.endswith(".webm")
    with pytest.raises(ValidationError) as refused:
        write(video=video(b"MZ\x90\x00 not a video" * 10, "virus.mp4"))
    assert refused.value.message_dict["video"] == ["Send an MP4 or WebM video."]
    settings.ARTICLE_VIDEO_MAX_MB = 1
    with pytest.raises(ValidationError) as refused:
        write(video=video(MP4 + b"\0" * (1024 * 1024)))
    assert "at most 1.0" in refused.value.message_dict["video"][0]
    with pytest.raises(ValidationError):  # a video article needs a file or a link
        write(kind=ArticleKind.VIDEO)
    assert write(kind=ArticleKind.VIDEO, video_link="https://v.example.cn/1").video_link


def test_covers_must_be_real_images(world, write):
    assert write(cover=image("JPEG")).cover.name.endswith(".jpg")
    assert write(cover=image("WEBP")).cover.name.endswith(".webp")
    with pytest.raises(ValidationError) as refused:
        write(cover=ContentFile(b"\x89PNG\r\n\x1a\n broken", "a.png"))
    assert refused.value.message_dict["cover"] == ["Send a JPEG, PNG or WebP image."]
    with pytest.raises(ValidationError):
        write(cover=image("GIF"))


def test_only_drafts_are_deleted(world, write, published):
    draft = write()
    services.delete_article(world.county_admin, draft)
    assert not Article.objects.filter(pk=draft.pk).exists()
    with pytest.raises(TransitionRefused):
        services.delete_article(world.county_admin, published())
