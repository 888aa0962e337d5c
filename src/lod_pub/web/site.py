"""What the web knows about one release, worked out once when the release is first served.

    site() -> Site        for the current request; raises NoRelease (503) when nothing is published

A Site holds the opened store (embedded, or a remote store read over HTTP: the same calls), the
release's minter and JSON-LD compactor (lod_pub.jsonld, with the release's context), an in-memory store of the
release's own files (void.ttl, ontology.ttl, cameo.ttl, shapes.ttl: each in its named graph, described like any
other resource), labels for properties and classes, counts by class, and a small cache of rendered
documents. A new release gets a new Site; nothing carries over.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Generic, Hashable, TypeVar

import pyoxigraph as ox
from flask import current_app

from ..formats import TURTLE
from ..store.http import HttpStore
from ..iris import Minter
from ..jsonld import Compactor
from ..published import Release
from ..vocab import CAMEO_SCHEME, DCTERMS, DIP_ONTOLOGY, DIP_SHAPES, PREFIXES, RDFS, SCHEMA, SKOS
from .reading import solutions
from .state import LocalStore, holder

#: Each of a release's own description files, by its graph; a release from before one was written lacks it.
META_GRAPHS = {"void": "void.ttl", DIP_ONTOLOGY: "ontology.ttl", CAMEO_SCHEME: "cameo.ttl", DIP_SHAPES: "shapes.ttl"}
COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?s)) }
GROUP BY ?class ORDER BY DESC(?n) ?class"""
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
#: What names a resource, best first: a name of it, then a label, then a title.
LABEL_PROPERTIES = (str(SCHEMA.name), str(SKOS.prefLabel), str(RDFS.label), FOAF_NAME, str(DCTERMS.title))
_LABEL_PATH = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
_RANKED = " ".join(f"(<{p}> {rank})" for rank, p in enumerate(LABEL_PROPERTIES))
#: The language a label is read in first; then a label without a language, then any other.
LANGUAGE = "en"
_LANG_RANK = f'IF(LANGMATCHES(LANG(?n), "{LANGUAGE}"), 0, IF(LANG(?n) = "", 1, 2))'
LABELS = f"""
SELECT ?term ?label WHERE {{
  {{ ?term <{RDFS.label}> ?label }} UNION {{ ?term <{SKOS.prefLabel}> ?label }}
  FILTER(isIRI(?term) && (lang(?label) = "en" || lang(?label) = ""))
}}"""

_R = ox.Variable("r")
NAME = f"""SELECT ?r ?n WHERE {{ VALUES (?p ?rank) {{ {_RANKED} }} ?r ?p ?n FILTER(isLiteral(?n)) }}
ORDER BY ?rank {_LANG_RANK} STRLEN(STR(?n)) LIMIT 1"""
#: The labels of the classes the data uses (a release published from files: its vocabulary is its own).
CLASS_LABELS = f"""SELECT ?term ?n WHERE {{
  {{ SELECT DISTINCT ?term WHERE {{ ?s a ?term FILTER(isIRI(?term)) }} }}
  VALUES (?p ?rank) {{ {_RANKED} }} ?term ?p ?n FILTER(isLiteral(?n))
}} ORDER BY ?term ?rank {_LANG_RANK}"""
#: One example resource of each of the most used classes, for a release published from files.
SAMPLES = """SELECT ?class (SAMPLE(?s) AS ?x) (COUNT(?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?s)) }
GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 12"""
EXISTS = "ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }"


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size, self._lock = size, threading.Lock()
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def __len__(self) -> int:
        return len(self._data)

    def put(self, key: K, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def words(local: str) -> str:
    """'datePublished' -> 'date published', 'wasDerivedFrom' -> 'was derived from'."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").lower()


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


@dataclass
class Site:
    release: Release
    store: LocalStore | HttpStore
    cache: LRU[Hashable, object] = field(default_factory=lambda: LRU(0))
    #: whether an IRI is in the release, asked by every /doc request (twice for `name.ttl`): a release does
    #: not change, and a flood of unknown names evicts only these, not the rendered documents. Off for a
    #: remote store, whose union graph also holds a push's staging graphs for a while
    known: LRU[str, bool] = field(default_factory=lambda: LRU(0))

    @cached_property
    def minter(self) -> Minter:
        return Minter(self.release.base)

    @cached_property
    def context(self) -> dict[str, object]:
        found: dict[str, object] = json.loads(self.release.file("context.jsonld").read_text("utf-8"))
        return found

    @cached_property
    def compactor(self) -> Compactor:
        return Compactor(self.context)

    @cached_property
    def modified(self) -> datetime:
        return datetime.fromisoformat(self.release.manifest["created"])

    @cached_property
    def meta(self) -> ox.Store:
        """The release's own description files, in memory, one named graph each."""
        store = ox.Store()
        for graph, name in META_GRAPHS.items():
            if not self.release.file(name).is_file():
                continue
            graph_iri = ox.NamedNode(str(self.minter.dataset()) if graph == "void" else graph)
            store.load(path=str(self.release.file(name)), format=TURTLE.rdf_format, to_graph=graph_iri)
        return store

    @cached_property
    def _meta_files(self) -> dict[str, list[ox.Triple]]:
        # Parsed, not read back from a Store: Oxigraph's store keeps the value of a derived integer
        # type (xsd:nonNegativeInteger) but gives it back as xsd:integer; the files are the truth.
        return {graph: list(ox.parse(path=str(self.release.file(name)), format=TURTLE.rdf_format))
                for graph, name in META_GRAPHS.items() if self.release.file(name).is_file()}

    def meta_graph(self, graph: str) -> list[ox.Triple]:
        """The triples of void.ttl ('void'), ontology.ttl, cameo.ttl or shapes.ttl (by their graph IRI), as
        written; none for a file the release does not have."""
        return self._meta_files.get(graph, [])

    @cached_property
    def from_files(self) -> bool:
        """Whether the release was published from RDF files as given (`serve --data`), not built from
        records: it was not validated, and its vocabulary, classes and examples are the data's own."""
        return "validation.ttl" not in self.release.manifest["files"]

    @cached_property
    def labels(self) -> dict[str, str]:
        """Labels of terms: the vocabulary's own (and, for a release from files, those the data gives its
        classes), else the words of the local name."""
        found: dict[str, str] = {}
        for row in solutions(self.meta.query(LABELS, use_default_graph_as_union=True)):
            found.setdefault(row["term"].value, row["label"].value)
        if self.from_files:
            for row in solutions(self.store.query(CLASS_LABELS, use_default_graph_as_union=True)):
                found.setdefault(row["term"].value, row["n"].value)
        return found

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or words(local_name(iri))

    @cached_property
    def class_counts(self) -> list[tuple[str, int]]:
        rows = solutions(self.store.query(COUNTS, use_default_graph_as_union=True))
        return [(row["class"].value, int(row["n"].value)) for row in rows]

    @cached_property
    def examples(self) -> list[tuple[str, str]]:
        """(IRI, name) of one example resource of each schema.org class that has its own document; for a
        release from files, of each of its most used classes, wherever its IRI is."""
        if self.from_files:
            return self._sampled()
        rows = solutions(self.store.query(
            "SELECT ?class (SAMPLE(?s) AS ?x) WHERE { ?s a ?class FILTER(STRSTARTS(STR(?class), STR(schema:))) } "
            "GROUP BY ?class ORDER BY ?class", prefixes=PREFIXES, use_default_graph_as_union=True))
        seen: set[str] = set()
        out: list[tuple[str, str]] = []
        for row in rows:
            iri = row["x"].value
            if iri not in seen and "#" not in iri and self.minter.split(iri):
                seen.add(iri)
                out.append((iri, self.name_of(iri)))
        return out

    def _sampled(self) -> list[tuple[str, str]]:
        out: dict[str, str] = {}
        for row in solutions(self.store.query(SAMPLES, use_default_graph_as_union=True)):
            if row["x"] is not None and row["x"].value not in out:
                out[row["x"].value] = self.name_of(row["x"].value)
        return list(out.items())

    def name_of(self, iri: str) -> str:
        for row in solutions(self.store.query(NAME, substitutions={_R: ox.NamedNode(iri)},
                                              use_default_graph_as_union=True)):
            name: str = row["n"].value
            return name
        return self.label(iri)

    def exists(self, iri: str) -> bool:
        """Whether any triple has iri as subject or object (one ASK: a remote store answers it in one request)."""
        found = self.known.get(iri)
        if found is None:
            found = bool(self.store.query(EXISTS, substitutions={_R: ox.NamedNode(iri)},
                                          use_default_graph_as_union=True))
            self.known.put(iri, found)
        return found


_SITES: dict[str, Site] = {}
_SITES_LOCK = threading.Lock()


def site() -> Site:
    """The Site of the release the current request is served from."""
    opened = holder().get()
    sites: dict[str, Site] = current_app.extensions.setdefault("lod_pub_sites", {})
    found = sites.get(opened.release.id)
    if found is None or found.store is not opened.store:
        with _SITES_LOCK:
            sites.clear()
            size = current_app.config.get("LOD_PUB_CACHE_SIZE", 4096)
            known: LRU[str, bool] = LRU(0 if isinstance(opened.store, HttpStore) else size)
            found = sites[opened.release.id] = Site(opened.release, opened.store, LRU(size), known)
    return found

