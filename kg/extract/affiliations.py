"""Affiliations news states without a role noun next to the name, read from the parse:

- a party in brackets after a name: 'Prime Minister Robert Hale (Labour)';
- possessives: "the Labour Party's Anna Berg", "Hale's Labour Party";
- an 'of'-phrase: 'Tom Rudd (PhD) of the Green Party';
- verbs of leading, active or passive, in a main or relative clause: 'the party, which
  is headed by Tom Rudd', 'the party led by Tom Rudd', 'Tom Rudd, who heads the party',
  'Rudd has led the party since 2019' (the gazetteer's kg:RoleVerb lists give the role);
- members listed after 'whose members': 'the Group, whose members — A, B and C — …';
- a list after a plural role: 'Greenpeace members A, B and C' (the role of the first
  name holds for the names joined to it);
- bylines: 'Jane Doe, Reuters' on a line of its own, or 'By Jane Doe' over a wire
  dateline 'CHISINAU (Reuters) -'.

The rules in ``relations.py`` read role nouns around names ('X, director of Y') and call
these for the rest. Every organisation the document names counts, not only gazetteer ones.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.extract.claims import Relation
from kg.extract.gazetteer import Gazetteer
from kg.extract.grammar import (DETERMINERS, ORGANISATION_LABELS, PERSON_LABELS, STANDING_FOR_ORGANISATIONS,
                               MentionIndex, evidence)
from kg.extract.mentions import Mention

POSSESSIVES = {"'s", "’s", "'", "’"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
MEMBER_NOUNS = {"member", "members"}
FOUNDER_ROLES = {"founder", "co-founder", "cofounder"}
BYLINE_SEPARATORS = re.compile(r"^[\s,|/–—-]*$")
BYLINE_OPENER = re.compile(r"^\s*by\s+", re.IGNORECASE)
DATELINE_AGENCY = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,[^(\n]{1,40})?\s*\((?P<agency>[^)]{2,40})\)\s*[-–—]")
BYLINE_LINES = 12
REPORTER = "reporter"


def person_affiliations(doc: Doc, ent: Span, person: Mention, index: MentionIndex,
                        gazetteer: Gazetteer) -> Iterator[Relation]:
    """What the words around a person's name say of their organisation."""
    yield from included_in_group(ent, person, index, gazetteer)
    yield from bracketed_organisation(doc, ent, person, index)
    yield from organisation_of(doc, ent, person, index)
    if (org := possessive_before(doc, ent, index, ORGANISATION_LABELS)) is not None:
        yield stated(person, org, ent.sent, "rule:organisation-possessive-person", 0.7)


def organisation_affiliations(doc: Doc, ent: Span, org: Mention, index: MentionIndex) -> Iterator[Relation]:
    """What the words around an organisation's name say of its people."""
    if (person := possessive_before(doc, ent, index, PERSON_LABELS)) is not None:
        yield stated(person, org, ent.sent, "rule:person-possessive-organisation", 0.6)
    yield from listed_members(ent, org, index)
    yield from described_as_persons(doc, ent, org, index)


def clause_affiliations(doc: Doc, index: MentionIndex, gazetteer: Gazetteer) -> Iterator[Relation]:
    """Verbs of leading and 'serve as' anywhere in the document, and its bylines."""
    for token in doc:
        if token.pos_ == "VERB" and token.lemma_.lower() in gazetteer.role_verbs:
            yield from leadership(token, gazetteer.role_verbs[token.lemma_.lower()], index)
        elif token.pos_ == "VERB" and token.lemma_.lower() == "serve":
            yield from serving_as(token, index, gazetteer)
    sentences = list(doc.sents)
    for before, sentence in zip(sentences, sentences[1:]):
        yield from described_again(before, sentence, index, gazetteer)
    yield from bylines(doc, index)


def stated(person: Mention, org: Mention, sentence: Span, method: str, confidence: float,
           role: str | None = None) -> Relation:
    start, end = min(person.start, org.start), max(person.end, org.end)
    return Relation(person, "memberOf", org, evidence(sentence, start, end, method, confidence), role=role)


# --- next to the name -----------------------------------------------------------------------

def bracketed_organisation(doc: Doc, ent: Span, person: Mention, index: MentionIndex) -> Iterator[Relation]:
    """'Robert Hale (Labour Party)': a party or body in brackets right after a name."""
    if ent.end + 2 < len(doc) and doc[ent.end].text == "(":
        span, org = index.span(ent.end + 1), index.at(ent.end + 1, ORGANISATION_LABELS)
        if org is not None and span.start == ent.end + 1 and span.end < len(doc) and doc[span.end].text == ")":
            yield stated(person, org, ent.sent, "rule:bracketed-organisation", 0.7)


def organisation_of(doc: Doc, ent: Span, person: Mention, index: MentionIndex) -> Iterator[Relation]:
    """'Tom Rudd of the Green Party', 'Tom Rudd (PhD) of MEDREK'."""
    i = skip_brackets(doc, ent.end)
    if i >= len(doc) or doc[i].lower_ != "of":
        return
    i += 1
    while i < len(doc) and doc[i].lower_ in DETERMINERS:
        i += 1
    span, org = index.span(i), index.at(i, ORGANISATION_LABELS)
    if org is None and index.at(i) is None:
        org = index.named_elsewhere(proper_noun_run(doc, i), ORGANISATION_LABELS)
    elif org is not None and span.start != i:
        org = None
    if org is not None:
        yield stated(person, org, ent.sent, "rule:person-of-organisation", 0.7)


def proper_noun_run(doc: Doc, i: int) -> Span:
    """The proper nouns from ``i`` on: a name the model did not label here."""
    end = i
    while end < len(doc) and doc[end].pos_ == "PROPN" and end - i < 6:
        end += 1
    return doc[i:end]


def skip_brackets(doc: Doc, i: int) -> int:
    """The token after a bracketed aside starting at ``i`` ('(PhD)'), or ``i``."""
    if i < len(doc) and doc[i].text == "(":
        for j in range(i + 1, min(len(doc), i + 8)):
            if doc[j].text == ")":
                return j + 1
    return i


def possessive_before(doc: Doc, ent: Span, index: MentionIndex, labels: set[str]) -> Mention | None:
    """The name in the possessive right before ``ent``: "the Labour Party's [Anna Berg]", "Hale's [Labour]"."""
    i = ent.start - 1
    if i < 1 or doc[i].text not in POSSESSIVES:
        return None
    span, owner = index.span(i - 1), index.at(i - 1, labels)
    return owner if owner is not None and span.end == i else None


def described_as_persons(doc: Doc, ent: Span, org: Mention, index: MentionIndex) -> Iterator[Relation]:
    """"the United Movement, Ivanov's party, came second": an apposition that gives the owner."""
    i = ent.end
    if i + 3 >= len(doc) or doc[i].text != ",":
        return
    span, person = index.span(i + 1), index.at(i + 1, {"PERSON"})
    if person is None or span.start != i + 1 or span.end + 1 >= len(doc) or doc[span.end].text not in POSSESSIVES:
        return
    noun = doc[span.end + 1]
    if noun.lemma_.lower() in STANDING_FOR_ORGANISATIONS:
        yield stated(person, org, ent.sent, "rule:organisation-apposition-possessive", 0.7)


def included_in_group(ent: Span, person: Mention, index: MentionIndex, gazetteer: Gazetteer) -> Iterator[Relation]:
    """'HDP MPs were detained, including the lawmaker X': a name under 'including' and a group
    of an organisation's role-holders ('ORG MPs', "ORG's members") that the clause names."""
    named = ent.root.head if ent.root.dep_ == "appos" else ent.root  # 'including the lawmaker X'
    including = named.head
    if named.dep_ != "pobj" or including.lower_ != "including":
        return
    holder = including.head
    groups = [holder] if holder.pos_ in ("NOUN", "PROPN") else \
        [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    for group in groups:
        role = group.lemma_.lower()
        if role not in gazetteer.role_nouns:
            continue
        role = singular(group)
        for owner in group.lefts:
            org = index.at(owner, {"ORG"}) if owner.dep_ in ("compound", "poss") else None
            if org is not None:
                yield stated(person, org, ent.sent, "rule:included-in-group", 0.7,
                             role=None if role.lower() in MEMBER_NOUNS else role)


def singular(noun: Token) -> str:
    """'MPs' → 'MP', 'lawmakers' → 'lawmaker': a role as written, for one person."""
    if noun.tag_ == "NNS" and noun.text.endswith("s") and noun.text[:-1].isupper():
        return noun.text[:-1]
    return noun.lemma_


# --- in the clause ----------------------------------------------------------------------------

def leadership(verb: Token, role: str, index: MentionIndex) -> Iterator[Relation]:
    """'the party (which is) headed by X', 'X, who heads the party', 'X has led the party'."""
    people = [m for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
              for m in [index.at(g, {"PERSON"})] if m is not None]
    orgs = [index.at(c, {"ORG"}) for c in verb.children if c.dep_ == "nsubjpass"]
    if verb.dep_ in ("acl", "relcl"):
        described = antecedent(verb)  # 'the Awami League party, headed by X': the party's name
        orgs += [index.at(t, {"ORG"}) for t in (described, *(c for c in described.lefts if c.dep_ == "compound"))]
    if not people:
        people = [index.at(antecedent(verb) if c.lower_ in RELATIVE_PRONOUNS else c, {"PERSON"})
                  for c in verb.children if c.dep_ == "nsubj"]
        orgs += [index.at(c, {"ORG"}) for c in verb.children if c.dep_ == "dobj"]
    for person in filter(None, people):
        for org in filter(None, orgs):
            relation = stated(person, org, verb.sent, "rule:verb-of-leading", 0.75, role=role)
            yield Relation(org, "founder", person, relation.evidence) if role in FOUNDER_ROLES else relation


def serving_as(verb: Token, index: MentionIndex, gazetteer: Gazetteer) -> Iterator[Relation]:
    """'X, Y and Z will serve as the members of the Group', 'appointed X to serve as chair of ORG'."""
    for as_ in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        for role in (c for c in as_.children if c.dep_ == "pobj" and c.lemma_.lower() in gazetteer.role_nouns):
            orgs = [index.at(g, ORGANISATION_LABELS) for p in role.children if p.dep_ == "prep"
                    and p.lower_ in ("of", "on", "at", "for") for g in p.children if g.dep_ == "pobj"]
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            region = [t for c in subjects for t in c.subtree] or list(verb.doc[verb.head.i + 1:verb.i])
            name = None if role.lemma_.lower() in MEMBER_NOUNS else singular(role)
            for person in index.among(region, {"PERSON"}):
                for org in filter(None, orgs):
                    yield stated(person, org, verb.sent, "rule:serve-as-role", 0.7, role=name)


def described_again(before: Span, sentence: Span, index: MentionIndex, gazetteer: Gazetteer) -> Iterator[Relation]:
    """'Hun Sen has ruled for decades. The former Khmer Rouge cadre has become …': a sentence whose
    subject is 'the ORG ROLE' describes again the person the sentence before was about."""
    subject = next((c for c in sentence.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lemma_.lower() not in gazetteer.role_nouns or subject.tag_ != "NN" \
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children):
        return
    orgs = [index.at(c, ORGANISATION_LABELS) for c in subject.lefts if c.dep_ == "compound"]
    earlier = next((c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    person = index.at(earlier, {"PERSON"}) if earlier is not None else None
    if person is None or index.among(subject.subtree, {"PERSON"}):
        return
    for org in filter(None, orgs):
        words = [t.text for t in subject.lefts if t.dep_ == "amod"] + [subject.text]
        yield stated(person, org, sentence, "rule:described-again", 0.5, role=" ".join(words))


def antecedent(verb: Token) -> Token:
    """What a relative clause or participle describes: 'the party, which is headed by …' → party."""
    return verb.head if verb.dep_ in ("acl", "relcl") else verb


def listed_members(ent: Span, org: Mention, index: MentionIndex) -> Iterator[Relation]:
    """'the Group, whose members — A, B (Chile) and C — were chosen': every person in the list,
    which runs from 'members' to the clause's verb (the parser often attaches its names elsewhere)."""
    for token in ent.root.children:
        if token.dep_ != "relcl" or token.lemma_.lower() not in MEMBER_NOUNS:
            continue
        if not any(c.lower_ == "whose" for c in token.children):
            continue
        end = next((t.i for t in token.doc[token.i + 1:token.sent.end]
                    if t.pos_ in ("VERB", "AUX") and index.at(t) is None), token.sent.end)
        for person in index.among(token.doc[token.i + 1:end], {"PERSON"}):
            yield stated(person, org, ent.sent, "rule:whose-members", 0.75)


# --- bylines ----------------------------------------------------------------------------------

def bylines(doc: Doc, index: MentionIndex) -> Iterator[Relation]:
    """'Jane Doe, Reuters' alone on a line; or 'By Jane Doe' over a dateline 'CITY (Reuters) -'."""
    text = index.text
    offset, authors, agency = 0, [], None
    for number, line in enumerate(text.split("\n")):
        if number >= BYLINE_LINES:
            break
        people = line_mentions(doc, index, offset, line, {"PERSON"})
        orgs = line_mentions(doc, index, offset, line, {"ORG"})
        rest = strip_mentions(line, offset, people + orgs)
        if people and BYLINE_SEPARATORS.match(BYLINE_OPENER.sub("", rest)):
            authors.extend(people)
            for person in people:
                for org in orgs:
                    yield stated(person, org, doc.char_span(offset, offset + len(line), alignment_mode="expand"),
                                 "rule:byline-agency", 0.8, role=REPORTER)
        elif agency is None and (dateline := DATELINE_AGENCY.match(line)):
            agency = next((o for o in orgs if o.start == offset + dateline.start("agency")), None)
            if agency is not None:
                for person in authors:
                    yield stated(person, agency, doc.char_span(agency.start, agency.end, alignment_mode="expand"),
                                 "rule:byline-dateline-agency", 0.7, role=REPORTER)
        offset += len(line) + 1


def line_mentions(doc: Doc, index: MentionIndex, offset: int, line: str, labels: set[str]) -> list[Mention]:
    span = doc.char_span(offset, offset + len(line), alignment_mode="expand") if line.strip() else None
    return index.among(span, labels) if span is not None else []


def strip_mentions(line: str, offset: int, mentions: list[Mention]) -> str:
    for mention in sorted(mentions, key=lambda m: -m.start):
        start, end = mention.start - offset, mention.end - offset
        line = line[:max(start, 0)] + line[max(end, 0):]
    return line
