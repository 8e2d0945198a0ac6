"""The OpenAPI 3.1 description of every route, served at /openapi.json (a test keeps it in step with the app).

It states what the server enforces, from the same constants: ranges of every integer,
the format names each route offers, enums (in any case where the server takes any case),
dates, non-blank strings. What JSON Schema cannot say (a query's SPARQL syntax, a name
that fits several entities, a window that starts after it ends) is a 400 with a message.
"""
from __future__ import annotations

from api.analytics import MAX_EVIDENCE, MAX_PATHS, MAX_RADIUS, MAX_SEED
from api.negotiation import DATASETS, GRAPH_ALIASES, GRAPHS, HTML, JSON, RESULTS
from kg.analytics import EDGE_KINDS, KINDS, METRICS
from kg.analytics.metrics import EXACT_BETWEENNESS_NODES
from kg.settings import Settings

ERROR = {"$ref": "#/components/responses/Error"}
MAX_OFFSET = 10**9


def parameter(name: str, where: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": where, "description": description, "required": required or where == "path",
            "schema": schema}


def ok(description: str, *media_types: str) -> dict:
    return {"200": {"description": description, "content": {m: {} for m in media_types}},
            "4XX": ERROR, "5XX": ERROR}


def ranged(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


def format_names(*tables: dict[str, str]) -> dict:
    """The ``format=`` values a route takes: its tables' names, and the aliases that lead to one of them."""
    names = {name for table in tables for name in table.values()}
    return {"type": "string", "enum": sorted(names | {alias for alias, name in GRAPH_ALIASES.items() if name in names})}


def any_case(words: tuple[str, ...]) -> dict:
    """One of ``words`` in any case, as the server takes them (a pattern: JSON Schema enums are case-sensitive)."""
    spelt = ("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word) for word in words)
    return {"type": "string", "pattern": f"^({'|'.join(spelt)})$"}


STRING = {"type": "string"}
TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}  # not blank
REPEATED = {"type": "array", "items": STRING}
POSITIVE = {"type": "number", "exclusiveMinimum": 0}
DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def fmt(*tables: dict[str, str]) -> dict:
    return parameter("format", "query", "Format name instead of an Accept header (for browsers).",
                     format_names(*tables))


def limit(default: int, what: str, high: int) -> dict:
    return parameter("limit", "query", f"At most this many {what} (default {default}, at most max_limit={high}).",
                     ranged(1, high))


ENTITY = [parameter("kind", "path", "person, organization, place, event, date…", STRING),
          parameter("name", "path", "The entity's slug: the last segment of its IRI.", STRING)]
GROUPED = [ENTITY[0], parameter("group", "path", "The middle segment: the document an event, quote, mention "
                                "or statement was read from.", STRING), ENTITY[1]]
QUERY = parameter("query", "query", "The SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); prefixes "
                  "schema:, kg:, rdfs:, skos:, owl:, prov:, xsd:, rdf:, gz: are predeclared. Malformed: 400.", TEXT)
DATASET = [parameter("default-graph-uri", "query", "Graphs merged into the default graph (replace the merge "
                     "of all document graphs and any FROM).", REPEATED),
           parameter("named-graph-uri", "query", "Graphs available to GRAPH (replaces FROM NAMED).", REPEATED)]
PROJECTION = [
    parameter("type", "query", "Entity types to project (repeatable, any case; default all).",
              {"type": "array", "items": any_case(KINDS)}),
    parameter("edge", "query", "Edge kinds to project (repeatable, any case; default all).",
              {"type": "array", "items": any_case(EDGE_KINDS)}),
    parameter("start", "query", "Window start, YYYY-MM-DD (the CLI's --from): keep facts dated on or after it "
              "(an event's start date for edges to the event, else the document's publication date; "
              "undated facts fall outside every window). After end: 400.", DATE),
    parameter("end", "query", "Window end, YYYY-MM-DD, inclusive (the CLI's --to).", DATE),
    parameter("min-weight", "query", "Drop edges with less support: sentences and statements (default 1).",
              POSITIVE),
]
SEED = parameter("seed", "query", f"Seed of Louvain and of sampled betweenness, 0..{MAX_SEED} (default 0): "
                 "same seed, same result.", ranged(0, MAX_SEED))
COMPUTED = ("Computed over the store's current documents and returned, never saved (the store is read-only "
            "here); a run that `kg analytics` stored for the same task over the same documents is read "
            "instead. `run.iri` names the graph where the CLI keeps such a run. Unknown parameters are a 400.")
ENTITY_GIVEN = "an IRI, an IRI tail (person/maryam-rajavi), a label or an alias (any case); a name that fits " \
               "several entities is a 400 listing them, one that fits none a 404"
SPARQL_ANSWER = ok("SELECT/ASK results or CONSTRUCT/DESCRIBE triples, by Accept or format=; past max_result_rows "
                   "or max_result_bytes cut after a whole row, with a Truncated header (and \"truncated\": true in "
                   "JSON results). A browser, which prefers text/html, gets them as a page; without a query, the "
                   "query editor", *RESULTS, *GRAPHS, *HTML)


def paths(settings: Settings) -> dict:
    """Every route; limits that are settings come from ``settings``."""
    most = settings.max_limit
    return {
        "/": {"get": {"summary": "Links to everything below; for browsers, the home page (counts, search, "
                              "central actors, latest events, documents)", "responses": ok("Links", *JSON, *HTML)}},
        "/health": {"get": {"summary": "Liveness: store, document count (from the search index; null without "
                                       "one), query workers",
                            "responses": ok("The server is up", *JSON)}},
        "/openapi.json": {"get": {"summary": "This description", "responses": ok("OpenAPI 3.1", *JSON)}},
        "/sparql": {
            "get": {"summary": "SPARQL 1.1 query (Protocol: query via GET); without query=, the service description",
                    "parameters": [QUERY, *DATASET, fmt(RESULTS, GRAPHS, HTML)], "responses": SPARQL_ANSWER},
            "post": {"summary": "SPARQL 1.1 query via POST: form-encoded query=, or the query as "
                                "application/sparql-query; updates are refused (403)",
                     "parameters": [*DATASET, fmt(RESULTS, GRAPHS, HTML)],
                     "requestBody": {"required": True, "content": {
                         "application/x-www-form-urlencoded": {"schema": {
                             "type": "object", "required": ["query"], "properties": {
                                 "query": TEXT, "default-graph-uri": REPEATED, "named-graph-uri": REPEATED}}},
                         "application/sparql-query": {"schema": TEXT}}},
                     "responses": SPARQL_ANSWER},
        },
        "/search": {"get": {
            "summary": "Search the index: entities by name (words as prefixes) and the sentences holding the words",
            "parameters": [parameter("q", "query", 'Words, any case; "quoted words" are a phrase for sentences '
                                     "(none: nothing found; for a browser, the blank form).", STRING),
                           limit(20, "entities and sentences", most),
                           parameter("offset", "query", "Sentences to skip (default 0; entities come with the "
                                     "first page only).", ranged(0, MAX_OFFSET)), fmt(JSON, HTML)],
            "responses": ok("{entities, sentences: {total, results}}: each sentence with its document, offset and "
                            "a snippet (HTML, matched words in <mark>); a page for browsers", *JSON, *HTML)}},
        "/entities": {"get": {
            "summary": "Search entities by label and alias (from the search index), best match first",
            "parameters": [parameter("q", "query", "Words that a label's or alias's words start with, any case "
                                     "(raj, maryam raj).", TEXT, required=True),
                           parameter("type", "query", "Class: Person, Organization, Place, Event, Country, "
                                     "kg:ArmedForce or an IRI.", STRING),
                           limit(20, "matches", most), fmt(JSON, HTML)],
            "responses": ok("Matches with their types, matched name and document count (a page for browsers, "
                            "where type= alone lists every entity of the type)", *JSON, *HTML)}},
        "/entities/{kind}/{name}": {"get": {
            "summary": "One entity: types, labels, aliases, facts both ways, mentions with sentences; "
                       "the entity's IRI dereferences here",
            "parameters": [*ENTITY, limit(100, "mentions and incoming facts", most),
                           parameter("offset", "query", "Mentions and incoming facts to skip (default 0).",
                                     ranged(0, MAX_OFFSET)), fmt(JSON, HTML, GRAPHS)],
            "responses": ok("The entity as JSON, an HTML page, or RDF", *JSON, *HTML, *GRAPHS)}},
        "/entities/{kind}/{name}/neighbourhood": {"get": {
            "summary": "The subgraph around an entity as nodes and edges (or RDF)",
            "parameters": [*ENTITY,
                           parameter("depth", "query", "Steps from the entity, 1..3 (default 1).", ranged(1, 3)),
                           limit(100, "edges", most),
                           parameter("type", "query", "Only step onto nodes of these classes.", REPEATED),
                           parameter("predicate", "query", "Only follow these predicates (IRI or prefixed).",
                                     REPEATED), fmt(JSON, GRAPHS)],
            "responses": ok("Nodes and edges, or RDF", *JSON, *GRAPHS)}},
        "/entities/{kind}/{group}/{name}": {"get": {
            "summary": "A resource with a three-part IRI (event/{document}/{offset}, quote/…, mention/…, "
                       "statement/…): as /entities/{kind}/{name}",
            "parameters": [*GROUPED, limit(100, "mentions and incoming facts", most), fmt(JSON, HTML, GRAPHS)],
            "responses": ok("The resource as JSON, an HTML page, or RDF", *JSON, *HTML, *GRAPHS)}},
        "/{kind}/{name}": {"get": {
            "summary": "An IRI minted under the base (when the base is this server): 303 See Other to its page "
                       "(HTML, JSON) or its RDF (by Accept); documents and graphs to the document page",
            "parameters": [*ENTITY, fmt(JSON, HTML, GRAPHS)],
            "responses": {"303": {"description": "See Other: /entities/{kind}/{name}, /documents/{name}, or "
                                                 "with format= for RDF"}, "4XX": ERROR}}},
        "/{kind}/{group}/{name}": {"get": {
            "summary": "A three-part minted IRI (event, quote, mention, statement): 303 See Other to its page, "
                       "the document page at a mention or statement, or its RDF (by Accept)",
            "parameters": [*GROUPED, fmt(JSON, HTML, GRAPHS)],
            "responses": {"303": {"description": "See Other: /entities/{kind}/{group}/{name}, or "
                                                 "/documents/{name}#… for mentions and statements"},
                          "4XX": ERROR}}},
        "/timeline": {"get": {
            "summary": "Events in date order (then the undated), with their type, date, places, actors and "
                       "documents, and the actors, types and places to filter on",
            "parameters": [parameter("actor", "query", "Only events this entity organised, spoke at or attended "
                                     "(IRI or IRI tail).", STRING),
                           parameter("type", "query", "Only events of this class (kg:Rally, an IRI).", STRING),
                           parameter("place", "query", "Only events in this place or a place within it (IRI or "
                                     "IRI tail).", STRING), fmt(JSON, HTML)],
            "responses": ok("{entries, undated, actors, types, places}; a page for browsers", *JSON, *HTML)}},
        "/documents": {"get": {
            "summary": "Documents with metadata and counts of what was extracted",
            "parameters": [limit(100, "documents", most),
                           parameter("offset", "query", "Documents to skip (default 0).", ranged(0, MAX_OFFSET)),
                           fmt(JSON, HTML)],
            "responses": ok("A page of documents", *JSON, *HTML)}},
        "/documents/{name}": {"get": {
            "summary": "One document: metadata, text, every mention with offsets, entity and method; "
                       "or its graph as RDF",
            "parameters": [parameter("name", "path", "The document's name (file name or JSONL id).", STRING),
                           fmt(JSON, HTML, GRAPHS)],
            "responses": ok("The document; for browsers its text with every mention highlighted and linked, "
                            "and the facts read from it", *JSON, *HTML, *GRAPHS)}},
        "/analytics/centrality": {"get": {
            "summary": "Entities ranked by a centrality metric over the projected entity graph, highest first",
            "description": COMPUTED,
            "parameters": [*PROJECTION,
                           parameter("metric", "query", "The metric (default pagerank; any case).", any_case(METRICS)),
                           limit(20, "ranked entities", most),
                           parameter("k", "query", f"Betweenness: sample this many sources, 1..{EXACT_BETWEENNESS_NODES} "
                                     f"(default: exact up to {EXACT_BETWEENNESS_NODES} nodes, else 1000).",
                                     ranged(1, EXACT_BETWEENNESS_NODES)),
                           SEED],
            "responses": ok("{run, scores: [{rank, entity: {iri, label, kind}, value}]}", *JSON)}},
        "/analytics/communities": {"get": {
            "summary": "Louvain communities of the projected entity graph, largest first, members strongest first",
            "description": COMPUTED,
            "parameters": [*PROJECTION, SEED,
                           parameter("resolution", "query", "Louvain resolution, positive (default 1): above 1 gives "
                                     "smaller communities.", POSITIVE)],
            "responses": ok("{run, communities: [{index, members: [{iri, label, kind}]}]}", *JSON)}},
        "/analytics/paths": {"get": {
            "summary": "The shortest paths (by hops) between two entities, each hop with its evidence sentences",
            "description": f"Each entity is {ENTITY_GIVEN}. Computed and returned, never saved. No path: `paths` "
                           "is empty. Unknown parameters are a 400 (the window is start=/end=).",
            "parameters": [parameter("from", "query", "Where the paths start.", TEXT, required=True),
                           parameter("to", "query", "Where the paths end.", TEXT, required=True),
                           *PROJECTION,
                           parameter("k", "query", f"How many shortest paths, 1..{MAX_PATHS} (default 1).",
                                     ranged(1, MAX_PATHS)),
                           parameter("evidence", "query", f"Sentences per hop, 0..{MAX_EVIDENCE} (default 2).",
                                     ranged(0, MAX_EVIDENCE))],
            "responses": ok("{source, target, params, paths: [[{source, target, weight, kinds, documents, "
                            "evidence: [{kind, document, sentence, method, confidence}]}]]}", *JSON)}},
        "/analytics/ego": {"get": {
            "summary": "An entity's ego network: the entities within radius hops and the edges among them",
            "description": f"The center is {ENTITY_GIVEN}. Computed and returned, never saved. Unknown parameters "
                           "are a 400.",
            "parameters": [parameter("center", "query", "The entity at the centre.", TEXT, required=True),
                           parameter("radius", "query", f"Hops from the centre, 1..{MAX_RADIUS} (default 1).",
                                     ranged(1, MAX_RADIUS)),
                           *PROJECTION],
            "responses": ok("{center, radius, params, nodes: [{iri, label, kind}], edges: [{source, target, weight, "
                            "kinds, documents}]}", *JSON)}},
        "/export": {"get": {
            "summary": "The whole graph (or one document's) as a download (RFC 6266 file names)",
            "parameters": [parameter("document", "query", "Only this document's graph.", STRING),
                           fmt(GRAPHS, DATASETS)],
            "responses": ok("RDF with Content-Disposition: attachment", *GRAPHS, *DATASETS)}},
    }


def spec(version: str, settings: Settings) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "newskg", "version": version,
                 "description": "A knowledge graph of news: SPARQL 1.1, entities, documents, analytics, "
                                "export. "
                                "Every error has the body {status, error, title, detail}."},
        "paths": (found := paths(settings)) | {"/sparql/": found["/sparql"]},
        "components": {"responses": {"Error": {
            "description": "Any error",
            "content": {"application/json": {"schema": {
                "type": "object", "required": ["status", "error", "title", "detail"],
                "properties": {"status": {"type": "integer"}, "error": STRING, "title": STRING,
                               "detail": STRING}}}}}}},
    }
