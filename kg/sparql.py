"""What a read-only endpoint checks in a query text, inside the confined worker that runs it.

Over the embedded store, SERVICE needs no screen: the worker has no network, so the query
fails when it tries. A remote SPARQL server has network, so a query is screened before it is
sent (``uses_service``), with Oxigraph's parser as everything else here.

Everything here judges a query with Oxigraph's own parser, never another one (two parsers
disagree on details such as where a ``#`` comment ends, and each disagreement is a bypass).
The one check made before Oxigraph sees the text is its nesting depth: Oxigraph's parser
recurses per nested group and overflows the stack (a segfault) near 3,000 levels, and
nested blank-node brackets take it seconds from 100 levels on.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryError, QueryRefusedError

MAX_NESTING = 64  # deepest nesting of { ( [ a query may have; hand-written queries stay under 20
OPENERS = "{(["
# Outside strings and comments: an IRI (skipped whole), a string or comment opening, a bracket.
TOKEN = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>|"""|\'\'\'|["\'#]|[{(\[]|[})\]]')
ENDS = {"#": re.compile(r"[^\n]*(\n|\Z)"),
        '"': re.compile(r'(?:\\.|[^"\\])*("|\Z)', re.DOTALL),
        "'": re.compile(r"(?:\\.|[^'\\])*('|\Z)", re.DOTALL),
        '"""': re.compile(r'(?:\\.|[^\\])*?("""|\Z)', re.DOTALL),
        "'''": re.compile(r"(?:\\.|[^\\])*?('''|\Z)", re.DOTALL)}


def nesting_depth(text: str) -> int:
    """An upper bound of the query's bracket nesting, as Oxigraph's parser would meet it.

    Deliberately pessimistic where tokenisers may differ: an opening bracket counts
    wherever it stands (even in a string, comment or IRI), a closing one only where it
    surely closes, and comments run to the end of the line even where Oxigraph ends
    them earlier (at a bare carriage return). A text can only look deeper than it is.
    """
    depth = deepest = position = 0
    while (token := TOKEN.search(text, position)) is not None:
        found = token.group()
        if found in ENDS:
            skipped = ENDS[found].match(text, token.end())
            depth += sum(text.count(opener, token.end(), skipped.end()) for opener in OPENERS)
            position = skipped.end()
        else:
            if found[0] == "<":
                depth += sum(found.count(opener) for opener in OPENERS)
            elif found in OPENERS:
                depth += 1
            else:
                depth = max(depth - 1, 0)
            position = token.end()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
    return deepest


def check_nesting(text: str) -> None:
    if nesting_depth(text) > MAX_NESTING:
        raise QueryError(f"the query nests brackets deeper than {MAX_NESTING} levels; "
                         "flatten it (fewer nested groups, blank nodes or parentheses)")


def is_update(text: str) -> bool:
    """Whether Oxigraph reads ``text`` as a SPARQL Update (tried on an empty in-memory store).

    Only a confined process may call this: an update that parses also runs, and LOAD
    would fetch its URL anywhere else. Any failure other than a syntax error means it parsed.
    """
    try:
        ox.Store().update(text)
    except SyntaxError:
        return False
    except Exception:  # noqa: BLE001  parsed, then failed (LOAD without a network, say): an update all the same
        return True
    return True


SERVICE_WORD = re.compile("service", re.IGNORECASE)
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
COMMENTED_SERVICE = re.compile(r"#[^\n]*service", re.IGNORECASE)
IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def query_form(text: str, **options: object) -> type:
    """What Oxigraph reads ``text`` as: QuerySolutions (SELECT), QueryBoolean (ASK) or QueryTriples
    (CONSTRUCT, DESCRIBE); a SyntaxError if it is no query.

    Oxigraph offers Python no parser alone, so the text is run on an empty in-memory store
    (an ASK is evaluated there; a SELECT or CONSTRUCT only begins). Only a confined process
    may call this with a text it did not write: a SERVICE in an ASK would be followed.
    """
    return type(ox.Store().query(text, **options))


def uses_service(text: str, **options: object) -> bool:
    """Whether a query has a SERVICE clause for Oxigraph, or might have one for another parser.

    Every "service" in the text (the keyword, or a piece of an IRI, name, string or comment)
    is made a non-keyword of the same length ("servi_e"); if Oxigraph no longer parses the
    text, one of them was the keyword. Pessimistic where parsers are known to differ: a
    "service" spelled with \\u escapes (which SPARQL 1.1 says to decode before parsing, and
    Oxigraph does not) or after a ``#`` on its line outside an IRI (where a comment may end
    earlier for one parser than for another) counts as one. ``options`` (prefixes, base_iri)
    as for Oxigraph's query().
    """
    found = len(SERVICE_WORD.findall(text))
    decoded = CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if len(SERVICE_WORD.findall(decoded)) > found or COMMENTED_SERVICE.search(IRI.sub("<>", text)):
        return True
    blunted = SERVICE_WORD.sub(lambda m: m.group()[:5] + "_" + m.group()[6], text)
    return found > 0 and parses(text, **options) and not parses(blunted, **options)


def parses(text: str, **options: object) -> bool:
    """Whether Oxigraph parses ``text`` as a query (a failure past the parser, an ASK's SERVICE say, means it did)."""
    try:
        query_form(text, **options)
    except SyntaxError:
        return False
    except Exception:  # noqa: BLE001  parsed, then failed while evaluated
        return True
    return True


def update_refused() -> QueryRefusedError:
    return QueryRefusedError("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) is refused: this endpoint is "
                             "read-only; change the graph with `kg build` and `kg remove`")


def service_refused() -> QueryRefusedError:
    return QueryRefusedError("SERVICE is refused: this endpoint queries only its own store and has no network "
                             "access to fetch from other addresses")


WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def substituted(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with ``bindings`` as a VALUES block opening its (first) WHERE group.

    The whole group, its FILTERs included, sees the values, as it would see substituted
    terms. Both stores send values this way: a SPARQL server has no other, and Oxigraph
    joins a leading VALUES block first, where it applies its own substitutions only after
    evaluating the whole pattern (one entity's facts on 400 documents: 13 ms against 920).
    A blank node cannot be written into a query (its label would name a new node); only
    our own queries carry bindings, each with a WHERE keyword.
    """
    if not bindings:
        return sparql
    if any(isinstance(term, ox.BlankNode) for term in bindings.values()):
        raise QueryError("a blank node cannot be written into a query as a value (its label would name a new node)")
    where = WHERE.search(sparql)
    if where is None:
        raise QueryError("a query with bindings needs a WHERE clause to carry them")
    block = f" VALUES ({' '.join('?' + name for name in bindings)}) {{ ({' '.join(map(str, bindings.values()))}) }}"
    return sparql[:where.end()] + block + sparql[where.end():]
