"""Validation: pyshacl over the mapped graph with the project's shapes. Reports; never edits the graph.

    validate(mapped, shapes) -> Report

The report says, for each result: severity, focus node, path, message, and the record line the
focus node came from (blank nodes are traced to the subject they belong to).
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .mapping import Mapped
from .vocab import RDF, SH, bind


@dataclass(frozen=True)
class Result:
    severity: str        # Violation | Warning | Info
    focus: str
    path: str
    message: str
    value: str
    origin: str          # "seeds/articles/x.yaml:12 (events[0])", or "" when unknown

    def __str__(self) -> str:
        where = f"\n      record: {self.origin}" if self.origin else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: <{self.focus}> {self.path}{value}\n      {self.message}{where}"


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    graph: Graph

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    def text(self) -> str:
        head = "Conforms." if self.conforms else f"Does not conform: {len(self.violations)} violation(s)."
        if self.warnings:
            head += f" {len(self.warnings)} warning(s)."
        return "\n".join([head, *(f"  {r}" for r in self.results)]) + "\n"


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(node) if not isinstance(node, BNode) else "[]"
    except Exception:  # noqa: BLE001 - a display nicety only; fall back to the full term
        return str(node)


def _owner(node: Node, data: Graph, origins: dict) -> Node:
    """The IRI subject a blank node hangs from (evidence and selectors), for locating its record."""
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        node = next(data.subjects(None, node), node)
    return node


def validate(mapped: Mapped, shapes: Graph, data: Graph | None = None) -> Report:
    data = data if data is not None else mapped.union()
    # inplace: with no inference pyshacl only reads the data graph, so copying it first is wasted work
    conforms, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True, abort_on_first=False,
        inplace=True,
    )
    bind(results_graph)
    results = []
    for result in results_graph.subjects(SH.resultSeverity, None):
        focus = results_graph.value(result, SH.focusNode)
        severity = str(results_graph.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        owner = _owner(focus, data, mapped.origins)
        results.append(Result(
            severity=severity,
            focus=str(owner) if isinstance(focus, BNode) else str(focus),
            path=_short(results_graph.value(result, SH.resultPath), results_graph),
            message=str(results_graph.value(result, SH.resultMessage) or "constraint not met"),
            value=_short(results_graph.value(result, SH.value), results_graph),
            origin=mapped.origins.get(owner, ""),
        ))
    results.sort(key=lambda r: (r.severity != "Violation", r.origin, r.focus, r.path))
    return Report(conforms=bool(conforms), results=results, graph=results_graph)


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

@dataclass
class _Job:
    corpus: object
    minter: object
    shapes: Graph
    register: dict  # subject -> its triples in the register graph


_JOB: _Job | None = None  # set in the parent before the worker processes fork


def _check_batch(batch: tuple[int, int] | None) -> tuple[str, list[Result], str, int]:
    """Map and check one batch: (N-Quads of its graphs, results, results graph as N-Triples, triples)."""
    from .mapping import declared_types, map_articles, map_register

    job = _JOB
    if batch is None:
        mapped = map_register(job.corpus, job.minter)
    else:
        mapped = map_articles(job.corpus, job.minter, job.corpus.articles[batch[0]:batch[1]])
    data = mapped.union()
    typed = set(data.subjects(RDF.type))
    outside = {n for triple in data for n in (triple[0], triple[2]) if isinstance(n, URIRef) and n not in typed}
    stubs = set()
    for node in outside:
        if node in job.register:
            data.addN((s, p, o, data) for s, p, o in job.register[node])
        else:
            stubs.add(node)
    data.addN((s, p, o, data) for s, p, o in declared_types(job.corpus, job.minter, stubs))
    report = validate(mapped, job.shapes, data)
    results = [r for r in report.results if URIRef(r.focus) not in stubs]
    return mapped.nquads(), results, report.graph.serialize(format="nt") if results else "", len(mapped)


def check_corpus(corpus, minter, shapes: Graph, sink, *, batch_size: int = 500, workers: int | None = None,
                 progress=lambda done, total: None) -> tuple[Report, int]:
    """Map and validate every article in batches (in parallel worker processes when there are many),
    writing the mapped N-Quads to the binary file `sink` in a stable order. Returns (report, triples)."""
    global _JOB
    n = len(corpus.articles)
    batches: list[tuple[int, int] | None] = [None] + [(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]
    workers = workers if workers is not None else (min(os.cpu_count() or 1, len(batches) - 1) if n > batch_size else 1)
    from .mapping import map_register

    register: dict = {}
    for triple in map_register(corpus, minter).quads():
        register.setdefault(triple[0], []).append(triple[:3])
    _JOB = _Job(corpus, minter, shapes, register)
    results: list[Result] = []
    graph = Graph()
    triples = 0
    try:
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                outcomes = pool.imap(_check_batch, batches)
                triples = _collect(outcomes, sink, results, graph, progress, len(batches))
        else:
            triples = _collect(map(_check_batch, batches), sink, results, graph, progress, len(batches))
    finally:
        _JOB = None
    first: dict = {}
    for r in results:  # the register's batch runs first, so a register entity keeps its register line
        first.setdefault((r.severity, r.focus, r.path, r.message, r.value), r)
    unique = sorted(first.values(), key=lambda r: (r.severity != "Violation", r.origin, r.focus, r.path, r.message))
    conforms = not any(r.severity == "Violation" for r in unique)
    return Report(conforms=conforms, results=unique, graph=_one_report(graph, conforms)), triples


def _one_report(graph: Graph, conforms: bool) -> Graph:
    """The batches' reports as one sh:ValidationReport holding every result."""
    for report in list(graph.subjects(RDF.type, SH.ValidationReport)):
        graph.remove((report, None, None))
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(conforms)))
    for result in set(graph.subjects(SH.resultSeverity, None)):
        graph.add((node, SH.result, result))
    bind(graph)
    return graph


def _collect(outcomes, sink, results: list[Result], graph: Graph, progress, total: int) -> int:
    triples = 0
    for done, (nquads, batch_results, results_nt, count) in enumerate(outcomes, 1):
        sink.write(nquads.encode("utf-8"))
        results.extend(batch_results)
        if batch_results:
            graph.parse(data=results_nt, format="nt")
        triples += count
        progress(done, total)
    return triples
