"""The project's vocabulary (ontology/dip.ttl) and how the shapes (shapes/shapes.ttl) use it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "dip.ttl"
SHAPES_FILE = ROOT / "shapes" / "shapes.ttl"

DIP = Namespace("https://lod.example.org/ns/dip#")
ONTOLOGY = URIRef("https://lod.example.org/ns/dip")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")

#: The terms the mapper emits, with the outside terms each must sit under (directly or via dip:).
CLASSES = {
    DIP.DiplomaticEvent: {SCHEMA.Event, SEM.Event},
    DIP.Meeting: {SCHEMA.Event, SEM.Event},
    DIP.OfficialVisit: {SCHEMA.Event, SEM.Event},
    DIP.Summit: {SCHEMA.Event, SEM.Event},
    DIP.StaffTalks: {SCHEMA.Event, SEM.Event, SCHEMA.EventSeries},
    DIP.Evacuation: {SCHEMA.Event, SEM.Event},
    DIP.MilitaryOperation: {SCHEMA.Event, SEM.Event},
    DIP.Delegation: {SCHEMA.Organization, ORG.Organization},
    DIP.ReportedStatement: {SCHEMA.Statement},
    DIP.Partnership: {ORG.Membership},
}
DIRECT_PARENTS = {
    DIP.Meeting: DIP.DiplomaticEvent,
    DIP.OfficialVisit: DIP.DiplomaticEvent,
    DIP.Summit: DIP.DiplomaticEvent,
    DIP.StaffTalks: DIP.DiplomaticEvent,
}
PROPERTIES = {
    DIP.supportedBy: {SCHEMA.contributor},
    DIP.evidence: {PROV.wasDerivedFrom},
    # internal: no sensible super-property outside dip:, but a domain (and range where one exists)
    DIP.statedAt: set(),
    DIP.supportsProperty: set(),
    DIP.supportsValue: set(),
    DIP.inference: set(),
    DIP.reportingVerb: set(),
}
INTERNAL = {p for p, supers in PROPERTIES.items() if not supers}

#: Classes of the W3C Organization Ontology (http://www.w3.org/ns/org#).
ORG_CLASSES = {ORG[n] for n in ("Organization", "FormalOrganization", "OrganizationalUnit",
                                "OrganizationalCollaboration", "Post", "Role", "Membership", "Site",
                                "ChangeEvent")}
CLASS_TYPES = {OWL.Class, RDFS.Class}
PROPERTY_TYPES = {RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@lru_cache(maxsize=1)
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def is_dip(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(DIP))


def dip_subjects() -> set[URIRef]:
    return {s for s in ontology().subjects() if is_dip(s)}


def ancestors(term: URIRef, link: URIRef) -> set:
    """Everything reachable from term over link (rdfs:subClassOf or rdfs:subPropertyOf)."""
    g, seen, todo = ontology(), set(), [term]
    while todo:
        for parent in g.objects(todo.pop(), link):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def en_literals(term, *predicates) -> list[Literal]:
    g = ontology()
    return [o for p in predicates for o in g.objects(term, p)
            if isinstance(o, Literal) and o.language == "en" and str(o).strip()]


# --- the ontology ------------------------------------------------------------------------------

def test_ontology_header():
    g = ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionInfo) is not None
    assert en_literals(ONTOLOGY, DCTERMS.title)
    assert en_literals(ONTOLOGY, DCTERMS.description)
    assert g.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.mark.parametrize("term", sorted(CLASSES), ids=lambda t: t.fragment)
def test_class_is_defined(term):
    assert set(ontology().objects(term, RDF.type)) & CLASS_TYPES, f"{term} is not declared a class"


@pytest.mark.parametrize("term", sorted(PROPERTIES), ids=lambda t: t.fragment)
def test_property_is_defined(term):
    assert set(ontology().objects(term, RDF.type)) & PROPERTY_TYPES, f"{term} is not declared a property"


def test_no_term_is_both_class_and_property():
    g = ontology()
    for term in dip_subjects():
        types = set(g.objects(term, RDF.type))
        assert not (types & CLASS_TYPES and types & PROPERTY_TYPES), term


@pytest.mark.parametrize("term", sorted(CLASSES), ids=lambda t: t.fragment)
def test_class_sits_under_schema_org_and_friends(term):
    assert CLASSES[term] <= ancestors(term, RDFS.subClassOf)
    if term in DIRECT_PARENTS:
        assert (term, RDFS.subClassOf, DIRECT_PARENTS[term]) in ontology()


@pytest.mark.parametrize("term", sorted(PROPERTIES), ids=lambda t: t.fragment)
def test_property_sits_under_outside_property_or_has_domain(term):
    g = ontology()
    supers = ancestors(term, RDFS.subPropertyOf)
    assert PROPERTIES[term] <= supers
    if term in INTERNAL:
        assert (term, RDFS.domain, None) in g or (term, SCHEMA.domainIncludes, None) in g, f"{term}: no domain"


def test_property_ranges():
    g = ontology()
    assert g.value(DIP.statedAt, RDFS.domain) == DIP.ReportedStatement
    assert g.value(DIP.statedAt, RDFS.range) == SCHEMA.Event
    assert g.value(DIP.evidence, RDFS.range) == OA.SpecificResource
    assert g.value(DIP.supportsProperty, RDFS.domain) == OA.SpecificResource
    assert g.value(DIP.supportsProperty, RDFS.range) == RDF.Property
    assert g.value(DIP.supportsValue, RDFS.domain) == OA.SpecificResource
    assert g.value(DIP.supportsValue, RDFS.range) is None  # an IRI or a literal
    assert g.value(DIP.inference, RDFS.range) == RDF.langString
    assert g.value(DIP.reportingVerb, RDFS.domain) == DIP.ReportedStatement
    assert g.value(DIP.reportingVerb, RDFS.range) == RDF.langString
    assert {SCHEMA.Person, SCHEMA.Organization} <= set(g.objects(DIP.supportedBy, SCHEMA.rangeIncludes))


def test_every_dip_term_is_documented():
    g = ontology()
    terms = dip_subjects()
    assert set(CLASSES) | set(PROPERTIES) <= terms, "a term the mapper emits is missing from dip.ttl"
    for term in terms:
        assert en_literals(term, RDFS.label), f"{term}: no @en rdfs:label"
        assert en_literals(term, RDFS.comment, SKOS.definition), f"{term}: no @en definition"
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in g, f"{term}: no rdfs:isDefinedBy the ontology"


def test_every_dip_class_and_property_leads_outside_dip():
    """Apart from the internal evidence/statement properties, every dip: term sits under an outside term."""
    g = ontology()
    for term in dip_subjects() - INTERNAL:
        types = set(g.objects(term, RDF.type))
        link = RDFS.subClassOf if types & CLASS_TYPES else RDFS.subPropertyOf
        outside = [a for a in ancestors(term, link) if not is_dip(a)]
        assert outside, f"{term}: no {link.fragment} chain leading outside dip:"


def test_no_dangling_dip_references():
    g = ontology()
    used = {o for o in g.objects() if is_dip(o)} | {p for p in g.predicates() if is_dip(p)}
    assert used <= dip_subjects(), f"used but not defined: {used - dip_subjects()}"


def test_partner_is_never_a_member():
    g = ontology()
    for link in (SCHEMA.memberOf, ORG.memberOf):
        assert link not in ancestors(DIP.Partnership, RDFS.subClassOf)
        assert (None, RDFS.subPropertyOf, link) not in g


# --- the shapes, against the vocabulary -----------------------------------------------------------

def test_shapes_parse():
    assert len(shapes()) > 100
    assert set(shapes().subjects(RDF.type, SH.NodeShape))


def test_every_target_class_is_known():
    g, onto = shapes(), ontology()
    targets = set(g.objects(None, SH.targetClass))
    assert targets
    for cls in targets:
        if str(cls).startswith(str(SCHEMA)):
            continue
        if is_dip(cls):
            assert set(onto.objects(cls, RDF.type)) & CLASS_TYPES, f"{cls} is not a class in dip.ttl"
            continue
        assert cls in ORG_CLASSES, f"target class {cls} is neither schema:, dip: nor an ORG class"


def test_every_dip_term_in_shapes_is_defined():
    g = shapes()
    used = {t for triple in g for t in triple if is_dip(t)}
    assert used, "the shapes use no dip: term?"
    assert used <= dip_subjects(), f"shapes use undefined dip: terms: {used - dip_subjects()}"
