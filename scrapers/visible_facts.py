"""Availability, product code, brand and name as the visible page shows them.

Availability is what the buy button and the stock line say (a sold-out first variant in the markup does not
make a product with a working "Add to cart" sold out); the product code is the one printed after a label
("Art.-Nr.", "Réf.", "Product code"), which is the shop's answer when a shopper asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from scrapers.markup import phrases, text_content
from scrapers.types import Availability
from scrapers.visible import Candidate, PageView, VisiblePage

__all__ = ["read_facts", "stock_said"]


# A buy button's label (lower-cased) holds one of these phrases, starts with one of the words after them, or
# is one of the last. The phrases are searched over all labels at once, one a line (re.I would cost twice the
# time); a label's start and whole are compared as strings, since a `^` alternative in that search would be
# tried at every character of every label.
_BUY_TEXT = phrases(
    r"add to (cart|bag|basket|trolley|order)|buy( it)? now|adicionar ao (carrinho|cesto)"
    r"|añadir al (carrito|carro|cesta)|a[ñn]adir a la cesta|aggiungi al carrello|ajouter au panier"
    r"|in den warenkorb|in winkelwagen|do koszyka|в корзину"
    r"|sepete ekle|lägg i varukorg|place bid|pre-?order|précommander|vorbestellen|カートに入れる"
    r"|do košíku|do košíka|læg i kurv|legg i handlekurv|lisää ostoskoriin|adaugă în coș|adauga in cos"
    r"|kosárba|στο καλάθι|dodaj u košaricu|dodaj v košarico|į krepšelį|добави в количката|у кошик"
    r"|장바구니|加入购物车|加入購物車|أضف إلى السلة|הוסף לסל|thêm vào giỏ|masukkan keranjang|tambah ke troli",
)
_BUY_START = (
    "comprar", "acquista", "acheter", "jetzt kaufen", "kaufen", "купить", "купити", "köp nu", "kjøp nå",
    "køb nu", "osta nyt", "kup teraz", "koupit", "kúpiť", "cumpără", "satın al",
)
_BUY_WHOLE = frozenset({"buy", "bid", "köp", "kjøp", "køb", "osta"})  # not "köpvillkor", "købsbetingelser"
_BUY_WORDS = phrases(
    r"add-?to-?(cart|bag|basket)|addto(cart|bag|basket)|buy-?now|btn-?cart|buy-?button"
    r"|add-?cart|product-?form__submit|single_add_to_cart",
    re.M,
)
_DISABLED_WORDS = re.compile(r"disabled|unavailable|sold-?out|out-?of-?stock|inactive")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "is-hidden", "visually-hidden", "invisible"})
_OUT_WORDS = (
    r"out of stock|sold out|currently unavailable|not available|no longer available|esaurit[oa]"
    r"|non disponibile|non è disponibile|rupture de stock|épuisé|indisponible|ausverkauft|nicht verfügbar"
    r"|nicht auf lager|nicht lieferbar|agotado|sin stock|no disponible|esgotado|indisponível|sem stock"
    r"|sem estoque|uitverkocht|niet leverbaar|niet op voorraad|brak w magazynie|niedostępny|нет в наличии"
    r"|在庫切れ|notify me when|avísame|avisar-me|prévenez-moi|me prévenir|avvisami|benachrichtigen"
    r"|listing has ended"
    r"|sin existencias|temporairement en rupture|victime de son succès|není skladem|vyprodáno"
    r"|nie je skladom|vypredané|slut i lager|slutsåld|utsolgt|udsolgt|ikke på lager|loppuunmyyty"
    r"|ei varastossa|tükendi|stokta yok|немає в наявності|brak towaru|nincs készleten|elfogyott"
    r"|stoc epuizat|indisponibil|εξαντλήθηκε|μη διαθέσιμο|nema na zalihi|rasprodano|ni na zalogi"
    r"|razprodano|изчерпан|išparduota|品切れ|缺货|품절"
    r"|ej i lager|inte i lager|ikke tilgjengelig|ikke tilgængelig|não disponível|não está disponível"
    r"|nincs raktáron|ei saatavilla"
)
_IN_WORDS = (
    r"in stock|en stock|auf lager|disponibile|disponibilità immediata|in magazzino|disponible"
    r"|en existencia|em stock|em estoque|disponível|op voorraad|na stanie|dostępny|в наличии|在庫あり"
    r"|lieferbar|ships today|ready to ship|only \d+ left|nur noch \d+|solo \d+ (pezz|disponibil)"
    r"|skladem|skladom|i lager|på lager|varastossa|stokta var|в наявності|készleten|în stoc|διαθέσιμο"
    r"|na zalihi|na zalogi|в наличност|yra sandėlyje|有货|재고 있음|raktáron|stokta(?!\w)"
)
_PRE_WORDS = r"pre-?order|précommande|vorbestell|preordina|prenotalo|pré-venda|preventa"
_OUT = phrases(_OUT_WORDS, word_start=True)
_IN = phrases(_IN_WORDS, word_start=True)
_PRE = phrases(_PRE_WORDS, word_start=True)
# All three at once: one pass over a page's stock lines finds the few lines that say anything, and only
# those are asked which of the three they say.
_STOCK = phrases(f"{_OUT_WORDS}|{_PRE_WORDS}|{_IN_WORDS}", word_start=True)
_STOCK_LINE = 80  # characters: a longer text is a description or a review, not the stock line
# Searched in the text lines with a line break put before the first: the break, a literal, lets the regex
# engine skip to each line's start instead of trying every character.
_CODE_LABELS = phrases(
    r"art(?:ikel)?\.?\s*-?\s*(?:nr|no|nummer)\.?|artikel-?nummer|bestell-?(?:nummer|nr\.?)"
    r"|hersteller(?:artikel)?-?(?:nummer|nr\.?)|codice(?: articolo| prodotto| produttore)?"
    r"|cod\.\s*(?:art(?:icolo)?|prodotto)\.?|cod\.|code article|cod produs|référence(?: fabricant)?"
    r"|réf\.?(?: produit)?|numéro d'article|n° (?:d')?article|n° de référence|reference"
    r"|referencia (?:del )?fabricante|referencia|referência|ref\.? (?:del )?fabricante|ref\.?"
    r"|n(?:úmero|º|°|o\.?) de artículo|numero articolo|n\. articolo|numer katalogowy|kat\. č\."
    r"|sku|item model number|model(?:l|o|e)?(?:l?nummer| number| no\.?)?|modèle|numéro de modèle"
    r"|número de modelo|product (?:code|id|number|no\.?)|productcode|item (?:#|number|no\.?|code)"
    r"|article (?:number|no\.?)|style (?:#|number|no\.?)|catalog(?:ue)? (?:#|number|no\.?)|cat\. no\."
    r"|mfr\.? part (?:#|number|no\.?)|mfg\.? part (?:#|number|no\.?)|manufacturer part (?:#|number|no\.?)"
    r"|part (?:#|number|no\.?)|mpn|c[oó]digo(?: do produto| de producto| ean)?|cód\.?"
    r"|kod (?:produktu|towaru)|nr katalogowy|kód produktu|katalogové číslo|kód|varenummer|varenr\.?"
    r"|tuotenumero|tuotekoodi|cikkszám|termékkód|šifra(?: proizvoda| artikla)?|ürün kodu|stok kodu"
    r"|артикул|код товара|код товару|κωδικός(?: προϊόντος)?"
    r"|品番|商品番号|型番|商品编号|货号|型号|상품번호|모델명"
    r"|ean-?(?:13|code)?|isbn(?:-1[03])?|upc|gtin(?:-?1[234]|-?8)?"
)
# A label opens its line and ends where its word does ("réf" is not the start of "référence"); the code
# follows it on the line, or opens the next one.
_CODE_LABEL = re.compile(
    rf"\n(?P<label>{_CODE_LABELS.pattern})(?![^\W\d_])(?:\s*#)?\s*[:.：]?\s*(?P<value>.*)$", re.M
)
# Names a buy form gives the product's own code; a bare "id" is a variant or a database row.
_FORM_CODE = re.compile(
    r"(?:^|[_-])(sku|product_?(?:id|code|sku)|item_?(?:id|code)|listing_?id|article_?(?:id|code|number))$",
    re.I,
)
_URL_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Which code a label names: a GTIN (EAN, UPC, ISBN), the maker's part number, else the shop's own code.
_GTIN_LABEL = re.compile(r"ean|isbn|upc|gtin")
_MPN_LABEL = re.compile(r"model|modèle|modelo|part|mpn|hersteller|produttore|fabricant|型番|型号|모델")
_NOT_DIGIT = re.compile(r"\D")
_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"[A-Za-z0-9][\w./-]{1,39}")
_BRAND_LABEL = re.compile(
    "({})".format(
        phrases(
            r"brand|marca|marque|marke|merk|marka|бренд|fabricant|hersteller|manufacturer|fabricante"
            r"|produttore|značka|znamka|merkki|márka|märke|mærke|merke|producent|марка|производитель"
            r"|виробник|μάρκα|výrobce|gyártó|valmistaja|proizvođač|proizvajalec|üretici|ブランド|メーカー|品牌|브랜드"
        ).pattern
    )
    + r"\s*(?:[:：]\s*(?P<value>.*))?$",
    re.M,
)
_BRAND_WORD = re.compile("brand")
# The site's own name, marked as its brand by a page framework ("navbar-brand", "site-brand", "brand-logo").
_SITE_BRAND = re.compile(r"(navbar|site|header|footer|shop|store)[-_]?brand|brand[-_]?(logo|name[-_]?site)")
# "Ver mais artigos da Marca: Roborock", "Plus de produits de la marque : …": a label after these words.
_BRAND_LEAD = ("da ", "de ", "du ", "della ", "von ", "la ", "der ")


def read_facts(view: PageView, visible: VisiblePage, url: str | None = None) -> None:
    """Rank candidates for availability, sku, mpn, gtin, brand and name; remember the buy button."""
    buy_elements: list[HtmlElement] = []
    availability = _buy_buttons(view, visible, buy_elements)
    codes: dict[str, list[Candidate]] = {"sku": [], "mpn": [], "gtin": []}
    if url:
        _form_codes(view, url, buy_elements, codes["sku"])
    brands: list[Candidate] = []
    # One regex pass over all the page's text lines instead of one per line: pages have thousands. A match's
    # line is found by counting the line breaks before it (few matches, thousands of lines).
    texts = view.texts
    joined = "\n".join(text for _, text in texts)
    low = joined.lower()
    if len(low) != len(joined):  # a few letters lower-case to two characters: keep offsets right
        low = joined
    # A stock line is short: the availability patterns (none spans a line) scan only the short lines.
    short = [index for index, (_, text) in enumerate(texts) if len(text) <= _STOCK_LINE]
    lines = low.split("\n")
    stock = [lines[index] for index in short]
    said = sorted(_lines_matching(_STOCK, stock))
    seen: set[int] = set()
    for pattern, value in ((_OUT, "out_of_stock"), (_PRE, "preorder"), (_IN, "in_stock")):
        for line in said:
            index = short[line]
            match = pattern.search(stock[line]) if index not in seen else None
            if match:
                seen.add(index)
                _availability_line(view, texts[index][0], value, match.group(0), availability)
    for match, index in _with_lines(_CODE_LABEL, "\n" + low):
        value = joined[match.start("value") - 1 : match.end("value") - 1]  # as printed: codes keep their case
        following = texts[index + 1][1] if index + 1 < len(texts) else ""
        _code_line(view, texts[index][0], match.group("label"), value or following, codes)
    for match, index in _with_lines(_BRAND_LABEL, low):
        lead = low[low.rfind("\n", 0, match.start()) + 1 : match.start()]
        if lead and not (lead.endswith(_BRAND_LEAD) and match.group("value") is not None):
            continue
        value = joined[match.start("value") : match.end("value")] if match.group("value") else ""
        following = texts[index + 1][1] if index + 1 < len(texts) else ""
        _brand_value(view, texts[index][0], value or following, f"printed after {match.group(1)!r}", brands)
    # Short texts of elements marked as the brand: their words, one a line, searched in one pass.
    labelled = [index for index, (_, text) in enumerate(texts) if len(text) <= 40]
    marked = view.index.words_lines([texts[index][0] for index in labelled])
    for line in sorted({line for _, line in _with_lines(_BRAND_WORD, marked)}):
        element, text = texts[labelled[line]]
        if not _SITE_BRAND.search(view.words(element)):
            _brand_value(view, element, text, "an element marked as the brand", brands)
    visible.rank("availability", availability)
    for name, found in codes.items():
        visible.rank(name, found)
    visible.rank("brand", brands)
    if view.title is not None:
        name = Candidate(" ".join(text_content(view.title).split()), order=view.order.get(view.title, 0))
        name.add(4, f"the product's title (<{view.title.tag}>)")
        visible.rank("name", [name])


def _buy_buttons(view: PageView, visible: VisiblePage, elements: list[HtmlElement]) -> list[Candidate]:
    found = []
    # When no button says "buy", the submit button of a cart form is the buy button; disabled until the
    # shopper picks an offer, it says nothing of the stock.
    named = _buy_like(view)
    for element, label, words in named or _cart_form_submits(view):
        elements.append(element)
        if element.tag == "input" and (element.get("type") or "").lower() in ("hidden", "text", "number"):
            continue
        disabled = (
            element.get("disabled") is not None
            or element.get("aria-disabled") == "true"
            or bool(_DISABLED_WORDS.search(words))
        )
        if disabled and not named and _choose_first(view, element):
            view.set_buy_button(element)
            visible.buy_buttons += 1
            continue
        preorder = bool(_PRE.search(label))
        value = "out_of_stock" if disabled else "preorder" if preorder else "in_stock"
        candidate = Candidate(value, order=view.order.get(element, 0))
        candidate.add(3, f"{'a disabled' if disabled else 'a'} buy button ({label or words.strip()!r})")
        _score_place(view, element, candidate)
        if candidate.score > 0 and not disabled and view.buy_path == {}:
            view.set_buy_button(element)
        if "elsewhere" not in candidate.flags:
            visible.buy_buttons += 1  # enabled or not: a sold-out product page still has its button
        found.append(candidate)
    return found


def _form_codes(view: PageView, url: str, buy: list[HtmlElement], found: list[Candidate]) -> None:
    """The product's code as the buy form sends it (`<input type="hidden" name="listing_id">`), when the
    page's address carries the same code: a shop's own id, not a form's internal number."""
    forms = {form for element in buy for form in element.iterancestors("form")}
    if not forms:
        return
    in_address = set(_URL_TOKEN.findall(urlsplit(url).path))
    for element in view.buttons:
        if element.tag != "input" or (element.get("type") or "").lower() != "hidden":
            continue
        name, value = element.get("name") or "", (element.get("value") or "").strip()
        if not _FORM_CODE.search(name) or value not in in_address or not any(c.isdigit() for c in value):
            continue
        if not any(form in forms for form in element.iterancestors("form")):
            continue
        candidate = Candidate(value, order=view.order.get(element, 0))
        candidate.add(2, f"sent by the buy form as {name!r}")
        candidate.add(1, "also in the page's address")
        _score_place(view, element, candidate)
        found.append(candidate)


def _buy_like(view: PageView) -> list[tuple[HtmlElement, str, str]]:
    """The links, buttons and inputs whose label or class/id words say "buy", with both.

    A page has hundreds of links: each regex runs once over all labels (one a line) instead of once per link.
    """
    buttons = view.buttons
    labels = []
    for element in buttons:
        if element.tag == "input":
            label = element.get("value")
        else:  # most links hold only their text: reading it costs less than gathering a subtree's
            label = text_content(element) if len(element) else element.text
        labels.append(" ".join((label or element.get("aria-label") or "").split()))
    short = [label.lower() if len(label) <= 40 else "" for label in labels]
    hits = _lines_matching(_BUY_TEXT, short)
    # The words of the few buttons found are read again below; the others' are never needed one by one.
    hits.update(line for _, line in _with_lines(_BUY_WORDS, view.index.words_lines(buttons)))
    hits.update(i for i, label in enumerate(short) if label.startswith(_BUY_START) or label in _BUY_WHOLE)
    return [(buttons[i], labels[i], view.words(buttons[i]).replace("\n", " ")) for i in sorted(hits)]


def _cart_form_submits(view: PageView) -> list[tuple[HtmlElement, str, str]]:
    """The submit buttons of the forms that put the product in the cart, whatever they say ("Valider")."""
    found = []
    for form in view.cart_forms:
        for element in form.iter("button", "input"):
            if element in view.order and _submits(element):
                written = element.get("value") if element.tag == "input" else text_content(element)
                label = " ".join((written or "").split())
                found.append((element, label, view.words(element).replace("\n", " ")))
    return found


def _submits(element: HtmlElement) -> bool:
    kind = (element.get("type") or ("submit" if element.tag == "button" else "")).lower()
    return kind in ("submit", "image")


def _choose_first(view: PageView, element: HtmlElement) -> bool:
    """A cart form's button disabled until the shopper picks an offer, a size or a colour: the form holds a
    choice that is open (an enabled radio button or list), so the button says nothing of the stock."""
    form = view.in_cart_form(element)
    if form is None:
        return False
    return any(
        choice.get("disabled") is None
        and (choice.tag == "select" or (choice.get("type") or "").lower() == "radio")
        for choice in form.iter("input", "select")
    )


def _lines_matching(pattern: re.Pattern[str], lines: list[str]) -> set[int]:
    """The indexes of the lines `pattern` (compiled with re.M: `^`/`$` per line) finds something in."""
    return {line for _, line in _with_lines(pattern, "\n".join(lines))}


def _with_lines(pattern: re.Pattern[str], joined: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each match of `pattern` in `joined` (lines joined by line breaks) with the index of its line."""
    line, position = 0, 0
    for match in pattern.finditer(joined):
        line += joined.count("\n", position, match.start())
        position = match.start()
        yield match, line


def _availability_line(
    view: PageView, element: HtmlElement, value: str, words: str, found: list[Candidate]
) -> None:
    candidate = Candidate(value, order=view.order.get(element, 0))
    candidate.add(2, f"the page says {words!r}")
    _score_place(view, element, candidate)
    found.append(candidate)


def _code_line(
    view: PageView, element: HtmlElement, label: str, value: str, codes: dict[str, list[Candidate]]
) -> None:
    code = _CODE.match(value.strip())
    if not code or not any(ch.isdigit() for ch in code.group(0)):
        return
    field = "gtin" if _GTIN_LABEL.search(label) else "mpn" if _MPN_LABEL.search(label) else "sku"
    value = code.group(0).rstrip("./-")
    if field == "gtin":
        value = _NOT_DIGIT.sub("", value)
        if len(value) not in (8, 12, 13, 14) or not value.strip("0"):
            return
    candidate = Candidate(value, order=view.order.get(element, 0))
    candidate.add(3, f"printed after {label!r}")
    _score_place(view, element, candidate)
    codes[field].append(candidate)


def _brand_value(
    view: PageView, element: HtmlElement, value: str, reason: str, found: list[Candidate]
) -> None:
    value = " ".join(value.split()).strip(" :|-")
    if not value or len(value) > 40 or not _LETTER.search(value):
        return
    candidate = Candidate(value, order=view.order.get(element, 0))
    candidate.add(2, reason)
    _score_place(view, element, candidate)
    found.append(candidate)


def _score_place(view: PageView, element: HtmlElement, candidate: Candidate) -> None:
    """Near the product's title counts, inside other products' blocks or hidden does not."""
    if view.is_other(element):
        candidate.add(-8, "among other products or the site's header/footer/cart")
        candidate.flags.add("elsewhere")
    if _hidden(element):
        candidate.add(-3, "hidden")
    distance = view.distance_to_title(element)
    if distance is not None:
        points = 2 if distance <= 8 else 1 if distance <= 14 else 0
        if points:
            candidate.add(points, f"{distance} steps from the product's title")


def _hidden(element: HtmlElement) -> bool:
    for depth, ancestor in enumerate((element, *element.iterancestors())):
        if depth > 6:
            return False
        if ancestor.get("hidden") is not None or _HIDDEN.search(ancestor.get("style") or ""):
            return True
        if _HIDDEN_CLASSES & set((ancestor.get("class") or "").lower().split()):
            return True
    return False


def stock_said(text: str) -> Availability | None:
    """What a lower-cased stock line says, in any of the languages above: pre-order before sold out before
    in stock ("non disponibile" is not "disponibile"); None when it says none of them."""
    if _PRE.search(text):
        return "preorder"
    if _OUT.search(text):
        return "out_of_stock"
    return "in_stock" if _IN.search(text) else None
