"""The dataset description: VoID + DCAT, with counts, example resources, endpoint, dumps, licence.

    Statistics.of(store, minter)              the counts, by SPARQL over the whole store
    stats.updated(before, after, graphs, ...)  the same counts after some graphs changed, by looking
                                               only at the subjects of those graphs
    describe(stats, minter, dumps, ...)       the description as Turtle
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Collection, Iterable, NotRequired, TypedDict

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from .dumps import DumpFile
from .iris import Minter
from .vocab import DCAT, DCTERMS, PREFIXES, RDF, SCHEMA, VOID, XSD, bind

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"


EXAMPLE_CLASSES = tuple(str(SCHEMA[c]) for c in ("Event", "Person", "Organization", "Place", "NewsArticle"))
TYPE = ox.NamedNode(str(RDF.type))


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query}")
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def class_counts(store: ox.Store) -> Counter[str]:
    """Entities per class: distinct IRI subjects of rdf:type, counted once per class."""
    rows = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c")
    return Counter({r["c"]: int(r["n"]) for r in rows})


def property_counts(store: ox.Store) -> Counter[str]:
    """Quads per property, over the default graph and every named graph (as VoID's void:triples of a
    property partition: the dataset's triples are its quads, len(store))."""
    result = store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } "
                         "GROUP BY ?p")
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("not a SELECT query")
    counts: Counter[str] = Counter()
    for row in result:
        p, n = row["p"], row["n"]
        if p is not None and n is not None:
            counts[p.value] = int(n.value)
    return counts


def _graph_property_counts(store: ox.Store, graphs: Iterable[str], batch: int = 500) -> Counter[str]:
    """Quads per property in the given graphs: counted by the store (a query per batch of graphs; a quad at a
    time in Python took 17 times as long for an export's 63,000 quads)."""
    counts: Counter[str] = Counter()
    names = [str(ox.NamedNode(iri)) for iri in graphs]
    for start in range(0, len(names), batch):
        values = " ".join(names[start:start + batch])
        for row in _rows(store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                                "GROUP BY ?p"):
            counts[row["p"]] += int(row["n"])
    return counts


def _examples(store: ox.Store, classes: Iterable[str] = EXAMPLE_CLASSES) -> dict[str, str]:
    """The first IRI (in string order) of each of the given classes that has one."""
    listed = ", ".join(f"<{c}>" for c in classes)
    rows = _rows(store, f"""SELECT ?c (MIN(STR(?x)) AS ?s) WHERE {{ ?x a ?c FILTER(isIRI(?x) && ?c IN ({listed})) }}
                            GROUP BY ?c""")
    return {r["c"]: r["s"] for r in rows}


def _has(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode | None = None,
         obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None) -> bool:
    return next(iter(store.quads_for_pattern(subject, predicate, obj, None)), None) is not None


class StatisticsJson(TypedDict):
    """Statistics as JSON (the ledger's `void`)."""

    triples: int
    entities: int
    subjects: int
    classes: dict[str, int]
    examples: dict[str, str]
    properties: NotRequired[dict[str, int]]


@dataclass
class Statistics:
    """What VoID counts about the union of all graphs."""

    triples: int
    entities: int          # distinct IRI subjects in the IRI space of entities (no fragment)
    subjects: int          # distinct IRI subjects
    classes: dict[str, int]    # class -> distinct IRI subjects of that type
    examples: dict[str, str]   # class -> its first IRI, for the classes worth an example
    properties: dict[str, int] = field(default_factory=dict)  # property -> quads that use it

    @classmethod
    def of(cls, store: ox.Store, minter: Minter) -> "Statistics":
        """Counted over the whole store."""
        space = _entity_space(minter)
        subjects = _rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")[0]["n"]
        entities = _rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o
            FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{space}") && !CONTAINS(STR(?s), "#")) }}""")[0]["n"]
        return cls(len(store), int(entities), int(subjects), dict(class_counts(store)), _examples(store),
                   dict(property_counts(store)))

    def updated(self, before: ox.Store, after: ox.Store, graphs: set[str], triples: int, minter: Minter,
                quads_after: Callable[[str], Iterable[ox.Quad]] | None = None) -> "Statistics":
        """The statistics of `after`, a copy of `before` (whose statistics these are) in which only
        the named graphs `graphs` were removed, replaced or added: only their subjects are looked at.
        quads_after: a graph's quads in `after`, when the caller has them read already."""
        space = _entity_space(minter)
        # the subjects and (subject, class) pairs of the changed graphs, in `before` and in `after`: one seen in
        # a store's quads is in that store; only the others are looked up (a new export's 18,000 subjects in
        # the store before it, not again in the store it is in)
        stores = (before, after)
        seen: tuple[tuple[set[ox.NamedNode], set[tuple[ox.NamedNode, Any]]], ...] = ((set(), set()), (set(), set()))

        def _of_after(iri: str) -> Iterable[ox.Quad]:
            return after.quads_for_pattern(None, None, None, ox.NamedNode(iri))

        def _of_before(iri: str) -> Iterable[ox.Quad]:
            return before.quads_for_pattern(None, None, None, ox.NamedNode(iri))

        for side, read in enumerate((_of_before, quads_after or _of_after)):
            subjects_in, typed_in = seen[side]
            for iri in graphs:
                for q in read(iri):
                    if isinstance(q.subject, ox.NamedNode):
                        subjects_in.add(q.subject)
                        if q.predicate == TYPE and not isinstance(q.object, ox.Triple):  # a triple is no class
                            typed_in.add((q.subject, q.object))

        def holds(side: int, s: ox.NamedNode, c: Any = None) -> bool:
            if c is None:
                return s in seen[side][0] or _has(stores[side], s)
            return (s, c) in seen[side][1] or _has(stores[side], s, TYPE, c)

        new = Statistics(triples, self.entities, self.subjects, dict(self.classes), dict(self.examples),
                         self._properties_after(before, after, graphs))
        for s in seen[0][0] | seen[1][0]:
            change = holds(1, s) - holds(0, s)
            new.subjects += change
            if s.value.startswith(space) and "#" not in s.value:
                new.entities += change
        lost: set[str] = set()
        for s, c in seen[0][1] | seen[1][1]:
            was, now = holds(0, s, c), holds(1, s, c)
            new.classes[c.value] = new.classes.get(c.value, 0) + now - was
            if c.value in EXAMPLE_CLASSES and now and s.value < new.examples.get(c.value, "\U0010ffff"):
                new.examples[c.value] = s.value
            if c.value in EXAMPLE_CLASSES and was and not now and s.value == self.examples.get(c.value):
                lost.add(c.value)
        new.classes = {c: n for c, n in new.classes.items() if n}
        for went in lost:  # the example went: ask the store for the next one
            new.examples.pop(went, None)
            new.examples.update(_examples(after, (went,)))
        return new

    def _properties_after(self, before: ox.Store, after: ox.Store, graphs: set[str]) -> dict[str, int]:
        """Quads per property in `after`: the counts less those of the changed graphs before, plus after.
        Counted over the whole of `after` when these statistics have none (written by an older build)."""
        if not self.properties and self.triples:
            return dict(property_counts(after))
        counts = Counter(self.properties)
        counts.subtract(_graph_property_counts(before, graphs))
        counts.update(_graph_property_counts(after, graphs))
        return {p: n for p, n in counts.items() if n > 0}

    def as_json(self) -> StatisticsJson:
        return {"triples": self.triples, "entities": self.entities, "subjects": self.subjects,
                "classes": dict(self.classes), "examples": dict(self.examples), "properties": dict(self.properties)}


def _entity_space(minter: Minter) -> str:
    return str(minter.page("id")) + "/"


#: What a release built from records is; a release of published files says what it holds instead (adhoc).
TITLE = "lod-pub: diplomatic events reported in the news"
DESCRIPTION = ("Events, people, organisations, places, posts and statements reported in news articles, "
               "each fact traced to the words of its article.")


@dataclass(frozen=True)
class ExportCount:
    """What an event export (GDELT) in the store says of its rows, and what the store holds from it."""

    export: str
    rows: int
    published: int
    quarantined: int
    events: int          # coded events derived from it in the store
    quarantine_rows: int  # its dip:quarantinedRow nodes in the store
    file: str = ""       # its file's name (schema:identifier)
    graph: str = ""      # the named graph that types it

    @property
    def problem(self) -> str | None:
        """Why its rows do not reconcile, or None."""
        if self.rows != self.published + self.quarantined:
            return f"{self.rows} rows read, but {self.published} published + {self.quarantined} quarantined"
        if self.events != self.published:
            return f"{self.published} events published, but the store holds {self.events} from it"
        if self.quarantine_rows != self.quarantined:
            return f"{self.quarantined} rows quarantined, but the store holds {self.quarantine_rows} of them"
        return None


DIP_NS = PREFIXES["dip"]


def _within(graphs: Collection[str] | None) -> str:
    """The pattern that binds ?x to the exports of the given graphs (every export when None)."""
    if graphs is None:
        return "GRAPH ?g { ?x a dip:EventExport }"
    values = " ".join(f"<{g}>" for g in sorted(graphs))
    return f"{{ SELECT DISTINCT ?g ?x WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x a dip:EventExport }} }} }}"


def export_counts(store: ox.Store, graphs: Collection[str] | None = None) -> list[ExportCount]:
    """Every event export in the store (of the given graphs only, when given), with the counts it states
    and those the store holds."""
    rows = _rows(store, f"""PREFIX dip: <{DIP_NS}> PREFIX prov: <{PREFIXES['prov']}>
        PREFIX schema: <{PREFIXES['schema']}>
        SELECT ?g ?x ?file ?rows ?published ?quarantined
               (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?row) AS ?held) WHERE {{
          {_within(graphs)}
          ?x dip:rowsRead ?rows ; dip:eventsPublished ?published ; dip:rowsQuarantined ?quarantined .
          OPTIONAL {{ ?x schema:identifier ?file }}
          OPTIONAL {{ ?event a dip:CodedEvent ; prov:wasDerivedFrom ?x }}
          OPTIONAL {{ ?x dip:quarantinedRow ?row }}
        }} GROUP BY ?g ?x ?file ?rows ?published ?quarantined ORDER BY ?x""")
    return [ExportCount(r["x"], int(r["rows"]), int(r["published"]), int(r["quarantined"]), int(r["events"]),
                        int(r["held"]), r.get("file", ""), r["g"]) for r in rows]


QUARANTINE_HEAD = "file\trow\tGLOBALEVENTID\tcolumn\treason"


def quarantine_lines(store: ox.Store, graphs: Collection[str] | None = None) -> list[tuple[str, str]]:
    """The quarantined rows of every export (of the given graphs only, when given), each as (the export's
    graph, a line of tab-separated text: file, row, GLOBALEVENTID, column, reason)."""
    rows = _rows(store, f"""PREFIX dip: <{DIP_NS}> PREFIX schema: <{PREFIXES['schema']}>
        SELECT ?g ?file ?number ?id ?column ?reason WHERE {{
          {_within(graphs)}
          ?x dip:quarantinedRow ?row ; schema:identifier ?file .
          ?row dip:rowNumber ?number ; dip:column ?column ; dip:reason ?reason .
          OPTIONAL {{ ?row dip:gdeltEventId ?id }}
        }} ORDER BY ?file ?number""")
    return [(r["g"], "\t".join(r.get(k, "").replace("\t", " ").replace("\n", " ")
                                for k in ("file", "number", "id", "column", "reason"))) for r in rows]


def quarantine_table(lines: Iterable[str]) -> str:
    """Quarantine lines as one table with its header, by file and row."""
    def order(line: str) -> tuple[str, int]:
        file, row = line.split("\t", 2)[:2]
        return file, int(row) if row.isdigit() else -1
    return "\n".join([QUARANTINE_HEAD, *sorted(lines, key=order)]) + "\n"


def describe(stats: Statistics, minter: Minter, dumps: list[DumpFile], sources: list[str], *,
             release_id: str, created: datetime, licence: str, title: str = TITLE,
             description: str = DESCRIPTION, exports: Iterable[ExportCount] = ()) -> str:
    """The description in Turtle. Its dcterms:source list (an IRI per article) is written as one
    statement of its own: rdflib's Turtle writer would take seconds over a hundred thousand. Each event
    export states its rows: read, published as events, quarantined (the release's quarantine.tsv)."""
    g = _description(stats, minter, dumps, release_id=release_id, created=created, licence=licence)
    ds = minter.dataset()
    dip = Namespace(DIP_NS)
    for count in exports:
        node = URIRef(count.export)
        g.add((node, RDF.type, dip.EventExport))
        for prop, value in ((dip.rowsRead, count.rows), (dip.eventsPublished, count.published),
                            (dip.rowsQuarantined, count.quarantined)):
            g.add((node, prop, Literal(value)))
        g.add((node, SCHEMA.creator, Literal("The GDELT Project")))
    g.add((ds, DCTERMS.title, Literal(title, lang="en")))
    g.add((ds, DCTERMS.description, Literal(description, lang="en")))
    listed = ",\n    ".join(f"<{source}>" for source in sources)
    return g.serialize(format="turtle") + (f"\n<{minter.dataset()}> <{DCTERMS.source}>\n    {listed} .\n" if sources else "")


def _description(stats: Statistics, minter: Minter, dumps: list[DumpFile], *, release_id: str, created: datetime,
                 licence: str) -> Graph:
    g = Graph()
    bind(g)
    g.bind("spdx", SPDX)
    ds = minter.dataset()
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.license, URIRef(licence)))
    g.add((ds, DCTERMS.modified, Literal(created.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((ds, DCTERMS.identifier, Literal(release_id)))
    g.add((ds, VOID.triples, Literal(stats.triples)))
    g.add((ds, VOID.entities, Literal(stats.entities)))
    g.add((ds, VOID.distinctSubjects, Literal(stats.subjects)))
    g.add((ds, VOID.uriSpace, Literal(_entity_space(minter))))
    g.add((ds, VOID.sparqlEndpoint, minter.page("sparql")))
    for vocabulary in ("schema", "dip", "org", "prov", "oa", "sem", "skos"):
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[vocabulary])))
    for example in sorted(stats.examples.values()):
        g.add((ds, VOID.exampleResource, URIRef(example)))
    for cls, count in sorted(stats.classes.items()):
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(stats.properties.items()):
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count)))
    for dump in dumps:
        _distribution(g, ds, minter.page("dumps", dump.name), dump)
    g.add((ds, DCTERMS.conformsTo, URIRef(str(SCHEMA))))
    return g


def _distribution(g: Graph, ds: URIRef, url: URIRef, dump: DumpFile) -> None:
    dist = BNode()
    g.add((ds, VOID.dataDump, url))
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + dump.format.media_type)))
    if dump.gzip:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
