"""Price candidates from the visible page, scored by what a shopper goes by.

A shopper takes the price printed near the product's title and its buy button, labelled as a price, and
skips the crossed-out "was" price, the price per kilo, the monthly instalment, the price without VAT and the
prices of the other products around it. Each of those is a scoring rule here, written once for every shop,
in the words of many languages; the numbers themselves are read by price-parser (`scrapers.prices`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import islice

from lxml.html import HtmlElement

from scrapers.markup import phrases, text_content
from scrapers.prices import parse_price
from scrapers.visible import Candidate, PageView, VisiblePage

__all__ = ["read_prices"]

_PRICE_WORDS = phrases(
    r"price|prezzo|prix|preis|precio|preco|preço|cena|цена|ціна|prijs|pris|hinta"
    r"|fiyat|amount|valor|kaina|hind|harga|cijena|preț|τιμή|מחיר|سعر|ราคา|価格|价格|가격"
)
_SALE_WORDS = re.compile(r"sale|special|final|current|now|offer|promo|actual|deal|selling|our")
_STRUCK_WORDS = re.compile(
    r"old|was|strike|crossed|before|compare|list-?price|rrp|msrp|uvp|original"
    r"|retail|barr|regular-price-old|oldprice|price--old|reference"
)
_STRUCK_LABEL = re.compile(
    r"\b(was|statt|invece di|au lieu de|prezzo consigliato|consigliato|uvp|rrp|msrp|list price|list:"
    r"|prix conseillé|prix de référence|precio recomendado|pvpr?|antes|de:|before|reg\.|regular price"
    r"|original price|zuvor|vorher|ehemals|prezzo di listino|listino|typical price|retail price"
    r"|preço original|precio anterior|prix barré|prix initial|compare at|normalpris|ord\. pris|tidligere pris"
    r"|ennen|alkuperäinen hinta|cena regularna|poprzednia cena|przed obniżką|původní cena|běžná cena"
    r"|eredeti ár|preț vechi|pret vechi|старая цена|стара ціна|eski fiyat|oude prijs|prezzo precedente"
    r"|avant|ancien prix|originally|prev\. price|previous price|ursprünglich(?:er preis)?|früher"
    r"|alter preis|van(?=\W{0,4}$))(?!\w)",  # Dutch "Van 49,90 voor 39,90": "van" right before the number
    re.I,
)
# A price per unit: a unit of measure after the number, the currency between them or not ("25,98 €/kg",
# "$0.52 per ounce", "25,98 zł za kg", Amazon's "$0.52 / count"), or a piece right after it ("0,52/Stk");
# or the words of a unit price before it ("Grundpreis", "Jämförpris", "1 kg ="). "619,90 € / 1 Stk" is the
# price of the one piece sold.
_MEASURES = (
    r"(?:1\s*|10\s*|100\s*)?(?:kg|g|l|ml|cl|m|m2|m²|lb|lbs|oz|ounce|fl\.?\s*oz|count|ct|kilo|litro|liter"
    r"|litre|metro|mètre|meter)"
)
_UNIT = re.compile(
    rf"^\s*(?:[^\w\s]{{1,3}}|[^\W\d_]{{1,3}}\.?)?\s*(?:/|\b(?:per|pro|al|le|la|por|il|za|a)\s)\s*{_MEASURES}\b"
    r"|^\s*/\s*(?:stk|stück|unit|each|ea|pz|pc)\b",
    re.I,
)
_QUANTITY = re.compile(r"\s*(?:kg|g|l|ml|cl|oz|lb|lbs)\b", re.I)
_UNIT_LABEL = re.compile(
    r"\b(grundpreis|kilopreis|literpreis|jämförpris|jämförelsepris|kilohinta|litrahinta|egységár"
    r"|prezzo al|prix au|precio por|unit price|price per|\d+\s*(?:kg|g|l|ml)\s*=)",
    re.I,
)
# An instalment: "3x 33,33 €" (a count right before the number), or words of monthly payments around it.
_INSTALMENT_COUNT = re.compile(r"\b\d{1,2}\s*[x×]\s*(de\s*)?\D{0,4}$", re.I)
_INSTALMENT = re.compile(
    r"\b(cuotas?|parcelas?|rate|raten|rata|raty|rat|mensualités?|monthly|per month|a month|al mese|par mois"
    r"|sem juros|sin interés|monatlich|monatl|mtl|pro monat|im monat|mensal|mensual|meses|finanzia"
    r"|installments?|instalments?|payments? of|fois|sans frais|per maand|p/m)\b"
    r"|/\s*(?:m[eê]s|mese|mois|monat|maand|mo|month)\b",
    re.I,
)
_EXCL_VAT = re.compile(
    r"\b(excl\.?|excluding|exkl\.?|zzgl\.?|ohne mwst|sin iva|sem iva|hors taxes?|ht\b"
    r"|brez ddv|bez dph|bez vat|netto|ex\.? vat|ex\.? tax|senza iva|iva esclusa|plus vat|ex\.? moms"
    r"|uden moms|utan moms|uten mva|ilman alv|alv 0|áfa nélkül|nettó|fără tva|без ндс|без пдв|kdv hariç"
    r"|bez pdv|χωρίς φπα|bez pvm|bez pvn|sans tva)",
    re.I,
)
_INCL_VAT = re.compile(
    r"\b(incl\.?|inkl\.?|including|ttc|iva incl|z ddv|s dph|brutto|iva inclu|mwst|med moms|sis\.? alv"
    r"|áfával|cu tva|с ндс|з пдв|kdv dahil|s pdv|με φπα|su pvm|ar pvn)",
    re.I,
)
_NOT_A_PRICE = re.compile(
    r"\b(save|saving|you save|économisez|risparmi|sparen|sie sparen|ahorra|ahorro|poupe|economize|desconto"
    r"|rabatt|sconto|remise|réduction|discount|shipping|frete|livraison|versand|envío|envio|spedizione"
    r"|delivery|porto|free over|gratis ab|bonus|cashback|coupon|gift|geschenk|oszczędzasz|ušetříte|sparar"
    r"|spar|säästät|säästä|megtakarítás|economisești|экономия|tasarruf|bespaart|besparing|korting|zniżka"
    r"|rabat|sleva|alennus|kedvezmény|reducere|скидка|знижка|indirim|dostawa|doprava|frakt|fragt"
    r"|toimitus|szállítás|livrare|доставка|kargo|verzending|verzendkosten)(?!\w)",
    re.I,
)
# "from 129,99 €": a threshold ("free delivery from 50 €") unless the number is labelled as a price by its
# class or id, where it is the product's starting price (the cheapest of its variants).
_FROM = re.compile(r"\b(dès|à partir de|a partir de|ab\s|from\s|desde|a partire da|vanaf)(?!\w)", re.I)
_LOWEST_30D = re.compile(
    r"(prezzo più basso|prix le plus bas|niedrigste[rn]? preis|niedrigster gesamtpreis|lowest price"
    r"|precio más bajo|preço mais baixo|laagste prijs|najniższa cena|cel mai mic preț|nejnižší cena"
    r"|lägsta pris|laveste pris|alin hinta|legalacsonyabb ár|najnižja cena|najniža cijena|najnižšia cena"
    r"|χαμηλότερη τιμή|най-ниска цена|mažiausia kaina|zemākā cena|madalaim hind"
    r"|tiefstpreis|günstigster preis)"
    r".{0,40}?(30|trenta|trente|dreißig|thirty|treinta|trinta)",
    re.I,
)
_AUCTION = re.compile(
    r"\b(current bid|starting bid|aktuelles gebot|offerta attuale|enchère actuelle"
    r"|puja actual|lance atual|winning bid|place bid)\b",
    re.I,
)
# A currency mark next to a number: a symbol (any character that is neither a letter, a digit nor
# punctuation that numbers use), a three-letter code, or a currency written in letters.
_CURRENCY_MARK = re.compile(
    r"[^\w\s.,:;'’()\[\]\"/%+*#!?&=<>|~^`{}@-]|\b[A-Z]{3}\b"
    r"|\b(kr|zł|zl|kč|ft|lei|lv|tl|rs|rp|руб|грн|тг|лв|din|kn)\b"
    r"|(?<!\w)s/|د\.إ|ر\.س|(?<=\d):-",  # Peru's sol, the dirham and riyal in Arabic, Swedish "1 299:-"
    re.I,
)
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f ]*\d)?(?:[.,]-{1,2})?")
# A text that is only a piece of a price: units with or without their currency ("$129", "129,"), cents
# (",99", "99"), as shops split a price to set its parts in different sizes.
_FRAGMENT = re.compile(r"[^\w\s]{0,3}\s?\d{1,7}[.,]?|[.,]?\d{2}")
_BOX_CHILDREN = 6  # a split price's block holds this many elements at most
_BOX_TEXT = 24  # characters of its whole text at most
_CENTS = re.compile(r"\d{2}")
_DIGITS = re.compile(r"\d{3}")
_SHOWN_CENTS = re.compile(r"\d[.,]\d{2}(?!\d)")
_CENTS_CLASS = re.compile(r"(?<![a-z])(cents?|fraction|decimals?)(?![a-z])", re.I)  # not "justify-center"
# "129€99" (French shops set the euro sign where the decimal comma goes): the cents after the sign.
_EURO_CENTS = re.compile(r"[ \u00a0]?€\d{2}(?![\d.,]?\d)")
_LONG = 60
# Flags of a candidate that is not the price paid for this product.
_NOT_PAID = frozenset({"struck", "elsewhere", "unit", "instalment", "other", "lowest_30d", "net"})
_DIGIT = re.compile(r"\d")
# An element with its nearest ancestors, and the price word in their class/id words (None if there is none).
_Labelled = tuple[list[HtmlElement], re.Match[str] | None]
_LETTER = re.compile(r"[^\W\d_]")
_LARGE = re.compile(r"\b(big|large|main|primary|hero)")


def read_prices(view: PageView, visible: VisiblePage, *, country: str | None, currency: str | None) -> None:
    """Rank price candidates; the struck-through ones also rank as list prices, the EU "lowest price in 30
    days" ones as `lowest_30d`."""
    found: list[Candidate] = []
    shown_in: list[HtmlElement] = []  # the element each candidate of `found` was read from
    memo = _Memo(country)
    previous, earlier = "", ""
    for element, own in view.texts:
        if len(own) <= 120 and _DIGIT.search(own):
            read = _from_text(view, element, own, (previous, earlier), memo, currency)
            found.extend(read)
            shown_in.extend(element for _ in read)
        previous, earlier = own, previous
    _score_beside_struck(found, shown_in)
    for element in view.price_attributes:
        amount, code = parse_price(element.get("content"), currency=currency, country=country)
        if amount is not None and Decimal(amount) > 0:
            candidate = Candidate(amount, currency=code, order=view.order.get(element, 0))
            candidate.add(2, "itemprop price attribute")
            _score_place(view, element, candidate, memo)
            found.append(candidate)
    _score_currency(found, currency)
    prices = [c for c in found if not c.flags & {"struck", "lowest_30d"}]
    visible.rank("price", prices)
    visible.rank(
        "list_price",
        [_reread(c, "a struck-through price is the list price") for c in found if "struck" in c.flags],
    )
    visible.rank(
        "lowest_30d",
        [
            _reread(c, "the lowest price of 30 days is what this field holds")
            for c in found
            if "lowest_30d" in c.flags
        ],
    )
    best = visible.best("price")
    visible.auction = best is not None and "auction" in best.flags


class _Memo:
    """What one page's price reading asks again and again, answered once: an element's own and ancestors'
    class words and its whole text (every text of an element shares them), where an element stands, and each
    price as written (a page repeats its prices)."""

    def __init__(self, country: str | None) -> None:
        self.country = country
        self.words: dict[HtmlElement, _Labelled] = {}
        self.marks: dict[HtmlElement, re.Match[str] | None] = {}  # the price word in one element's words
        self.places: dict[HtmlElement, list[tuple[float, str, str | None]]] = {}
        self.prices: dict[str, tuple[str | None, str | None]] = {}
        self.wholes: dict[HtmlElement, str] = {}
        self.read: set[HtmlElement] = set()  # elements whose whole text was read as one price
        self.class_words: dict[str, re.Match[str] | None] = {}  # the price word in a class value

    def whole(self, element: HtmlElement) -> str:
        """All the text below the element, whitespace-normalized: the same for each of its texts. Cents set
        as a superscript after the units ("$129<sup>99</sup>") are read after a decimal point."""
        found = self.wholes.get(element)
        if found is None:
            found = text_content(element)
            # Cents set apart leave a run of three digits or more and no cents after a separator ("$12999"):
            # only then are the elements read.
            glued = _DIGITS.search(found) and not _SHOWN_CENTS.search(found)
            if glued and any(map(_sets_cents, element.iter())):
                found = _with_cents(element)
            found = self.wholes[element] = " ".join(found.split())
        return found

    def box(self, element: HtmlElement) -> HtmlElement | None:
        """The small block a price split over several elements stands in ("$<b>129</b><sup>99</sup>",
        "<span>129</span><span>,99</span><span>€</span>"): the nearest of the parent and the grandparent
        whose whole text is short and holds one number and no more. None if there is none."""
        for ancestor in islice(element.iterancestors(), 2):
            if len(ancestor) > _BOX_CHILDREN or any(len(child) > 2 for child in ancestor):
                return None
            whole = self.whole(ancestor)
            if len(whole) > _BOX_TEXT:
                return None
            numbers = _NUMBER.findall(whole)
            if len(numbers) == 1 and numbers[0] != whole.strip():
                return ancestor
        return None

    def words_of(self, view: PageView, element: HtmlElement) -> _Labelled:
        """The element and its three nearest ancestors, and the first price word in their class/id words.

        The word is looked for in each element's own words, once per element: the texts of a block share
        its ancestors, and a word cannot span two elements' words. The words themselves are joined only for
        the few texts that hold a price (`_words`)."""
        found = self.words.get(element)
        if found is None:
            chain = [element, *islice(element.iterancestors(), 3)]
            priced = None
            for link in chain:
                if link in self.marks:
                    priced = self.marks[link]
                else:
                    priced = self.marks[link] = self.price_word(view, link)
                if priced:
                    break
            found = self.words[element] = (chain, priced)
        return found

    def price_word(self, view: PageView, element: HtmlElement) -> re.Match[str] | None:
        """The first price word in the element's `view.words`: in its class, looked up once per class value
        (hundreds of elements share one), else in its id, itemprop and data-hook. No price word spans two
        words, so the class and the rest are searched apart."""
        classes = element.get("class") or ""
        found = self.class_words.get(classes, False)
        if found is False:
            found = self.class_words[classes] = _PRICE_WORDS.search(classes.lower())
        return found or _PRICE_WORDS.search(view.index.marked_words(element).lower())

    def price(self, written: str) -> tuple[str | None, str | None]:
        """`parse_price` of a price as written, with the page's country."""
        found = self.prices.get(written)
        if found is None:
            found = self.prices[written] = parse_price(written, country=self.country)
        return found


def _from_text(
    view: PageView,
    element: HtmlElement,
    own: str,
    lines_before: tuple[str, str],
    memo: _Memo,
    currency: str | None,
) -> list[Candidate]:
    """The price candidates of one text; `lines_before` are the two texts before it in the page."""
    previous, earlier = lines_before
    text = own
    # "1.299<sup>,00</sup> €": the number spans child elements. The whole holds the own text, so a long own
    # text has a longer whole, which is not read.
    if len(own) <= _LONG and 0 < len(element) <= 4:
        whole = memo.whole(element)
        if len(whole) <= _LONG:
            text = whole
            memo.read.add(element)
    chain, priced = memo.words_of(view, element)
    # A piece of a price split over sibling elements ("$129" ".99", "399," "00" "€"), labelled as a price,
    # showing its currency or cut at its decimal separator, is read from the small block holding the whole
    # price, once.
    fragment = _FRAGMENT.fullmatch(own)
    if fragment and (priced or own[0] in ".," or own[-1] in ".," or _CURRENCY_MARK.search(own)):
        box = memo.box(element)
        if box is not None:
            if box in memo.read or any(ancestor in memo.read for ancestor in islice(box.iterancestors(), 2)):
                return []
            memo.read.add(box)
            text = memo.whole(box)
    if not priced and not _CURRENCY_MARK.search(text):
        return []
    found = []
    words = ""
    cents_end = 0
    price_end = 0  # where the last price read from this text ends: the words before it are its own
    for match in _NUMBER.finditer(text):
        if match.start() < cents_end:
            continue  # the cents of "129€99", read with the euros
        cents = _EURO_CENTS.match(text, match.end())
        end = cents.end() if cents else match.end()  # the cents of "129€99" belong to the number
        if cents:
            cents_end = end
        before, after = text[max(0, match.start() - 40) : match.start()], text[match.end() : match.end() + 24]
        offset = max(0, match.start() - 5)
        chunk = text[offset : match.end() + 5]
        if after.lstrip().startswith("%") or not _CURRENCY_MARK.search(chunk) and not priced:
            continue
        if _QUANTITY.match(after):
            continue  # "500 g", the "1 kg" of "25,98 €/1 kg": an amount of the product, not of money
        amount, code = memo.price(_trim(chunk, match.start() - offset, end - offset))
        if amount is None or Decimal(amount) <= 0:
            continue
        candidate = Candidate(
            amount, currency=code or (currency if priced else None), order=view.order.get(element, 0)
        )
        if candidate.currency is None:
            continue
        if code:
            candidate.add(1, f"currency shown ({code})")
        # A bare number takes its label from the line before.
        label = before if _LETTER.search(before) else f"{_label_before(previous, earlier)[-40:]} {before}"
        net = _vat_words(label, after)
        if price_end:  # only the words since the price before label this one ("Was $149.00 Now $129.00")
            label = text[max(price_end, match.start() - 40) : match.start()]
        words = words or " ".join(view.words(link) for link in chain)
        _score_words(candidate, words, priced)
        _score_label(candidate, label, after, text, len(own), priced, net)
        _score_place(view, element, candidate, memo)
        found.append(candidate)
        price_end = end
    return found


def _sets_cents(node: HtmlElement) -> bool:
    """A superscript, or an element whose class says it holds the cents ("a-price-fraction", "cents")."""
    return node.tag == "sup" or bool(_CENTS_CLASS.search(node.get("class") or ""))


def _with_cents(element: HtmlElement) -> str:
    """The element's text with a decimal point before cents set apart right after the units: a superscript
    or an element classed as the cents, holding two digits and no separator ("$<b>29</b><sup>99</sup>")."""
    parts: list[str] = []

    def read(node: HtmlElement) -> None:
        if node.text:
            cents = _sets_cents(node) and _CENTS.fullmatch(node.text.strip())
            if cents and parts and parts[-1][-1:].isdigit():
                parts.append(".")
            parts.append(node.text)
        for child in node:  # comments and processing instructions too: their tails are text
            if isinstance(child.tag, str):
                read(child)
            if child.tail:
                parts.append(child.tail)

    read(element)
    return "".join(parts)


def _score_beside_struck(found: list[Candidate], shown_in: list[HtmlElement]) -> None:
    """A lower price printed beside a struck-through one is the sale price a shopper pays ("22,71 €
    ~~23,90 €~~"): the two share a parent or a grandparent."""
    struck: dict[HtmlElement, Decimal] = {}
    for candidate, element in zip(found, shown_in, strict=True):
        if "struck" in candidate.flags and "elsewhere" not in candidate.flags:
            for ancestor in _near(element):
                struck[ancestor] = max(struck.get(ancestor, Decimal(0)), Decimal(candidate.value))
    if not struck:
        return
    for candidate, element in zip(found, shown_in, strict=True):
        if candidate.flags & _NOT_PAID:
            continue
        amount = Decimal(candidate.value)
        if any(amount < struck.get(ancestor, amount) for ancestor in _near(element)):
            candidate.add(2, "beside a struck-through former price")


def _near(element: HtmlElement) -> list[HtmlElement]:
    """The parent and the grandparent: the block a price and its neighbours share."""
    parent = element.getparent()
    grandparent = parent.getparent() if parent is not None else None
    return [e for e in (parent, grandparent) if e is not None]


def _trim(chunk: str, start: int, end: int) -> str:
    """The number at chunk[start:end] with its currency mark, cut where another number begins ("40.00€ /
    36.53€")."""
    return _DIGIT.split(chunk[:start])[-1] + chunk[start:end] + _DIGIT.split(chunk[end:])[0]


def _score_words(candidate: Candidate, words: str, priced: re.Match[str] | None) -> None:
    if priced:
        candidate.add(2, f"labelled as a price ({priced.group(0)!r} in class/id/itemprop)")
        sale = _SALE_WORDS.search(words)
        if sale:
            candidate.add(1, f"sale or final price ({sale.group(0)!r})")
    struck = _STRUCK_WORDS.search(words)
    if struck:
        candidate.add(-5, f"a former or list price ({struck.group(0)!r} in class/id)")
        candidate.flags.add("struck")


def _label_before(previous: str, earlier: str) -> str:
    """What the line before a bare number says of it ("Prix HT", "Prezzo consigliato"), except the words
    that end a number of their own, on that line ("4x 32,50 € sans frais") or the line before it ("£108.33"
    "ex. VAT"): they are that number's. Words ending in a colon label what follows them."""
    if previous.rstrip().endswith(":"):
        return _DIGIT.split(previous)[-1]
    if _DIGIT.search(previous) or _DIGIT.search(earlier):
        return ""
    return previous


def _vat_words(before: str, after: str) -> str:
    """The words around a number that can say it is without VAT: those after it up to the next number
    ("108,33 € HT", "£108.33 ex. VAT"), and those before it since the number before, unless they follow that
    number as its own ("108,33 € HT 129,99 € TTC"). Words ending in a colon name the number after them
    ("40.00€ Brez DDV: 36.53€")."""
    since = _DIGIT.split(before)[-1]
    if since != before and not since.rstrip().endswith(":"):
        since = ""
    following = _DIGIT.split(after)[0]
    if following.rstrip().endswith(":"):
        following = ""
    return f"{since} | {following}"


def _score_label(
    candidate: Candidate,
    label: str,
    after: str,
    text: str,
    length: int,
    priced: re.Match[str] | None,
    net: str,
) -> None:
    """Rules on the words printed around the number; `priced` is the price word of its class/id, if any,
    and `net` the words that can say it is without VAT (`_vat_words`)."""
    rules = (
        (_STRUCK_LABEL, label, -5, "labelled as the former price", "struck"),
        (_UNIT, after, -5, "a price per unit", "unit"),
        (_UNIT_LABEL, label[-24:], -5, "a price per unit", "unit"),
        (_INSTALMENT_COUNT, label[-16:], -5, "an instalment", "instalment"),
        (_INSTALMENT, label[-16:] + " " + after, -5, "an instalment", "instalment"),
        (_EXCL_VAT, net, -3, "without VAT", "net"),
        (_NOT_A_PRICE, label[-24:], -4, "a saving, shipping cost or threshold", "other"),
        (None if priced else _FROM, label[-24:], -4, "a saving, shipping cost or threshold", "other"),
        (_LOWEST_30D, text, -6, "the lowest price of the last 30 days", "lowest_30d"),
        (_AUCTION, label, 1, "the current bid of an auction", "auction"),
    )
    for pattern, where, points, reason, flag in rules:
        found = pattern.search(where) if pattern is not None else None
        if found and flag not in candidate.flags:
            candidate.add(points, f"{reason} ({found.group(0).strip()!r})")
            candidate.flags.add(flag)
    if _INCL_VAT.search(after) and "net" not in candidate.flags:
        candidate.add(0.5, "with VAT")
    if length > _LONG:
        candidate.add(-1, "inside a sentence")


def _score_place(view: PageView, element: HtmlElement, candidate: Candidate, memo: _Memo) -> None:
    """Where the price stands: struck through, among other products, near the title and the buy button."""
    rules = memo.places.get(element)
    if rules is None:
        rules = memo.places[element] = _place_rules(view, element)
    for points, reason, flag in rules:
        if flag is not None:
            if flag in candidate.flags and flag == "struck":
                continue
            candidate.flags.add(flag)
        candidate.add(points, reason)


def _place_rules(view: PageView, element: HtmlElement) -> list[tuple[float, str, str | None]]:
    """(points, reason, flag) for where an element stands; the same for every price shown in it."""
    rules: list[tuple[float, str, str | None]] = []
    for ancestor in (element, *element.iterancestors()):
        tag = ancestor.tag
        if tag in ("del", "s", "strike") or "line-through" in (ancestor.get("style") or ""):
            rules.append((-6, f"struck through (<{tag}>)", "struck"))
            break
        if tag in ("body", "main", "article"):
            break
    if view.is_other(element):
        rules.append((-8, "among other products or the site's header/footer/cart", "elsewhere"))
    distance = view.distance_to_title(element)
    if distance is not None:
        points = 3 if distance <= 4 else 2 if distance <= 7 else 1 if distance <= 10 else -1
        rules.append((points, f"{distance} steps from the product's title", None))
    if view.buy_path:
        steps = _steps_to(element, view.buy_path)
        if steps is not None and steps <= 7:
            rules.append((1, f"{steps} steps from the buy button", None))
    if view.in_cart_form(element) is not None:
        rules.append((3, "inside the form that puts the product in the cart", None))
    if element.tag in ("strong", "b", "h2", "h3") or _LARGE.search(view.words(element)):
        rules.append((0.5, "set large or bold", None))
    return rules


def _steps_to(element: HtmlElement, path: dict[HtmlElement, int]) -> int | None:
    for steps, ancestor in enumerate((element, *element.iterancestors())):
        if ancestor in path:
            return steps + path[ancestor]
    return None


def _score_currency(found: list[Candidate], currency: str | None) -> None:
    """A price in another currency than the page's (a converter, a foreign shop's price) is not the one."""
    if not currency:
        counts: dict[str, float] = {}
        for candidate in found:
            if candidate.currency and candidate.score > 0:
                counts[candidate.currency] = counts.get(candidate.currency, 0) + candidate.score
        currency = max(sorted(counts), key=counts.__getitem__) if counts else None
    for candidate in found:
        if currency and candidate.currency and candidate.currency != currency:
            candidate.add(-3, f"in {candidate.currency}, the page's currency is {currency}")


def _reread(candidate: Candidate, reason: str) -> Candidate:
    """A struck or 30-day-lowest price ranks for its own field on its own merits: the penalty that kept it
    from being the price is the point here."""
    copy = Candidate(
        candidate.value,
        candidate.score,
        list(candidate.reasons),
        candidate.currency,
        candidate.order,
        set(candidate.flags),
    )
    copy.add(8, reason)
    return copy
