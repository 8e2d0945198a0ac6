"""Documents: reading inputs, removing web debris, and reading the metadata the text states.

``load_documents`` yields a ``Document`` per readable input and a ``DocumentError``
per unreadable one, so a batch keeps going past bad files.
"""
from kg.documents.model import Document
from kg.documents.readers import SUPPORTED_SUFFIXES, load_documents

__all__ = ["Document", "SUPPORTED_SUFFIXES", "load_documents"]
