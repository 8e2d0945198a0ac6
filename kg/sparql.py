"""What a read-only endpoint checks in a query before Oxigraph runs it.

Oxigraph would follow a SERVICE clause with its own HTTP client (no Python hook sees it),
so it must be found in the parsed query, not guessed from its text. rdflib's SPARQL
grammar parses it; because that parser costs milliseconds, it runs only when the text
contains ``service`` or a ``\\u`` escape that could spell it: without those the clause
cannot be there. Oxigraph's own parser still judges syntax.
"""
from __future__ import annotations

from collections.abc import Iterator

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import QueryError, QueryRefusedError

KEYWORDS = ("service", "\\u")


def screen(query: str) -> None:
    """Clear a query to run, or raise QueryRefusedError (SERVICE) or QueryError (unparseable)."""
    if not any(keyword in query.lower() for keyword in KEYWORDS):
        return
    try:
        parsed = parseQuery(query)
    except ParseException as error:
        where = f"malformed SPARQL: error at {error.lineno}:{error.col}: {error.msg}"
        raise refusal_or_syntax_error(query, QueryError(where)) from None
    nodes = list(walk(parsed))
    if any(node.name == "ServiceGraphPattern" for node in nodes):
        raise QueryRefusedError("SERVICE is refused: this endpoint queries only its own store and "
                                "fetches nothing from other addresses")


def refusal_or_syntax_error(text: str, error: QueryError) -> QueryError:
    """For text that does not parse as a query: a refusal if it is a SPARQL Update, else ``error``."""
    try:
        parseUpdate(text)
    except ParseException:
        return error
    return update_refused()


def update_refused() -> QueryRefusedError:
    return QueryRefusedError("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) is refused: this endpoint is "
                             "read-only; change the graph with `kg build` and `kg remove`")


def walk(node: object) -> Iterator[CompValue]:
    """Every CompValue in an rdflib parse tree, depth first."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, (list, ParseResults)):
        for item in node:
            yield from walk(item)
