"""SHACL Core, checked in Python: the part of SHACL the project's shapes use, over an index of the data.

    plan = compile_shapes(shapes)   which targeted shapes are checked here (Plan.shapes), and which are left
                                    to pyshacl (Plan.rest, each with the reason)
    check(plan, data) -> [Found]    the validation results pyshacl gives for Plan.shapes, one Found each

Why by hand: pyshacl spends about 4 ms of CPU per focus node and shape on a GDELT export, most of it in its
general machinery (rdflib lookups through a context-aware store for every value node, a result graph and a
description built per failure, the lists of sh:or read again for every value node). The shapes use a small
part of SHACL Core, which a dictionary index of the data checks many times faster
(benchmarks/bench_validation.py). pyshacl stays the reference and the fallback: a shape that uses anything
this module does not implement (SPARQL targets, SPARQL constraints outside what
sparql_constraint accepts, sh:node, qualified value shapes, closed
shapes, property pairs, paths other than predicate, inverse, alternative and sequence paths, a constraint
parameter other than sh:class given twice, a parameter of a constraint component the shapes declare, an
implicit class target, a shape that can report without exactly one sh:message, a severity inside sh:or or
sh:not) goes to pyshacl whole, and so does an ill-formed one (a count on a node shape, a count or length that
is not an xsd:integer of at least 0, a path list of one), for pyshacl to refuse; a shapes graph with SHACL
rules goes to pyshacl entirely (validation.validate). tests/test_shacl_core.py holds the two equal on every
shape example, the real GDELT export, article corpora, graphs mutated at random, and hand-made shapes.

The semantics are pyshacl's (0.40) where SHACL leaves room: sh:class and class targets follow
rdfs:subClassOf in the data graph only; sh:datatype checks that the literal's value has the datatype's
Python type (rdflib's parsing) and is not ill-typed; ordering constraints compare with pyshacl's own
compare_literal; a result's message is the reporting shape's sh:message (a SPARQL constraint's: its own).

SPARQL-based constraints (sh:sparql with sh:select) are run by Oxigraph over an in-memory store of the data,
built once per check when a shape with one has a focus node, with $this substituted as pyshacl pre-binds it
(SEP-0007 substitution, which is what pyshacl's initBindings come to for the queries SHACL allows) and $PATH
written as the shape's path; a solution becomes a result as pyshacl makes one (its ?this, ?path, ?value,
?failure). pyshacl built an rdflib graph of the whole batch for them: 1.1 s of a GDELT export's build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal as _compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .vocab import OWL, RDF, RDFS, SH, XSD

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: What a shape node may carry and be checked here; anything else of SHACL's sends the shape to pyshacl.
#: (Predicates outside SHACL's namespace - labels, comments - do not validate and are ignored, as pyshacl does.)
PARAMETERS = frozenset({
    SH.path, SH.property, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group,
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH["or"], SH["not"], SH.hasValue, SH.pattern, SH.flags,
    SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
    SH.minCount, SH.maxCount, SH.sparql, *TARGETS,
})
NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
#: sh:datatype: the Python type rdflib parses a well-typed value of the datatype into (others: any)
VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}


#: pyshacl's ordering of literals (untyped there)
compare_literal = cast(Callable[[Literal, Literal], int], _compare_literal)


class Unsupported(Exception):
    """A shape uses what this module does not implement: it goes to pyshacl."""


# -- paths ---------------------------------------------------------------------------------------
# A path is compiled into a tuple: ("p", iri) | ("inv", iri) | ("alt", paths) | ("seq", paths).

Path = tuple[str, Any]


def _path(node: Node, shapes: Graph) -> Path:
    if isinstance(node, URIRef):
        return ("p", node)
    if isinstance(node, BNode):
        if (node, RDF.first, None) in shapes:
            members = list(Collection(shapes, node))
            if len(members) < 2:
                raise Unsupported("a sequence path of fewer than two members (ill-formed: pyshacl refuses it)")
            return ("seq", tuple(_path(n, shapes) for n in members))
        inverse = shapes.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(node))) == 1:
            return ("inv", inverse)
        alternative = shapes.value(node, SH.alternativePath)
        if alternative is not None and len(list(shapes.predicate_objects(node))) == 1:
            members = list(Collection(shapes, alternative))
            if len(members) < 2:
                raise Unsupported("an alternative path of fewer than two members (ill-formed: pyshacl refuses it)")
            return ("alt", tuple(_path(n, shapes) for n in members))
    raise Unsupported(f"the path {node!r} is not a predicate, inverse, alternative or sequence path")


def _predicates(path: Path, inverse: bool = False) -> Iterator[tuple[URIRef, bool]]:
    kind, arg = path
    if kind == "p":
        yield arg, inverse
    elif kind == "inv":
        yield arg, True
    else:
        for part in arg:
            yield from _predicates(part, inverse)


# -- the index of the data -------------------------------------------------------------------------

Triple = tuple[Node, Node, Node]


class Index:
    """The data's triples of the predicates the plan reads: objects by (predicate, subject), and subjects by
    (predicate, object) for the predicates read backwards. The data: an rdflib graph or any iterable of triples."""

    def __init__(self, data: Iterable[Triple], forward: Iterable[URIRef], backward: Iterable[URIRef]):
        if iter(data) is data:  # read twice when a SPARQL constraint has a focus node (Index.store)
            data = list(data)
        self.data = data
        self._store: DataStore | None = None
        wanted = set(forward) | {RDF.type, RDFS.subClassOf}
        back = set(backward)
        self.out: dict[URIRef, dict[Node, set[Node]]] = {p: {} for p in wanted}
        self.back: dict[URIRef, dict[Node, set[Node]]] = {p: {} for p in back}
        for s, p, o in data:
            if p in wanted:
                self.out[p].setdefault(s, set()).add(o)  # type: ignore[index]
            if p in back:
                self.back[p].setdefault(o, set()).add(s)  # type: ignore[index]
        self.typed: dict[Node, set[Node]] = {}
        for s, types in self.out[RDF.type].items():
            for t in types:
                self.typed.setdefault(t, set()).add(s)
        self._supers: dict[Node, set[Node]] = {}
        self._by_super: dict[Node, set[Node]] | None = None

    def objects(self, s: Node, p: URIRef) -> set[Node]:
        return self.out[p].get(s, set())

    def store(self) -> DataStore:
        """The whole data in an Oxigraph store, made when first asked for (by a SPARQL constraint)."""
        if self._store is None:
            self._store = DataStore(self.data)
        return self._store

    def subjects(self, p: URIRef, o: Node) -> set[Node]:
        return self.back[p].get(o, set())

    def supers(self, cls: Node) -> set[Node]:
        """cls and every class it is an rdfs:subClassOf of, transitively, in the data."""
        found = self._supers.get(cls)
        if found is None:
            found = _closure(cls, lambda c: self.out[RDFS.subClassOf].get(c, ()))
            self._supers[cls] = found
        return found

    def instances(self, cls: Node) -> set[Node]:
        """The SHACL instances of cls: typed with it or with a subclass of it (in the data)."""
        if self._by_super is None:
            self._by_super = {}
            for s, os in self.out[RDFS.subClassOf].items():
                for o in os:
                    self._by_super.setdefault(o, set()).add(s)
        by_super = self._by_super
        return set().union(*(self.typed.get(c, set()) for c in _closure(cls, lambda c: by_super.get(c, ()))))

    def values(self, path: Path, focus: Node) -> set[Node]:
        kind, arg = path
        if kind == "p":
            return self.objects(focus, arg)
        if kind == "inv":
            return self.subjects(arg, focus)
        if kind == "alt":
            return set().union(*(self.values(part, focus) for part in arg))
        nodes = {focus}
        for part in arg:
            nodes = set().union(*(self.values(part, n) for n in nodes)) if nodes else set()
        return nodes


def _closure(start: Node, step: Callable[[Node], Iterable[Node]]) -> set[Node]:
    seen, todo = {start}, [start]
    while todo:
        for n in step(todo.pop()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


class Unconvertible(Exception):
    """The data holds a term Oxigraph does not take (an IRI or a language tag it finds malformed): its SPARQL
    constraints are left to pyshacl (validation.validate)."""


class DataStore:
    """The data in an in-memory Oxigraph store, with each term's rdflib form kept for the results."""

    def __init__(self, data: Iterable[Triple]):
        self.to_ox: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
        self.to_rdf: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}
        self.store = ox.Store()
        try:
            self.store.extend(ox.Quad(self.term(s), self.term(p), self.term(o)) for s, p, o in data)  # type: ignore[arg-type]
        except (ValueError, TypeError) as exc:
            raise Unconvertible(str(exc)) from exc

    def term(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self.to_ox.get(node)
        if found is None:
            try:
                found = self._convert(node)
            except (ValueError, TypeError) as exc:
                raise Unconvertible(f"{node!r}: {exc}") from exc
            self.to_ox[node] = found
            self.to_rdf.setdefault(found, node)
        return found

    def _convert(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode()  # a label of its own: rdflib's may not be a valid one
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))
        raise TypeError(f"not an RDF term: {node!r}")

    def node(self, term: Any) -> Node:
        """The rdflib form of a term a query gives (one of the data's, or one it computed)."""
        if term in self.to_rdf:
            return self.to_rdf[term]
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            return Literal(term.value, datatype=URIRef(term.datatype.value))
        raise Unconvertible(f"a query gave {term!r}")


# -- shapes ---------------------------------------------------------------------------------------

ValueTest = Callable[[Node, Index], bool]      # True: the value node passes
CountTest = Callable[[set[Node]], bool]        # True: the value nodes pass, together


@dataclass
class Shape:
    node: Node
    path: Path | None
    path_node: Node | None
    severity: URIRef
    message: Literal | None
    value_tests: list[ValueTest] = field(default_factory=list)
    count_tests: list[CountTest] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)

    def conforms(self, focus: Node, index: Index) -> bool:
        values = index.values(self.path, focus) if self.path is not None else {focus}
        if not all(test(values) for test in self.count_tests):
            return False
        if not all(test(v, index) for test in self.value_tests for v in values):
            return False
        return all(p.conforms(v, index) for p in self.properties for v in values)

    def report(self, focus: Node, index: Index, out: list[Found]) -> None:
        values = index.values(self.path, focus) if self.path is not None else {focus}
        for count in self.count_tests:
            if not count(values):
                out.append(Found(self, focus, None))
        for test in self.value_tests:
            out.extend(Found(self, focus, v) for v in values if not test(v, index))
        for p in self.properties:  # a property shape's value nodes are the focus nodes of its own properties
            for v in values:
                p.report(v, index, out)
        for constraint in self.sparql:
            constraint.report(self, focus, index, out)


@dataclass(frozen=True)
class Found:
    """One validation result: the reporting shape (its node, path, severity and message), focus and value;
    a SPARQL constraint's result has its own message, and may have its own path."""
    shape: Shape
    focus: Node
    value: Node | None
    message: Literal | None = None
    path: Node | None = None


@dataclass(frozen=True)
class SparqlConstraint:
    """A SPARQL-based constraint (sh:sparql, sh:select): its node, its query (prefixes declared, $PATH
    written as the shape's path), its message, and whether the query names $this (pre-bound then)."""
    node: Node
    query: str
    message: Literal
    this: bool

    def report(self, shape: Shape, focus: Node, index: Index, out: list[Found]) -> None:
        """pyshacl's results for one focus node: a result per distinct solution that binds ?this, ?path or
        ?value; one in all for the solutions that bind ?failure."""
        data = index.store()
        rows = data.store.query(self.query, substitutions={THIS: data.term(focus)} if self.this else None)
        assert isinstance(rows, ox.QuerySolutions)
        names = [v.value for v in rows.variables]
        seen: set[tuple[Any, ...]] = set()
        failed = False
        mine = focus if shape.path is None else None  # a node shape's value is its focus node
        for row in rows:
            bound = {name: row[name] for name in names if row[name] is not None}
            if bound.pop("failure", None) is not None:
                if not failed:
                    failed = True
                    out.append(Found(shape, focus, mine, self.message))
                continue
            this, path, value = (bound.pop(name, None) for name in ("this", "path", "value"))
            if this is None and path is None and value is None:
                continue
            key = (this, path, value, tuple(sorted(bound.items(), key=lambda kv: kv[0])))
            if key in seen:
                continue
            seen.add(key)
            out.append(Found(shape, data.node(this) if this is not None else focus,
                             data.node(value) if value is not None else mine, self.message,
                             data.node(path) if path is not None else None))


THIS = ox.Variable("this")


@dataclass
class Target:
    shape: Shape
    classes: list[Node]
    nodes: list[Node]
    subjects_of: list[URIRef]
    objects_of: list[URIRef]

    def focus_nodes(self, index: Index) -> set[Node]:
        found: set[Node] = set(self.nodes)
        for cls in self.classes:
            found |= index.instances(cls)
        for p in self.subjects_of:
            found.update(index.out[p])
        for p in self.objects_of:
            for objects in index.out[p].values():
                found |= objects
        return found


@dataclass
class Plan:
    shapes: list[Target]
    rest: dict[Node, str]  # targeted shapes left to pyshacl: the reason
    forward: set[URIRef]
    backward: set[URIRef]


def implicit_targets(shapes: Graph) -> set[Node]:
    """Shapes that are classes (rdfs:Class, or a subclass of it, in the shapes graph): their instances are
    their focus nodes."""
    metaclasses = _closure(RDFS.Class, lambda c: shapes.subjects(RDFS.subClassOf, c))
    classes = {s for m in metaclasses for s in shapes.subjects(RDF.type, m)}
    return {c for c in classes if any(str(p).startswith(str(SH)) for p in shapes.predicates(c, None))
            or (c, RDF.type, SH.NodeShape) in shapes or (c, RDF.type, SH.PropertyShape) in shapes}


def compile_shapes(shapes: Graph, sparql: bool = True) -> Plan:
    """The targeted shapes compiled, and those left to pyshacl with the reason (with sparql false, every
    shape that has a SPARQL constraint)."""
    implicit = implicit_targets(shapes)
    targeted = {s for t in (*TARGETS, SH.target) for s in shapes.subjects(t, None)} | implicit
    # parameters of constraint components the shapes graph declares (SHACL-SPARQL): pyshacl's to check
    custom = {p for c in shapes.subjects(RDF.type, SH.ConstraintComponent)
              for param in shapes.objects(c, SH.parameter) for p in shapes.objects(param, SH.path)}
    rules = (None, SH.rule, None) in shapes  # SHACL rules (pyshacl's advanced mode) add triples before checking
    compiled: list[Target] = []
    rest: dict[Node, str] = {}
    forward: set[URIRef] = set()
    backward: set[URIRef] = set()
    for node in sorted(targeted, key=str):
        try:
            if rules:
                raise Unsupported("the shapes graph has SHACL rules (sh:rule), which add to the data first")
            if (node, SH.target, None) in shapes or node in implicit:
                raise Unsupported("a SPARQL-based or implicit class target")
            if not sparql and _uses_sparql(node, shapes):
                raise Unsupported("uses sh:sparql")
            if (node, RDF.type, SH.NodeShape) in shapes and (node, SH.path, None) in shapes:
                raise Unsupported("a sh:NodeShape with a sh:path (ill-formed: pyshacl refuses it)")
            seen: set[tuple[URIRef, bool]] = set()
            shape = _shape(node, shapes, reports=True, nested=False, seen=seen, custom=custom)
            target = Target(shape, list(shapes.objects(node, SH.targetClass)), list(shapes.objects(node, SH.targetNode)),
                            _iris(shapes.objects(node, SH.targetSubjectsOf)), _iris(shapes.objects(node, SH.targetObjectsOf)))
        except Unsupported as e:
            rest[node] = str(e)
            continue
        compiled.append(target)
        forward |= {p for p, inverse in seen if not inverse} | set(target.subjects_of) | set(target.objects_of)
        backward |= {p for p, inverse in seen if inverse}
    return Plan(compiled, rest, forward, backward)


def _uses_sparql(node: Node, shapes: Graph, depth: int = 0) -> bool:
    return (node, SH.sparql, None) in shapes or depth < 20 and any(
        _uses_sparql(p, shapes, depth + 1) for p in shapes.objects(node, SH.property))


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    found = list(nodes)
    if not all(isinstance(n, URIRef) for n in found):
        raise Unsupported("a target predicate that is not an IRI")
    return [n for n in found if isinstance(n, URIRef)]


def _one(shapes: Graph, node: Node, p: URIRef) -> Node | None:
    values = list(shapes.objects(node, p))
    if len(values) > 1:
        raise Unsupported(f"{shapes.namespace_manager.normalizeUri(str(p))} given {len(values)} times")
    return values[0] if values else None


def _shape(node: Node, shapes: Graph, *, reports: bool, nested: bool, seen: set[tuple[URIRef, bool]],
           custom: set[Node] = frozenset(), depth: int = 0, property_shape: bool = False) -> Shape:  # type: ignore[assignment]
    """A shape node compiled: reports says its failures become results (it needs one sh:message); nested
    says it is inside sh:or or sh:not (its severity would change what pyshacl takes as conforming);
    property_shape, that it is the object of a sh:property (it must have a path)."""
    if depth > 20:
        raise Unsupported("shapes nested deeper than 20 (recursive shapes?)")
    predicates = set(shapes.predicates(node, None))
    used = {p for p in predicates if str(p).startswith(str(SH))}
    if unknown := used - PARAMETERS:
        raise Unsupported("uses " + ", ".join(sorted(shapes.namespace_manager.normalizeUri(str(p)) for p in unknown)))
    if predicates & custom:
        raise Unsupported("uses a parameter of a constraint component the shapes declare")
    if SH.path not in used and used & {SH.minCount, SH.maxCount}:
        raise Unsupported("a count on a node shape (ill-formed: pyshacl refuses it)")
    if property_shape and SH.path not in used:
        raise Unsupported("a sh:property without a sh:path (ill-formed: pyshacl refuses it)")
    if (node, SH.deactivated, None) in shapes:
        raise Unsupported("sh:deactivated")
    path_node = _one(shapes, node, SH.path)
    path = _path(path_node, shapes) if path_node is not None else None
    if path is not None:
        seen.update(_predicates(path))
    severity = _one(shapes, node, SH.severity) or SH.Violation
    if nested and severity != SH.Violation:
        raise Unsupported("a severity inside sh:or or sh:not")
    message = _one(shapes, node, SH.message)
    if message is not None and not isinstance(message, Literal):
        raise Unsupported("a message that is not a literal")
    if not isinstance(severity, URIRef):
        raise Unsupported("a severity that is not an IRI")
    shape = Shape(node, path, path_node, severity, message)
    for cls in shapes.objects(node, SH["class"]):  # each class a constraint of its own, as pyshacl takes them
        shape.value_tests.append(_class(cls, shapes, node))
    for p, make in _VALUE_TESTS.items():
        if (arg := _one(shapes, node, p)) is not None:
            shape.value_tests.append(make(arg, shapes, node))
    for p, make_count in _COUNT_TESTS.items():
        if (arg := _one(shapes, node, p)) is not None:
            shape.count_tests.append(make_count(arg))
    for p in (SH["or"], SH["not"]):
        if (arg := _one(shapes, node, p)) is not None:
            members = list(Collection(shapes, arg)) if p == SH["or"] else [arg]
            if not members:
                raise Unsupported("an empty sh:or")
            inner = [_shape(m, shapes, reports=False, nested=True, seen=seen, custom=custom, depth=depth + 1)
                     for m in members]
            shape.value_tests.append(_any_of(inner) if p == SH["or"] else _none_of(inner[0]))
    if SH["class"] in used:
        seen.add((RDF.type, False))
    for prop in shapes.objects(node, SH.property):
        shape.properties.append(_shape(prop, shapes, reports=reports, nested=nested, seen=seen, custom=custom,
                                       depth=depth + 1, property_shape=True))
    for constraint in shapes.objects(node, SH.sparql):
        if nested or not reports:
            raise Unsupported("a SPARQL constraint inside sh:or or sh:not")
        shape.sparql.append(sparql_constraint(constraint, shapes, path))
    if reports and (shape.value_tests or shape.count_tests) and message is None:
        raise Unsupported(f"{node} reports without a sh:message of its own (pyshacl writes one)")
    return shape


# -- SPARQL-based constraints ----------------------------------------------------------------------

#: what pyshacl refuses in a constraint's query, or pre-binds otherwise than by substitution, or this module
#: does not do: such a constraint's shape goes to pyshacl (which may refuse it)
_REFUSED = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|[$?](shapesGraph|currentShape)\b|\bAS\s+[$?]this\b",
                      re.IGNORECASE)
_THIS = re.compile(r"[\s{}()][$?]this\b")
_PATH_VAR = re.compile(r"([\s{}()])[$?]PATH\b")


def sparql_constraint(node: Node, shapes: Graph, path: Path | None) -> SparqlConstraint:
    """A sh:sparql constraint compiled, or Unsupported: one sh:select (a string) and one sh:message (a string
    without {?variable} placeholders) and nothing else of SHACL's but sh:prefixes; a query that Oxigraph
    parses, with one SELECT and nothing pyshacl refuses or binds another way."""
    used = {p for p in shapes.predicates(node, None) if str(p).startswith(str(SH))} - {RDF.type}
    if unknown := used - {SH.select, SH.message, SH.prefixes}:
        raise Unsupported("a SPARQL constraint with " + ", ".join(sorted(str(p) for p in unknown)))
    select, message = _one(shapes, node, SH.select), _one(shapes, node, SH.message)
    if not (isinstance(select, Literal) and isinstance(select.value, str)):
        raise Unsupported("a SPARQL constraint without one sh:select string")
    if not (isinstance(message, Literal) and isinstance(message.value, str)) or re.search(r"\{[$?]", str(message)):
        raise Unsupported("a SPARQL constraint without one sh:message string, or with {?variable} in it")
    text = str(select)
    if _REFUSED.search(text) or len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) != 1:
        raise Unsupported("a SPARQL constraint whose query pyshacl refuses or binds otherwise")
    if _PATH_VAR.search(text):
        if path is None:
            raise Unsupported("$PATH in a node shape's SPARQL constraint")
        text = _PATH_VAR.sub(lambda m: m.group(1) + _sparql_path(path), text)
    query = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in sorted(_prefixes(node, shapes).items())) + text
    this = bool(_THIS.search(" " + text))
    try:
        ox.Store().query(query, substitutions={THIS: ox.NamedNode("urn:x-lod-pub:this")} if this else None)
    except SyntaxError as exc:
        raise Unsupported(f"a SPARQL constraint Oxigraph does not parse ({exc})") from None
    except RuntimeError as exc:  # Oxigraph substitutes only a variable the query selects
        raise Unsupported(f"a SPARQL constraint whose $this Oxigraph cannot pre-bind ({exc})") from None
    return SparqlConstraint(node, query, message, this)


def _sparql_path(path: Path) -> str:
    kind, arg = path
    if kind == "p":
        return f"<{arg}>"
    if kind == "inv":
        return f"^<{arg}>"
    return "(" + ("|" if kind == "alt" else "/").join(_sparql_path(part) for part in arg) + ")"


def _prefixes(node: Node, shapes: Graph) -> dict[str, str]:
    """The prefixes a constraint declares (sh:prefixes), as pyshacl gathers them: the declarations of the
    nodes it names, with those of every owl:Ontology of the shapes graph (of the shapes graph's own node only,
    when the node named is itself an ontology that declares some)."""
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    own = set(shapes.objects(shapes.identifier, SH.declare))
    everywhere = own.union(*(set(shapes.objects(o, SH.declare)) for o in ontologies))
    found: dict[str, str] = {}
    for named in shapes.objects(node, SH.prefixes):
        declared = set(shapes.objects(named, SH.declare))
        for declaration in (declared | own) if declared and named in ontologies else (everywhere | declared):
            prefix, namespace = _one(shapes, declaration, SH.prefix), _one(shapes, declaration, SH.namespace)
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal) or \
                    not re.fullmatch(r"[A-Za-z][\w.-]*|", str(prefix)) or found.get(str(prefix), str(namespace)) != str(namespace):
                raise Unsupported("a prefix declaration pyshacl may read otherwise")
            found[str(prefix)] = str(namespace)
    return found


# -- constraint components -----------------------------------------------------------------------

def _class(arg: Node, shapes: Graph, node: Node) -> ValueTest:
    def test(v: Node, index: Index) -> bool:
        return not isinstance(v, Literal) and any(arg in index.supers(t) for t in index.objects(v, RDF.type))
    return test


def _datatype(arg: Node, shapes: Graph, node: Node) -> ValueTest:
    python_type = VALUE_TYPES.get(arg)

    def actual(v: Literal) -> bool:
        return python_type is None or isinstance(v.value, python_type)

    def test(v: Node, index: Index) -> bool:
        if not isinstance(v, Literal):
            return False
        if v.datatype == arg:
            return getattr(v, "ill_typed", None) is not True and actual(v)
        if arg == RDFS.Literal:
            return True
        if arg == RDFS.Datatype and v.datatype:
            return True
        if v.datatype is None and v.language is None and arg == XSD.string:
            return actual(v)
        if arg == RDF.langString and v.language:
            return actual(v)
        return False
    return test


def _node_kind(arg: Node, shapes: Graph, node: Node) -> ValueTest:
    if arg not in NODE_KINDS:
        raise Unsupported(f"sh:nodeKind {arg}")
    kinds = NODE_KINDS[arg]
    return lambda v, index: isinstance(v, kinds)


def _in(arg: Node, shapes: Graph, node: Node) -> ValueTest:
    allowed = list(Collection(shapes, arg))
    return lambda v, index: v in allowed


def _text(v: Node) -> str:
    """A value node's string, as pyshacl reads it for sh:pattern and the length constraints."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _pattern(arg: Node, shapes: Graph, node: Node) -> ValueTest:
    if not isinstance(arg, Literal):
        raise Unsupported("a sh:pattern that is not a literal")
    flags_node = _one(shapes, node, SH.flags)
    flags = str(flags_node.value if isinstance(flags_node, Literal) else "").lower() if flags_node is not None else ""
    regex = re.compile(str(arg), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))
    return lambda v, index: not isinstance(v, BNode) and regex.search(_text(v)) is not None


def _length(longest: bool) -> Callable[[Node, Graph, Node], ValueTest]:
    def make(arg: Node, shapes: Graph, node: Node) -> ValueTest:
        if not _whole(arg):
            raise Unsupported("a length that is not an xsd:integer of at least 0 (pyshacl refuses it)")
        assert isinstance(arg, Literal) and isinstance(arg.value, int)
        bound = arg.value
        if longest:
            return lambda v, index: not isinstance(v, BNode) and len(_text(v)) <= bound
        return lambda v, index: bound == 0 or (not isinstance(v, BNode) and len(_text(v)) >= bound)
    return make


def _range(accept: Callable[[int], bool]) -> Callable[[Node, Graph, Node], ValueTest]:
    def make(arg: Node, shapes: Graph, node: Node) -> ValueTest:
        if not isinstance(arg, Literal):
            raise Unsupported("a range bound that is not a literal")
        bound_is_string = isinstance(arg.value, str)

        def test(v: Node, index: Index) -> bool:
            if not isinstance(v, Literal) or isinstance(v.value, str) != bound_is_string:
                return False
            try:
                return accept(compare_literal(v, arg))
            except (TypeError, NotImplementedError):
                return False
        return test
    return make


def _whole(arg: Node) -> bool:
    return (isinstance(arg, Literal) and arg.datatype == XSD.integer and isinstance(arg.value, int)
            and not isinstance(arg.value, bool) and arg.value >= 0)


def _has_value(arg: Node) -> CountTest:
    return lambda values: arg in values


def _count(least: bool) -> Callable[[Node], CountTest]:
    def make(arg: Node) -> CountTest:
        if not _whole(arg):
            raise Unsupported("a count that is not an xsd:integer of at least 0 (pyshacl refuses it)")
        assert isinstance(arg, Literal) and isinstance(arg.value, int)
        bound = arg.value
        return (lambda values: len(values) >= bound) if least else (lambda values: len(values) <= bound)
    return make


def _any_of(shapes: list[Shape]) -> ValueTest:
    return lambda v, index: any(s.conforms(v, index) for s in shapes)


def _none_of(shape: Shape) -> ValueTest:
    return lambda v, index: not shape.conforms(v, index)


_VALUE_TESTS: dict[URIRef, Callable[[Node, Graph, Node], ValueTest]] = {
    SH.datatype: _datatype, SH.nodeKind: _node_kind, SH["in"]: _in, SH.pattern: _pattern,
    SH.minLength: _length(longest=False), SH.maxLength: _length(longest=True),
    SH.minInclusive: _range(lambda c: c >= 0), SH.maxInclusive: _range(lambda c: c <= 0),
    SH.minExclusive: _range(lambda c: c > 0), SH.maxExclusive: _range(lambda c: c < 0),
}
_COUNT_TESTS: dict[URIRef, Callable[[Node], CountTest]] = {
    SH.minCount: _count(least=True), SH.maxCount: _count(least=False), SH.hasValue: _has_value,
}


# -- checking ----------------------------------------------------------------------------------------

def check(plan: Plan, data: Iterable[Triple]) -> list[Found]:
    """Every result of the plan's shapes on the data."""
    return check_indexed(plan, index_for(plan, data))


def index_for(plan: Plan, data: Iterable[Triple], extra: Iterable[Target] = ()) -> Index:
    """The index the plan's shapes (and the extra targets') read."""
    extra = list(extra)
    forward = plan.forward | {p for t in extra for p in (*t.subjects_of, *t.objects_of)}
    return Index(data, forward, plan.backward)


def check_indexed(plan: Plan, index: Index) -> list[Found]:
    out: list[Found] = []
    for target in plan.shapes:
        for focus in target.focus_nodes(index):
            target.shape.report(focus, index, out)
    return out


def has_focus(shapes: Graph, nodes: Iterable[Node], index: Index) -> bool:
    """Whether any of these shapes (left to pyshacl) has a focus node in the indexed data: their targets read
    as shacl_core reads targets; a target of another kind (SPARQL-based, implicit class) counts as having one."""
    for node in nodes:
        if (node, SH.target, None) in shapes or node in implicit_targets(shapes):
            return True
        target = rest_target(shapes, node)
        if target is None or target.focus_nodes(index):
            return True
    return False


def rest_target(shapes: Graph, node: Node) -> Target | None:
    """A shape's targets alone (None: a target predicate that is not an IRI)."""
    try:
        return Target(Shape(node, None, None, SH.Violation, None), list(shapes.objects(node, SH.targetClass)),
                      list(shapes.objects(node, SH.targetNode)), _iris(shapes.objects(node, SH.targetSubjectsOf)),
                      _iris(shapes.objects(node, SH.targetObjectsOf)))
    except Unsupported:
        return None
