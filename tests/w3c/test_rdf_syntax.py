"""The W3C RDF 1.1 syntax suites for Turtle, N-Triples, N-Quads and TriG (tests/data/w3c/rdf11), published
as `lod-pub serve --data` publishes files (lod_pub.adhoc.publish_files, the path the command takes:
loaded, current, then the dumps written, read back and the release that holds them current).

    positive syntax and evaluation tests   every file publishes; its published graphs are isomorphic to
                                           the expected result (an evaluation test's mf:result, else the
                                           file as the store reads it alone)
    negative syntax tests                  every file is refused with its file, line and column, and
                                           nothing is published: the current release stays

Literals are compared as the store keeps them: each expected result is loaded into an in-memory
Oxigraph store first ("1.0E0"^^xsd:double is the double 1 on both sides). A release per file would
take minutes (a store on disk each), so the files of a suite are published together, as
`serve --data IRI=FILE ...` does, each file's triples (its default graph) in a graph named by the
test's IRI, the base its relative IRIs resolve against. Named graphs that several files name (121 TriG
tests write into <http://example/graph>) hold the quads of all of them, as do graphs named by blank
nodes (given {base}.well-known/genid/ IRIs, read back as blank nodes here): a test checks its quads are
in such a graph (blank nodes as variables), and test_the_whole_release that the release is isomorphic
to the union of every file's expected result. The negative files of a suite are given together too:
publishing reads every file, so the refusal lists each file's problem.

Every test of the four manifests runs; none is left out. The RDF/XML suite is not part of this run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
import pytest

from lod_pub.adhoc import publish_files
from lod_pub.errors import Problem, RecordError
from lod_pub.published import Release, current
from lod_pub.settings import Settings

ROOT = Path(__file__).resolve().parents[1] / "data" / "w3c" / "rdf11"
BASE = "https://w3c.github.io/rdf-tests/rdf/rdf11/"
SUITES = ("rdf-turtle", "rdf-n-triples", "rdf-n-quads", "rdf-trig")
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG}
SITE = "https://lod.example.org/"
GENID = SITE + ".well-known/genid/"


@dataclass(frozen=True)
class SyntaxTest:
    suite: str
    kind: str            # rdft:TestTurtleEval, rdft:TestTrigNegativeSyntax, ...
    action: str          # the input's IRI: the name of its graph, and its base
    result: str | None   # the expected N-Triples or N-Quads (evaluation tests)

    @property
    def path(self) -> Path:
        return ROOT / self.action[len(BASE):]

    @property
    def negative(self) -> bool:
        return "Negative" in self.kind

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.path.name}"


@cache
def manifest_tests(suite: str) -> tuple[SyntaxTest, ...]:
    manifest = ox.Store()
    manifest.load(path=str(ROOT / suite / "manifest.ttl"), format=ox.RdfFormat.TURTLE,
                  base_iri=f"{BASE}{suite}/manifest.ttl")
    rows = manifest.query(f"""SELECT ?kind ?action ?result WHERE {{ ?test a ?kind ; <{MF}action> ?action
                                  OPTIONAL {{ ?test <{MF}result> ?result }} }} ORDER BY ?action""")
    assert isinstance(rows, ox.QuerySolutions)
    return tuple(SyntaxTest(suite, r["kind"].value.rsplit("#", 1)[-1], r["action"].value,
                            r["result"].value if r["result"] is not None else None) for r in rows)


def cases(negative: bool) -> list[SyntaxTest]:
    return [t for suite in SUITES for t in manifest_tests(suite) if t.negative == negative]


def test_the_copy_holds_every_test_of_the_four_suites():
    counts = {suite: len(manifest_tests(suite)) for suite in SUITES}
    assert counts == {"rdf-turtle": 313, "rdf-n-triples": 70, "rdf-n-quads": 87, "rdf-trig": 356}
    for t in (t for suite in SUITES for t in manifest_tests(suite)):
        assert t.path.is_file() and (t.result is None or (ROOT / t.result[len(BASE):]).is_file()), t.id


# -- what is expected, as the store keeps it ----------------------------------------------------------
def _loaded(path: Path, base: str) -> list[ox.Quad]:
    store = ox.Store()  # in memory: literals as the store keeps them
    store.load(path=str(path), format=FORMATS[path.suffix], base_iri=base)
    return list(store)


def expected(test: SyntaxTest) -> list[ox.Quad]:
    """The dataset a positive test should publish: its mf:result, else its file read alone."""
    if test.result is not None:
        return _loaded(ROOT / test.result[len(BASE):], test.result)
    return _loaded(test.path, test.action)


def canonical(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The quads with blank node labels that depend on the data alone (RDF canonicalization)."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _blank_genid(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph):
    """A {base}.well-known/genid/ IRI read back as the blank node it names."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
        return ox.BlankNode(term.value[len(GENID):])
    return term


def as_published(quads: Iterable[ox.Quad], own_graph: str | None = None) -> list[ox.Quad]:
    """Published quads as the file wrote them: its own graph as the default graph, genid IRIs as blank nodes."""
    out = []
    for q in quads:
        g = ox.DefaultGraph() if own_graph and q.graph_name == ox.NamedNode(own_graph) else _blank_genid(q.graph_name)
        out.append(ox.Quad(_blank_genid(q.subject), q.predicate, _blank_genid(q.object), g))
    return out


# -- the releases of the positive files, one per suite ------------------------------------------------
@dataclass
class Published:
    settings: Settings
    release: Release
    store: ox.Store
    shared: set[str]   # named graphs that more than one file names


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """suite -> its positive files published together, each file's triples in the graph of its IRI."""
    made: dict[str, Published] = {}

    def get(suite: str) -> Published:
        if suite not in made:
            positive = [t for t in manifest_tests(suite) if not t.negative]
            settings = Settings(data_dir=tmp_path_factory.mktemp(suite), project_dir=tmp_path_factory.mktemp("none"))
            release = publish_files([f"{t.action}={t.path}" for t in positive], settings)
            named: dict[str, int] = {}
            for t in positive:
                for g in {q.graph_name.value for q in expected(t) if isinstance(q.graph_name, ox.NamedNode)}:
                    named[g] = named.get(g, 0) + 1
            made[suite] = Published(settings, release, release.open_store(), {g for g, n in named.items() if n > 1})
        return made[suite]
    return get


def _embedded(store: ox.Store, quads: list[ox.Quad]) -> bool:
    """Whether the quads are in the store, blank nodes as variables (a graph named by one is a genid graph)."""
    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> str:
        return f"?b_{t.value}" if isinstance(t, ox.BlankNode) else str(t)
    blocks, filters = [], set()
    for q in quads:
        triple = f"{term(q.subject)} {term(q.predicate)} {term(q.object)} ."
        blocks.append(f"GRAPH {term(q.graph_name)} {{ {triple} }}")
        if isinstance(q.graph_name, ox.BlankNode):
            filters.add(f"FILTER(STRSTARTS(STR({term(q.graph_name)}), {GENID!r}))".replace("'", '"'))
    return bool(store.query(f"ASK {{ {' '.join(blocks)} {' '.join(sorted(filters))} }}"))


@pytest.mark.parametrize("test", cases(negative=False), ids=lambda t: t.id)
def test_a_positive_file_publishes_its_graphs(test: SyntaxTest, published):
    p = published(test.suite)
    want = expected(test)
    own = [q for q in want if isinstance(q.graph_name, ox.DefaultGraph)]
    assert (test.action in p.release.graphs) == bool(own), "its graph, unless it has no triples (a file of directives)"
    got = as_published(p.store.quads_for_pattern(None, None, None, ox.NamedNode(test.action)), test.action)
    assert canonical(got) == canonical(own), "the file's triples (its default graph)"
    for name in {q.graph_name for q in want if isinstance(q.graph_name, ox.NamedNode)}:
        quads = [q for q in want if q.graph_name == name]
        if name.value in p.shared:
            assert _embedded(p.store, quads), f"its quads in {name}, which other files write into too"
        else:
            assert canonical(as_published(p.store.quads_for_pattern(None, None, None, name))) == canonical(quads), name
    blank = [q for q in want if isinstance(q.graph_name, ox.BlankNode)]
    assert not blank or _embedded(p.store, blank), "its graphs named by blank nodes, under genid IRIs"


@pytest.mark.parametrize("suite", SUITES)
def test_the_whole_release(suite: str, published):
    """The release of a suite's positive files is isomorphic to the union of their expected results
    (blank nodes apart between files, each file's default graph in the graph of its IRI): nothing
    missing, nothing more. Its dumps were read back and compared with the store when it was published."""
    p = published(suite)
    union: list[ox.Quad] = []
    for n, test in enumerate(t for t in manifest_tests(suite) if not t.negative):
        def apart(term, n=n, test=test):
            if isinstance(term, ox.BlankNode):
                return ox.BlankNode(f"f{n}x{term.value}")
            return ox.NamedNode(test.action) if isinstance(term, ox.DefaultGraph) else term
        union += [ox.Quad(*(apart(t) for t in q)) for q in expected(test)]
    assert canonical(as_published(p.store)) == canonical(union)
    assert not p.release.writing and {d["name"] for d in p.release.manifest["dumps"]} == {
        "graph.nq.gz", "graph.trig.gz", "graph.ttl.gz", "graph.nt.gz", "graph.jsonld.gz"}


# -- the negative files: refused, each where it goes wrong --------------------------------------------
@pytest.fixture(scope="module")
def refusals(published):
    """suite -> (each negative file's problem, the release current before and after the attempt)."""
    made: dict[str, tuple[dict[str, list[Problem]], str, str | None]] = {}

    def get(suite: str) -> tuple[dict[str, list[Problem]], str, str | None]:
        if suite not in made:
            p = published(suite)
            negative = [t for t in manifest_tests(suite) if t.negative]
            with pytest.raises(RecordError) as info:
                publish_files([f"{t.action}={t.path}" for t in negative], p.settings)
            found: dict[str, list[Problem]] = {}
            for problem in info.value.problems:
                found.setdefault(problem.file, []).append(problem)
            after = current(p.settings.data_dir)
            made[suite] = (found, p.release.id, after.id if after else None)
        return made[suite]
    return get


@pytest.mark.parametrize("test", cases(negative=True), ids=lambda t: t.id)
def test_a_negative_file_is_refused_with_file_line_and_column(test: SyntaxTest, refusals):
    found, before, after = refusals(test.suite)
    problems = found.get(str(test.path), [])
    assert len(problems) == 1, "refused, once"
    problem = problems[0]
    lines = test.path.read_bytes().count(b"\n") + 1
    assert problem.line is not None and 1 <= problem.line <= lines, problem
    column = problem.reason.split(":", 1)[0]
    assert column.startswith("column ") and int(column.split()[1]) >= 1, problem
    assert str(problem).startswith(f"{test.path}:{problem.line}: column "), problem
    assert after == before, "nothing published: the current release stays"
