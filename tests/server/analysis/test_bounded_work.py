"""The work one request can cause is bounded: big pages, long reviews and many reviews cost linear time.

The time limits below are generous on purpose (several times what the work takes on a slow machine);
only a quadratic path, as these inputs once hit (52 s for one blog page, 27 s for one set of reviews),
can break them. They bound this process's CPU time, not the clock's: other jobs on a busy machine (or the
suite's other worker) slow the clock, not the work.
"""

from __future__ import annotations

import random
import time

from scrapers.types import Product, ProductPage, Rating, Review
from server.analysis.reviews import MAX_REVIEW_CHARS, review_summary
from server.analysis.sentiment import score
from server.analysis.trust import ReviewFacts, trust_report
from server.sources.offers import same_product
from server.sources.pages import MAX_TEXT_CHARS, read_article
from server.sources.queries import offer_queries

_GENEROUS_S = 10.0

# -- blog pages -------------------------------------------------------------------------------------------


def blog_page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        "<html lang='en'><head><title>Brava Steel Kettle review</title></head><body>"
        "<nav>Home · Reviews · Kitchen</nav><article><h1>Brava Steel Kettle review</h1>"
        f"{body}</article><footer>© Kettle Notes</footer></body></html>"
    )


def denials(count: int) -> list[str]:
    """A reader's blog that says it again under every test note: it uses no affiliate links."""
    return [
        f"Test note {i}: we never use affiliate links on this blog, and test unit {i} was bought with our "
        f"own money at a shop in town."
        for i in range(count)
    ]


def test_a_long_page_that_keeps_denying_affiliate_links_is_read_at_once_and_is_not_sponsored():
    html = blog_page(denials(1200))
    assert len(html) > 136_000
    started = time.process_time()
    page = read_article("https://kettlenotes.test/brava", html)
    assert time.process_time() - started < _GENEROUS_S
    assert page is not None and page.sponsored is False
    assert "Test note 0:" in page.text and "Test note 700:" in page.text


def test_one_real_disclosure_among_many_denials_is_still_found():
    paragraphs = denials(1200)
    paragraphs[600] = "This post contains affiliate links: we may earn a commission if you buy through them."
    page = read_article("https://kettlenotes.test/brava", blog_page(paragraphs))
    assert page is not None and page.sponsored is True


def test_a_huge_page_is_read_up_to_its_text_bound():
    paragraphs = [
        f"Day {i}: the Brava boiled {i % 7 + 1} litres today and the handle stayed cool. " * 4
        for i in range(16_000)
    ]
    html = blog_page(paragraphs)
    assert len(html) > 4_000_000
    started = time.process_time()
    page = read_article("https://kettlenotes.test/brava-diary", html)
    assert time.process_time() - started < _GENEROUS_S
    assert page is not None and "Day 0: the Brava" in page.text[:100]
    assert MAX_TEXT_CHARS // 2 < len(page.text) <= MAX_TEXT_CHARS


# -- reviews ----------------------------------------------------------------------------------------------

_SUBJECTS = [
    "The kettle", "This kettle", "It", "The lid", "The handle", "The base", "The power cable",
    "The water window", "The limescale filter", "The on switch", "The blue light", "The spout",
]  # fmt: skip
_PREDICATES = [
    "boils a full litre in about {n} minutes", "stays cool to the touch even when full",
    "opens with one finger", "sticks a little when it is new", "feels solid and well balanced",
    "is quieter than our old {brand}", "clicks off on its own every time", "leaves no plastic taste",
    "smelled of plastic for {n} days", "started to leak after {n} weeks", "is easy to fill from the tap",
    "shows the level clearly from across the room", "is a bit short for my counter",
    "catches every bit of limescale", "wobbles on the base now and then", "pours without dripping",
    "keeps the water hot for {n} minutes", "rattles when it boils", "looks great next to the toaster",
    "shows fingerprints easily", "cleans up with a damp cloth", "needs descaling every {n} weeks here",
    "works fine with our hard water", "is heavier than it looks", "holds enough for {n} mugs",
    "stopped switching off after {n} months", "was dented when it arrived", "is exactly like the photos",
    "is louder than the reviews said", "has a lid hinge that creaks", "heats up faster than the microwave",
]  # fmt: skip
_CONTEXTS = [
    "since we moved in {month}", "after {n} weeks of daily use", "in my small office kitchen",
    "at my parents' flat", "on our narrow boat", "for the whole family every morning", "in a student house",
    "in the caravan this summer", "since the old one died in {month}", "for my night shifts",
    "in the staff room at school", "in a busy holiday cottage", "since Christmas", "when I work from home",
]  # fmt: skip
_CLOSERS = [
    "Would buy again.", "Not sure I would recommend it.", "Happy so far.", "Sent it back in the end.",
    "Five stars from me.", "It does what it should.", "Could be better for the money.", "Great value.",
    "My {person} likes it too.", "We will see how long it lasts.", "Better than the {brand} we had.",
    "Delivery took {n} days.", "No complaints at all.", "I have already ordered a second one.",
]  # fmt: skip
_BRANDS = ["Russell", "Breville", "Tefal", "Morphy", "Swan", "Kenwood", "Dualit", "Smeg"]
_PEOPLE = ["wife", "husband", "mum", "dad", "flatmate", "partner", "daughter", "neighbour"]
_MONTHS = ["January", "March", "April", "June", "August", "September", "October", "December"]

# Reviews written by hand, and how a copier would post them again with a word changed or added.
_COPIED = [
    "Amazing kettle, best purchase ever, boils water super fast and looks stylish in any kitchen!",
    "Bought this for my mother who struggles with heavy kettles, and she can lift it easily when full.",
    "The matte black finish still looks new after six months and it hides the limescale marks well.",
    "Arrived the next morning in perfect condition, the box was sturdy and nothing rattled inside it.",
    "Really quiet compared with the cheap one we had before, we no longer wake the baby at six.",
    "The auto shut off works every single time and the light tells you clearly when it is done.",
    "I was worried about the plastic taste other people mention but honestly I never noticed any.",
    "Perfect size for a small flat, it fits under the cupboards and the cable is long enough too.",
    "Fantastic value for money, it feels like a premium kettle at half the price of the big brands.",
    "The filter catches all the scale from our hard water so the tea finally tastes clean again.",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(2, 12), brand=rng.choice(_BRANDS), month=rng.choice(_MONTHS), person=rng.choice(_PEOPLE)
    )


def generated_review(rng: random.Random) -> str:
    """Two or three plain sentences about a kettle and a closing remark, as shoppers write them."""
    sentences = [
        f"{rng.choice(_SUBJECTS)} {_fill(rng.choice(_PREDICATES), rng)} {_fill(rng.choice(_CONTEXTS), rng)}."
        for _ in range(rng.randint(2, 3))
    ]
    return " ".join([*sentences, _fill(rng.choice(_CLOSERS), rng)])


def copies_of(text: str) -> list[str]:
    """The text and two near-copies of it: one word changed, one word added."""
    first, rest = text.split(" ", 1)
    return [text, f"Honestly {first.lower()} {rest}", text.rstrip("!.") + " Recommended."]


def as_facts(texts: list[str], rng: random.Random) -> list[ReviewFacts]:
    return [
        ReviewFacts(
            Review(
                rating=rng.randint(3, 5),
                text=text,
                date=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                verified=True,
            ),
            None,
        )
        for text in texts
    ]


def near_copies(report: dict) -> int:
    found = [s for s in report["signals"] if s["name"] == "near_duplicates"]
    return int(found[0]["detail"].split()[0]) if found else 0


def test_thirty_near_copies_among_ten_thousand_reviews_are_flagged():
    rng = random.Random(9)
    crowd = [generated_review(rng) for _ in range(10_000 - 30)]
    planted = [copy for text in _COPIED for copy in copies_of(text)]
    mixed = crowd[:]
    for k, copy in enumerate(planted):  # spread through the crowd, as copies are posted over time
        mixed.insert(k * 331, copy)

    started = time.process_time()
    with_copies = trust_report(as_facts(mixed, rng))
    assert time.process_time() - started < _GENEROUS_S
    without = trust_report(as_facts(crowd, random.Random(9)))
    # Every planted copy is found, on top of whatever the crowd's stock phrases already match.
    assert near_copies(with_copies) - near_copies(without) == 30


def test_the_same_text_posted_many_times_is_found_without_comparing_all_pairs():
    rng = random.Random(3)
    texts = [generated_review(rng) for _ in range(2_000)] + [_COPIED[0]] * 3_000
    started = time.process_time()
    report = trust_report(as_facts(texts, rng))
    assert time.process_time() - started < _GENEROUS_S
    assert near_copies(report) >= 3_000
    assert any(s["name"] == "near_duplicates" and s["severity"] == "high" for s in report["signals"])


def kettle_page(reviews: list[Review]) -> ProductPage:
    return ProductPage(
        url="https://shop.test/brava",
        plugin="generic",
        product=Product(name="Brava Steel Kettle 1.7 L", brand="Brava"),
        rating=Rating(value=4.2, count=None),
        reviews=reviews,
    )


def test_the_summary_reads_at_most_max_reviews_and_counts_the_rest():
    rng = random.Random(5)
    reviews = [Review(rating=rng.randint(1, 5), text=generated_review(rng)) for _ in range(3_000)]
    summary = review_summary(kettle_page(reviews), max_reviews=40)
    assert summary["analyzed"] == 40
    assert summary["on_page"] == 3_000 and summary["count"] == 3_000


def test_a_review_is_read_up_to_its_bound_and_no_further():
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    lines = ["first", "second", "third", "fourth", "fifth"]
    filler = " ".join(
        f"On {days[i % 7]} I filled it to the {lines[i % 5]} cup line before work." for i in range(20_000)
    )  # over 900,000 characters, none of them an opinion
    assert score(filler[:MAX_REVIEW_CHARS], "en").compound == 0
    rant = " Terrible, awful kettle, the worst purchase I have ever made, it broke and leaked everywhere!"
    assert score(rant, "en").compound < -0.9
    long_one = Review(rating=3, text=filler + rant, language="en")
    started = time.process_time()
    summary = review_summary(kettle_page([long_one]))
    assert time.process_time() - started < _GENEROUS_S
    assert summary["analyzed"] == 1
    assert summary["sentiment"]["negative"] == 0  # the rant lies beyond what is read


def letters(n: int) -> str:
    """A word of letters only, different for every n (product names made of them have no numbers)."""
    word = ""
    while True:
        n, r = divmod(n, 26)
        word += chr(ord("a") + r)
        if not n:
            return word


def test_product_names_of_hundreds_of_kilobytes_are_compared_at_once():
    # Both shops' pages can be anyone's; their whole names once took seconds of the event loop to compare.
    mine = Product(name="Brava Kettle " + " ".join(map(letters, range(40_000))), brand="Brava")
    theirs = Product(name="Brava Kettle " + " ".join(map(letters, range(40_000, 80_000))), brand="Brava")
    assert len(mine.name) > 150_000 and len(theirs.name) > 150_000
    same_product(Product(name="Brava Kettle 2", brand="Brava"), Product(name="Brava Kettle 2", brand="Brava"))
    started = time.process_time()  # the language dictionaries are loaded now: what follows is the comparison
    same_product(mine, theirs)
    assert time.process_time() - started < 1.0  # generous: capped names take microseconds, whole ones 9 s
    assert len(offer_queries(theirs)[-1]) <= 200


def test_big_structured_data_and_scripts_do_not_use_up_the_text_that_is_read():
    data = '{"@type": "BlogPosting", "headline": "Brava review", "keywords": "' + "kettle " * 40_000 + '"}'
    script = "var tracking = '" + "x" * 300_000 + "';"
    html = blog_page(["The Brava boils a litre in three minutes and the handle stays cool.", "It is quiet."])
    html = html.replace(
        "</head>",
        f'<script type="application/ld+json">{data}</script><script>{script}</script>'
        f"<style>body {{ color: black; }}{' ' * 200_000}</style></head>",
    )
    page = read_article("https://kettlenotes.test/brava", html)
    assert page is not None and "handle stays cool" in page.text and "It is quiet." in page.text
