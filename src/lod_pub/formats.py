"""Formats: one registry, and one pure function that chooses from it by an Accept header (RFC 9110 §12.5.1).

    FORMATS, BY_KEY, BY_EXTENSION                every format the project reads or writes, by key and extension
    RDF_FORMATS, DATASET_FORMATS, RESULT_FORMATS the formats of graphs, of datasets, of SPARQL results
    negotiate(accept, offers) -> Format | None   None means "406 Not Acceptable"

A Format knows its key (`?format=`, file names, the manifest), media type, extension, media-type
aliases, other names clients give it in a `format` parameter, its kind (a graph or SPARQL results),
Oxigraph's reader and writer for it (`Format.oxigraph`) and rdflib's name for it. Modules look formats
up here; none keeps a table of its own.

How a choice is made (RFC 9110 §12.4.2 and §12.5.1):
  * each offer gets the q of the most specific media range that matches it: `type/subtype;param=v`
    over `type/subtype` over `type/*` over `*/*`; equally specific ranges that repeat (rapper sends
    `text/html` twice) count with their highest q;
  * `q=0` means "not acceptable", even when a wider range (`*/*`) would allow it;
  * a range's parameters must be satisfied by the offer: `charset=utf-8` by our text formats,
    `profile=...` by the JSON-LD profiles we produce; any other parameter does not match;
  * an alias (e.g. `application/json` for JSON-LD) counts a little less than the main type, and
    never brings back a type the client refused by name (`text/turtle;q=0, text/n3`);
  * the highest q wins; ties go to the earlier offer (the server's preference); no Accept header,
    or one that holds nothing we can parse, means "anything".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

GRAPH = "graph"        # triples or quads: Oxigraph's RdfFormat
RESULTS = "results"    # SPARQL query results: Oxigraph's QueryResultsFormat


@dataclass(frozen=True)
class Format:
    key: str                 # short name, used in ?format=, file names and the manifest
    media_type: str          # what we send in Content-Type (without charset)
    extension: str           # file extension of fixed-format URLs and dumps
    rdflib: str | None       # rdflib serializer/parser name, if RDF
    aliases: tuple[str, ...] = ()   # other media types that ask for it
    dataset: bool = False    # carries named graphs
    text: bool = True        # send "; charset=utf-8"
    label: str = ""          # what people call it
    profiles: tuple[str, ...] = ()  # media-type `profile` IRIs this output satisfies (JSON-LD)
    kind: str | None = None  # GRAPH, RESULTS, or None (a page: HTML, plain text)
    names: tuple[str, ...] = ()     # other names clients give it in a `format` parameter

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def oxigraph(self) -> ox.RdfFormat | ox.QueryResultsFormat | None:
        """Oxigraph's format of the same media type: an RdfFormat for a graph, a QueryResultsFormat for
        SPARQL results, None for a page. Looked up, not stored, so that a Format pickles."""
        return _oxigraph(self.kind, self.media_type)

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """Oxigraph's reader and writer of a graph format (`oxigraph`, typed); ValueError for any other."""
        fmt = self.oxigraph
        if not isinstance(fmt, ox.RdfFormat):
            raise ValueError(f"{self.label or self.key} is not a graph format Oxigraph reads and writes")
        return fmt

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        """Oxigraph's reader and writer of a SPARQL results format (`oxigraph`, typed); ValueError for any other."""
        fmt = self.oxigraph
        if not isinstance(fmt, ox.QueryResultsFormat):
            raise ValueError(f"{self.label or self.key} is not a SPARQL results format Oxigraph reads and writes")
        return fmt


@cache
def _oxigraph(kind: str | None, media_type: str) -> ox.RdfFormat | ox.QueryResultsFormat | None:
    if kind == GRAPH:
        return ox.RdfFormat.from_media_type(media_type)
    if kind == RESULTS:
        return ox.QueryResultsFormat.from_media_type(media_type)
    return None


JSONLD_COMPACTED = "http://www.w3.org/ns/json-ld#compacted"

TURTLE = Format("turtle", "text/turtle", "ttl", "turtle", ("application/x-turtle", "application/turtle", "text/n3"),
                label="Turtle", kind=GRAPH, names=("ttl", "n3"))
JSONLD = Format("jsonld", "application/ld+json", "jsonld", "json-ld", ("application/json",), label="JSON-LD",
                profiles=(JSONLD_COMPACTED,), kind=GRAPH, names=("json", "json-ld"))
NTRIPLES = Format("ntriples", "application/n-triples", "nt", "nt", ("text/plain",), label="N-Triples", kind=GRAPH,
                  names=("nt", "n-triples"))
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", "xml", ("application/xml", "text/xml"), label="RDF/XML",
                kind=GRAPH, names=("xml", "rdf", "rdf+xml"))
NQUADS = Format("nquads", "application/n-quads", "nq", "nquads", ("text/x-nquads",), dataset=True, label="N-Quads",
                kind=GRAPH)
TRIG = Format("trig", "application/trig", "trig", "trig", ("application/x-trig",), dataset=True, label="TriG",
              kind=GRAPH)
SPARQL_JSON = Format("json", "application/sparql-results+json", "srj", None, ("application/json",),
                     label="SPARQL JSON", kind=RESULTS, names=("srj",))
SPARQL_XML = Format("xml", "application/sparql-results+xml", "srx", None, ("application/xml", "text/xml"),
                    label="SPARQL XML", kind=RESULTS, names=("srx",))
SPARQL_CSV = Format("csv", "text/csv", "csv", None, label="CSV", kind=RESULTS)
SPARQL_TSV = Format("tsv", "text/tab-separated-values", "tsv", None, label="TSV", kind=RESULTS)
HTML = Format("html", "text/html", "html", None, ("application/xhtml+xml",), label="HTML")
TEXT = Format("text", "text/plain", "txt", None, label="plain text")

#: Every format, each group in the server's order of preference.
FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, NQUADS, TRIG,
                               SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV, HTML, TEXT)
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == GRAPH and not f.dataset)
DATASET_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == GRAPH and f.dataset)
RESULT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.kind == RESULTS)

BY_KEY: dict[str, Format] = {f.key: f for f in FORMATS}
BY_EXTENSION: dict[str, Format] = {f.extension: f for f in FORMATS}

ALIAS_DISCOUNT = 0.99
_ITEMS = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*")+')     # comma-separated, commas inside quotes kept
_PARAMS = re.compile(r'(?:[^;"]|"(?:[^"\\]|\\.)*")+')
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")  # RFC 9110 §12.4.2
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _parse_range(item: str) -> _Range | None:
    parts = _PARAMS.findall(item)
    media = parts[0].strip().lower() if parts else ""
    mtype, _, subtype = media.partition("/")
    if not _TOKEN.match(mtype or "/") or not _TOKEN.match(subtype or "/") or (mtype == "*" and subtype != "*"):
        return None
    params, q = [], 1.0
    for param in parts[1:]:
        name, _, value = param.partition("=")
        name = name.strip().lower()
        if name == "q":
            if not _QVALUE.match(value.strip()):
                return None
            q = float(value)
            break  # what follows q are accept-extensions, not media-type parameters
        if name:
            params.append((name, _unquote(value)))
    return _Range(mtype, subtype, tuple(params), q)


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header; malformed items are skipped, never raised."""
    return [r for r in (_parse_range(item) for item in _ITEMS.findall(header)) if r is not None]


def _satisfies(offer: Format, name: str, value: str) -> bool:
    if name == "charset":
        return offer.text and value.lower() in ("utf-8", "utf8")
    if name == "profile":
        return bool(value.split()) and all(p in offer.profiles for p in value.split())
    return False


def _quality(offer: Format, media_type: str, ranges: list[_Range]) -> tuple[tuple[int, int], float]:
    """(specificity, q) of the most specific range that matches media_type; q is 0 when none does."""
    mtype, subtype = media_type.split("/")
    best: tuple[int, int] = (-1, 0)
    best_q = 0.0
    for r in ranges:
        if r.type == mtype and r.subtype == subtype:
            level = 2
        elif r.type == mtype and r.subtype == "*":
            level = 1
        elif r.type == "*":
            level = 0
        else:
            continue
        if not all(_satisfies(offer, n, v) for n, v in r.params):
            continue
        specificity = (level, len(r.params))
        if specificity > best:
            best, best_q = specificity, r.q
        elif specificity == best:
            best_q = max(best_q, r.q)
    return best, best_q


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers most; ties go to the earlier offer. None means 406."""
    if not offers:
        return None
    ranges = parse_accept(accept or "")
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        specificity, q = _quality(offer, offer.media_type, ranges)
        if not (q == 0 and specificity[0] == 2):  # the type itself refused by name: no alias brings it back
            for alias in offer.aliases:
                q = max(q, _quality(offer, alias, ranges)[1] * ALIAS_DISCOUNT)
        if q > best_q:
            best, best_q = offer, q
    return best
