"""Reading other pages: queries from a product, the same-product check, articles' kind and sponsorship."""

from __future__ import annotations

import pytest

from scrapers.types import Offer, Product
from server.analysis.prices import price_section
from server.sources.offers import same_product
from server.sources.pages import canonical_key, read_article
from server.sources.queries import mention_query, model_of, offer_queries, product_tokens

HEADPHONES = Product(
    name="Sonara QuietPro 700 Wireless Noise Cancelling Headphones, Midnight Black",
    brand="Sonara",
    gtin="842075613316",
    mpn="QP700-BLK",
)


@pytest.mark.parametrize(
    ("name", "brand", "model"),
    [
        (
            "Sonara QuietPro 700 Wireless Noise Cancelling Headphones, Midnight Black",
            "Sonara",
            "QuietPro 700",
        ),
        ("Ardenza Sorrento Pro – Macchina da caffè espresso con gruppo E61", "Ardenza", "Sorrento Pro"),
        ("Apple iPhone 15 Pro 128 GB", "Apple", "iPhone 15 Pro"),
        ("De'Longhi Dedica EC685.M", "De'Longhi", "Dedica EC685.M"),
        ("Kettle", None, None),  # a kind of thing, no model
    ],
)
def test_model_is_read_from_the_name(name, brand, model):
    assert model_of(Product(name=name, brand=brand)) == model


def test_queries_name_brand_model_and_the_review_word_in_the_shoppers_language():
    assert mention_query(HEADPHONES, "en") == "Sonara QuietPro 700 review"
    assert mention_query(HEADPHONES, "it") == "Sonara QuietPro 700 recensione"
    assert mention_query(HEADPHONES, "fr") == "Sonara QuietPro 700 test avis"
    assert offer_queries(HEADPHONES) == ["842075613316", "Sonara QP700-BLK", HEADPHONES.name]
    assert product_tokens(HEADPHONES) == ["sonara", "quietpro", "700"]


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (Product(name="Totally different title", gtin="0842075613316"), True),  # GTIN-12 vs GTIN-13
        (Product(name="Sonara QuietPro 700", gtin="842075613323"), False),
        (Product(name="QuietPro headphones", brand="Sonara", mpn="qp700-blk"), True),
        (Product(name="Sonara QuietPro 700 Noise Cancelling Headphones Black", brand="Sonara"), True),
        (Product(name="Sonara QuietPro 700 Headphones", brand="Sonara"), True),
        (Product(name="QuietPro 700 by Sonara - wireless ANC headphones (black)", brand="Sonara"), True),
        (Product(name="Sonara QuietPro 700 Earbuds Travel Case", brand="Sonara"), False),
        (Product(name="Sonara SoundBar 700 Wireless Speaker, Midnight Black", brand="Sonara"), False),
        (
            Product(
                name="Sonara QuietPro 500 Wireless Noise Cancelling Headphones, Midnight Black",
                brand="Sonara",
            ),
            False,
        ),
        (Product(name="Sonara QuietPro 700 Wireless Noise Cancelling Headphones", brand="Aurora"), False),
    ],
)
def test_same_product_needs_an_identifier_or_brand_model_and_title(other, same):
    mine = Product(
        name=HEADPHONES.name,
        brand="Sonara",
        gtin=None if other.gtin is None else HEADPHONES.gtin,
        mpn=None if other.mpn is None else HEADPHONES.mpn,
    )
    assert same_product(mine, other) is same


def test_cheapest_comparable_offer_includes_shipping_and_skips_out_of_stock():
    current = Offer(seller="A", price="249.99", currency="USD", shipping="0.00", availability="in_stock")
    others = [
        Offer(seller="B", price="229.00", currency="USD", shipping="5.99", availability="in_stock"),
        Offer(seller="C", price="239.50", currency="USD", availability="in_stock"),
        Offer(seller="D", price="199.00", currency="USD", availability="out_of_stock"),
        Offer(seller="E", price="180.00", currency="EUR", availability="in_stock"),
    ]
    price = price_section([current, *others], [])
    assert price["lowest"]["seller"] == "B"
    assert price["saving"] == {"amount": "15.00", "currency": "USD", "percent": "6"}


def test_no_cheaper_offer_means_no_saving():
    current = Offer(price="10.00", currency="EUR", availability="in_stock")
    price = price_section([current, Offer(price="12.00", currency="EUR", availability="in_stock")], [])
    assert price["lowest"]["price"] == "10.00" and price["saving"] is None


ARTICLE = """<html lang="{lang}"><head><title>{title}</title><link rel="canonical" href="/review/qp700">
{head}</head><body><nav>Home · Reviews · Deals</nav><article><h1>{title}</h1>
<p>{body}</p>
<p>The Sonara QuietPro 700 is comfortable for long flights and the noise cancelling is superb.</p>
<p>Battery life could be better, but the sound is clear and full.</p></article>
<aside>Popular: best kettles of 2025</aside><footer>© Blog</footer></body></html>"""


def article(
    body: str = "I used them for a month.", head: str = "", lang: str = "en", title: str = "QP700 review"
):
    return ARTICLE.format(body=body, head=head, lang=lang, title=title)


def test_article_text_kind_and_canonical_url():
    page = read_article("https://audioblog.test/review/qp700?utm_source=x", article())
    assert page.canonical_url == "https://audioblog.test/review/qp700"
    assert "noise cancelling is superb" in page.text and "Popular" not in page.text
    assert (page.kind, page.sponsored, page.language) == ("blog", False, "en")
    assert canonical_key("https://A.test/x/?q=1#f") == canonical_key("https://a.test/x")


@pytest.mark.parametrize(
    ("body", "head", "url", "kind"),
    [
        (
            "",
            '<script type="application/ld+json">{"@type": "VideoObject", "name": "x"}</script>',
            "https://videos.test/watch?v=1",
            "video",
        ),
        (
            "",
            '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>',
            "https://talk.test/t/1",
            "forum",
        ),
        ("", "", "https://headfi-forum.test/threads/qp700.1/", "forum"),
        (
            "",
            '<script type="application/ld+json">{"@type": "NewsArticle"}</script>',
            "https://t.test/a",
            "news",
        ),
    ],
)
def test_kind_of_page(body, head, url, kind):
    assert read_article(url, article(body, head)).kind == kind


@pytest.mark.parametrize(
    "body",
    [
        'Buy it <a href="https://www.amazon.com/dp/B0X?tag=deals0a-20">here</a>.',
        'Buy it <a rel="sponsored nofollow" href="https://shop.test/x">here</a>.',
        "This post contains affiliate links: we may earn a commission.",
        "Questo articolo contiene link affiliati.",
        "Cet article contient des liens affiliés.",
    ],
)
def test_sponsored_and_affiliate_content_is_flagged(body):
    assert read_article("https://deals.test/qp700", article(body)).sponsored is True


@pytest.mark.parametrize(
    "body",
    [
        "Sonara lent us a sample. We do not use affiliate links.",
        "Questo articolo non contiene link affiliati né contenuti sponsorizzati.",
        "Cet article ne contient aucun lien affilié.",
    ],
)
def test_a_disclosure_that_denies_affiliation_is_not_a_flag(body):
    assert read_article("https://blog.test/qp700", article(body)).sponsored is False


@pytest.mark.parametrize(
    "body",
    [
        "We never lie to our readers. This post contains affiliate links.",
        "Never mind the weather outside this week, the post below has affiliate links in it.",
        "We do not use affiliate links on the site. Except here: this is a sponsored post.",
    ],
)
def test_a_denial_elsewhere_does_not_cancel_a_disclosure(body):
    assert read_article("https://blog.test/qp700", article(body)).sponsored is True


def test_page_with_no_text_is_not_an_article():
    assert read_article("https://x.test/", "<html><body></body></html>") is None


YOUTUBE_AUTHOR = (
    '<span itemprop="author" itemscope itemtype="http://schema.org/Person">'
    '<link itemprop="url" href="http://www.youtube.com/@gearbench">'
    '<link itemprop="name" content="Gear Bench">'
    "</span>"
)


@pytest.mark.parametrize(
    ("head", "channel"),
    [
        (  # VideoObject's author, as video sites write it
            '<script type="application/ld+json">{"@type": "VideoObject", "name": "QP700",'
            ' "author": {"@type": "Person", "name": "Gear Bench"}}</script>',
            "Gear Bench",
        ),
        (  # in an @graph, with the creator instead of the author
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "VideoObject",'
            ' "creator": [{"@type": "Organization", "name": "Casa Tech"}]}]}</script>',
            "Casa Tech",
        ),
        ('<meta property="og:type" content="video.other">' + YOUTUBE_AUTHOR, "Gear Bench"),  # YouTube
        ('<meta property="og:type" content="video.other">', None),  # a video that names no channel
    ],
)
def test_a_video_is_read_with_its_channel(head, channel):
    page = read_article("https://www.youtube.com/watch?v=Qp7", article(head=head))
    assert (page.kind, page.channel) == ("video", channel)


FORUM_JSONLD = '<script type="application/ld+json">{{"@type": "DiscussionForumPosting", {}}}</script>'


@pytest.mark.parametrize(
    ("head", "body", "replies"),
    [
        (FORUM_JSONLD.format('"commentCount": 17'), "", 17),
        (
            FORUM_JSONLD.format(
                '"interactionStatistic": [{"@type": "InteractionCounter", "interactionType":'
                ' "https://schema.org/LikeAction", "userInteractionCount": 90},'
                ' {"@type": "InteractionCounter", "interactionType": {"@type": "CommentAction"},'
                ' "userInteractionCount": 6}]'
            ),
            "",
            6,
        ),
        ("", "<span>1.204 risposte</span> Discussione aperta da Marco.", 1204),
        ("", "<span>12 réponses</span> · 3 j'aime", 12),
        ("", "Thread started by Nora · 8 replies", 8),
        ("", "Mine stopped charging after a month.", None),  # the page does not say
    ],
)
def test_a_forum_thread_is_read_with_its_reply_count(head, body, replies):
    page = read_article("https://forum-espresso.test/discussione/qp700.1/", article(body, head))
    assert (page.kind, page.replies) == ("forum", replies)


def test_a_video_has_no_reply_count_and_a_blog_no_channel():
    views = (
        '<script type="application/ld+json">{"@type": "VideoObject", "author": "Gear Bench",'
        ' "interactionStatistic": {"interactionType": "WatchAction", "userInteractionCount": 48213}}</script>'
    )
    video = read_article("https://videos.test/watch?v=1", article("1,204 comments", views))
    blog = read_article("https://blog.test/qp700", article("8 replies", YOUTUBE_AUTHOR))
    assert (video.channel, video.replies) == ("Gear Bench", None)
    assert (blog.channel, blog.replies) == (None, None)


@pytest.mark.parametrize(
    ("html_lang", "og_locale", "language"),
    [("it-IT", "", "it"), ("", "fr_FR", "fr"), ("en_GB", "it_IT", "en"), ("", "", None)],
)
def test_an_article_language_is_what_the_page_declares(html_lang, og_locale, language):
    head = f'<meta property="og:locale" content="{og_locale}">' if og_locale else ""
    html = article(head=head, lang=html_lang).replace(' lang=""', "")
    assert read_article("https://blog.test/qp700", html).language == language
