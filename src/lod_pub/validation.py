"""Validation: pyshacl over the mapped graph with the project's shapes. Reports; never edits the graph.

    validate(mapped, shapes) -> Report

The report says, for each result: severity, focus node, path, message, and the record line the
focus node came from (blank nodes are traced to the subject they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import BNode, Graph
from rdflib.term import Node

from .mapping import Mapped
from .vocab import SH, bind


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
    conforms, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True, abort_on_first=False
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
