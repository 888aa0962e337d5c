"""The project's vocabulary (ontology/dip.ttl) and how the shapes (shapes/shapes.ttl) use it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

ROOT = Path(__file__).parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "dip.ttl"
SHAPES_FILE = ROOT / "shapes" / "shapes.ttl"

DIP = Namespace("https://w3id.org/lod-pub/ns/dip#")
ONTOLOGY = URIRef("https://w3id.org/lod-pub/ns/dip")
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
    DIP.PhoneCall: {SCHEMA.Event, SEM.Event},
    DIP.Evacuation: {SCHEMA.Event, SEM.Event},
    DIP.MilitaryOperation: {SCHEMA.Event, SEM.Event},
    DIP.Attack: {SCHEMA.Event, SEM.Event},
    DIP.Founding: {SCHEMA.Event, SEM.Event},
    DIP.Participation: {PROV.Association, SCHEMA.Intangible},
    DIP.EventRole: {SKOS.Concept, PROV.Role},
    DIP.Delegation: {SCHEMA.Organization, ORG.Organization},
    DIP.ReportedStatement: {SCHEMA.Statement},
    DIP.Claim: {SCHEMA.Claim, RDF.Statement},
    DIP.Agreement: {SCHEMA.CreativeWork},
    DIP.Treaty: {SCHEMA.CreativeWork},
    DIP.Declaration: {SCHEMA.CreativeWork},
    DIP.Plan: {SCHEMA.CreativeWork},
    DIP.Agenda: {SCHEMA.CreativeWork},
    DIP.Initiative: {SCHEMA.CreativeWork},
    DIP.Partnership: {SCHEMA.Intangible},
    DIP.Tenure: {SCHEMA.Role},
    DIP.CodedEvent: {SCHEMA.Event, SEM.Event},
    DIP.EventExport: {SCHEMA.Dataset, PROV.Entity},
    DIP.QuarantinedRow: {PROV.Entity},
}
DIRECT_PARENTS = {
    DIP.Meeting: DIP.DiplomaticEvent,
    DIP.OfficialVisit: DIP.DiplomaticEvent,
    DIP.Summit: DIP.DiplomaticEvent,
    DIP.StaffTalks: DIP.DiplomaticEvent,
    DIP.PhoneCall: DIP.DiplomaticEvent,
    DIP.Treaty: DIP.Agreement,
    DIP.Declaration: DIP.Agreement,
    DIP.Agenda: DIP.Plan,
    DIP.Initiative: DIP.Plan,
}
PROPERTIES = {
    DIP.supportedBy: {SCHEMA.contributor},
    DIP.evidence: {PROV.wasDerivedFrom},
    DIP.qualifiedParticipation: {PROV.qualifiedAssociation},
    DIP.agent: {PROV.agent},
    DIP.role: {PROV.hadRole},
    DIP.victim: {SEM.hasActor},
    DIP.perpetrator: {SEM.hasActor},
    DIP.signatory: {SCHEMA.contributor},
    DIP.eventCode: {DCTERMS.type},
    DIP.sourceActor: {SEM.hasActor},
    DIP.targetActor: {SEM.hasActor},
    DIP.agentPlace: {PROV.atLocation},
    DIP.gdeltEventId: {DCTERMS.identifier},
    # internal: no sensible super-property outside dip:, but a domain (and range where one exists)
    DIP.statedAt: set(),
    DIP.supportsProperty: set(),
    DIP.supportsValue: set(),
    DIP.inference: set(),
    DIP.reportingVerb: set(),
    DIP.paraphrase: set(),
    DIP.makesClaim: set(),
    DIP.quadClass: set(),
    DIP.killed: set(),
    DIP.killedAtLeast: set(),
    DIP.injured: set(),
    DIP.injuredAtLeast: set(),
    DIP.founded: set(),
    DIP.party: set(),
    DIP.signedAt: set(),
    DIP.adoptedAt: set(),
    DIP.partner: set(),
    DIP.partnerOf: set(),
    DIP.partnerRole: set(),
    DIP.holder: set(),
    DIP.post: set(),
    DIP.former: set(),
    DIP.reportedOn: set(),
    # an event coder's figures and an export's accounts (GDELT, docs/gdelt.md)
    **{p: set() for p in (DIP.gdeltRow, DIP.eventQuadClass, DIP.goldsteinScale, DIP.averageTone, DIP.numMentions,
                          DIP.numSources, DIP.numArticles, DIP.rootEvent, DIP.dateAdded, DIP.sha256, DIP.rowsRead,
                          DIP.eventsPublished, DIP.rowsQuarantined, DIP.quarantinedRow, DIP.rowNumber, DIP.column,
                          DIP.reason, DIP.cameoActorCode, DIP.gdeltFeatureId, DIP.notInRegister)},
}
#: The concepts the vocabulary defines: the roles of dip:EventRoles, and the motivation of evidence.
CONCEPTS = {DIP.Host, DIP.HeadOfDelegation, DIP.Participant, DIP.Observer, DIP.Mediator, DIP.Signatory,
            DIP.Spokesperson, DIP.Victim, DIP.Perpetrator, DIP.SourceActor, DIP.TargetActor, DIP.evidencing,
            DIP.EventRoles}
INTERNAL = {p for p, supers in PROPERTIES.items() if not supers}

#: Classes of the W3C Organization Ontology (http://www.w3.org/ns/org#).
ORG_CLASSES = {ORG[n] for n in ("Organization", "FormalOrganization", "OrganizationalUnit",
                                "OrganizationalCollaboration", "Post", "Role", "Membership", "Site",
                                "ChangeEvent")}
#: Classes of the other W3C vocabularies the shapes target (PROV-O, Web Annotation).
OTHER_CLASSES = {PROV.Activity, OA.Annotation}
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
    version = g.value(ONTOLOGY, OWL.versionInfo)
    assert version is not None
    assert g.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/{version}")  # https://w3id.org/lod-pub/ns/dip/2.0.0
    assert en_literals(ONTOLOGY, SKOS.changeNote)
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
    assert g.value(DIP.evidence, RDFS.range) == OA.Annotation
    assert g.value(DIP.supportsProperty, RDFS.domain) == OA.Annotation
    assert g.value(DIP.supportsProperty, RDFS.range) == RDF.Property
    assert g.value(DIP.supportsValue, RDFS.domain) == OA.Annotation
    assert g.value(DIP.supportsValue, RDFS.range) is None  # an IRI or a literal
    assert g.value(DIP.inference, RDFS.range) == RDF.langString
    assert g.value(DIP.reportingVerb, RDFS.domain) == DIP.ReportedStatement
    assert g.value(DIP.reportingVerb, RDFS.range) == RDF.langString
    assert {SCHEMA.Person, SCHEMA.Organization} <= set(g.objects(DIP.supportedBy, SCHEMA.rangeIncludes))
    assert g.value(DIP.inference, RDFS.domain) == OA.Annotation
    assert g.value(DIP.eventCode, RDFS.range) == SKOS.Concept
    assert g.value(DIP.role, RDFS.range) == DIP.EventRole
    assert g.value(DIP.makesClaim, RDFS.range) == DIP.Claim
    for count in (DIP.killed, DIP.killedAtLeast, DIP.injured, DIP.injuredAtLeast):
        assert g.value(count, RDFS.range) == XSD.integer


def test_the_roles_are_a_concept_scheme():
    """Each role of the record's participants[].role is a concept of dip:EventRoles, named by its notation."""
    g = ontology()
    roles = set(g.subjects(SKOS.inScheme, DIP.EventRoles))
    assert roles == CONCEPTS - {DIP.evidencing, DIP.EventRoles}
    assert {str(g.value(r, SKOS.notation)) for r in roles} == {
        "host", "head-of-delegation", "participant", "observer", "mediator", "signatory", "spokesperson", "victim",
        "perpetrator", "source", "target"}
    for role in roles:
        assert (role, RDF.type, DIP.EventRole) in g and (role, SKOS.topConceptOf, DIP.EventRoles) in g


def test_evidencing_is_a_motivation_narrower_than_describing():
    g = ontology()
    assert (DIP.evidencing, RDF.type, OA.Motivation) in g
    assert (DIP.evidencing, SKOS.broader, OA.describing) in g

def test_every_dip_term_is_documented():
    g = ontology()
    terms = dip_subjects()
    assert set(CLASSES) | set(PROPERTIES) <= terms, "a term the mapper emits is missing from dip.ttl"
    for term in terms:
        assert en_literals(term, RDFS.label), f"{term}: no @en rdfs:label"
        assert en_literals(term, RDFS.comment, SKOS.definition), f"{term}: no @en definition"
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in g, f"{term}: no rdfs:isDefinedBy the ontology"


def test_every_dip_class_and_property_leads_outside_dip():
    """Apart from the internal properties and the concepts, every dip: term sits under an outside term."""
    g = ontology()
    assert CONCEPTS <= dip_subjects()
    for term in dip_subjects() - INTERNAL - CONCEPTS:
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
    assert ORG.Membership not in ancestors(DIP.Partnership, RDFS.subClassOf)
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
        assert cls in ORG_CLASSES | OTHER_CLASSES, f"target class {cls} is neither schema:, dip: nor an ORG, PROV or OA class"


def test_every_dip_term_in_shapes_is_defined():
    g = shapes()
    used = {t for triple in g for t in triple if is_dip(t)}
    assert used, "the shapes use no dip: term?"
    assert used <= dip_subjects(), f"shapes use undefined dip: terms: {used - dip_subjects()}"


# --- the CAMEO concept scheme ------------------------------------------------------------------------

def test_the_committed_cameo_scheme_is_the_generated_one():
    """ontology/cameo.ttl is `python -m lod_pub.cameo ontology/cameo.ttl`: regenerate it when the codebook
    or lod_pub.cameo changes."""
    from lod_pub.cameo import scheme_turtle

    assert (ROOT / "ontology" / "cameo.ttl").read_text("utf-8") == scheme_turtle()


def test_every_cameo_concept_is_a_documented_concept_of_the_scheme():
    from lod_pub.cameo import codes

    g = Graph().parse(ROOT / "ontology" / "cameo.ttl", format="turtle")
    scheme = URIRef("https://w3id.org/lod-pub/ns/cameo")
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert len(concepts) == len(codes()) == 316
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in g
        assert str(concept) == f"{scheme}#{g.value(concept, SKOS.notation)}"
        assert [o for o in g.objects(concept, SKOS.prefLabel) if o.language == "en"]
        assert g.value(concept, SKOS.broader) in concepts or (concept, SKOS.topConceptOf, scheme) in g
        assert g.value(concept, DIP.quadClass) is not None


def test_the_record_schema_takes_exactly_the_codes_of_the_codebook():
    import json

    from lod_pub.cameo import codes

    schema = json.loads((ROOT / "src" / "lod_pub" / "schema" / "article.schema.json").read_text("utf-8"))
    assert set(schema["$defs"]["cameo"]["enum"]) == set(codes())
