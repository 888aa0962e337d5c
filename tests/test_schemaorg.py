"""Every schema.org term the mapper emits, held against schema.org 30.0 itself.

A class must exist and not be superseded; a property must exist, not be superseded, be used on a
subject whose type falls under its domainIncludes and with an object that fits its rangeIncludes,
following rdfs:subClassOf (an enumeration member, schema:EventPostponed, is of the type schema.org
gives it). The project's own properties that specialise a schema.org property are held to that
property's domain and range too. The published sample graph is checked, and so are the valid shape
examples (tests/shapes/valid), which show every kind of thing the mapper makes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

SCHEMA = "http://schema.org/"
VOCAB = Path(__file__).parent / "data" / "schemaorg-current-http-30.0.ttl.gz"
ONTOLOGY = Path(__file__).parents[1] / "ontology" / "dip.ttl"
#: schema.org data types and the literal datatypes that fit them
DATATYPES = {
    "Text": {XSD.string, RDF.langString},
    "Date": {XSD.date, XSD.gYear, XSD.gYearMonth},  # ISO 8601 allows reduced precision
    "DateTime": {XSD.dateTime},
    "Number": {XSD.integer, XSD.decimal, XSD.double, XSD.nonNegativeInteger},
    "Integer": {XSD.integer, XSD.nonNegativeInteger},
    "Boolean": {XSD.boolean},
    "Duration": {XSD.duration},
}

SHAPE_EXAMPLES = sorted((Path(__file__).parent / "shapes" / "valid").glob("*.ttl"))


@dataclass
class SchemaOrg:
    classes: set[str]
    properties: set[str]
    superseded: set[str]
    parents: dict[str, set[str]]
    domains: dict[str, set[str]]
    ranges: dict[str, set[str]]
    members: dict[str, set[str]]  # an enumeration member -> its types (schema:EventPostponed -> EventStatusType)

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


@cache
def schemaorg() -> SchemaOrg:
    with gzip.open(VOCAB, "rb") as f:
        quads = list(ox.parse(f, ox.RdfFormat.TURTLE))
    s = SchemaOrg(set(), set(), set(), {}, {}, {}, {})
    for q in quads:
        subj, pred, obj = q.subject.value, q.predicate.value, q.object.value
        if pred == str(RDF.type) and obj == str(RDFS.Class):
            s.classes.add(subj)
        elif pred == str(RDF.type) and obj == str(RDF.Property):
            s.properties.add(subj)
        elif pred == SCHEMA + "supersededBy":
            s.superseded.add(subj)
        elif pred == str(RDFS.subClassOf):
            s.parents.setdefault(subj, set()).add(obj)
        elif pred == SCHEMA + "domainIncludes":
            s.domains.setdefault(subj, set()).add(obj)
        elif pred == SCHEMA + "rangeIncludes":
            s.ranges.setdefault(subj, set()).add(obj)
        elif pred == str(RDF.type) and obj.startswith(SCHEMA):
            s.members.setdefault(subj, set()).add(obj)
    return s


def problems_of(graph: Graph, extra_parents: dict[str, str] | None = None, partial: bool = False) -> list[str]:
    """Every misuse of schema.org in graph; extra_parents maps a project property to its schema.org parent.
    partial: the graph is an excerpt, and a resource it does not type is not held to a domain or range."""
    so = schemaorg()
    extra_parents = extra_parents or {}
    found = []
    types = {}
    for s, o in graph.subject_objects(RDF.type):
        types.setdefault(s, set()).add(str(o))
        if str(o).startswith(SCHEMA) and (str(o) not in so.classes or str(o) in so.superseded):
            found.append(f"class {o} is not a current schema.org class")

    def fits_class(node, allowed: set[str]) -> bool:
        node_types = {t for t in types.get(node, ()) if t.startswith(SCHEMA)} | so.members.get(str(node), set())
        if partial and not types.get(node) and str(node) not in so.members:
            return True
        return any(so.ancestors(t) & allowed for t in node_types)

    for s, p, o in graph:
        prop = extra_parents.get(str(p), str(p))
        if not prop.startswith(SCHEMA):
            continue
        if prop not in so.properties or prop in so.superseded:
            found.append(f"property {p} is not a current schema.org property")
            continue
        if not fits_class(s, so.domains.get(prop, set())):
            found.append(f"{p} used on {s} (types {sorted(types.get(s, ()))}) outside its domain")
        ranges = so.ranges.get(prop, set())
        if isinstance(o, Literal):
            datatype = o.datatype or (RDF.langString if o.language else XSD.string)
            fitting = {SCHEMA + name for name, dts in DATATYPES.items() if datatype in dts}
            if not ranges & fitting:
                found.append(f"{p} on {s} has a {datatype} literal; range is {sorted(ranges)}")
        elif SCHEMA + "URL" not in ranges and SCHEMA + "Thing" not in ranges and not fits_class(o, ranges):
            found.append(f"{p} on {s} points to {o} (types {sorted(types.get(o, ()))}) outside its range")
    return found


def project_parents() -> dict[str, str]:
    g = Graph().parse(ONTOLOGY)
    return {str(p): str(parent) for p, parent in g.subject_objects(RDFS.subPropertyOf)
            if str(parent).startswith(SCHEMA)}


@pytest.fixture(scope="module")
def published(release) -> Graph:
    g = Graph()
    g.parse(data=gzip.decompress((release.dumps_dir / "graph.nt.gz").read_bytes()).decode("utf-8"), format="nt")
    return g


def test_the_published_graph_uses_schemaorg_as_defined(published):
    assert problems_of(published, project_parents()) == []


@pytest.mark.parametrize("path", SHAPE_EXAMPLES, ids=lambda p: p.stem)
def test_every_kind_of_thing_uses_schemaorg_as_defined(path):
    """The valid shape examples: statuses, attendance modes, claims, tenures, schedules, documents, families."""
    assert problems_of(Graph().parse(path, format="turtle"), project_parents(), partial=True) == []


def test_every_resource_has_an_explicit_schemaorg_type(published):
    untyped = [s for s in set(published.subjects()) if isinstance(s, URIRef)
               and not any(str(t).startswith(SCHEMA) for t in published.objects(s, RDF.type))]
    assert untyped == []


def test_the_graph_uses_a_good_share_of_schemaorg(published):
    used = {str(p) for p in published.predicates() if str(p).startswith(SCHEMA)}
    assert len(used) >= 25  # the check above must have something to check


BAD = f"""
@prefix schema: <{SCHEMA}> .
<x:meeting> a schema:Event ; schema:attendees <x:p> .
<x:p> a schema:Person ; schema:dateline "Islamabad" .
<x:e> a schema:Event ; schema:location <x:p> ; schema:startDate 12 .
<x:r> a schema:NoSuchClass .
<x:e> schema:eventStatus schema:OnlineEventAttendanceMode .
"""


def test_the_check_catches_misuse():
    found = "\n".join(problems_of(Graph().parse(data=BAD, format="turtle")))
    assert "attendees is not a current schema.org property" in found
    assert "dateline used on x:p" in found
    assert "location on x:e points to x:p" in found
    assert "startDate on x:e has a" in found
    assert "NoSuchClass is not a current schema.org class" in found
    assert "eventStatus on x:e points to http://schema.org/OnlineEventAttendanceMode" in found
