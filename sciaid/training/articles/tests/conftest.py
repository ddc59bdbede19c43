"""Articles of the test world, written and reviewed through the services as the county and its experts would."""

import pytest
from django.core.files.base import ContentFile

from sciaid.training.articles import services

#: The first bytes of an MP4 (an ISO base-media `ftyp` box) and of a WebM (EBML header with its doctype).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + b"\0" * 64
)
BODY = "<h2>水质管理</h2><p>河蟹养殖要定期换水，保持溶氧充足。</p><ul><li>每周换水一次</li><li>适时泼洒生石灰</li></ul>"


def video(content: bytes = MP4, name: str = "clip.mp4") -> ContentFile:
    return ContentFile(content, name)


@pytest.fixture
def write(world):
    """write(by="county_admin", title=…, **fields) → a draft written through the services (area: county A)."""

    def make(by="county_admin", *, title="河蟹养殖水质管理", area="county_a", **fields):
        fields.setdefault("body", BODY)
        return services.save_article(world.users[by], title=title, area=world.areas[area], **fields)

    return make


@pytest.fixture
def published(world, write):
    """published(by="county_admin", …) → an article written, submitted and published by the county's admin."""

    def make(by="county_admin", **fields):
        admin = world.users["county_admin_b" if fields.get("area") == "county_b" else "county_admin"]
        article = write(by, **fields)
        services.submit_article(world.users[by], article)
        return services.publish_article(admin, article)

    return make
