"""Which kind of thing a name is: the model's guess checked against place data and the words around it.

The small English model calls a capital an organisation ('Chisinau'), a nationality a
person ('Moldovan'), a constituency a person. A reader corrects that from what the name
is known to be and from the words next to it:

- a nationality or people ('Moldovan', 'Kazakhs') is no entity;
- a country is a place whatever the model said; a province or a sizeable city is a place
  unless the model heard a person, and then only where the words say place ('in X',
  'X, Country', 'the second city, X');
- 'X province', 'the town of X', 'X and Y towns' make X a place; 'the X party', 'X
  newspaper', 'news website X' make X an organisation.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.components import FACILITY_HEADS, ORG_HEADS, record, tokens_among
from kg.names import PARTICLES
from kg.places import CITY, World, world

PLACE_LABELS = {"GPE", "LOC", "FAC"}
BIG_CITY = 100_000
# Lower-case nouns that say the proper name next to them is a place or an organisation.
PLACE_NOUNS = {"province", "region", "state", "district", "county", "city", "town", "village", "governorate",
               "municipality", "prefecture", "oblast", "provinces", "regions", "districts", "cities", "towns",
               "villages", "capital", "suburb", "neighbourhood", "neighborhood"}
PLACE_OF = {"province", "region", "district", "county", "city", "town", "village", "governorate", "capital",
            "municipality", "suburb"}
ORG_NOUNS = {"party", "newspaper", "newspapers", "daily", "weekly", "website", "agency", "television", "channel",
             "broadcaster", "radio", "movement", "coalition", "alliance", "militia", "magazine", "outlet", "bloc",
             "faction", "organisation", "organization", "union", "network"}
LOCATIVE = {"in", "near", "outside", "inside", "around", "across", "from", "to", "at"}
STRONG_LOCATIVE = {"in", "near", "outside", "inside", "around", "across"}
POSSESSIVE = {"'s", "’s", "'", "’"}


@Language.factory("newskg_kinds", assigns=["doc.ents"])
def make_kinds(nlp: Language, name: str) -> "Kinds":
    return Kinds()


class Kinds:
    """Fixes the kind of the model's names with place data and the nouns around them."""

    def __init__(self) -> None:
        self.world = world()

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for s in doc.ents if not self.is_demonym(s)]
        spans = [part for s in spans for part in split_names(doc, s, spans, self.world)]
        name_parts = person_name_parts(spans)
        spans = [self.place_by_data(doc, s, name_parts) for s in spans]
        spans = named_by_noun(doc, spans, name_parts, self.world)
        spans += self.untagged_countries(doc, spans)
        spans = listed_places(doc, spans, self.world, name_parts)
        doc.ents = filter_spans(spans)
        return doc

    def untagged_countries(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A country's name the model left out ('… in La Paz, Bolivia' ending a caption) is a place,
        unless it stands inside a longer run of proper names ('Chad Smith')."""
        taken = {i for s in spans for i in range(s.start, s.end)}
        found = []
        for i in tokens_among(doc, self.world.country_words, "LOWER"):
            token = doc[i]
            if token.i in taken or not token.is_title or token.pos_ != "PROPN":
                continue
            for length in (3, 2, 1):
                span = doc[token.i: token.i + length]
                if span.end > len(doc) or any(t.i in taken for t in span) or not self.world.is_country(span.text):
                    continue
                before = doc[span.start - 1] if span.start > 0 else None
                after = doc[span.end] if span.end < len(doc) else None
                if any(t is not None and t.is_title and t.pos_ == "PROPN" for t in (before, after)):
                    break
                found.append(record(doc, Span(doc, span.start, span.end, label="GPE"), "rule:known-country"))
                taken.update(range(span.start, span.end))
                break
        return found

    def is_demonym(self, span: Span) -> bool:
        """'Moldovan', 'Kazakhs', 'Iranian-Canadian': nationalities are never entities."""
        if span.label_ == "DATE" or span.id_:
            return False
        parts = span.text.replace("-", " ").replace("’s", "").replace("'s", "").split()
        return bool(parts) and all(self.world.is_demonym(p) for p in parts)

    def place_by_data(self, doc: Doc, span: Span, name_parts: set[str]) -> Span:
        """A country is a place; a province or big city the model called an organisation is a place;
        a known place the model called a person is one where the words around it say so."""
        if span.label_ in PLACE_LABELS | {"DATE"} or span.id_ or span[-1].lower_ in ORG_HEADS:
            return span
        text = display(span)
        if text in name_parts and span.label_ == "PERSON":
            return span
        places = self.world.lookup(text)
        if not places:
            return locative_person(doc, span, name_parts)
        country = any(p.kind == "country" for p in places)
        big = any(p.kind != CITY or p.population >= BIG_CITY for p in places)
        said_place = in_place_context(doc, span)
        if country or (big and span.label_ != "PERSON") or said_place:
            return record(doc, Span(doc, span.start, span.end, label="GPE"), "rule:known-place")
        return span


def listed_places(doc: Doc, spans: list[Span], places: World, name_parts: set[str]) -> list[Span]:
    """'in Lyon, Nantes and Metz': a name the model left out of a list of places, or took for a
    person's, is a place when the data knows a place by that name."""
    at = {i: s for s in spans for i in range(s.start, s.end)}
    for place in sorted((s for s in spans if s.label_ in PLACE_LABELS), key=lambda s: s.start):
        i = place.end
        while i < len(doc) and doc[i].lower_ in {",", "and", "or"}:
            i += 1
        if i == place.end or i >= len(doc):
            continue
        end = i
        while end < len(doc) and end - i < 3 and doc[end].is_title and doc[end].pos_ == "PROPN" \
                and (end not in at or at[end].label_ == "PERSON"):
            end += 1
        item = doc[i:end]
        existing = {at[j] for j in range(i, end) if j in at}
        if end == i or end < len(doc) and doc[end].is_title or item.text in name_parts \
                or any(s.start < i or s.end > end or s.id_ for s in existing) or not places.is_place(item.text, 15000):
            continue
        spans = [s for s in spans if s not in existing]
        spans.append(record(doc, Span(doc, i, end, label="GPE"), "rule:listed-place"))
        at.update({j: spans[-1] for j in range(i, end)})
    return spans


def split_names(doc: Doc, span: Span, spans: list[Span], places: World) -> list[Span]:
    """Two names the model ran together: "Harare's Chikurubi Prison" (a known place or a name the
    page uses on its own, owning another name; "the United Kingdom's Parliament" is one body) and
    'Phayathai Police Station and Chanasongkram Police Station' (two names on one head noun)."""
    if span.label_ == "DATE" or span.id_ or len(span) < 3:
        return [span]
    texts = {s.text for s in spans if s is not span}
    for token in span[1:-1]:
        if token.text in POSSESSIVE and token.i + 1 < span.end and (span.end - token.i > 2 or doc[token.i + 1].is_lower):
            owner = doc[span.start:token.i]
            if places.is_place(owner.text, 15000) or owner.text in texts:
                label = "GPE" if places.is_place(owner.text, 15000) else span.label_
                owned = doc[token.i + 1:span.end]
                parts = [record(doc, Span(doc, owner.start, owner.end, label=label), "rule:split-possessive")]
                if owned[0].is_title:
                    parts.append(record(doc, Span(doc, owned.start, owned.end, label=span.label_), "rule:split-possessive"))
                return parts
        if token.lower_ == "and":
            left, right = doc[span.start:token.i], doc[token.i + 1:span.end]
            if len(left) >= 2 and len(right) >= 2 and left[-1].lower_ == right[-1].lower_:
                return [record(doc, Span(doc, part.start, part.end, label=span.label_), "rule:split-coordinated")
                        for part in (left, right)]
    return [span]


def display(span: Span) -> str:
    text = span.text
    for ending in ("’s", "'s"):
        text = text.removesuffix(ending)
    return text.strip()


def person_name_parts(spans: list[Span]) -> set[str]:
    """Every word of the document's multi-word person names: 'Sandu' is Maia Sandu's, not a town."""
    return {t.text for s in spans if s.label_ == "PERSON" and len(s) > 1 for t in s if t.is_alpha}


def in_place_context(doc: Doc, span: Span) -> bool:
    """'in X', 'X, Country', 'Town, X', 'X region', 'the second city, X'."""
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and before.lower_ in LOCATIVE and span[-1].i + 1 < len(doc) and doc[span.end].text not in POSSESSIVE:
        return True
    if after is not None and after.lower_ in PLACE_NOUNS:
        return True
    if before is not None and before.text == "," and span.start >= 2:
        previous = doc[span.start - 2]
        if previous.ent_type_ in PLACE_LABELS or previous.lower_ in PLACE_NOUNS:
            return True
    return False


def locative_person(doc: Doc, span: Span, name_parts: set[str]) -> Span:
    """'police in Tawu', 'near Kardze': a lone unknown name after a locative preposition is a place."""
    if span.label_ != "PERSON" or len(span) != 1 or span.text in name_parts or span.start == 0:
        return span
    if doc[span.start - 1].lower_ not in STRONG_LOCATIVE:
        return span
    if span.end < len(doc) and doc[span.end].text in POSSESSIVE:
        return span
    return record(doc, Span(doc, span.start, span.end, label="GPE"), "rule:locative-place")


def named_by_noun(doc: Doc, spans: list[Span], name_parts: set[str], places: World) -> list[Span]:
    """Proper names that a common noun next to them types: 'Beni province', 'the city of El-Obeid',
    'Midakengi and Kofale towns' (places); 'the Revival party', 'news website Rappler' (organisations)."""
    found = []
    for i in tokens_among(doc, PLACE_NOUNS | PLACE_OF | FACILITY_HEADS | ORG_NOUNS):
        token = doc[i]
        if not token.is_lower:
            continue
        if token.lower_ in PLACE_NOUNS - {"capital"}:
            found += [(run, "GPE", "rule:place-noun") for run in runs_before(doc, token, places)]
        if token.lower_ in FACILITY_HEADS:
            found += [(doc[run.start:token.i + 1], "FAC", "rule:facility-noun") for run in runs_before(doc, token)[:1]]
        if token.lower_ in PLACE_OF and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of":
            run = run_after(doc, token.i + 2)
            if run is not None:
                found.append((run, "GPE", "rule:place-of"))
        if token.lower_ in ORG_NOUNS:
            noun = doc[token.i - 1] if token.i > 0 and doc[token.i - 1].lower_ in ORG_NOUNS | {"news"} else token
            found += [(run, "ORG", "rule:org-noun") for run in runs_before(doc, noun)[:1]]
            run = run_after(doc, token.i + 1)
            if run is not None and token.i + 1 < len(doc) and run.start == token.i + 1:
                found.append((run, "ORG", "rule:org-noun"))
    for run, label, source in found:
        if run.text in name_parts and label == "GPE" or all(places.is_demonym(t.text) for t in run):
            continue
        spans = [s for s in spans if not (s.start < run.end and run.start < s.end)
                 or s.id_ or (len(s) > len(run) and s.label_ == label)]
        if not any(s.start < run.end and run.start < s.end for s in spans):
            spans.append(record(doc, Span(doc, run.start, run.end, label=label), source))
    return spans


def is_name_word(token: Token) -> bool:
    return (token.is_title or token.is_upper and len(token) > 1) and token.pos_ == "PROPN" \
        and not token.is_sent_start and token.ent_type_ != "DATE"


def runs_before(doc: Doc, noun: Token, places: World | None = None) -> list[Span]:
    """The capitalised runs ending just before ``noun``, and for a plural noun those joined to it
    by 'and' or commas: 'Midakengi and Kofale towns'. With ``places``, a word the tagger took for
    an adjective counts when it is a known place ('Beni province')."""
    runs = []
    end = noun.i
    while True:
        start = end
        while start > 0 and (is_name_word(doc[start - 1]) or places is not None and is_known_place_word(doc[start - 1], places)):
            start -= 1
        if start == end:
            break
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in PARTICLES:
            start -= 2  # 'al-Tayaran', 'el-Obeid'
        if start == end:
            break
        runs.append(doc[start:end])
        if not noun.lower_.endswith("s") or start < 2 or doc[start - 1].lower_ not in {"and", ","}:
            break
        end = start - 1
    return runs


def is_known_place_word(token: Token, places: World) -> bool:
    return token.is_title and not token.is_sent_start and token.ent_type_ != "DATE" and places.is_place(token.text)


def run_after(doc: Doc, start: int) -> Span | None:
    end = start
    while end < len(doc) and (is_name_word(doc[end]) or doc[end].text == "-" and end > start):
        end += 1
    return doc[start:end] if end > start else None
