"""The first typed hand-off of the pipeline."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Document:
    """One article, cleaned, with the metadata its text or container states.

    ``name`` (file name or JSONL id) is the document's identity across builds;
    ``content_hash`` tells whether a rebuild has anything to do. Character offsets
    of every later mention refer to ``text``.
    """

    name: str
    text: str
    content_hash: str
    title: str | None = None
    published: date | None = None
    authors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # news agencies of the byline and dateline ('Reuters', 'AFP')
    dateline: str | None = None  # the place the story was filed from ('CHISINAU (Reuters) -')
    url: str | None = None


def content_hash(raw: bytes | str) -> str:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    return hashlib.sha256(data).hexdigest()
