"""Quotes: who said what, to whom and when.

A speech verb ('said', 'told', 'warned') whose subject is a person or organisation
attributes the quoted words of its sentence, or, for reported speech without quote
marks, its complement clause ('said the message was a hopeful sign'). A pronoun
subject ('he told i24NEWS') is the last speaker quoted, or the last person named,
in the sentences just before. The object of 'told' is the audience.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.extract.claims import Quote
from kg.extract.grammar import AGENT_LABELS, PLACE_LABELS, MentionIndex, evidence

SPEECH_VERBS = {"say", "tell", "add", "state", "warn", "insist", "acknowledge", "declare", "announce",
                "write", "claim", "argue", "explain", "note", "stress", "predict", "describe", "urge"}
PRONOUNS = {"he", "she", "they", "it"}
QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
LOOKBACK_SENTENCES = 3


def quotes(doc: Doc, index: MentionIndex) -> list[Quote]:
    found: list[Quote] = []
    sentences = list(doc.sents)
    for position, sentence in enumerate(sentences):
        for verb in (t for t in sentence if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS):
            speaker = speaker_of(verb, index, sentences[max(0, position - LOOKBACK_SENTENCES):position], found)
            if speaker is None:
                continue
            words = quoted_words(sentence, verb, sentences[position + 1:position + 2], index.text)
            if words is None:
                continue
            start, end, text = words
            about = [m for m in index.among(doc.char_span(start, end, alignment_mode="expand") or (),
                                            AGENT_LABELS | PLACE_LABELS | {"EVENT"}) if m.start != speaker.start]
            found.append(Quote(
                speaker=speaker, text=text, start=start, end=end,
                evidence=evidence(sentence, min(start, verb.idx), max(end, verb.idx + len(verb.text)),
                                  "rule:speech-verb", 0.8 if text_is_quoted(index.text, start) else 0.6),
                audience=audience_of(verb, index), about=tuple(about), date=date_of(verb, index),
            ))
    return found


def speaker_of(verb: Token, index: MentionIndex, before: list[Span], found: list[Quote]):
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    mention = index.at(subject, AGENT_LABELS)
    if mention is not None:
        return mention
    if subject.lower_ in PRONOUNS and subject.lower_ != "it":
        window_start = before[0].start_char if before else verb.sent.start_char
        recent = [q.speaker for q in found if q.evidence.sentence_start >= window_start and q.speaker.label == "PERSON"]
        if recent:
            return recent[-1]
        people = [m for s in before for m in index.among(s, {"PERSON"})]
        return people[-1] if people else None
    return None


def quoted_words(sentence: Span, verb: Token, following: list[Span], text: str) -> tuple[int, int, str] | None:
    """The quoted text of the sentence (or of the next one after 'said:'), else the reported clause."""
    matches = list(QUOTED.finditer(sentence.text))
    if not matches and sentence.text.rstrip().endswith(":") and following:
        sentence = following[0]
        matches = list(QUOTED.finditer(sentence.text))[:1]
    if matches:
        start = sentence.start_char + matches[0].start(1)
        end = sentence.start_char + matches[-1].end(1)
        text = " … ".join(m.group(1).strip() for m in matches)
        return start, end, text
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return None
    tokens = list(clause.subtree)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return start, end, text[start:end]


def text_is_quoted(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in "“\""


def audience_of(verb: Token, index: MentionIndex):
    """'told i24NEWS', 'told members of the Basij militia'."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and verb.lemma_.lower() == "tell":
            found = index.among(child.subtree, AGENT_LABELS)
            if found:
                return found[0]
    return None


def date_of(verb: Token, index: MentionIndex):
    for child in verb.children:
        if child.dep_ in ("npadvmod", "prep", "tmod"):
            found = index.among(child.subtree, {"DATE"})
            if found:
                return found[0]
    return None
