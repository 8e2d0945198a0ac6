"""Readers for .txt, .html and .jsonl inputs, and the walk over files and directories."""
from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from pyoxigraph import NamedNode

from kg.documents.cleaning import join_paragraphs, remove_debris
from kg.documents.metadata import read_header
from kg.documents.model import Document, content_hash
from kg.errors import DocumentError, InputError

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def load_documents(paths: Iterable[str | Path]) -> Iterator[Document | DocumentError]:
    """Every document under ``paths``, in a stable order, with an error in place of each bad one."""
    for path in expand(paths):
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path)
        else:
            yield guarded(path.name, lambda: read_file(path, suffix))


def read_file(path: Path, suffix: str) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(path.name, f"cannot read: {error.strerror or error}") from None
    return from_bytes(path.name, suffix, raw)


def from_bytes(name: str, suffix: str, raw: bytes) -> Document:
    """One .txt or .html file's document, from the file's bytes."""
    if suffix in HTML_SUFFIXES:
        return from_html(name, decode(name, raw), content_hash(raw))
    if suffix in TEXT_SUFFIXES:
        return from_text(name, decode(name, raw), content_hash(raw))
    raise DocumentError(name, f"unsupported file type {suffix or '(none)'}; "
                        f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")


def documents_in(name: str, raw: bytes) -> Iterator[Document | DocumentError]:
    """The documents of one file given as its name and bytes (how the Spark engine reads any URI)."""
    suffix = Path(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from jsonl_documents(name, io.BytesIO(raw))
    else:
        yield guarded(name, lambda: from_bytes(name, suffix, raw))


def guarded(source: str, read: Callable[[], Document]) -> Document | DocumentError:
    """``read()``, or the error that says why this one input cannot be a document: never an exception.

    Parsers of HTML and JSON meet inputs their authors did not (nesting that exhausts the
    stack, say); whatever one document does, the batch goes on without it.
    """
    try:
        return read()
    except DocumentError as error:
        return error
    except RecursionError:
        return DocumentError(source, "nested too deeply to read (markup or JSON thousands of levels deep)")
    except Exception as error:  # noqa: BLE001  reported per document, as the batch promises
        return DocumentError(source, f"cannot be read: {error!r}")


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; directories walked recursively for supported suffixes, sorted."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            yield path
        else:
            raise InputError(f"no such file or directory: {path}")


def decode(source: str, raw: bytes) -> str:
    """UTF-8 text, or a DocumentError that says why not."""
    if b"\x00" in raw[:4096]:
        raise DocumentError(source, "looks like a binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(source, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset "
                            f"{error.start}); re-encode the file as UTF-8") from None


def from_text(name: str, raw_text: str, digest: str, **stated: object) -> Document:
    """A plain-text article: debris removed, header metadata read; ``stated`` metadata wins."""
    lines = remove_debris(raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    header, lines = read_header(lines)
    text = join_paragraphs(lines)
    if not text.strip():
        raise DocumentError(name, "empty document (no text left after removing page debris)")
    return Document(
        name=name,
        text=text,
        content_hash=digest,
        title=stated.get("title") or header.title,
        published=stated.get("published") or header.published,
        authors=tuple(stated.get("authors") or header.authors),
        agencies=header.agencies,
        dateline=header.dateline,
        url=checked_url(name, stated.get("url")),
    )


def checked_url(source: str, url: str | None) -> str | None:
    """The document's URL if it is an absolute IRI, as the graph will state it (no spaces, say)."""
    if url is None:
        return None
    try:
        NamedNode(url)
    except ValueError as error:
        raise DocumentError(source, f"its url {url[:200]!r} is not an absolute IRI ({error}); "
                            "percent-encode spaces and other characters IRIs do not allow") from None
    return url


def from_html(name: str, html: str, digest: str) -> Document:
    """An HTML page: trafilatura keeps the article body and reads the page's own metadata."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not extracted or not (extracted.text or "").strip():
        raise DocumentError(name, "no article text found in the HTML page")
    published = parse_iso_date(name, extracted.date) if extracted.date else None
    authors = [a.strip() for a in (extracted.author or "").split(";") if a.strip()]
    body = f"{extracted.title}\n\n{extracted.text}" if extracted.title else extracted.text
    return from_text(name, body, digest, title=extracted.title, published=published,
                     authors=authors, url=extracted.url)


def read_jsonl(path: Path) -> Iterator[Document | DocumentError]:
    """One document per line: ``id`` and ``text`` required; ``title``, ``published``, ``url``, ``author`` optional."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield DocumentError(path.name, f"cannot read: {error.strerror or error}")
        return
    with handle:
        yield from jsonl_documents(path.name, handle)


def jsonl_documents(name: str, lines: Iterable[bytes]) -> Iterator[Document | DocumentError]:
    for number, raw in enumerate(lines, start=1):
        where = f"{name} line {number}"
        if not raw.strip():
            continue
        yield guarded(where, lambda: from_record(where, json_record(where, decode(where, raw)), content_hash(raw)))


def json_record(where: str, line: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise DocumentError(where, f"invalid JSON: {error.msg} at column {error.colno}") from None
    if not isinstance(record, dict):
        raise DocumentError(where, "expected a JSON object with 'id' and 'text'")
    return record


def from_record(where: str, record: dict, digest: str) -> Document:
    for key in ("id", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise DocumentError(where, f"missing or empty string field {key!r}")
    name = record["id"].strip()
    for key in ("title", "published", "url"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise DocumentError(f"{where} ({name})", f"{key!r} must be a string, got {type(record[key]).__name__}")
    author = record.get("author")
    authors = [author] if isinstance(author, str) else author or []
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise DocumentError(f"{where} ({name})", "'author' must be a string or a list of strings")
    published = parse_iso_date(f"{where} ({name})", record["published"]) if record.get("published") else None
    return from_text(name, record["text"], digest, title=record.get("title"), published=published,
                     authors=authors, url=checked_url(f"{where} ({name})", record.get("url")))


def parse_iso_date(source: str, value: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DocumentError(source, f"'published' must be an ISO date (YYYY-MM-DD), got {value!r}") from None
