"""The W3C SPARQL 1.1 test manifests of tests/data/w3c, read with rdflib (mf:, qt:, ut: vocabularies).

    suites(top) -> list[str]           the suite folders a top manifest includes (mf:include)
    manifest_tests(suite) -> list[W3CTest]   a suite's tests, in the manifest's order (mf:entries)
    graphs_of(tests) -> dict           every data file the tests name: graph name -> file
    path_of(iri), text_of(iri)         the local copy of a test file named by its W3C IRI

Manifests are read with the IRIs the W3C publishes them under (BASE), so a data file's IRI, the name
of its graph when a test loads it, is the one its queries and expected results use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1] / "data" / "w3c" / "sparql11"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")


@dataclass(frozen=True, order=True)
class GraphFile:
    """A graph of a test's dataset: its name, and the file it is read from."""

    name: str
    file: str


@dataclass(frozen=True)
class W3CTest:
    suite: str                      # the folder: aggregates, functions, protocol, ...
    name: str                       # the fragment of the test's IRI: agg01
    kind: str                       # QueryEvaluationTest, NegativeSyntaxTest11, ProtocolTest, ...
    title: str                      # mf:name
    iri: str
    query: str | None = None        # qt:query, an IRI
    data: tuple[GraphFile, ...] = ()   # qt:data: the default graph is their merge
    named: tuple[GraphFile, ...] = ()  # qt:graphData / ut:graphData: the named graphs
    result: str | None = None       # mf:result, an IRI
    approval: str = ""

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.name}"


def path_of(iri: str) -> Path:
    if not iri.startswith(BASE):
        raise ValueError(f"{iri} is not a file of the W3C SPARQL 1.1 suites ({BASE})")
    return ROOT / iri[len(BASE):]


def text_of(iri: str) -> str:
    return path_of(iri).read_text("utf-8")


def _manifest(path: Path) -> tuple[Graph, URIRef]:
    iri = BASE + path.relative_to(ROOT).as_posix()
    return Graph().parse(path, format="turtle", publicID=iri), URIRef(iri)


def suites(top: str) -> list[str]:
    """The folders of the suites the top manifest (manifest-all.ttl, ...) includes."""
    g, manifest = _manifest(ROOT / top)
    included = [str(m) for m in Collection(g, g.value(manifest, MF.include))]
    return [m[len(BASE):].rsplit("/", 1)[0] for m in included]


def _graph(g: Graph, node: Node) -> GraphFile:
    """A qt:graphData value: a file IRI, or a node naming the file (qt:graph/ut:graph) and the graph (rdfs:label)."""
    if isinstance(node, BNode):
        file = g.value(node, QT.graph) or g.value(node, UT.graph)
        return GraphFile(str(g.value(node, RDFS.label) or file), str(file))
    return GraphFile(str(node), str(node))


def _test(g: Graph, suite: str, node: Node) -> W3CTest:
    action = g.value(node, MF.action)
    query = g.value(action, QT.query) if isinstance(action, BNode) else action  # a syntax test names the query
    data = list(g.objects(action, QT.data)) if isinstance(action, BNode) else []
    named = [*g.objects(action, QT.graphData)] if isinstance(action, BNode) else []
    named += g.objects(node, UT.graphData)  # the protocol tests' graphs
    result = g.value(node, MF.result)
    return W3CTest(
        suite=suite, name=str(node).rsplit("#", 1)[-1], kind=str(g.value(node, RDF.type)).rsplit("#", 1)[-1],
        title=str(g.value(node, MF.name)), iri=str(node), query=str(query) if isinstance(query, URIRef) else None,
        data=tuple(GraphFile(str(d), str(d)) for d in sorted(data)), named=tuple(sorted(_graph(g, n) for n in named)),
        result=str(result) if result is not None else None,
        approval=str(g.value(node, DAWGT.approval) or "").rsplit("#", 1)[-1])


def manifest_tests(suite: str) -> list[W3CTest]:
    g, manifest = _manifest(ROOT / suite / "manifest.ttl")
    return [_test(g, suite, node) for node in Collection(g, g.value(manifest, MF.entries))]


def graphs_of(tests: list[W3CTest]) -> dict[str, Path]:
    """graph name -> local file, for every graph the tests load; a name means one file."""
    found: dict[str, Path] = {}
    for test in tests:
        for graph in (*test.data, *test.named):
            path = path_of(graph.file)
            if found.setdefault(graph.name, path) != path:
                raise ValueError(f"{test.id}: graph {graph.name} is read from {path} and from {found[graph.name]}")
    return found
