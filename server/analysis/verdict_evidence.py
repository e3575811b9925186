"""What a star rating means once read like a careful shopper: against the shop's usual, beside the share of
1–2★ ratings and how many there are, and with the reviews' most serious complaint in view.

On Amazon nearly everything is rated 4–4.6★, so 4.4 there is average, not good; a rating from a few dozen
people says little; and a product whose reviews say it broke or was a waste of money is not a "buy" whatever
its stars. These helpers turn those facts into parts of the verdict's score and into caps on its label.
"""

from __future__ import annotations

import re

__all__ = ["FEW_RATINGS", "low_star_share", "serious_complaint", "typical_rating"]

FEW_RATINGS = 50  # below this many ratings the mean moves a whole band with a handful of votes
_DEFAULT_TYPICAL = 4.4  # shops that show stars skew high; Amazon's 4.4 is the common middle
# Shops whose ratings sit elsewhere: the middle of what their product pages show.
_TYPICAL = {"etsy": 4.8}

# Complaints a shopper cannot shrug off: it breaks or stops working, it is unsafe, it is money thrown away.
_SERIOUS = re.compile(
    r"\b(?:"
    r"broke|broken|breaks|cracked|cracks|snapped|fell apart|stopped working|stops? working|stop suddenly"
    r"|died|dead on arrival|doesn'?t work|does not work|not durable|unsafe|dangerous|caught fire|overheat\w*"
    r"|waste of (?:your |my |the )?money|worthless|scam|stupid for buying"
    r"|rott[oaie]|si è rott\w*|smesso di funzionare|non funziona(?: più)?|pericolos\w+|soldi buttati"
    r"|spreco di (?:soldi|denaro)|truffa|surriscald\w+|difettos\w+"
    r"|cassée?s?|ne fonctionne (?:plus|pas)|ne marche (?:plus|pas)|dangereu\w+|argent jeté|arnaque"
    r"|surchauffe|défectueu\w+|gaspillage"
    r")\b",
    re.IGNORECASE,
)
# A serious word right after one of these is denied ("no cracks", "non si è rotto", "pas cassé").
_DENIED = re.compile(
    r"\b(?:no|not|never|without|nessun\w*|non|mai|senza|pas|jamais|sans)\W+(?:\w+\W+){0,2}$", re.I
)


def typical_rating(shop: str | None) -> float:
    """The usual rating on `shop` (a host name such as "www.amazon.ae"); the common middle when unknown."""
    host = (shop or "").lower()
    return next((value for name, value in _TYPICAL.items() if name in host.split(".")), _DEFAULT_TYPICAL)


def low_star_share(distribution: dict | None) -> float | None:
    """Share of 1★ and 2★ among all ratings of the histogram, or None without one."""
    if not distribution:
        return None
    counts = {str(k): float(v or 0) for k, v in distribution.items()}
    total = sum(counts.values())
    return (counts.get("1", 0) + counts.get("2", 0)) / total if total else None


# A share of 1-2★ ratings at or below this is rare enough that one complaint among them says little.
_RARE_LOW = 0.05


def serious_complaint(reviews: dict) -> str | None:
    """The first quote, among the cons, the 1-2★ reviews' complaints and the highlighted sentences, that
    says the product breaks, stops working, is unsafe or is a waste of money — quoted as written. None when
    no review says so."""
    quotes = [q for con in reviews.get("cons") or [] for q in con.get("quotes") or []]
    low = low_star_share(reviews.get("distribution"))
    if low is None or low > _RARE_LOW:  # one unhappy buyer among a clean histogram is no pattern
        quotes += list(reviews.get("complaints") or [])
    quotes += list(reviews.get("highlights") or [])
    for quote in quotes:
        for match in _SERIOUS.finditer(quote):
            if not _DENIED.search(quote[: match.start()]):
                return quote.strip()
    return None
