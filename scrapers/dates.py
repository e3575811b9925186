"""Review dates as shops write them ("2024-03-12T10:00Z", "12 marzo 2024", "March 5, 2024", "05/03/2024")."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

__all__ = ["parse_date"]

_MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
    "fr": ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre"),
    "de": ("januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "pt": ("janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto", "setembro",
           "outubro", "novembro", "dezembro"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
    "pl": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "wrzesnia",
           "pazdziernika", "listopada", "grudnia"),
    "tr": ("ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim",
           "kasim", "aralik"),
}
_MONTH_NAMES: dict[str, int] = {name: i + 1 for names in _MONTHS.values() for i, name in enumerate(names)}
# Countries that write numeric dates month first; everywhere else a 05/03 is the 5th of March.
_MONTH_FIRST = {"us", "ph", "pr", "gu", "as", "um", "vi", "fm", "mh", "pw"}

_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")  # 2024年3月5日
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:er|st|nd|rd|th|º|°)?\.?\s+(?:de\s+)?([^\W\d_]{3,})\.?,?\s+(?:de\s+)?(\d{4})\b"
)
_MONTH_DAY = re.compile(r"\b([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b")


def parse_date(text: str | None, *, country: str | None = None) -> str | None:
    """YYYY-MM-DD from an ISO or localized date in `text`; None when absent or ambiguous."""
    if not text or not isinstance(text, str):
        return None
    text = _fold(text)
    for parse in (_iso, _cjk, _day_month, _month_day, _numeric):
        found = parse(text, country)
        if found:
            return found
    return None


def _fold(text: str) -> str:
    """Lower case without accents, so "Février", "März" and "fevrier" look the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month(word: str) -> int | None:
    """Month number from a full or abbreviated name in any known language, if the name is unambiguous."""
    if word in _MONTH_NAMES:
        return _MONTH_NAMES[word]
    candidates = {n for name, n in _MONTH_NAMES.items() if name.startswith(word)}
    return candidates.pop() if len(candidates) == 1 else None  # "jui" could be June or July


def _ymd(year: int, month: int | None, day: int) -> str | None:
    if month is None:
        return None
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(text: str, country: str | None) -> str | None:
    m = _ISO.search(text)
    return _ymd(int(m[1]), int(m[2]), int(m[3])) if m else None


def _cjk(text: str, country: str | None) -> str | None:
    m = _CJK.search(text)
    return _ymd(int(m[1]), int(m[2]), int(m[3])) if m else None


def _day_month(text: str, country: str | None) -> str | None:
    for m in _DAY_MONTH.finditer(text):
        found = _ymd(int(m[3]), _month(m[2]), int(m[1]))
        if found:
            return found
    return None


def _month_day(text: str, country: str | None) -> str | None:
    for m in _MONTH_DAY.finditer(text):
        found = _ymd(int(m[3]), _month(m[1]), int(m[2]))
        if found:
            return found
    return None


def _numeric(text: str, country: str | None) -> str | None:
    m = _NUMERIC.search(text)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    if first > 12:
        return _ymd(year, second, first)
    if second > 12:
        return _ymd(year, first, second)
    if first == second:
        return _ymd(year, first, second)
    if country is None:
        return None  # 05/03 is March in Rome and May in Boston; without a country it stays unknown
    if country in _MONTH_FIRST:
        return _ymd(year, first, second)
    return _ymd(year, second, first)
