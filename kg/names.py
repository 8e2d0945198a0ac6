"""People's names as data: the titles written before them and the particles inside them.

Titles come from nameparser (about 800 honorifics, ranks and job titles: 'Barrister',
'Police', 'Spokesman' is not, 'Chief') together with the gazetteer's kg:Title phrases
and role nouns ('spokesman', 'chairperson'). A name that starts with such words is the
name after them; the words are the person's title there.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from nameparser.config import CONSTANTS

# Lower-case words inside a name that join its parts: 'Paz y Paz', 'del Castillo', 'bin Salman'
# (nameparser's prefixes, and its conjunctions less those that join two names: 'and', 'of', 'the').
PARTICLES = frozenset(CONSTANTS.prefixes) | frozenset(CONSTANTS.conjunctions) - {"and", "&", "of", "the"}


@lru_cache(maxsize=4)
def title_words(extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every single word that can stand as (part of) a title before a name, lower case, no dots."""
    words = set(CONSTANTS.titles) | set(CONSTANTS.first_name_titles)
    for phrase in extra:
        words.update(w.lower().rstrip(".") for w in phrase.split())
    words.discard("of")
    return frozenset(w.rstrip(".") for w in words)


def leading_titles(words: Sequence[str], titles: frozenset[str]) -> int:
    """How many of the first words are titles, leaving at least one capitalised word as the name.

    'Barrister Gohar Khan' → 1; 'Prime Minister Hun Sen' → 2; 'General' → 0 (nothing would be left).
    """
    count = 0
    while count < len(words) - 1 and words[count].lower().rstrip(".") in titles:
        count += 1
    rest = words[count:]
    return count if rest and rest[0][:1].isupper() else 0


def is_titled(words: Iterable[str], titles: frozenset[str]) -> bool:
    """Every word is a title: 'Prime Minister', 'Chief Correspondent'."""
    words = list(words)
    return bool(words) and all(w.lower().rstrip(".") in titles for w in words)
