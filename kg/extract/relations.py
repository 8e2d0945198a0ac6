"""Relations stated around names: roles in organisations, founders, family, place containment.

The rules read the phrase next to a name rather than whole-sentence patterns, so they
survive the parser's misattachments on long news sentences:

- after a person: 'X, director of the Iran Program at the Middle East Institute',
  'X (deputy chair of the National Coalition)', 'X is the executive director at Y',
  'X, son of Y';
- before a person: "the NCRI's president-elect X", 'leader of the NCRI X',
  'NCRI president X', 'its founder, the late Dr. X';
- after a place: 'Pakdasht, located in Tehran Province', 'Qom, central Iran'.

A role phrase must be headed by a role noun from the gazetteer (kg:RoleNoun), so
'X, a city in Y' or 'the actor X' give nothing. Memberships stated without a role noun
('X (Party)', "Party's X", 'the party, led by X', bylines) are read in ``affiliations.py``.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.affiliations import (FOUNDER_ROLES, clause_affiliations, organisation_affiliations,
                                     person_affiliations)
from kg.extract.claims import Relation
from kg.extract.gazetteer import Gazetteer
from kg.extract.grammar import (DETERMINERS, ORGANISATION_LABELS, PERSON_LABELS, PLACE_LABELS,
                               STANDING_FOR_ORGANISATIONS, UNIT_NOUNS, MentionIndex, evidence)
from kg.extract.mentions import Mention
from kg.places import world

ROLE_PREPOSITIONS = {"of", "at", "for", "with", "in", "from"}
ROLE_POS = {"ADJ", "NOUN", "PROPN"}
APPOSITION_OPENERS = {",", "(", "–", "—"}
MAX_ROLE_WORDS = 6
MAX_APPOSITION_WORDS = 8
APPOSITION_CLOSERS = {",", ")", ";", ".", "–", "—"}
# 'the news website Rappler', 'the opposition party X': common nouns that introduce a name.
MAX_DESCRIPTOR_WORDS = 3
MEMBER_ROLES = {"member", "members"}
# 'X, son of Y' → X schema:parent Y; 'X, father of Y' → X schema:children Y.
KINSHIP = {"son": "parent", "daughter": "parent", "child": "parent", "father": "children",
           "mother": "children", "parent": "children", "wife": "spouse", "husband": "spouse",
           "widow": "spouse", "spouse": "spouse", "brother": "sibling", "sister": "sibling"}
COMPASS = {"central", "northern", "southern", "eastern", "western", "north", "south", "east", "west",
           "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
           "southeastern", "southwestern"}
LOCATING_WORDS = {"located", "situated", "based", "lying"}
PART_NOUNS = {"capital", "city", "town", "village", "district", "province", "region", "part", "suburb",
              "county", "state", "port", "outskirts"}
CONTAINER_CLASSES = {"Country", "AdministrativeArea", "Region", "Continent"}
POSSESSIVES = {"'s", "’s"}


@dataclass(frozen=True)
class RolePhrase:
    """'director of the Iran Program' + the organisation (or person) the phrase leads to."""

    words: str
    head: str
    target: Mention
    end: int  # token index after the target


def relations(doc: Doc, index: MentionIndex, gazetteer: Gazetteer) -> list[Relation]:
    found: list[Relation] = []
    for ent in doc.ents:
        mention = index.at(ent.start)
        if mention is None:
            continue
        if mention.label in PERSON_LABELS:
            found.extend(roles_after(doc, ent, mention, index, gazetteer))
            found.extend(roles_before(doc, ent, mention, index, gazetteer))
            found.extend(person_affiliations(doc, ent, mention, index, gazetteer))
        if mention.label in ORGANISATION_LABELS:
            found.extend(organisation_affiliations(doc, ent, mention, index))
        if mention.label in PLACE_LABELS:
            found.extend(containment(doc, ent, mention, index, gazetteer))
    found.extend(clause_affiliations(doc, index, gazetteer))
    return unique(found)


# --- roles ------------------------------------------------------------------------------

def roles_after(doc: Doc, ent: Span, person: Mention, index: MentionIndex,
                gazetteer: Gazetteer) -> Iterator[Relation]:
    """'X, ROLE of ORG', 'X (ROLE of ORG)', 'X is the ROLE at ORG', 'X, the ORG's ROLE'."""
    start = ent.end
    if start >= len(doc):
        return
    opener = doc[start]
    if opener.text in APPOSITION_OPENERS:
        method = "rule:apposition-role"
    elif opener.lemma_ == "be" and ent.root.head == opener:
        method = "rule:copula-role"
    else:
        return
    phrases = role_phrases(doc, start + 1, index, gazetteer)
    for phrase in phrases:
        yield from role_relations(person, phrase, doc, ent.start, method, 0.85)
    if phrases:
        return
    owner = possessive_role(doc, start + 1, index, gazetteer)
    if owner is not None:
        yield from role_relations(person, owner, doc, ent.start, "rule:apposition-possessive-role", 0.8)
        return
    owner = premodified_role(doc, start + 1, index, gazetteer)
    if owner is not None:
        yield from role_relations(person, owner, doc, ent.start, "rule:apposition-premodified-role", 0.8)


def roles_before(doc: Doc, ent: Span, person: Mention, index: MentionIndex,
                 gazetteer: Gazetteer) -> Iterator[Relation]:
    """"ORG's ROLE X", 'ORG ROLE X', 'its ROLE, the late X'; else 'ROLE of ORG X', 'ROLE of ORG, TITLE X',
    'Member of Parliament (MP) X'."""
    end = skip_back(doc, before_acronym(doc, ent.start - 1), gazetteer) + 1
    start = role_words_before(doc, end, index)
    head = head_noun(doc[start:end], gazetteer) if start < end else None
    if head is not None:
        org = owner_before(doc, start - 1, index)
        if org is not None:
            phrase = RolePhrase(doc[start:end].text, head, org, ent.start)
            listed = listed_after(ent, index) if doc[end - 1].tag_ == "NNS" else []
            for named in [person, *listed]:
                yield from role_relations(named, phrase, doc, org_start(doc, start - 1, index),
                                          "rule:title-before-name", 0.8)
            return
        if start < 1 or doc[start - 1].text != ",":
            return
        end = skip_back(doc, start - 1, gazetteer) + 1  # 'the President of ORG, Ambassador X'
    if end >= 1 and doc[end].text == "," and index.span(end - 1) is None:
        yield from role_for_unit_before(doc, ent, person, end, index, gazetteer)
        return
    org_span = index.span(end - 1) if end >= 1 else None
    if org_span is None or org_span.end != end or index.at(org_span.start, ORGANISATION_LABELS) is None:
        return
    of = org_span.start - 1
    while of >= 0 and doc[of].lower_ in DETERMINERS:
        of -= 1
    if of < 1 or doc[of].lower_ != "of":
        return
    start = role_words_before(doc, of, index)
    head = head_noun(doc[start:of], gazetteer) if start < of else None
    if head is not None:
        phrase = RolePhrase(doc[start:of].text, head, index.at(org_span.start), ent.start)
        yield from role_relations(person, phrase, doc, start, "rule:title-of-org-before-name", 0.75)


def before_acronym(doc: Doc, i: int) -> int:
    """Back past a bracketed acronym ending at ``i`` ('(MP)', '(CCC)'), or ``i``."""
    if i >= 2 and doc[i].text == ")":
        opening = next((j for j in range(i - 1, max(i - 4, -1), -1) if doc[j].text == "("), None)
        if opening is not None and all(t.text.isupper() or not t.is_alpha for t in doc[opening + 1:i]):
            return opening - 1
    return i


def role_for_unit_before(doc: Doc, ent: Span, person: Mention, comma: int, index: MentionIndex,
                         gazetteer: Gazetteer) -> Iterator[Relation]:
    """'a journalist for Radio Free Europe's Kazakh service, X': a role of an organisation's unit,
    in an apposition that ends at the comma before the name."""
    for j in range(comma - 1, max(comma - MAX_APPOSITION_WORDS, doc[comma].sent.start) - 1, -1):
        if doc[j].text in APPOSITION_CLOSERS or doc[j].pos_ in ("VERB", "AUX"):
            return
        span = index.span(j)
        if span is None or index.at(j, ORGANISATION_LABELS) is None:
            continue
        before = span.start - 1
        while before >= 0 and doc[before].lower_ in DETERMINERS:
            before -= 1
        if before < 1 or doc[before].lower_ not in ROLE_PREPOSITIONS:
            continue  # a name inside the unit's description: 'Radio Free Europe's [Kazakh] service'
        start = role_words_before(doc, before, index)
        head = head_noun(doc[start:before], gazetteer) if start < before else None
        if head is not None:
            phrase = RolePhrase(doc[start:before].text, head, index.at(j), ent.start)
            yield from role_relations(person, phrase, doc, start, "rule:role-of-unit-before-name", 0.7)
        return


def listed_after(ent: Span, index: MentionIndex) -> list[Mention]:
    """The other names of a list a plural role introduces: 'Greenpeace members A, B and C' —
    the names right after the first one, joined by commas and 'and'."""
    found, i = [], ent.end
    while i < len(ent.doc):
        if ent.doc[i].text == "," or ent.doc[i].lower_ == "and":
            i += 1
            continue
        span, person = index.span(i), index.at(i, {"PERSON"})
        if person is None or span.start != i:
            break
        found.append(person)
        i = span.end
    return found


def role_words_before(doc: Doc, end: int, index: MentionIndex) -> int:
    """Where the role words ending at token ``end`` (exclusive) begin."""
    start = end
    while start > 0 and is_role_word(doc[start - 1], index) and end - start < MAX_ROLE_WORDS:
        start -= 1
    return start


def skip_back(doc: Doc, i: int, gazetteer: Gazetteer) -> int:
    """Step back over honorifics, 'late' and the comma of 'its founder, the late Dr. X'.

    A title that is also a role noun ('President', 'General' in 'secretary general') is
    part of the role, not skipped.
    """
    honorifics = {t.lower() for t in gazetteer.titles} - gazetteer.role_nouns
    while i >= 0 and (doc[i].lower_ in honorifics or doc[i].lower_ in DETERMINERS | {"late", ","}):
        i -= 1
    return i


def owner_before(doc: Doc, i: int, index: MentionIndex) -> Mention | None:
    """The organisation owning a role written just before the role words: "ORG's", 'ORG', 'its',
    "the outlet's", 'ORG (ACRONYM)'."""
    i = before_acronym(doc, i)  # 'Citizens Coalition for Change (CCC) deputy chairperson X'
    if i < 0:
        return None
    if doc[i].text in POSSESSIVES:
        i -= 1
    if doc[i].lower_ in {"its", "their"} or (doc[i].lower_ in STANDING_FOR_ORGANISATIONS and i >= 1
                                            and doc[i - 1].lower_ == "the"):
        return nearest_org_before(doc, i, index)
    return whole_organisation(index.at(i, ORGANISATION_LABELS), index)


def whole_organisation(org: Mention | None, index: MentionIndex) -> Mention | None:
    """'[CPJ Board] Chair X' is the chair of CPJ's board: the organisation, when the text names it alone."""
    if org is None or " " not in org.text or org.text.rsplit(" ", 1)[1].lower() not in UNIT_NOUNS:
        return org
    return index.named(org.text.rsplit(" ", 1)[0], ORGANISATION_LABELS) or org


def org_start(doc: Doc, i: int, index: MentionIndex) -> int:
    span = index.span(i - 1 if i >= 1 and doc[i].text in POSSESSIVES else i)
    return span.start if span is not None else max(i, 0)


def nearest_org_before(doc: Doc, i: int, index: MentionIndex) -> Mention | None:
    """'its', 'the outlet' refer to the last organisation named before them in this sentence or the one before."""
    sentence_start = doc[i].sent.start
    before = doc[sentence_start - 1].sent.start if sentence_start > 0 else 0
    for j in range(i - 1, before - 1, -1):
        mention = index.at(j, {"ORG"})
        if mention is not None:
            return mention
    return None


def role_phrases(doc: Doc, i: int, index: MentionIndex, gazetteer: Gazetteer) -> list[RolePhrase]:
    """'a history professor at ORG', 'director of the Iran Program at ORG', 'son of PERSON'.

    Each organisation of a chain gets the role up to it: 'dean of the Law School at the
    University' is dean of the school and 'dean of the Law School' at the university. A
    role's own complement stays in the role: 'Director of Advancement for the Faculty'.
    """
    while i < len(doc) and doc[i].lower_ in DETERMINERS:
        i += 1
    start = i
    while i < len(doc) and (is_role_word(doc[i], index) or coordinates_roles(doc, i, index, gazetteer)) \
            and i - start < MAX_ROLE_WORDS:
        i += 1
    words = doc[start:i]
    head = head_noun(words, gazetteer) if words else None
    if head is None:
        return []
    phrases: list[RolePhrase] = []
    while i < len(doc) and doc[i].lower_ in ROLE_PREPOSITIONS:
        j = i + 1
        while j < len(doc) and (doc[j].lower_ in DETERMINERS or (
                head in KINSHIP and j - i <= 5 and (doc[j].pos_ in ("ADJ", "VERB") or doc[j].text == "-")
                and index.at(j) is None)):
            j += 1  # 'daughter of detained German-Iranian X'
        j = after_descriptor(doc, j, index)
        span = index.span(j)
        target = index.at(j, ORGANISATION_LABELS | {"PERSON"})
        if span is None or target is None or span.start != j:
            complement = role_complement(doc, i, index)
            if phrases or complement == i:
                break
            i = complement
            continue
        if target.label == "PERSON" and head not in KINSHIP:
            break
        phrases.append(RolePhrase(doc[start:i].text, head, target, span.end))
        i = span.end
    return phrases


def coordinates_roles(doc: Doc, i: int, index: MentionIndex, gazetteer: Gazetteer) -> bool:
    """'and' between two role words: 'founder and executive editor of X'."""
    return doc[i].lower_ == "and" and i >= 1 and i + 1 < len(doc) and is_role_word(doc[i - 1], index) \
        and is_role_word(doc[i + 1], index) and head_noun(doc[i - 1:i], gazetteer) is not None


def after_descriptor(doc: Doc, j: int, index: MentionIndex) -> int:
    """Past lower-case nouns that introduce the name after them ('the news website Rappler'), if one follows."""
    k = j
    while k < len(doc) and k - j < MAX_DESCRIPTOR_WORDS and doc[k].pos_ in ("NOUN", "ADJ") \
            and doc[k].is_lower and index.at(k) is None:
        k += 1
    return k if k > j and index.at(k, ORGANISATION_LABELS) is not None and index.span(k).start == k else j


def role_complement(doc: Doc, i: int, index: MentionIndex) -> int:
    """After 'Director' at ``i`` = 'of': the end of 'of Advancement' when another preposition
    follows it, else ``i``."""
    j = i + 1
    while j < len(doc) and is_role_word(doc[j], index) and j - i <= 3:
        j += 1
    return j if doc[i].lower_ == "of" and j > i + 1 and j < len(doc) and doc[j].lower_ in ROLE_PREPOSITIONS else i


def possessive_role(doc: Doc, i: int, index: MentionIndex, gazetteer: Gazetteer) -> RolePhrase | None:
    """"the NCRI's president" after a name (an owner the model took for a person too: resolution decides)."""
    while i < len(doc) and doc[i].lower_ in DETERMINERS:
        i += 1
    span = index.span(i)
    org = index.at(i, ORGANISATION_LABELS | PERSON_LABELS)
    if span is None or org is None or span.end >= len(doc) or doc[span.end].text not in POSSESSIVES:
        return None
    start = end = span.end + 1
    while end < len(doc) and is_role_word(doc[end], index) and end - start < MAX_ROLE_WORDS:
        end += 1
    head = head_noun(doc[start:end], gazetteer) if end > start else None
    return RolePhrase(doc[start:end].text, head, org, end) if head else None


def premodified_role(doc: Doc, i: int, index: MentionIndex, gazetteer: Gazetteer) -> RolePhrase | None:
    """'a Greenpeace member', 'a veteran editor and former CNN journalist' after a name: an
    organisation inside the apposition names the owner of the role words after it."""
    for j in range(i, min(len(doc), i + MAX_APPOSITION_WORDS)):
        if doc[j].text in APPOSITION_CLOSERS:
            return None
        span, org = index.span(j), index.at(j, ORGANISATION_LABELS)
        if span is None or org is None or span.start != j:
            if index.at(j) is not None:
                return None  # another name first: not this person's description
            continue
        end = span.end
        while end < len(doc) and is_role_word(doc[end], index) and end - span.end < MAX_ROLE_WORDS:
            end += 1
        head = head_noun(doc[span.end:end], gazetteer) if end > span.end else None
        if end < len(doc) and index.at(end, {"PERSON"}) is not None:
            return None  # 'X, ORG Vice-President Y and …': the role words are the next person's title
        return RolePhrase(doc[span.end:end].text, head, org, end) if head else None
    return None


def is_role_word(token: Token, index: MentionIndex) -> bool:
    """A word of a role phrase: an adjective or noun outside any name, or the hyphen of 'president-elect'."""
    return index.at(token) is None and (token.pos_ in ROLE_POS or token.text == "-")


def head_noun(words: Span, gazetteer: Gazetteer) -> str | None:
    """The role noun heading the words ('history professor' → 'professor'), if any."""
    for token in reversed(words):
        for form in (token.lower_, token.lemma_.lower()):
            if form in gazetteer.role_nouns or form in KINSHIP:
                return form
    return None


def role_relations(person: Mention, phrase: RolePhrase, doc: Doc, start_token: int, method: str,
                   confidence: float) -> Iterator[Relation]:
    """The relation a role phrase states: founder, family, plain membership or a named role."""
    first = doc[min(start_token, phrase.end - 1)]
    last = doc[phrase.end - 1]
    start = min(first.idx, person.start)
    end = max(last.idx + len(last.text), person.end)
    proof = evidence(first.sent, start, end, method, confidence)
    if phrase.head in KINSHIP:
        if phrase.target.label == "PERSON":
            yield Relation(person, KINSHIP[phrase.head], phrase.target, proof)
        return
    if phrase.target.label not in ORGANISATION_LABELS | PERSON_LABELS:
        return  # a person owner ('ORG's director' read as a name) is kept only if resolution says organisation
    if phrase.head in FOUNDER_ROLES:
        yield Relation(phrase.target, "founder", person, proof)
    elif phrase.head in MEMBER_ROLES and phrase.words.lower() in MEMBER_ROLES:
        yield Relation(person, "memberOf", phrase.target, proof)
    else:
        yield Relation(person, "memberOf", phrase.target, proof, role=clean_role(phrase.words))


def clean_role(words: str) -> str:
    return " ".join(words.replace(" - ", "-").replace(" -", "-").split()).strip(" ,(")


# --- places -------------------------------------------------------------------------------

def containment(doc: Doc, ent: Span, place: Mention, index: MentionIndex,
                gazetteer: Gazetteer) -> Iterator[Relation]:
    """'P, located in Q', 'P, central Q', 'P, the capital of Q'; 'P, Q' when Q is a country or
    province and the two are not items of a list."""
    i = ent.end
    if i >= len(doc) or doc[i].text != ",":
        return
    i += 1
    method = stated_containment(doc, i)
    if method is not None:
        i += STATED_WORDS[method](doc, i)
    while i < len(doc) and doc[i].lower_ in DETERMINERS:
        i += 1
    span = index.span(i)
    container = index.at(i, PLACE_LABELS)
    if span is None or container is None or span.start != i or container.text == place.text:
        return
    if method is None:
        if not is_container(container) or is_container(place):
            return
        if continues_list(doc, span.end, index):
            return
    proof = evidence(ent.sent, place.start, container.end, method or "rule:place-comma-place",
                     0.9 if method else 0.7)
    yield Relation(place, "containedInPlace", container, proof)


def stated_containment(doc: Doc, i: int) -> str | None:
    """Which words after the comma state containment: 'located in', 'central', 'the capital of'."""
    if i + 1 < len(doc) and doc[i].lower_ in LOCATING_WORDS and doc[i + 1].lower_ == "in":
        return "rule:located-in"
    if i < len(doc) and doc[i].lower_ in COMPASS:
        return "rule:compass-place"
    j = i + 1 if i < len(doc) and doc[i].lower_ in DETERMINERS else i
    if j + 1 < len(doc) and doc[j].lower_ in PART_NOUNS and doc[j + 1].lower_ == "of":
        return "rule:part-of-place"
    return None


# How many tokens each stated form takes before the container's name.
STATED_WORDS = {
    "rule:located-in": lambda doc, i: 2,
    "rule:compass-place": lambda doc, i: 1,
    "rule:part-of-place": lambda doc, i: (1 if doc[i].lower_ in DETERMINERS else 0) + 2,
}


def is_container(mention: Mention) -> bool:
    """A country, continent or first-level division by the world's data."""
    place = world().best(mention.text)
    return place is not None and place.rdf_class in CONTAINER_CLASSES


def continues_list(doc: Doc, i: int, index: MentionIndex) -> bool:
    """'Malmö, Gothenburg, Stockholm': a place followed by ', PLACE' or 'and' is a list item."""
    if i < len(doc) and doc[i].lower_ in {"and", "or"}:
        return True
    return i + 1 < len(doc) and doc[i].text == "," and (
        index.at(i + 1, PLACE_LABELS) is not None or doc[i + 1].lower_ in {"and", "or"})


def unique(found: list[Relation]) -> list[Relation]:
    seen, kept = set(), []
    for relation in found:
        key = (relation.subject.start, relation.predicate, relation.object.start, relation.role)
        if key not in seen:
            seen.add(key)
            kept.append(relation)
    return kept
