"""Vocabulary namespaces and the minting of stable, readable IRIs under a base."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from pyoxigraph import NamedNode

SCHEMA = "https://schema.org/"
KG = "https://newskg.example/ns#"
GAZETTEER = "https://newskg.example/gazetteer/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {"schema": SCHEMA, "kg": KG, "gz": GAZETTEER, "rdf": RDF, "rdfs": RDFS, "skos": SKOS,
            "owl": OWL, "prov": PROV, "xsd": XSD}


def term(namespace: str, local: str) -> NamedNode:
    return NamedNode(namespace + local)


@dataclass(frozen=True)
class Iris:
    """IRIs of one build: the same names give the same IRIs under the same base."""

    base: str

    def document(self, name: str) -> NamedNode:
        return NamedNode(f"{self.base}document/{document_key(name)}")

    def graph(self, name: str) -> NamedNode:
        return NamedNode(f"{self.base}graph/{document_key(name)}")

    def entity(self, key: str) -> NamedNode:
        """``key`` is 'person/maryam-rajavi', 'date/2023-01-06', …"""
        return NamedNode(f"{self.base}{key}")

    def mention(self, document_name: str, start: int, end: int) -> NamedNode:
        return NamedNode(f"{self.base}mention/{document_key(document_name)}/{start}-{end}")

    def sentence(self, document_name: str, start: int, end: int) -> NamedNode:
        """A sentence of a document: the stretch start..end of its text, which mentions and statements share."""
        return NamedNode(f"{self.base}sentence/{document_key(document_name)}/{start}-{end}")

    def statement(self, document_name: str, digest: str) -> NamedNode:
        """A reified statement: one fact as read in one place of one document."""
        return NamedNode(f"{self.base}statement/{document_key(document_name)}/{digest}")

    def extractor(self, version: str) -> NamedNode:
        return NamedNode(f"{self.base}extractor/newskg-{version}")


def document_key(name: str) -> str:
    """A document's IRI segment: its name's slug, readable, then 16 hex digits of the SHA-256 of the exact name.

    Slugs fold case and punctuation ('Report A.txt', 'report-a.txt' and 'REPORT_A.txt' are
    all report-a-txt), so a slug alone let one document overwrite another; the digest of
    the exact name keeps them apart (the name itself stays, exactly, as schema:identifier).
    """
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug(name)[:60].strip('-') or 'x'}-{digest}"


def slug(text: str) -> str:
    """A name as the readable part of an IRI: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"
