"""Organisations the model did not name, read from the words that only an organisation takes.

The small model misses the names of small outlets, parties and NGOs, or calls them people.
Two places in a news sentence say a name is an organisation whatever the model made of it:

- the noun it is built on: 'Harbour Media', 'Green Valley Party', 'Citizens Action Committee'
  (a run of proper nouns ending in an organisation's head word, ``ORG_HEADS``);
- the role its people hold in it, written before a person's name: 'ACLU spokeswoman Jane
  Roe', 'a Unity Front member, John Doe', 'Tehreek-e-Adl chief Ali Khan' (a run of proper
  nouns or an acronym right before a role noun from the gazetteer's kg:RoleNoun list, itself
  right before a person).

Neither rule makes a known place, a nationality or a title an organisation ('Kenya envoy X',
'Kenyan police chief X', 'Prime Minister X'); a person the model named keeps being one unless
the run holds an acronym ('Zoma PF member X': the model heard 'Zoma' as a first name).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.components import ORG_HEADS, record, tokens_among
from kg.names import title_words
from kg.places import world

MAX_RUN = 5
# Words a role phrase before a name is made of besides its role noun: 'deputy', 'investigative'.
ROLE_GLUE = {"-", "vice", "deputy", "co", "acting", "interim", "former", "senior", "chief", "general"}


@Language.factory("newskg_organisations", assigns=["doc.ents"], default_config={"role_nouns": [], "titles": []})
def make_organisations(nlp: Language, name: str, role_nouns: list[str], titles: list[str]) -> "Organisations":
    return Organisations(role_nouns=role_nouns, titles=titles)


class Organisations:
    """Adds the organisations named by their head noun or by the roles their people hold."""

    def __init__(self, *, role_nouns: list[str], titles: list[str]):
        self.role_nouns = frozenset(w.lower() for w in role_nouns)
        self.titles = title_words(tuple(titles)) - self.role_nouns
        self.world = world()

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.ents)
        found = self.headed_by_organisation_noun(doc, spans) + self.owning_a_role(doc, spans)
        for run, source in found:
            spans = [s for s in spans if not (s.start < run.end and run.start < s.end)]
            spans.append(record(doc, Span(doc, run.start, run.end, label="ORG"), source))
        doc.ents = filter_spans(spans)
        return doc

    def headed_by_organisation_noun(self, doc: Doc, spans: list[Span]) -> list[tuple[Span, str]]:
        """'Harbour Media', 'Citizens Action Committee': unlabelled proper nouns ending in an
        organisation's head word."""
        taken = {i for s in spans for i in range(s.start, s.end)}
        found = []
        for i in tokens_among(doc, ORG_HEADS):
            head = doc[i]
            if i in taken or not head.is_title or head.pos_ != "PROPN":
                continue
            run = proper_run_before(doc, i)
            if run is None or any(t.i in taken for t in run) or not self.is_name(run):
                continue
            found.append((doc[run.start:i + 1], "rule:organisation-head"))
        return found

    def owning_a_role(self, doc: Doc, spans: list[Span]) -> list[tuple[Span, str]]:
        """'ACLU spokeswoman Jane Roe', 'a Unity Front member, John Doe': the run before the role."""
        at = {i: s for s in spans for i in range(s.start, s.end)}
        found = []
        for person in (s for s in spans if s.label_ == "PERSON"):
            start = self.role_start(doc, person.start)
            if start is None:
                continue
            run = self.with_nationality(doc, proper_run_before(doc, start))
            if run is None or not self.is_name(run) or not looks_organised(run):
                continue
            covering = {at[i] for i in range(run.start, run.end) if i in at}
            if any(s.id_ or s.label_ == "ORG" or s.start < run.start or s.end > run.end for s in covering):
                continue
            if any(s.label_ == "PERSON" for s in covering) and not any(is_acronym(t) for t in run):
                continue
            found.append((run, "rule:organisation-of-role"))
        return found

    def role_start(self, doc: Doc, name_start: int) -> int | None:
        """Where the role words before a name begin ('Vice-President', 'member,'), if a role
        noun ends them."""
        i = name_start - 1
        if i >= 0 and doc[i].text == ",":
            i -= 1
        if i < 0 or doc[i].lower_ not in self.role_nouns:
            return None
        while i > 0 and (doc[i - 1].lower_ in self.role_nouns | ROLE_GLUE or doc[i - 1].is_lower and doc[i - 1].pos_ == "ADJ"):
            i -= 1
        return i

    def with_nationality(self, doc: Doc, run: Span | None) -> Span | None:
        """'Kenyan Police' whole: a nationality word before a run ending in an organisation's noun."""
        if run is None or run.start == 0 or run[-1].lower_ not in ORG_HEADS:
            return run
        before = doc[run.start - 1]
        return doc[run.start - 1:run.end] if before.is_title and self.world.is_demonym(before.text) else run

    def is_name(self, run: Span) -> bool:
        """Not a place the data knows, a nationality or a title."""
        words = [t for t in run if t.is_alpha]
        return bool(words) and not self.world.is_place(run.text) \
            and not all(self.world.is_demonym(t.text) or self.world.is_country(t.text) for t in words) \
            and not any(t.lower_.rstrip(".") in self.titles for t in words)


def looks_organised(run: Span) -> bool:
    """Enough to call a run before a role an organisation: an acronym ('ACLU'), or two words or more
    with an acronym, a hyphenated word or an organisation's noun ('Unity Front', 'Tehreek-e-Adl');
    not a lone word ('Interior Minister', 'Government Minister')."""
    words = [t for t in run if t.is_alpha]
    if len(words) == 1:
        return is_acronym(words[0])
    return any(is_acronym(t) for t in words) or any(t.text == "-" for t in run) or words[-1].lower_ in ORG_HEADS


def proper_run_before(doc: Doc, end: int) -> Span | None:
    """The proper nouns (or acronyms) right before token ``end``, hyphenated names whole
    ('Tehreek-e-Adl'); not a single capitalised word that starts a sentence."""
    start = end
    while start > 0 and end - start < MAX_RUN * 3 and (is_name_word(doc[start - 1]) or inside_compound(doc, start - 1)
                                                       or ends_compound(doc, start - 1)):
        start -= 1
    while start < end and not is_name_word(doc[start]):
        start += 1
    if start == end:
        return None
    run = doc[start:end]
    if run[0].is_sent_start and len([t for t in run if t.is_alpha]) == 1 and not is_acronym(run[0]):
        return None
    return run


def inside_compound(doc: Doc, i: int) -> bool:
    """A hyphen, or a short word between hyphens, glued to the words on both sides: '-e-' in 'Tehreek-e-Adl'."""
    token = doc[i]
    return 0 < i < len(doc) - 1 and not token.whitespace_ and not doc[i - 1].whitespace_ \
        and (token.text == "-" or token.is_lower and len(token) <= 3 and doc[i - 1].text == "-")


def ends_compound(doc: Doc, i: int) -> bool:
    """A capitalised word glued to the hyphen before it, whatever its tag: 'Adl' in 'Tehreek-e-Adl'."""
    return i > 0 and doc[i].is_title and doc[i - 1].text == "-" and not doc[i - 1].whitespace_


def is_name_word(token: Token) -> bool:
    return token.pos_ == "PROPN" and (token.is_title or is_acronym(token)) and token.ent_type_ != "DATE" \
        or is_acronym(token) and token.pos_ in ("NOUN", "ADJ")


def is_acronym(token: Token) -> bool:
    return token.is_upper and token.is_alpha and 2 <= len(token) <= 6
