"""Validation: the project's shapes over the mapped graph. Reports; never edits the graph.

    validate(mapped, shapes) -> Report                 one run over one graph
    check_corpus(corpus, minter, shapes, sink) -> ...  the whole corpus, batch by batch, in parallel

The shapes are checked by shacl_core where it implements what they use (SHACL Core's common constraints, in
Python over an index of the data: many times faster), and by pyshacl for the rest (SPARQL constraints
among them); validate(..., engine="pyshacl") runs pyshacl alone, and tests hold the two ways equal.

The report says, for each result: severity, focus node, path, message, and the record line the
focus node came from (blank nodes are traced to the subject they belong to). Its RDF form is a
sh:ValidationReport built from those results.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Mapping, Protocol

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from . import shacl_core
from .iris import Minter
from .mapping import Mapped
from .sources import Corpus
from .vocab import RDF, SH, bind

SEVERITIES = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}


@dataclass(frozen=True)
class Result:
    severity: str        # Violation | Warning | Info
    focus: str           # IRI of the focus node (of the node a blank focus node belongs to)
    path: str            # the path, prefixed for reading ("schema:attendee")
    message: str
    value: str           # the offending value, prefixed for reading, or ""
    origin: str          # "seeds/articles/x.yaml:12 (events[0])", or "" when unknown
    path_iri: str = ""   # the path's full IRI
    shape: str = ""      # the source shape's IRI, when it has one

    def __str__(self) -> str:
        where = f"\n      record: {self.origin}" if self.origin else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}> {self.path}{value}\n      {self.message}{where}"

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.severity, self.focus, self.path, self.message, self.value)


@dataclass
class Report:
    conforms: bool
    results: list[Result]

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def graph(self) -> Graph:
        """The report as SHACL validation report RDF."""
        g = Graph()
        bind(g)
        report = BNode("report")
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for i, r in enumerate(self.results):
            node = BNode(f"r{i}")
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, SEVERITIES.get(r.severity, SH.Violation)))
            g.add((node, SH.focusNode, URIRef(r.focus)))
            g.add((node, SH.resultMessage, Literal(r.message)))
            if r.path_iri:
                g.add((node, SH.resultPath, URIRef(r.path_iri)))
            if r.shape:
                g.add((node, SH.sourceShape, URIRef(r.shape)))
        return g

    def text(self) -> str:
        head = "Conforms." if self.conforms else f"Does not conform: {len(self.violations)} violation(s)."
        if self.warnings:
            head += f" {len(self.warnings)} warning(s)."
        return "\n".join([head, *(f"  {r}" for r in self.results)]) + "\n"


def merge(results: Iterable[Result]) -> Report:
    """One report from results that may repeat (a register entity checked in several batches):
    the first of each keeps its place, so a register entity keeps its register line."""
    first: dict[tuple[str, str, str, str, str], Result] = {}
    for r in results:
        first.setdefault(r.key, r)
    unique = sorted(first.values(), key=lambda r: (r.severity != "Violation", r.origin, r.focus, r.path, r.message))
    return Report(conforms=not any(r.severity == "Violation" for r in unique), results=unique)


#: The prefixes results are written with (the project's, as in every graph it writes).
DISPLAY = Graph()
bind(DISPLAY)


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[]"
    if not isinstance(node, Identifier):  # no term of RDF: nothing to shorten
        return str(node)
    if isinstance(node, Literal):  # as Turtle writes it: "21"^^xsd:integer, "Kabul"@en
        return node.n3(DISPLAY.namespace_manager)
    try:
        return DISPLAY.namespace_manager.normalizeUri(node)
    except Exception:  # noqa: BLE001 - a display nicety only; fall back to the full term
        return str(node)


Data = Graph | set[tuple[Node, Node, Node]]  # what validate checks: an rdflib graph, or a set of triples


class _Owners:
    """The IRI subject a blank node hangs from (evidence and selectors), for locating its record. A blank node
    with several (an annotation of a participation, linked from its event too) hangs from the one with a
    record line, then an IRI, then the least by its text: the same whatever order the data is read in."""

    def __init__(self, data: Data, origins: Mapping[Node, str]) -> None:
        self.data = data
        self.origins = origins
        self._parents: dict[Node, list[Node]] | None = None

    def parents(self, node: Node) -> list[Node]:
        if isinstance(self.data, Graph):
            return list(self.data.subjects(None, node))
        if self._parents is None:
            self._parents = {}
            for s, _, o in self.data:
                if isinstance(o, BNode):
                    self._parents.setdefault(o, []).append(s)
        return self._parents.get(node, [])

    def __call__(self, node: Node | None) -> Node | None:
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parents = self.parents(node)
            if not parents:
                break
            node = min(parents, key=lambda n: (n not in self.origins, isinstance(n, BNode), str(n)))
        return node


def _result(mapped: Mapped, owners: _Owners, *, severity: Node | None, focus: Node | None, path: Node | None,
            message: Node | None, value: Node | None, shape: Node | None) -> Result:
    owner = owners(focus)
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        focus=str(owner),
        path=_short(path),
        message=str(message or "constraint not met"),
        value=_short(value),
        origin=mapped.origins.get(owner, "") if owner is not None else "",
        path_iri=str(path) if isinstance(path, URIRef) else "",
        shape=str(shape) if isinstance(shape, URIRef) else "",
    )


def _graph(data: Data) -> Graph:
    if isinstance(data, Graph):
        return data
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in data)
    return g


def validate(mapped: Mapped, shapes: Graph, data: Data | None = None, *, parts: int = 1,
             engine: str = "auto") -> Report:
    """The shapes over the data (the mapped graphs' union unless given): shacl_core for the shapes it
    implements, pyshacl for the others, when they have focus nodes (engine "pyshacl": pyshacl for all). With
    parts > 1 and a large graph, pyshacl's shapes are shared out among that many processes (see shares)."""
    data = data if data is not None else mapped.union()
    owners = _Owners(data, mapped.origins)
    if engine not in ("auto", "pyshacl"):
        raise ValueError(f"no validation engine {engine!r}: auto or pyshacl")
    if engine == "pyshacl" or (None, SH.rule, None) in shapes:  # SHACL rules add triples first: pyshacl's to run
        return merge(_pyshacl(mapped, shapes, _graph(data), owners, parts))
    plan, index, found = _core(shapes, data)
    results = [_result(mapped, owners, severity=f.shape.severity, focus=f.focus,
                       path=f.path if f.path is not None else f.shape.path_node, message=f.message or f.shape.message,
                       value=f.value, shape=f.shape.node)
               for f in found]
    if any(not isinstance(s, URIRef) for s in plan.rest):  # a blank-node shape with targets: pyshacl for all
        return merge(_pyshacl(mapped, shapes, _graph(data), owners, parts))
    left = sorted((s for s in plan.rest if isinstance(s, URIRef) and shacl_core.has_focus(shapes, [s], index)),
                  key=str)
    if not left:
        return merge(results)
    return merge([*results, *_pyshacl(mapped, shapes, _graph(data), owners, parts, left)])


def _core(shapes: Graph, data: Data) -> tuple[shacl_core.Plan, shacl_core.Index, list[shacl_core.Found]]:
    """shacl_core's plan, index and results; with the SPARQL constraints left to pyshacl when the data holds a
    term Oxigraph does not take."""
    for sparql in (True, False):
        plan = shacl_core.compile_shapes(shapes, sparql=sparql)
        index = shacl_core.index_for(plan, data, [t for n in plan.rest if (t := shacl_core.rest_target(shapes, n))])
        try:
            return plan, index, shacl_core.check_indexed(plan, index)
        except shacl_core.Unconvertible:
            continue
    raise AssertionError("without SPARQL constraints nothing is converted")


def _pyshacl(mapped: Mapped, shapes: Graph, graph: Graph, owners: _Owners, parts: int,
             only: list[URIRef] | None = None) -> list[Result]:
    """pyshacl's results for the shapes (those given only: the others' targets taken away), in parts when
    the graph is large."""
    if parts > 1 and len(graph) >= SPLIT_AT and len(split := shares(shapes, graph, parts, only)) > 1:
        return [r for rs in _in_parts(mapped, shapes, graph, split) for r in rs]
    return _results(mapped, shapes if only is None else share_graph(shapes, only), graph, owners)


def _results(mapped: Mapped, shapes: Graph, data: Graph, owners: _Owners | None = None) -> list[Result]:
    """One pyshacl run."""
    owners = owners or _Owners(data, mapped.origins)
    # inplace: with no inference pyshacl only reads the data graph, so copying it first is wasted work
    results_graph: Graph  # pyshacl's validate has no return type: (conforms, results graph, text)
    _, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True, abort_on_first=False,
        inplace=True,
    )
    return [_result(mapped, owners, severity=results_graph.value(result, SH.resultSeverity),
                    focus=results_graph.value(result, SH.focusNode), path=results_graph.value(result, SH.resultPath),
                    message=_message(results_graph, result, shapes), value=results_graph.value(result, SH.value),
                    shape=results_graph.value(result, SH.sourceShape))
            for result in results_graph.subjects(SH.resultSeverity, None)]


def _message(results: Graph, result: Node, shapes: Graph) -> Node | None:
    """A result's message. pyshacl gives a SPARQL constraint's result both the constraint's message and its
    shape's: the constraint's says what is wrong, so it is taken; of several otherwise, the least by its text
    (rdflib's order of a node's values is no order at all)."""
    messages = list(results.objects(result, SH.resultMessage))
    if len(messages) < 2:
        return messages[0] if messages else None
    shape = results.value(result, SH.sourceShape)
    own = {str(m) for m in shapes.objects(shape, SH.message)} if shape is not None else set()
    return min((m for m in messages if str(m) not in own), default=min(messages, key=str), key=str)


# -- one large graph, validated in parts ----------------------------------------------------------
#
# pyshacl runs on one core, at about 4 ms a focus node and shape; a GDELT export is tens of thousands of
# focus nodes. pyshacl checks each shape that has targets on its own and adds up their results, so the
# shapes can be shared out among processes, each running pyshacl over the whole graph (inherited by fork,
# not copied) with a shapes graph in which only its share of the shapes keep their targets (the others
# stay, untargeted, for what refers to them): together they find exactly what one run finds
# (tests/test_validation_parts.py holds the two equal on graphs with planted errors). Shares are balanced
# by an estimate of each shape's work: its focus nodes times its constraints. (pyshacl's own use_shapes
# option is no help: it leaves out the property shapes of the shapes it is given.)

SPLIT_AT = 20_000  # triples; below that, one run is quicker than starting processes
_SPLIT: tuple[Mapped, Graph, Graph, list[list[URIRef]]] | None = None  # set in the parent before forking
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _size(shape: URIRef, shapes: Graph) -> int:
    """The triples that describe a shape: its own, its property shapes', its lists' and blank nodes'."""
    seen: set[Node] = {shape}
    todo: list[Node] = [shape]
    size = 0
    while todo:
        node = todo.pop()
        for p, o in shapes.predicate_objects(node):
            size += 1
            follow = isinstance(o, BNode) or (p == SH.property and isinstance(o, URIRef))
            if follow and o not in seen:
                seen.add(o)
                todo.append(o)
    return size


def _work(shape: URIRef, shapes: Graph, data: Graph) -> int:
    """An estimate of a shape's work on the data: its focus nodes (by class targets; 1 for the others)
    times its size."""
    nodes = sum(1 for cls in shapes.objects(shape, SH.targetClass) for _ in data.subjects(RDF.type, cls))
    return max(nodes, 1) * _size(shape, shapes)


def _targeted(shapes: Graph) -> list[URIRef]:
    return sorted({s for t in _TARGETS for s in shapes.subjects(t, None) if isinstance(s, URIRef)}, key=str)


def shares(shapes: Graph, data: Graph, parts: int, among: list[URIRef] | None = None) -> list[list[URIRef]]:
    """The shapes with targets (those among the given ones), shared out into at most that many lists of about
    equal work (largest first, each to the least loaded); one list when that cannot be done (a shape with
    implicit class targets, whose target cannot be taken away without changing what it is)."""
    targeted = _targeted(shapes) if among is None else among
    implicit = bool(shacl_core.implicit_targets(shapes))
    blank = any(isinstance(s, BNode) for t in _TARGETS for s in shapes.subjects(t, None))
    rules = (None, SH.rule, None) in shapes  # a rule's shape must run wherever its triples are read
    if implicit or blank or rules or len(targeted) < 2 or parts < 2:
        return [targeted]
    loads: list[tuple[int, list[URIRef]]] = [(0, []) for _ in range(min(parts, len(targeted)))]
    for work, shape in sorted(((_work(s, shapes, data), s) for s in targeted), key=lambda pair: (-pair[0], str(pair[1]))):
        i = min(range(len(loads)), key=lambda j: loads[j][0])
        loads[i] = (loads[i][0] + work, loads[i][1] + [shape])
    return [share for _, share in loads if share]


def share_graph(shapes: Graph, share: Iterable[URIRef]) -> Graph:
    """The shapes graph with the targets of every shape outside the share taken away."""
    keep = set(share)
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    for s, p, o in shapes:
        if p in _TARGETS and s not in keep:
            continue
        out.add((s, p, o))
    return out


def _check_share(k: int) -> list[Result]:
    if _SPLIT is None:
        raise RuntimeError("a share of the shapes is checked only inside validate, which sets the split")
    mapped, shapes, data, split = _SPLIT
    return _results(mapped, share_graph(shapes, split[k]), data)


def _in_parts(mapped: Mapped, shapes: Graph, data: Graph, split: list[list[URIRef]]) -> list[list[Result]]:
    global _SPLIT
    _SPLIT = (mapped, shapes, data, split)
    try:
        with multiprocessing.get_context("fork").Pool(len(split)) as pool:
            return pool.map(_check_share, range(len(split)))
    finally:
        _SPLIT = None


# -- checking a corpus batch by batch ------------------------------------------------------------
#
# pyshacl over millions of triples in one graph is slow and memory-hungry. Every constraint in the
# shapes looks at a focus node's own triples and the types of the nodes it points to, so a batch of
# articles can be checked on its own, given
#   - the register's description of every register entity the batch mentions (so an entity the
#     batch says more about, say a person holding a post, is checked whole), and
#   - the declared types of whatever else it points to (an event of another article), for sh:class;
#     results about those nodes are dropped: their own batch checks them.
# The register is a batch of its own. tests/test_scale.py holds the batched results equal to one
# pyshacl run over the union, on a corpus with planted errors.
#
# With a cache, an article whose record, text, register, shapes and code are unchanged since it was
# last checked is not mapped or validated again: its N-Quads and results come from the cache.

Triples = dict[Node, list[tuple[Node, Node, Node]]]  # subject -> its triples


class ArticleCache(Protocol):
    """Where check_corpus finds, and keeps, what an article mapped to and how it validated (cache.Cache)."""

    def get(self, index: int) -> tuple[Path, list[Result]] | None: ...

    def put(self, index: int, nquads: bytes, results: list[Result]) -> None: ...


Record = Callable[[int | None, int, list[Result]], None]  # (article index or None for the register, quads, results)


@dataclass
class _Job:
    corpus: Corpus
    minter: Minter
    shapes: Graph
    register: Triples | None  # subject -> its triples in the register graph; None: mapped as a batch needs them
    parts: int = 1  # processes a large batch's validation may use (1 inside a pool's worker: it cannot fork)
    engine: str = "auto"  # validate's engine


_JOB: _Job | None = None  # set in the parent before the worker processes fork

BatchResults = list[tuple[int | None, bytes, list[Result]]]  # (article index or None for the register, N-Quads, results)


def _job() -> _Job:
    if _JOB is None:
        raise RuntimeError("a batch is checked only inside check_corpus, which sets the job")
    return _JOB


def _check_batch(batch: list[int] | None) -> BatchResults:
    """Map and check one batch (article indexes, or None for the register); split the outcome by article."""
    from .mapping import declared_types, map_articles, map_register

    job = _job()
    articles = [job.corpus.articles[i] for i in batch] if batch is not None else []
    mapped = map_register(job.corpus, job.minter) if batch is None else map_articles(job.corpus, job.minter, articles)
    data: set[tuple[Node, Node, Node]] = set().union(*mapped.graphs.values())
    typed = {s for s, p, _ in data if p == RDF.type}
    outside = {n for triple in data for n in (triple[0], triple[2]) if isinstance(n, URIRef) and n not in typed}
    register = job.register if job.register is not None else _register_of(job, outside)
    stubs: set[URIRef] = set()
    for node in outside:
        if node in register:
            data.update(register[node])
        else:
            stubs.add(node)
    data.update(declared_types(job.corpus, job.minter, stubs))
    results = [r for r in validate(mapped, job.shapes, data, parts=job.parts, engine=job.engine).results
               if URIRef(r.focus) not in stubs]
    if batch is None:
        return [(None, mapped.nquads().encode("utf-8"), results)]
    outcome: BatchResults = []
    for index, article in zip(batch, articles):
        graph = job.minter.unit_graph(article.kind, article.slug)
        own = [r for r in results if r.origin.startswith(article.source.display + ":")]
        outcome.append((index, Mapped(graphs={graph: mapped.graphs[graph]}).nquads().encode("utf-8"), own))
    return outcome


def _by_subject(mapped: Mapped) -> Triples:
    triples: Triples = {}
    for quad in mapped.quads():
        triples.setdefault(quad[0], []).append(quad[:3])
    return triples


def _register_of(job: _Job, nodes: Iterable[URIRef]) -> Triples:
    """The register's triples about the given nodes only (a build that checks a few articles)."""
    from .mapping import map_register

    slugs = {split[2] for node in nodes if (split := job.minter.split(str(node)))}
    return _by_subject(map_register(job.corpus, job.minter, only=slugs))


def check_corpus(corpus: Corpus, minter: Minter, shapes: Graph, sink: BinaryIO, *, batch_size: int = 500,
                 workers: int | None = None, cache: ArticleCache | None = None, skip: frozenset[int] = frozenset(),
                 register: bool = True, record: Record = lambda index, quads, results: None,
                 progress: Callable[[int, int], None] = lambda done, total: None,
                 engine: str = "auto") -> tuple[Report, int]:
    """Map and validate every article in batches (in parallel worker processes when there are many),
    writing the mapped N-Quads to the binary file `sink` as batches finish. Articles whose indexes are
    in skip, and the register when register is false, are neither mapped nor written (a build that
    keeps their graphs from the release before). record(index, quads, results) is called for every
    article written (index None: the register). engine is validate's. Returns (report of what was checked,
    quads written)."""
    global _JOB
    from .mapping import map_register

    cached = {i: hit for i in range(len(corpus.articles))
              if i not in skip and cache is not None and (hit := cache.get(i)) is not None}
    todo = [i for i in range(len(corpus.articles)) if i not in cached and i not in skip]
    batches: list[list[int] | None] = ([None] if register else []) + [todo[i:i + batch_size]
                                                                     for i in range(0, len(todo), batch_size)]
    if workers is None:
        workers = min(os.cpu_count() or 1, len(batches) - 1) if len(todo) > batch_size else 1
    # the register's triples by subject, for every batch; a build that checks one batch maps only what it needs
    entities = _by_subject(map_register(corpus, minter)) if register or len(todo) > batch_size else None
    _JOB = _Job(corpus, minter, shapes, entities, parts=1 if workers > 1 else os.cpu_count() or 1, engine=engine)
    written = [0]
    results: list[Result] = []

    def emit(index: int | None, nquads: bytes, own: list[Result]) -> None:
        sink.write(nquads)
        quads = nquads.count(b"\n")  # N-Quads: one line a quad (newlines in literals are escaped)
        written[0] += quads
        results.extend(own)
        record(index, quads, own)

    try:
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                _gather(pool.imap_unordered(_check_batch, batches), emit, cache, progress, len(batches))
        else:
            _gather(map(_check_batch, batches), emit, cache, progress, len(batches))
    finally:
        _JOB = None
    for index in sorted(cached):
        path, own = cached[index]
        emit(index, path.read_bytes(), own)
    return merge(results), written[0]


def _gather(outcomes: Iterable[BatchResults], emit: Callable[[int | None, bytes, list[Result]], None], cache: ArticleCache | None,
            progress: Callable[[int, int], None], total: int) -> None:
    for step, outcome in enumerate(outcomes, 1):
        for index, nquads, own in outcome:
            emit(index, nquads, own)
            if cache is not None and index is not None:
                cache.put(index, nquads, own)
        progress(step, total)
