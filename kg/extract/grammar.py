"""Reading the parse: which mention a token belongs to, and the tokens a clause governs.

The fact rules (relations, events, quotes) ask the same few questions of a spaCy
``Doc``; they are answered here once.
"""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg.extract.components import KEPT_LABELS
from kg.extract.claims import Evidence
from kg.extract.mentions import Mention

AGENT_LABELS = {"PERSON", "ORG"}
# Labels the model gives organisations (it takes some for places: '[Viasna]GPE lawyer X') and people
# (some for organisations); resolution keeps a membership only between a person and an organisation.
ORGANISATION_LABELS = {"ORG", "GPE"}
PERSON_LABELS = {"PERSON", "ORG"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
DETERMINERS = {"a", "an", "the"}
# 'the outlet's deputy director', "Ivanov's party": nouns that stand for an organisation named nearby.
# 'the CPJ board', 'Radio Free Europe's Kazakh service': a unit of the organisation named before it.
UNIT_NOUNS = {"board", "service", "bureau", "office", "desk", "division", "branch", "wing", "section", "secretariat"}
STANDING_FOR_ORGANISATIONS = {"organization", "organisation", "outlet", "party", "group", "movement", "company",
                              "agency", "newspaper", "channel", "network", "body", "court", "committee"}


class MentionIndex:
    """The mentions of a document, looked up by token."""

    def __init__(self, doc: Doc, mentions: tuple[Mention, ...]):
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token on each access: read it once
        self.spans: dict[int, tuple[Span, Mention]] = {}
        self.by_mention: dict[Mention, Span] = {}
        self.by_name: dict[str, Mention] = {}
        kept = [ent for ent in doc.ents if ent.label_ in KEPT_LABELS]
        for ent, mention in zip(kept, mentions):
            self.by_mention[mention] = ent
            self.by_name.setdefault(mention.text, mention)
            for i in range(ent.start, ent.end):
                self.spans[i] = (ent, mention)

    def at(self, token: Token | int, labels: set[str] | None = None) -> Mention | None:
        found = self.spans.get(token if isinstance(token, int) else token.i)
        if found is None or (labels is not None and found[1].label not in labels):
            return None
        return found[1]

    def span(self, token: Token | int) -> Span | None:
        found = self.spans.get(token if isinstance(token, int) else token.i)
        return found[0] if found else None

    def span_of(self, mention: Mention) -> Span:
        return self.by_mention[mention]

    def named_elsewhere(self, tokens: Span, labels: set[str]) -> Mention | None:
        """A mention elsewhere in the document with exactly these words, when the model left
        this occurrence unlabelled ('Gudina (PhD) of MEDREK' after 'the MEDREK coalition')."""
        return self.named(tokens.text, labels) if len(tokens) else None

    def named(self, text: str, labels: set[str]) -> Mention | None:
        """A mention of the document with exactly this text and one of ``labels``."""
        mention = self.by_name.get(text)
        return mention if mention is not None and mention.label in labels else None

    def among(self, tokens: Iterable[Token], labels: set[str]) -> list[Mention]:
        """The distinct mentions with one of ``labels`` that the tokens touch, in text order."""
        found: dict[int, Mention] = {}
        for token in tokens:
            mention = self.at(token, labels)
            if mention is not None:
                found.setdefault(mention.start, mention)
        return [found[k] for k in sorted(found)]


def evidence(sentence: Span, start: int, end: int, method: str, confidence: float) -> Evidence:
    """Evidence for a fact read at ``start:end`` of the text, in ``sentence``.

    A name the parser split across a sentence boundary widens the sentence to hold it.
    """
    first, last = min(sentence.start_char, start), max(sentence.end_char, end)
    widened = sentence if (first, last) == (sentence.start_char, sentence.end_char) else \
        sentence.doc.char_span(first, last, alignment_mode="expand")
    text = widened.text
    stripped = len(text) - len(text.lstrip())
    return Evidence(sentence=text.strip(), sentence_start=first + stripped,
                    start=start, end=end, method=method, confidence=confidence)


def paragraph_start(text: str, char: int) -> int:
    return text.rfind("\n", 0, char) + 1
