"""A product's identity: who makes it, which model it is, and what kind of thing, from a shop's name for it.

Shops order names every way: "Macchina da caffè Espresso Lume 2" (type, brand, model), "Sony WH-1000XM5
Casque sans fil" (brand, model, type), "Apple iPhone 15 Pro (256 GB) - Titanio naturale" (brand, model,
variant). Searching, deciding that a blog is about the product and matching another shop's offer all need
the same answer, so it is worked out once here. The language's dictionary (simplemma) tells a type word
("Macchina", "Casque") from a model's name ("Lume", "QuietPro"); stopwordsiso knows the small words between.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from scrapers.types import Product
from server.sources.variants import is_colour, is_trim, is_unit

__all__ = ["LANGUAGES", "Identity", "fold", "identity_of", "warm_up"]

LANGUAGES = ("en", "it", "fr", "de", "es", "pt")
# Where a name's parts divide: "… - Titanio naturale", "…, 9 kg", "(256 GB)", "【…】", "»Shirt«", " / ".
_SEGMENTS = re.compile(r"\s[-–—|/]\s|,\s|[()\[\]【】»«:;]|\s[-–—]|\.\s")
_INCHES = re.compile(r"\d(\"|''|”)[,.;:)\]]*$")
_TRIM = ".,;:!?*+&\"“”'‘’«»()[]"
_MAX_MODEL_WORDS = 5
_MAX_NAME_CHARS = 300
# "4-Light", "33-inch", "1-tlg", "3-Pack": a count of something, not a model.
_COUNT = re.compile(r"^\d+(?:[.,]\d+)?-[a-zà-ÿ]+$", re.I)
# "5G", "4K", "3D": a feature named by a digit and a letter.
_FEATURE = re.compile(r"^\d[A-Za-z]$")
# "23.6\"x35.4\"", "60\"W": dimensions.
_DIMENSIONS = re.compile(r"^\d+(?:[.,]\d+)?(?:\"|''|”)?\s?[x×]\s?\d|^\d+(?:[.,]\d+)?(?:\"|'')[A-Z]$")


@dataclass(frozen=True)
class Identity:
    """What names one product, whatever the language: brand, model, its codes, its kind and its variant."""

    brand: str | None = None
    model: str | None = None  # without the brand: "Lume 2" is brand "Lume", model "2"
    model_numbers: tuple[str, ...] = ()  # codes: "WW90T534DAW/S3", "WH-1000XM5", the MPN
    kind: tuple[str, ...] = ()  # product-type words: ("macchina", "caffè", "espresso")
    variant: tuple[str, ...] = ()  # colour, size, capacity: ("256 GB", "Titanio naturale")
    language: str | None = None
    gtin: str | None = None
    name: str | None = field(default=None, compare=False)  # the shop's full name, for titles' likeness

    @property
    def short_name(self) -> str:
        """Brand and model, as people write it in a title: "Lume 2", "Sony WH-1000XM5"."""
        return " ".join(p for p in (self.brand, self.model) if p)

    def model_words(self) -> list[str]:
        """The model's words, folded: what a text about this product must contain beside the brand."""
        return fold(self.model or "").split()

    def core(self) -> str:
        """The shortest part of the model that still names it: up to its first word with a digit
        ("iPhone 15" of "iPhone 15 Pro"), or the whole model when it has no digit."""
        words = (self.model or "").split()
        for i, word in enumerate(words):
            if any(ch.isdigit() for ch in word):
                return " ".join(words[: i + 1])
        return " ".join(words)


def fold(text: str) -> str:
    """Lower case without accents, entities decoded: "Caffè" and "caff&egrave;" both read "caffe"."""
    text = unicodedata.normalize("NFKD", html.unescape(text).casefold())
    if text.isascii():
        return text
    # The marks are looked up once per distinct character, not per character: a 200 KB page folds in
    # about a millisecond instead of ten, and most search results are such pages.
    marks = {ord(ch): None for ch in set(text) if unicodedata.combining(ch)}
    return text.translate(marks) if marks else text


# simplemma and stopwordsiso are imported where they are used: working out an identity is a worker's job
# (the workers import them when they get ready), and the server, which only folds text, starts sooner.


@lru_cache(maxsize=8)
def _stopwords(lang: str) -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords(lang)) | {"&", "+", "-", "–", "/", "x"}


@lru_cache(maxsize=4096)
def _known(word: str, lang: str) -> bool:
    """True when `word` is an ordinary word of `lang` (its dictionary knows it): a type word, not a name."""
    parts = word.split("-")
    if len(parts) > 1:  # "Side-by-Side", "Pour-Over": known words joined; "X-Force" is a name
        return all(
            len(p) > 1 and (_known(p, lang) or _known(p, "en") or p in _stopwords("en")) for p in parts
        )
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        return False  # "iPhone", "QuietPro", "PlayStation": written as a name, whatever it means
    import simplemma

    return simplemma.is_known(word, lang) or simplemma.is_known(word.lower(), lang)


def _language(product: Product, hint: str | None) -> str:
    if hint and hint[:2].lower() in LANGUAGES:
        return hint[:2].lower()
    text = " ".join(p for p in (product.name, product.category) if p)
    if not text:
        return "en"
    # The language whose small words the name uses most ("da", "sans", "mit"): a character model is
    # unsure on a dozen words, and loading every dictionary to ask them costs seconds.
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    scores = {code: sum(w in _stopwords(code) for w in words) for code in LANGUAGES}
    best = max(LANGUAGES, key=lambda code: scores[code])
    return best if scores[best] > 0 else "en"


def warm_up(languages: tuple[str, ...] = LANGUAGES) -> None:
    """Load the languages' dictionaries now (0.4-2 s each, once per process) rather than in a briefing."""
    for lang in languages:
        _known("casa", lang)
        _stopwords(lang)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _is_code(word: str) -> bool:
    """A model number: letters and digits together ("WH-1000XM5", "TWK3A011", "EC685.M"), not a spec."""
    return (
        _has_digit(word)
        and any("a" <= ch.lower() <= "z" for ch in word)
        and not is_unit(word)
        and not _COUNT.match(word)
        and not _FEATURE.match(word)
        and not _DIMENSIONS.match(word)
    )


def _tokens(segment: str) -> list[str]:
    """Words of a segment without the punctuation around them; an inch mark after a number stays (55")."""
    found = []
    for raw in segment.split():
        word = raw.lstrip(_TRIM)
        inches = _INCHES.search(word)
        word = word.rstrip(_TRIM) + (inches.group(1) if inches else "")
        if word and word not in {"-", "–", "—", "/", "|"}:
            found.append(word)
    return found


def _segments(name: str) -> list[list[str]]:
    return [words for part in _SEGMENTS.split(name) if (words := _tokens(part))]


def _brand_at(words: list[str], brand: str | None) -> int | None:
    """Index of the brand's first word in `words`, or None."""
    if not brand:
        return None
    wanted = fold(brand).split()
    folded = [fold(w) for w in words]
    for i in range(len(folded) - len(wanted) + 1):
        if folded[i : i + len(wanted)] == wanted:
            return i
    return None


def _clean_brand(brand: str | None) -> str | None:
    """The brand as a name: "Wade Logan®" is "Wade Logan"; a shop's domain ("Worten.pt") is no brand."""
    if not brand:
        return None
    brand = re.sub(r"[®™©]", "", brand).strip()
    if re.search(r"\.[a-z]{2,3}$", brand, re.I):
        return None
    return brand or None


def _is_variant(words: list[str], i: int, lang: str) -> int:
    """How many words from `i` name a variant (a size, a capacity, a colour): 0 when none do."""
    word = words[i]
    if is_unit(word) or _COUNT.match(word) or _FEATURE.match(word) or _DIMENSIONS.match(word):
        return 1
    unit = words[i + 1] if i + 1 < len(words) else ""
    # "9 kg", "256 GB", "64 Gb"; not "5.840 iN", which is a model's number and its suffix.
    mixed = unit[:1].islower() and unit[1:] != unit[1:].lower()
    if unit[:1].isalpha() and not mixed and re.fullmatch(r"\d+(?:[.,]\d+)?", word) and is_unit("1" + unit):
        return 2
    return 1 if is_colour(word, lang) else 0


def _model(words: list[str], lang: str, fitted: bool = False) -> tuple[list[str], list[str], list[str]]:
    """(model words, type words, variant words) of the words where a model is expected. `fitted`: the
    words follow the brand, so type words then a preposition end the model ("… Protector for iPhone")."""
    stop = _stopwords(lang)
    model: list[str] = []
    kind: list[str] = []
    variant: list[str] = []
    cored = False
    i = 0
    while i < len(words):
        word = words[i]
        if (span := _is_variant(words, i, lang)) and not (not model and _is_code(word)):
            variant.append(" ".join(words[i : i + span]))
            i += span
            if model:
                break
            continue
        if word in stop:  # "da", "for", "à"; a capitalised "The" starts a name ("The Stronghold")
            if model or (kind and fitted):
                break  # "Screen Protector for iPhone 15": what follows is what it fits
            i += 1
            continue
        if cored and _is_code(word) and _has_digit(model[-1]) and sum(map(_is_code, model)) < 2:
            model.append(word)  # "Chromebook x360 12b-ca0000sf": the line's number, then the exact one
            i += 1
            continue
        if cored:
            # After the number: short trim words ("Pro", "Max"), or names the language does not know
            # ("Detect Absolute" in a French name); a second code, a spec or a type word ends the model.
            capital = word[:1].isupper() or any(ch.isupper() for ch in word[1:])
            camel = any(ch.isupper() for ch in word[1:]) and not word.isupper()
            # "Detect Absolute" in a French name: English words the French dictionary does not know.
            borrowed = lang != "en" and not _known(word, lang) and _known(word, "en") and not camel
            trim = capital and not _has_digit(word) and "-" not in word
            trim = trim and (is_trim(word) or len(word) <= 3 or borrowed)
            if not trim or len(model) >= _MAX_MODEL_WORDS:
                break
            model.append(word)
        elif _has_digit(word):
            model.append(word)
            cored = True
        elif is_trim(word) and word[:1].isupper():
            model.append(word)  # "Sorrento Pro", "QuietComfort Ultra", "Bellona Duo"
        elif _known(word, lang) and not _acronym_before_code(words, i) and not _named(words, i, lang, fitted):
            if model and not _trim_before_code(words, i, lang):
                break
            if not model:
                kind.append(word)
            else:
                model.append(word)
        else:
            model.append(word)
        i += 1
    kind += [w for w in words[i:] if w.lower() not in stop and not _has_digit(w) and _known(w, lang)]
    return model, kind, variant


def _acronym_before_code(words: list[str], i: int) -> bool:
    """ "RO" in "RapidÓ RO 1486DWMCE/1-S", "W" in "W 5.840": a model's letters before its number."""
    word = words[i]
    return word.isupper() and len(word) <= 3 and i + 1 < len(words) and _has_digit(words[i + 1])


def _trim_before_code(words: list[str], i: int, lang: str) -> bool:
    """ "Style" in "Dedica Style EC685.M", "Go" in "Vivobook Go 15": a known word between a model's name
    and its number."""
    if i + 1 >= len(words) or not words[i][:1].isupper():
        return False
    after = words[i + 1]
    return _is_code(after) or (_has_digit(after) and not _is_variant(words, i + 1, lang))


def _named(words: list[str], i: int, lang: str, fitted: bool) -> bool:
    """ "Dedica" in "De'Longhi Dedica Style EC685.M": a capitalised word just after the brand, before a
    name or a code, names the line even when it is also a word. German capitalises every noun: not there."""
    if not fitted or i != 0 or lang == "de" or not words[0][:1].isupper() or len(words) < 2:
        return False
    after = words[1]
    return _is_code(after) or (after[:1].isupper() and not _known(after, lang) and not _has_digit(after))


def identity_of(product: Product, lang: str | None = None) -> Identity:
    """The product's identity from its name, brand, codes and category; `lang` is the page's language
    when known (else it is told from the name)."""
    language = _language(product, lang)
    # A name is a line of words; past _MAX_NAME_CHARS it is some page's padding, and costs time per word.
    name = " ".join((product.name or "")[:_MAX_NAME_CHARS].split())
    brand = _clean_brand(product.brand)
    segments = _segments(name)
    start, words = _model_segment(segments, brand)
    # Codes of the model's part ("V15"), and long ones elsewhere ("(HR1832/01)"); not "gruppo E61".
    numbers = [w for w in words if _is_code(w) and len(w) >= 3]
    numbers += [w for part in segments for w in part if _is_code(w) and len(w) >= 5]
    at = _brand_at(words, brand)
    kind: list[str] = []
    before: list[str] = []
    if brand and at is not None:
        size = len(brand.split())
        brand = " ".join(words[at : at + size])  # as the shop spells it: "SAMSUNG", "PlayStation"
        before, words = words[:at], words[at + size :]
        # "Sony PlayStation 5" with the brand given as "PlayStation": the maker's name comes first.
        if (
            0 < len(before) <= 2
            and words
            and _has_digit(words[0])
            and not _is_variant(words, 0, language)
            and all(w[:1].isupper() and w.lower() not in _stopwords(language) for w in before)
        ):
            words = [*brand.split(), *words]
            brand, before = " ".join(before), []
        kind += [w for w in before if w.lower() not in _stopwords(language) and not _has_digit(w)]
    elif brand is None and (maker := _maker_before_code(words)) is not None:
        brand, words = words[maker], words[maker + 1 :]
    model, more_kind, variant = _model(words, language, fitted=at is not None)
    if not model and before:
        # "Mochila Basic Olympikus", "QuietPro 700 by Sonara": the brand last, the model before it.
        model, more_kind, variant = _model(before, language)
        kind = []
    segment_codes = [w for w in words if _is_code(w) and len(w) >= 3]
    if not any(_has_digit(w) for w in model) and segment_codes and model != segment_codes[:1]:
        model = segment_codes[:1]  # "Smart TV LG 55\" OLED UHD 4K 55OLEDB56LA": the code names it
    if not model and numbers:
        model = [numbers[0]]
    for words in segments[start + 1 :]:
        variant += [
            w for i, w in enumerate(words) if _is_variant(words, i, language) == 1 and not _is_code(w)
        ]
    if product.mpn and fold(product.mpn) not in {fold(n) for n in numbers}:
        numbers.append(product.mpn.strip())
    return Identity(
        brand=brand,
        model=" ".join(model) or None,
        model_numbers=tuple(dict.fromkeys(numbers)),
        kind=tuple(dict.fromkeys(fold(w) for w in [*kind, *more_kind, *_category_words(product, language)])),
        variant=tuple(dict.fromkeys(variant)),
        language=language,
        gtin=product.gtin.strip() if product.gtin and product.gtin.strip().isdigit() else None,
        name=name or None,
    )


def _maker_before_code(words: list[str]) -> int | None:
    """ "BECKEN BWM9650": with no brand given, a capitalised name just before a model number is its maker."""
    for i in range(len(words) - 1):
        word = words[i]
        if word.isupper() and word.isalpha() and len(word) >= 3 and _is_code(words[i + 1]):
            return i
    return None


def _model_segment(segments: list[list[str]], brand: str | None) -> tuple[int, list[str]]:
    """The part of the name that holds the model: the brand's part (with the next one when the brand
    stands alone, "Sony - WH-1000XM5 …"), else the first."""
    if not segments:
        return 0, []
    for i, words in enumerate(segments):
        at = _brand_at(words, brand)
        if at is None:
            continue
        if len(words) == len((brand or "").split()) and i + 1 < len(segments):
            segments[i] = words + segments[i + 1]
            del segments[i + 1]
        return i, segments[i]
    return 0, segments[0]


def _category_words(product: Product, lang: str) -> list[str]:
    """The breadcrumb's last step ("Macchine espresso"): what kind of thing it is, in the shop's words."""
    if not product.category:
        return []
    last = re.split(r"\s*[>/<|›»]\s*", product.category.strip())[-1]
    stop = _stopwords(lang)
    return [w for w in _tokens(last) if w.lower() not in stop and not _has_digit(w)]
