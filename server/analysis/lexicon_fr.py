"""French for VADER's rules: a product-review lexicon, negations, boosters and contrast words.

Written for zmot (MIT, like the project) from the common vocabulary of French shop reviews; no
evaluation sentence was copied into it. Valences use VADER's -4..+4 scale. Adjectives are listed once in
the masculine singular and inflected here (déçu → déçue, déçus, déçues). "ne … pas" counts as one
negation, and "pas terrible" (not great) is a phrase of its own.
"""

from __future__ import annotations

import unicodedata

from server.analysis.lexicon_en import emoji_valences
from server.analysis.vader_language import B_DECR, B_INCR, Language, inflected_lexicon

__all__ = ["french"]


def _words(text: str) -> list[str]:
    return text.split()


_WORDS: dict[float, str] = {
    3.2: "excellent parfait génial fantastique formidable merveilleux magnifique superbe exceptionnel "
    "extraordinaire impeccable sublime parfaitement impeccablement",
    2.8: "adore adoré ravi enchanté top nickel bravo génialissime chef-d'œuvre chef-d'oeuvre hilarant "
    "passionnant captivant",
    2.4: "heureux délicieux idéal réussi recommande recommandé meilleur drôle émouvant touchant bluffant "
    "addictif prenant brillant",
    2.0: "bon beau belle joli satisfait content aime aimé fiable élégant agréable super conseille conseillé "
    "sympa merci mieux intelligent original attachant plaisir culte",
    1.6: "bien efficace pratique facile intuitif silencieux puissant précis robuste confortable utile "
    "solide soigné conforme cool intéressant sympathique divertissant amusant",
    1.2: "simple rapide léger compact correct rapidement ok",
    0.6: "convenable honnête",
    -0.6: "moyen encombrant lourd",
    -1.0: "lent cher odeur bruit vibre retard longueurs",
    -1.4: "bruyant fragile compliqué difficile problème dommage malheureusement hélas bof fuite fuit "
    "rayé sale remboursement inconfortable renvoyé retourné plat fade prévisible creux lasse lassant "
    "répétitif invraisemblable",
    -1.8: "défaut inutile insatisfait mécontent énervé abîmé endommagé surchauffe trompeur chauffe "
    "ennuyeux ennui ennuie ridicule niais mièvre insipide inintéressant bâclé raté soporifique",
    -2.3: "mauvais mal décevant déçu déception cassé défectueux panne médiocre pire insupportable",
    -2.8: "navet daube pathétique nul horrible affreux catastrophique catastrophe déplorable lamentable "
    "honteux honte inadmissible inacceptable arnaque escroquerie inutilisable",
}

_PHRASES: dict[str, float] = {
    "arrêté de fonctionner": -2.5,
    "cessé de fonctionner": -2.5,
    "ne fonctionne plus": -2.3,
    "ne marche plus": -2.3,
    "en panne": -2.3,
    "à éviter": -2.5,
    "argent jeté": -3.0,
    "perte d' argent": -2.8,
    "perte de temps": -2.5,
    "pas terrible": -1.5,
    "pas top": -1.3,
    "une étoile": -2.3,
    "1 étoile": -2.3,
    "deux étoiles": -1.2,
    "fuyez": -2.5,
    "vaut le coup": 2.0,
    "vaut la peine": 1.8,
    "fait le job": 1.5,
    "fait le travail": 1.5,
    "fait son travail": 1.5,
    "comme décrit": 1.0,
    "au top": 2.8,
    "cinq étoiles": 2.5,
    "5 étoiles": 2.5,
    "quatre étoiles": 1.5,
    "4 étoiles": 1.5,
    "rapport qualité prix": 0.4,
    "qualité prix": 0.4,
    "bonne qualité": 2.0,
    "haute qualité": 2.0,
    "mauvaise qualité": -2.3,
    "sans problème": 1.5,
    "aucun problème": 1.5,
    "bon marché": 0.8,
    "service client": 0.0,
    "sans intérêt": -2.0,
    "aucun intérêt": -2.3,
    "peu d' intérêt": -1.8,
    "coûte peu": 1.5,
    "dure peu": -1.8,
}

_NEGATED_ONLY: dict[str, float] = (
    {
        w: 2.0
        for w in _words("fonctionne fonctionnent fonctionnait fonctionner marche marchait tient dure charge")
    }
    | {"vaut": 1.8}
    | {w: 1.8 for w in _words("accroché accroche accrocher convaincu convaincant")}
)

_NEGATIONS = frozenset(_words("ne n' pas non jamais aucun aucune rien ni guère nullement"))
# "sans défaut", "peu fiable": they deny the word right after them, not the whole clause
_SHORT_NEGATIONS = {"sans": 2, "peu": 1}

_BOOSTERS: dict[str, float] = {
    w: B_INCR
    for w in _words(
        "très vraiment extrêmement absolument totalement complètement hyper trop tellement si vachement "
        "particulièrement incroyablement franchement carrément"
    )
} | {"tout à fait": B_INCR}
_BOOSTERS |= {w: B_DECR for w in ("assez", "plutôt", "légèrement", "relativement", "moyennement", "presque")}
_BOOSTERS["un peu"] = B_DECR


def _inflect(word: str) -> list[str]:
    """The four forms of a regular French adjective; other words stay as they are."""
    if word.endswith("eux"):
        return [word, word[:-1] + "se", word[:-1] + "ses"]
    if word.endswith("if"):
        return [word, word + "s", word[:-1] + "ve", word[:-1] + "ves"]
    if word.endswith(("el", "on")):
        return [word, word + "s", word + "le" if word.endswith("el") else word + "ne", word + "les"]
    if word.endswith("al"):
        return [word, word[:-1] + "ux", word + "e", word + "es"]
    if word.endswith("e"):
        return [word, word + "s"]
    if word.endswith(("s", "x")):
        return [word, word + "e", word + "es"]
    return [word, word + "s", word + "e", word + "es"]


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _with_unaccented(words: dict[str, float]) -> dict[str, float]:
    """Every entry also as typed without accents ("deception", "tres decu"): a written form keeps its own
    valence when two words fold together."""
    return words | {_unaccented(w): v for w, v in words.items() if _unaccented(w) not in words}


def french() -> Language:
    """The French profile for the rule engine."""
    lexicon = inflected_lexicon(_WORDS, _inflect, _NEGATED_ONLY)
    return Language(
        code="fr",
        lexicon=_with_unaccented(lexicon) | emoji_valences(),
        emojis={e: e for e in emoji_valences()},  # each emoji its own word, valued as in English
        negations=_NEGATIONS,
        boosters=_with_unaccented(_BOOSTERS),
        contrast=frozenset(
            {"mais", "cependant", "pourtant", "toutefois", "par contre", "néanmoins", "neanmoins"}
        ),
        phrases=_with_unaccented(_PHRASES),
        negated_only=_with_unaccented(_NEGATED_ONLY),
        single_negation=True,
        elisions=frozenset(_words("l' d' j' n' c' qu' s' m' t' jusqu' lorsqu' puisqu'")),
        clause_scope=True,
        negation_reach=5,
        short_negations=_SHORT_NEGATIONS,
        comparatives={w: 2.0 for w in _words("mieux meilleur meilleure meilleurs meilleures")}
        | {"pire": -2.0, "pires": -2.0},
        than=frozenset(_words("que qu'")),
    )
