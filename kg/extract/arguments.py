"""An event's arguments: the verb that frames it, and the dates, places and actors of its clause.

A noun trigger takes the arguments of the verb it is subject of ('protests erupted in
Tehran'), the object of a verb of holding, attending or speaking ('held a conference in
Paris in June'), or the purpose of a gathering ('gathered in Paris for the rally').
Nested clauses and other triggers keep their own dates and places.
"""
from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from kg.dates import MONTHS, normalise
from kg.extract.grammar import AGENT_LABELS, PLACE_LABELS, MentionIndex
from kg.extract.mentions import Mention

# acomp/xcomp: 'elections are due to be held in Iran in March'.
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "agent", "prep", "npadvmod", "dobj", "dative", "advmod", "attr",
                 "oprd", "tmod", "acomp", "xcomp"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
LOCATION_PREPOSITIONS = {"in", "at", "near", "across", "throughout", "outside", "inside", "around", "within",
                         "through", "into"}
# An organisation after these is where it happened: 'arrested outside the High Court'.
VENUE_PREPOSITIONS = {"at", "outside", "inside"}
# … and after 'in' too for gatherings: 'convened in the European Parliament'.
GATHERING_CLASSES = {"Conference", "Meeting", "Rally", "Statement", "Event"}
# Where a movement ends is its place: 'returned to Dhaka', 'transferred to a prison in X'.
DESTINATION_CLASSES = {"Travel", "Transfer"}
ORGANIZING_VERBS = {"organize", "organise", "hold", "host", "convene", "stage", "launch", "arrange",
                    "sponsor", "lead", "call", "plan", "conduct", "mount", "run", "carry"}
ATTENDING_VERBS = {"attend", "participate", "join", "address", "include"}
SPEAKING_VERBS = {"address", "deliver", "give", "issue", "send", "make", "speak"}
OCCURRING_VERBS = {"take", "occur", "happen", "begin", "start", "end", "continue", "break", "erupt", "spread",
                   "see", "witness", "mark", "resume", "open", "close", "conclude"}
ASSEMBLING_VERBS = {"gather", "assemble", "march", "demonstrate", "rally", "protest"}
# 'signed a ceasefire', 'handed down a verdict', 'imposed a ban': the subject takes part.
ENACTING_VERBS = {"sign", "reach", "adopt", "pass", "approve", "impose", "hand", "order"}
# Verbs whose object's date and place are the event's: 'held a conference in Paris in June'.
FRAME_VERBS = ORGANIZING_VERBS | ATTENDING_VERBS | SPEAKING_VERBS | OCCURRING_VERBS | ASSEMBLING_VERBS | ENACTING_VERBS
PURPOSE_PREPOSITIONS = {"for", "at", "during", "in"}  # 'gathered in Paris for the Free Iran rally'
RELATIVE_PRONOUNS = {"who", "which", "that"}
PERPETRATOR_CLASSES = {"Attack", "Killing", "Arrest", "Execution"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "twentieth": 20, "fortieth": 40, "fiftieth": 50}
ANY_ANCHOR = date(2000, 1, 1)
MEMBERSHIP_PREPOSITIONS = {None, "of", "from", "by"}  # 'supporters of X', 'girls from X', 'by X'
CLAUSE_HEADS = {"ROOT", "conj", "ccomp", "parataxis"}  # verbs that could have a subject of their own
CLAUSE_BREAKS = {",", "–", "—", ":", ";"}
MONTH_NAME = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
BOUNDING_PREPOSITIONS = {"by", "until", "till", "before", "after", "ahead", "within", "prior"}
FUTURE_AUXILIARIES = {"will", "shall", "'ll", "’ll"}
# 'are due to be held on Monday', 'is set to announce', 'plans to visit on Friday'.
FUTURE_FRAMES = {"due", "set", "plan", "schedule", "expect", "intend", "prepare"}


def clause_verb(trigger: Token) -> Token | None:
    """The verb that frames the event: the trigger itself, the verb it is subject of
    ('protests erupted in Tehran'), or a verb of holding, attending or speaking it is the
    object of ('held a conference'). 'Requested the session last week' dates the request,
    not the session."""
    if trigger.pos_ == "VERB":
        return trigger
    head = trigger.head
    if head.pos_ not in ("VERB", "AUX"):
        return purpose_verb(trigger)
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        return head
    if trigger.dep_ in ("dobj", "attr") and head.lemma_.lower() in FRAME_VERBS:
        return head
    return None


def purpose_verb(trigger: Token) -> Token | None:
    """'exiles gathered in Paris on Saturday for the rally': the verb whose place and date are the rally's."""
    preposition = trigger.head
    if trigger.dep_ != "pobj" or preposition.lower_ not in PURPOSE_PREPOSITIONS:
        return None
    verb = preposition.head
    return verb if verb.pos_ == "VERB" and verb.lemma_.lower() in ASSEMBLING_VERBS else None


def argument_region(trigger: Token, index: MentionIndex) -> list[Token]:
    """The tokens that may hold the trigger's arguments: its own subtree and its verb's arguments.

    Subtrees of other triggers and of nested clauses are left out: their dates and
    places belong to those.
    """
    tokens = set(t.i for t in trigger.subtree)
    verb = clause_verb(trigger)
    if verb is not None and verb != trigger:
        for child in verb.children:
            if child.dep_ in ARGUMENT_DEPS and child != trigger:
                tokens.update(t.i for t in child.subtree)
    doc = trigger.doc
    for i in sorted(tokens):
        token = doc[i]
        if token != trigger and token.i in tokens and opens_own_region(token, trigger):
            tokens.difference_update(t.i for t in token.subtree)
    return [doc[i] for i in sorted(tokens)]


def opens_own_region(token: Token, trigger: Token) -> bool:
    if token.dep_ in ("relcl", "ccomp", "advcl", "acl") and token not in trigger.ancestors:
        # a clause on the trigger itself describes it ('the rally, organised by X') unless it has a
        # subject of its own ('X was detained in A, while Y was detained in B')
        return token.head != trigger or any(c.dep_ in SUBJECTS for c in token.children)
    return token.pos_ in ("NOUN", "VERB") and token.dep_ not in ("compound", "amod") \
        and token.lemma_.lower() in {"anniversary"} and trigger not in token.subtree


def dates_of(trigger: Token, region: list[Token], index: MentionIndex) -> tuple[Mention, ...]:
    """The date nearest the trigger; a bare month keeps the year next to it ('October … in 2019').

    A deadline or a bound ('by November', 'until 2020', 'before the vote') is not when it happened.
    """
    found = sorted((m for m in index.among(region, {"DATE"})
                    if is_calendar_date(m) and not bounds(index.span_of(m))),
                   key=lambda m: abs(m.start - trigger.idx))
    if not found:
        return ()
    nearest = found[0]
    years = [m for m in found[1:] if re.fullmatch(r"(in\s+)?\d{4}", m.text.strip(), re.IGNORECASE)]
    if years and not re.search(r"\d", nearest.text) and MONTH_NAME.search(nearest.text):
        return nearest, years[0]
    return (nearest,)


def bounds(date_span: Span) -> bool:
    """Whether the date is the object of 'by', 'until', 'before', 'after' (or starts with one)."""
    first = date_span[0]
    if first.lower_ in BOUNDING_PREPOSITIONS:
        return True
    head = date_span.root.head
    return date_span.root.dep_ == "pobj" and head.lower_ in BOUNDING_PREPOSITIONS


def is_calendar_date(mention: Mention) -> bool:
    """'January 6', 'last year' name a time; '100 days', 'decades' only a duration."""
    return normalise(mention.text, ANY_ANCHOR) is not None


def places_of(trigger: Token, region: list[Token], index: MentionIndex, event_class: str) -> list[Mention]:
    """Places reached through 'in/at/near/across…', or modifying the trigger ('Paris rally').

    An organisation after 'at/outside/inside' is the venue ('arrested outside the High Court'),
    and after 'in' that of a gathering ('in the European Parliament').
    """
    found: list[Mention] = []
    for token in region:
        mention = index.at(token, PLACE_LABELS | {"ORG"})
        if mention is None or index.span(token).start != token.i:
            continue
        root = index.span(token).root
        prepositions = prepositions_between(root, trigger, index)
        if mention.label in PLACE_LABELS:
            stated = prepositions & LOCATION_PREPOSITIONS or ("to" in prepositions and event_class in DESTINATION_CLASSES)
            if stated or (root.head == trigger and root.dep_ in ("compound", "nmod")):
                found.append(mention)
        else:
            preposition = governing_preposition(root, trigger, index)
            if preposition in VENUE_PREPOSITIONS or (preposition == "in" and event_class in GATHERING_CLASSES):
                found.append(mention)
    return found


def prepositions_between(token: Token, trigger: Token, index: MentionIndex) -> set[str]:
    """Every preposition on the path up from ``token`` to the trigger ('in the city of X')."""
    found = set()
    for ancestor in token.ancestors:
        if ancestor == trigger:
            break
        if index.span(ancestor) is None and (ancestor.dep_ in ("prep", "agent") or ancestor.pos_ == "ADP"
                                              or ancestor.lower_ == "including"):
            found.add(ancestor.lower_)
    return found


def governing_preposition(token: Token, trigger: Token, index: MentionIndex) -> str | None:
    """The preposition on the path from ``token`` up towards the trigger, if any.

    Prepositions inside names ('Committee in Search of Justice') do not count.
    """
    for ancestor in token.ancestors:
        if ancestor == trigger:
            return None
        if index.span(ancestor) is not None:
            continue
        if ancestor.lower_ == "including" or ancestor.dep_ in ("prep", "agent") or ancestor.pos_ == "ADP":
            return ancestor.lower_
        if ancestor.pos_ == "VERB":
            return None
    return None


def actors_of(trigger: Token, event_class: str, index: MentionIndex) -> dict[str, list[Mention]]:
    """Organisers, attendees and speakers from the possessive and the clause's subject or agent."""
    actors: dict[str, list[Mention]] = {"organizers": [], "attendees": [], "performers": []}
    for child in trigger.children:
        if child.dep_ == "poss" and index.at(child, AGENT_LABELS):
            role = "attendees" if event_class in PERPETRATOR_CLASSES else "organizers"
            actors[role].append(index.at(child, AGENT_LABELS))
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            role = "performers" if event_class == "Statement" else "attendees"
            actors[role].extend(subjects(child, index))
    verb = clause_verb(trigger)
    frames = [verb, *verb.conjuncts] if verb is not None else []  # 'was organized by X and attended by Y'
    frames += [c for c in trigger.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"]  # 'rally, organised by X'
    for frame in frames:
        role = actor_role(frame, trigger, event_class)
        if role is not None:
            actors[role].extend(agents_of(frame, trigger, index, fallback=frame == verb))
    return actors


def actor_role(verb: Token, trigger: Token, event_class: str) -> str | None:
    """What the subject (or 'by' agent) of this verb is to the event."""
    lemma = verb.lemma_.lower()
    if verb == trigger:
        return "attendees" if event_class in PERPETRATOR_CLASSES or lemma == "meet" else "organizers"
    if lemma in ASSEMBLING_VERBS:
        return "attendees"
    if lemma in ORGANIZING_VERBS:
        return "organizers"
    if lemma in SPEAKING_VERBS and event_class in ("Statement", "Conference", "Meeting", "Rally", "Event"):
        return "performers" if event_class == "Statement" or lemma in ("address", "speak") else "attendees"
    if lemma in ATTENDING_VERBS or lemma in ENACTING_VERBS:
        return "attendees"
    return None


def agents_of(verb: Token, trigger: Token, index: MentionIndex, fallback: bool) -> list[Mention]:
    subject = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent") and c != trigger]
    if verb.dep_ == "relcl":  # 'X, who addressed the rally': the relative pronoun stands for X
        subject = [verb.head if c.lower_ in RELATIVE_PRONOUNS else c for c in subject]
    agents = [m for c in subject for m in subjects(c, index)]
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") and index.at(c, {"DATE"}) is None for c in verb.children)
    if fallback and not has_subject and verb.dep_ in CLAUSE_HEADS:
        agents += left_subject(verb, index)
    return agents


def subjects(token: Token, index: MentionIndex) -> list[Mention]:
    """People and organisations named in a subject or agent phrase.

    Names in a place phrase or an apposition ('X, President of Y, addressed …') are
    not the subject.
    """
    found = []
    for t in token.subtree:
        mention = index.at(t, AGENT_LABELS)
        if mention is None or governing_preposition(t, token, index) not in MEMBERSHIP_PREPOSITIONS:
            continue
        path = [t, *t.ancestors][:[t, *t.ancestors].index(token) + 1] if token in t.ancestors or t == token else []
        if not any(step.dep_ == "appos" for step in path):
            found.append(mention)
    unique = {m.start: m for m in found}
    return [unique[k] for k in sorted(unique)]


def left_subject(verb: Token, index: MentionIndex) -> list[Mention]:
    """The names between the last comma or dash and a verb the parser gave no subject.

    Timeline entries ('January 6 – Supporters of X organized …') often mislead it.
    """
    start = verb.i
    while start > verb.sent.start and verb.doc[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    found: dict[int, Mention] = {}
    for token in verb.doc[start:verb.i]:
        mention = index.at(token, AGENT_LABELS)
        if mention is not None and governing_preposition(token, verb, index) in MEMBERSHIP_PREPOSITIONS:
            found.setdefault(mention.start, mention)
    return list(found.values())


def anniversary_of(trigger: Token) -> int | None:
    """'the third anniversary of the attack' → 3; 'the anniversary of the release' → 0; else None."""
    preposition = trigger.head
    if trigger.dep_ != "pobj" or preposition.lower_ != "of" or preposition.head.lemma_.lower() != "anniversary":
        return None
    for child in preposition.head.children:
        word = child.lower_
        if word in ORDINALS:
            return ORDINALS[word]
        match = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
        if match:
            return int(match.group(1))
    return 0


def count_of(trigger: Token) -> str | None:
    """'476 people killed' → '476 people': a number on the trigger's object or subject."""
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass", "nsubj") or (trigger.dep_ == "acl" and child == trigger.head):
            number = [c for c in child.children if c.dep_ == "nummod"]
            if number:
                return f"{number[0].text} {child.text}"
    if trigger.dep_ == "acl":
        number = [c for c in trigger.head.children if c.dep_ == "nummod"]
        if number:
            return f"{number[0].text} {trigger.head.text}"
    return None


def is_future(trigger: Token) -> bool:
    """Whether the event's clause is in the future ('will meet on Monday', 'is due to be held')."""
    verb = clause_verb(trigger) or trigger
    for token in (verb, *verb.ancestors):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUXILIARIES for c in token.children):
            return True
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in FUTURE_FRAMES:
            return True
        if token.dep_ not in ("xcomp", "conj"):
            break
    return False


def is_past_perfect(trigger: Token) -> bool:
    """'had been arrested', 'had marched': an earlier event than the one the sentence reports."""
    verb = clause_verb(trigger) or trigger
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


def is_subordinate(trigger: Token) -> bool:
    """Inside a relative or adverbial clause ('… who took power after X resigned'): background."""
    return any(t.dep_ in ("relcl", "advcl") for t in (trigger, *trigger.ancestors))
