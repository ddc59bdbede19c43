"""The knowledge base of the demo: 寿县's popular-science articles, written by the county and its expert, reviewed and
published through the services as they would be; one still in review, one draft, one withdrawn (outdated), and one
video article that links to a video on another site. Like the rest of the demo they belong to 2020: each is dated
a few weeks after the one before, from February."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.core.publishing import PublicationStatus
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area
from sciaid.training.articles import services
from sciaid.training.articles.choices import ArticleKind

SHOUXIAN = "340422000000"
#: The first article's publication, and the weeks between two.
FIRST_PUBLISHED = datetime(2020, 2, 10, 9)
EVERY = timedelta(weeks=3)


@dataclass(frozen=True)
class Piece:
    title: str
    category: str
    tags: str
    paragraphs: tuple[str, ...]
    author: str = "county_admin"
    state: str = PublicationStatus.PUBLISHED
    video_link: str = ""
    summary: str = ""


PIECES = (
    Piece(
        "河蟹养殖水质管理要点",
        "river-crabs",
        "河蟹 水质 溶氧",
        (
            "河蟹对水质要求较高，池塘溶氧应保持在每升5毫克以上。高温季节每7到10天换水一次，每次换水量不超过池水的"
            "三分之一，换水时注意进排水温差不超过3℃，避免河蟹应激。",
            "每半个月每亩泼洒生石灰10公斤左右，调节pH值在7.5到8.5之间；定期使用微生物制剂改良底质，减少氨氮和亚硝酸盐"
            "积累。水草覆盖率控制在50%到60%，过密时及时刈割，防止水草腐烂败坏水质。",
        ),
        author="expert",
    ),
    Piece(
        "水稻病虫害绿色防控技术",
        "plant-protection",
        "水稻 稻飞虱 绿色防控",
        (
            "水稻病虫害绿色防控以农业防治为基础，选用抗病品种，合理密植，科学肥水管理，减少纹枯病和稻瘟病发生。田埂种植"
            "芝麻、大豆等蜜源植物，保护和利用天敌控制稻飞虱、稻纵卷叶螟。",
            "在害虫成虫盛发期，每30到50亩设置一盏杀虫灯，配合性诱剂诱杀二化螟。确需用药时，应根据植保站发布的病虫情报，"
            "达到防治指标再用药，选用高效低毒农药，严格遵守安全间隔期。",
        ),
    ),
    Piece(
        "大棚蔬菜冬季管理",
        "vegetables",
        "大棚 蔬菜 保温",
        (
            "冬季大棚蔬菜管理的关键是保温增光。夜间在棚膜外加盖草帘或保温被，晴天上午太阳出来后及时揭开，下午盖帘时间以"
            "棚内温度降到18℃左右为宜。经常清扫棚膜上的灰尘，保持透光良好。",
            "冬季浇水应选择晴天上午进行，采用膜下滴灌，浇水后及时通风排湿，降低灰霉病、霜霉病的发生。遇到连续阴雪天气，"
            "中午也要短时间揭帘见光，并注意清扫积雪，防止压塌大棚。",
        ),
    ),
    Piece(
        "稻虾共作技术要点",
        "crayfish",
        "稻虾共作 小龙虾 综合种养",
        (
            "稻虾共作是在稻田中开挖环形沟养殖小龙虾，实现一水两用、一田双收。环沟宽3到4米、深1到1.5米，面积不超过稻田"
            "面积的10%，田埂加宽加固，进排水口安装防逃网。",
            "每年8到9月投放亲虾，每亩20到30公斤，或在3到4月投放幼虾，每亩6000到8000尾。水稻种植选用抗倒伏、抗病的"
            "品种，尽量少用或不用农药，确需用药时避开小龙虾，保证虾稻双安全。",
        ),
        author="expert",
    ),
    Piece(
        "茶叶修剪技术",
        "tea",
        "茶园 修剪 春茶",
        (
            "茶树修剪分为定型修剪、轻修剪、深修剪、重修剪和台刈。幼龄茶树一般进行三次定型修剪，培养健壮的骨干枝和宽大的"
            "树冠。成龄茶园每年春茶后进行一次轻修剪，剪去树冠面上3到5厘米的枝叶。",
            "树冠出现鸡爪枝、产量下降时，可进行深修剪，剪去10到15厘米。修剪后要加强肥培管理，及时防治病虫害，修剪下的"
            "枝叶可以留在行间覆盖，增加土壤有机质。",
        ),
    ),
    Piece(
        "生猪非洲猪瘟防控措施",
        "pigs",
        "生猪 非洲猪瘟 生物安全",
        (
            "非洲猪瘟目前没有疫苗，防控关键在于生物安全。养殖场要实行封闭管理，严禁外来人员和车辆进入，人员进场必须洗澡"
            "更衣，车辆、物品经过严格消毒。禁止使用餐厨剩余物喂猪。",
            "发现生猪出现高热、食欲废绝、皮肤发红发紫、突然死亡等情况，要立即向当地畜牧兽医部门报告，不得隐瞒、私自处理"
            "或出售病死猪。引进仔猪必须来自无疫区并经过检疫。",
        ),
    ),
    Piece(
        "林下土鸡养殖管理",
        "poultry",
        "林下养鸡 土鸡 防疫",
        (
            "林下养鸡应选择地势高燥、排水良好、远离村庄和交通要道的林地，每亩放养量控制在100只以内，实行轮牧，避免植被"
            "破坏。鸡舍坐北朝南，保持通风干燥。",
            "雏鸡脱温后再放养，放养初期每天补饲，逐步减少补饲量。按免疫程序接种新城疫、禽流感等疫苗，定期驱虫，雨季注意"
            "防止球虫病。",
        ),
    ),
    Piece(
        "食用菌代料栽培",
        "edible-fungi",
        "香菇 平菇 代料栽培",
        (
            "代料栽培是利用木屑、棉籽壳、玉米芯等农林副产品配制培养料栽培食用菌。培养料要求新鲜、无霉变，按配方加水拌匀，"
            "含水量控制在60%左右，装袋后及时灭菌。",
            "接种要在无菌条件下进行，发菌期温度保持在22到25℃，避光培养，注意通风。出菇期增加湿度和散射光，拉大温差刺激"
            "出菇，每潮菇采收后停水养菌5到7天。",
        ),
    ),
    Piece(
        "农药科学安全使用",
        "plant-protection",
        "农药 安全间隔期 防护",
        (
            "购买农药要到有经营许可证的门店，查看农药登记证号，索要购药凭证。使用前仔细阅读标签，按照推荐剂量配药，不得"
            "随意加大用量或混用。",
            "施药时穿戴防护服、口罩和手套，不要在大风、高温天气施药，施药后及时洗手洗脸。农药包装废弃物要集中回收，不得"
            "随意丢弃在田间沟渠。",
        ),
        state=PublicationStatus.IN_REVIEW,
        author="expert",
    ),
    Piece(
        "果树冬季清园",
        "fruit-trees",
        "果树 清园 石硫合剂",
        (
            "落叶后至萌芽前是果树清园的关键时期。清扫落叶、病果、病枝，集中带出果园处理，刮除树干老翘皮，减少越冬病虫基数。",
            "萌芽前全园喷施一次3到5波美度石硫合剂，树干涂白防冻防虫。",
        ),
        state=PublicationStatus.DRAFT,
    ),
    Piece(
        "2019年小麦赤霉病防治意见",
        "grain",
        "小麦 赤霉病",
        (
            "小麦抽穗扬花期遇连阴雨，赤霉病易流行。见花打药，选用氰烯菌酯、戊唑醇等药剂，间隔5到7天再防治一次。",
            "本意见适用于2019年，新一年的防治意见请以县植保站最新发布为准。",
        ),
        state=PublicationStatus.WITHDRAWN,
    ),
    Piece(
        "视频：小龙虾苗种投放",
        "crayfish",
        "小龙虾 苗种 视频",
        (
            "本视频由县水产技术推广站拍摄，演示小龙虾苗种的选择、运输和投放方法，时长约8分钟。",
            "投放前先将虾苗在池水中浸泡1到2分钟，提起搁置几分钟，重复两三次，使虾苗适应水温后再分散投放。",
        ),
        video_link="https://www.example.cn/videos/crayfish-stocking",
        summary="县水产技术推广站拍摄的苗种投放演示视频",
    ),
)


def body_of(piece: Piece) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in piece.paragraphs)


def build_articles(areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Write, review and publish 寿县's articles; returns how many were written."""
    county = areas[SHOUXIAN]
    admin = users["county_admin"]
    categories = {s.code: s for s in Specialty.objects.filter(code__in={piece.category for piece in PIECES})}
    counts: Counter[str] = Counter()
    for number, piece in enumerate(PIECES):
        author = users[piece.author]
        article = services.save_article(
            author,
            kind=ArticleKind.VIDEO if piece.video_link else ArticleKind.ARTICLE,
            title=piece.title,
            summary=piece.summary,
            body=body_of(piece),
            category=categories.get(piece.category),
            tags=piece.tags,
            video_link=piece.video_link,
            area=county,
        )
        counts["articles"] += 1
        if piece.state == PublicationStatus.DRAFT:
            continue
        services.submit_article(author, article)
        if piece.state == PublicationStatus.IN_REVIEW:
            continue
        services.publish_article(admin, article)
        # The services date a publication now; the demo's county published these in 2020.
        type(article).objects.filter(pk=article.pk).update(
            published_at=timezone.make_aware(FIRST_PUBLISHED + number * EVERY)
        )
        if piece.state == PublicationStatus.WITHDRAWN:
            services.withdraw_article(admin, article, "已过时")
    return counts
