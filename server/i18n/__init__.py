"""The words zmot says to a shopper, in English, Italian and French, and the codes they are made from.

Every sentence the server composes for a briefing (the verdict's reasons and summary, the price verdict's
reason, the trust signals' details) is first a code: `{"code": key, "values": {...}}`, with the values kept
machine-readable (a share is 0.23, a rating 4.3, an amount "99.00"). The briefing carries the codes beside
the words, so a client with its own catalogue (the extension's _locales) renders them in its own language,
and the words here are only the server's rendering of them. A value may itself be a code (the seller
"Another seller", a signal's detail inside a reason) or a list of codes; quotes from reviews are plain
strings and are never translated.

The catalogues live in data files (`server/i18n/{en,it,fr}.json`) so a translator edits text, not Python.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "LANGUAGES",
    "Code",
    "catalogue",
    "code",
    "language_of",
    "opens_with_words",
    "placeholders",
    "render",
    "say",
]

LANGUAGES = ("en", "it", "fr")
_DIR = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# How a list value is joined: sentences of a price reason, reasons of a summary (lowered after the colon),
# anything else (section names) as a plain list.
_JOINERS = {"reason": ". ", "reasons": "; "}
_LOWERED = {"reasons"}
# Values by what they are: a share 0..1 is a percent, a star rating has one decimal, an amount two.
_SHARES = {"share"}
_STARS = {"rating", "typical"}
_AMOUNTS = {"amount", "save", "usual"}
_PERCENT = {"en": "{}%", "it": "{}%", "fr": "{}\u202f%"}
_DECIMAL_COMMA = {"it", "fr"}

Code = dict[str, Any]


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The templates of one language (`{name}` placeholders), read once from its data file."""
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses."""
    return set(_PLACEHOLDER.findall(template))


def language_of(locale: str | None) -> str | None:
    """The language zmot speaks for a locale such as "it-IT", "fr_CA" or "en"; None when it speaks none."""
    base = re.split(r"[-_]", (locale or "").strip().lower(), maxsplit=1)[0]
    return base if base in LANGUAGES else None


def code(key: str, **values: Any) -> Code:
    """A sentence as a code: its catalogue key and its machine-readable values."""
    return {"code": key, "values": values}


def say(key: str, lang: str, **values: Any) -> str:
    """The sentence `key` in `lang` (English when zmot does not speak it or the key is missing there)."""
    return render(code(key, **values), lang)


def render(text: Code | str, lang: str) -> str:
    """A code (or a plain string, such as a quote, which is returned as written) in words."""
    if not isinstance(text, dict):
        return str(text)
    template = _template(text["code"], lang)
    values = text.get("values") or {}
    return _PLACEHOLDER.sub(lambda m: _value(m.group(1), values.get(m.group(1), ""), lang), template)


def opens_with_words(text: Code | str, lang: str) -> bool:
    """True when the rendered sentence opens with zmot's own words (which may be lowered after a colon),
    not with a value such as a seller's name or a quote."""
    if not isinstance(text, dict):
        return False
    template = _template(text["code"], lang)
    first = _PLACEHOLDER.match(template)
    if first is None:
        return True
    value = (text.get("values") or {}).get(first.group(1))
    if isinstance(value, list):
        value = value[0] if value else None
    return isinstance(value, dict) and opens_with_words(value, lang)


def _template(key: str, lang: str) -> str:
    own = catalogue(lang) if lang in LANGUAGES else {}
    return own.get(key) or catalogue("en").get(key) or key


def _value(name: str, value: Any, lang: str) -> str:
    if isinstance(value, list):
        parts = [_lowered(v, lang) if name in _LOWERED else render(v, lang) for v in value]
        return _JOINERS.get(name, ", ").join(parts)
    if isinstance(value, dict):
        return render(value, lang)
    if isinstance(value, bool) or value is None:
        return ""
    if name in _SHARES and isinstance(value, int | float):
        return _PERCENT.get(lang, "{}%").format(_number(f"{value * 100:.0f}", lang))
    if name in _STARS and isinstance(value, int | float):
        return _number(f"{value:.1f}", lang)
    if name in _AMOUNTS:
        try:
            return _number(f"{Decimal(str(value)):.2f}", lang)
        except ArithmeticError:
            return str(value)
    return str(value)


def _lowered(text: Code | str, lang: str) -> str:
    words = render(text, lang)
    return words[:1].lower() + words[1:] if words and opens_with_words(text, lang) else words


def _number(digits: str, lang: str) -> str:
    return digits.replace(".", ",") if lang in _DECIMAL_COMMA else digits
