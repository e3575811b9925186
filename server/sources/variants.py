"""Words that name a variant of a product rather than the product: sizes, capacities and colours.

"Apple iPhone 15 Pro (256 GB) - Titanio naturale" and "… 512 GB - Nero" are the same model; the shopper's
variant matters for the price, not for whether a review is about it.
"""

from __future__ import annotations

import re

__all__ = ["COLOURS", "TRIMS", "is_colour", "is_trim", "is_unit"]

# A number with a unit of size, capacity, power or count: "256GB", "9kg", "1350W", "55\"", "6.7-Inch".
_UNIT = re.compile(
    r"^\d+(?:[.,]\d+)?(?:\"|''|”|-?(?:gb|tb|mb|go|to|kg|g|gr|mg|l|lt|ml|cl|w|kw|v|mah|mp|cm|mm|m|in|inch"
    r"|zoll|pollici|pouces|polegadas|pulgadas|ft|yd|oz|lb|lbs|k|rpm|hz|db|tazze|tasses|cups|pcs|pz|st)\.?)$",
    re.I,
)

# Colour words of zmot's languages (en, it, fr, de, es, pt), lower case, as shops write them in names.
COLOURS = frozenset(
    [
        "black",
        "white",
        "silver",
        "grey",
        "gray",
        "blue",
        "red",
        "green",
        "yellow",
        "pink",
        "purple",
        "gold",
        "beige",
        "brown",
        "orange",
        "graphite",
        "titanium",
        "midnight",
        "charcoal",
        "cream",
        "navy",
        "rose",
        "ivory",
        "nero",
        "bianco",
        "bianca",
        "argento",
        "grigio",
        "blu",
        "rosso",
        "verde",
        "giallo",
        "rosa",
        "viola",
        "oro",
        "marrone",
        "arancione",
        "titanio",
        "naturale",
        "grafite",
        "antracite",
        "noir",
        "noire",
        "blanc",
        "blanche",
        "argent",
        "gris",
        "bleu",
        "rouge",
        "vert",
        "jaune",
        "violet",
        "or",
        "marron",
        "marine",
        "anthracite",
        "schwarz",
        "weiß",
        "weiss",
        "silber",
        "grau",
        "blau",
        "rot",
        "grün",
        "gelb",
        "lila",
        "golden",
        "braun",
        "negro",
        "negra",
        "blanco",
        "blanca",
        "plata",
        "azul",
        "rojo",
        "amarillo",
        "morado",
        "dorado",
        "marrón",
        "grafito",
        "preto",
        "preta",
        "branco",
        "branca",
        "prata",
        "cinza",
        "azul",
        "vermelho",
        "amarelo",
        "roxo",
        "dourado",
        "castanho",
    ]
)

# Words that name a model's trim after its number or name ("iPhone 15 Pro Max", "Sorrento Pro",
# "QuietComfort Ultra"): ordinary words in a dictionary, a model's name in a product's.
TRIMS = frozenset(
    [
        "pro",
        "max",
        "plus",
        "ultra",
        "mini",
        "lite",
        "air",
        "se",
        "neo",
        "edge",
        "go",
        "duo",
        "nano",
        "fe",
        "slim",
        "xl",
        "gen",
    ]
)


def is_trim(word: str) -> bool:
    """True for a model's trim word: "Pro", "Max", "Ultra"."""
    return word.lower() in TRIMS


def is_unit(word: str) -> bool:
    """True for a quantity with its unit: "256GB", "9kg", "55\"", "1,7L"."""
    return bool(_UNIT.match(word))


def is_colour(word: str, lang: str | None = None) -> bool:
    """True for a colour word of any of zmot's languages ("Nero", "Titanio", "acid"-free: whole words)."""
    return word.lower() in COLOURS
