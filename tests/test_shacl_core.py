"""shacl_core checks the shapes it implements exactly as pyshacl does: validation.validate's default engine
(shacl_core, pyshacl for the rest) gives the results of engine="pyshacl" (pyshacl for every shape) on every
shape example file, the real GDELT export and an article corpus with planted errors, hand-made graphs that
reach every constraint component it implements, and graphs mutated at random."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from lod_pub import shacl_core, validation
from lod_pub.iris import Minter
from lod_pub.mapping import Mapped, map_articles, map_corpus
from lod_pub.release import _load_rdf_folder
from lod_pub.sources import load_corpus
from lod_pub.sources.gdelt import read_exports
from lod_pub.vocab import DIP, RDF, SCHEMA, SH, XSD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the synthetic corpus is benchmark data, not shipped
from synth import generate  # noqa: E402

SHAPES = _load_rdf_folder(ROOT / "shapes")
EXAMPLES = sorted((ROOT / "tests" / "shapes").glob("*/*.ttl"))
EX = "urn:test:"


def keyed(report: validation.Report) -> set[tuple[str, ...]]:
    return {(r.severity, r.focus, r.path, r.message, r.value, r.origin, r.path_iri, r.shape) for r in report.results}


def both(data: Graph, shapes: Graph = SHAPES, mapped: Mapped | None = None) -> tuple[validation.Report, validation.Report]:
    mapped = mapped or Mapped()
    return (validation.validate(mapped, shapes, data), validation.validate(mapped, shapes, data, engine="pyshacl"))


def test_no_project_shape_is_left_to_pyshacl_and_with_sparql_off_those_with_sparql_constraints_are():
    assert shacl_core.compile_shapes(SHAPES).rest == {}
    plan = shacl_core.compile_shapes(SHAPES, sparql=False)
    sparql = set(SHAPES.subjects(SH.sparql, None))
    with_sparql = {s for s in SHAPES.subjects(SH.targetClass, None)
                   if s in sparql or any(p in sparql for p in SHAPES.objects(s, SH.property))}
    assert len(with_sparql) >= 3
    assert set(plan.rest) == with_sparql and all(reason == "uses sh:sparql" for reason in plan.rest.values())
    assert len(plan.shapes) >= 30


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_shape_example_gives_the_same_results_both_ways(path):
    data = Graph().parse(path, format="turtle")
    core, reference = both(data)
    assert keyed(core) == keyed(reference)
    if path.parent.name == "invalid":
        assert not core.conforms


@pytest.fixture(scope="module")
def gdelt() -> tuple[Mapped, Graph]:
    """The first 300 rows of the real export, mapped."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (real,) = (ROOT / "tests" / "data" / "gdelt").glob("*.export.CSV")
        with real.open("rb") as f:
            (folder / real.name).write_bytes(b"".join(line for _, line in zip(range(300), f)))
        corpus = load_corpus(ROOT / "tests" / "data" / "corpus")
        (export,) = read_exports(corpus, [folder])
        mapped = map_articles(corpus, Minter(), [export.article])
    return mapped, mapped.union()


def test_the_real_export_with_planted_errors_gives_the_same_results(gdelt):
    mapped, clean = gdelt
    data = Graph()
    data += clean
    events = sorted(data.subjects(RDF.type, DIP.CodedEvent), key=str)
    participations = sorted(data.subjects(RDF.type, DIP.Participation), key=str)
    data.remove((events[0], SCHEMA.startDate, None))
    data.set((events[1], SCHEMA.startDate, Literal("yesterday")))
    data.set((events[2], DIP.goldsteinScale, Literal("very", datatype=XSD.string)))
    data.set((events[3], DIP.goldsteinScale, Literal("11.5", datatype=XSD.decimal)))
    data.set((events[4], DIP.eventQuadClass, Literal("x", datatype=XSD.integer)))  # ill-typed
    data.remove((events[5], DIP.eventCode, None))
    data.add((events[6], DIP.sourceActor, Literal("nobody")))
    data.remove((participations[0], DIP.agent, None))
    data.add((participations[1], DIP.agent, Literal("nobody")))
    (export,) = data.subjects(RDF.type, DIP.EventExport)
    data.remove((events[7], RDF.type, DIP.CodedEvent))                                # the export's counts
    core, reference = both(data, mapped=mapped)
    assert keyed(core) == keyed(reference)
    assert len({r.shape for r in core.results if r.severity == "Violation"}) >= 8
    assert any(r.focus == str(export) for r in core.results)
    assert keyed(validation.validate(mapped, SHAPES, set(data))) == keyed(core)
    assert all(r.origin for r in core.results if r.focus != str(export))


def test_an_article_corpus_with_planted_errors_gives_the_same_results(tmp_path):
    generate(tmp_path, articles=6, seed=11)
    corpus = load_corpus(tmp_path / "seeds")
    mapped = map_corpus(corpus, Minter())
    data = mapped.union()
    people = sorted(data.subjects(RDF.type, SCHEMA.Person), key=str)
    events = sorted(data.subjects(RDF.type, SCHEMA.Event), key=str)
    annotations = sorted(data.subjects(RDF.type, URIRef("http://www.w3.org/ns/oa#Annotation")), key=str)
    data.remove((people[0], SCHEMA.name, None))
    data.add((events[0], SCHEMA.attendee, Literal("a crowd")))
    data.add((events[1], SCHEMA.startDate, Literal("2021", datatype=XSD.gYear)))
    data.remove((annotations[0], URIRef("http://www.w3.org/ns/oa#hasTarget"), None))
    core, reference = both(data, mapped=mapped)
    assert keyed(core) == keyed(reference)
    assert not core.conforms and all(r.origin for r in core.results)
    # a batch is checked as a set of triples (validation._check_batch): blank focus nodes traced alike, an
    # annotation linked from a participation and from its event to the same one whatever the order of reading
    assert keyed(validation.validate(mapped, SHAPES, set(data))) == keyed(core)
    assert keyed(validation.validate(mapped, SHAPES, set(sorted(data, key=str, reverse=True)))) == keyed(core)
    assert any(r.path.startswith("oa:") for r in core.results)


# -- every component, by hand ------------------------------------------------------------------------

COMPONENTS = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ex: <{EX}> .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:message "a thing"@en ;
    sh:nodeKind sh:IRI ;
    sh:property ex:label, ex:size, ex:kind, ex:code, ex:owner, ex:parts, ex:flag, ex:made, ex:back, ex:either,
        ex:chain, ex:short, ex:year .
ex:label a sh:PropertyShape ; sh:path ex:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:minLength 3 ; sh:maxLength 8 ; sh:message "label"@en .
ex:size a sh:PropertyShape ; sh:path ex:size ; sh:datatype xsd:integer ; sh:minInclusive 0 ;
    sh:maxExclusive 10 ; sh:message "size"@en .
ex:kind a sh:PropertyShape ; sh:path ex:kind ; sh:in ( ex:a ex:b "c" ) ; sh:message "kind"@en .
ex:code a sh:PropertyShape ; sh:path ex:code ; sh:pattern "^ab[0-9]+$" ; sh:flags "i" ; sh:message "code"@en .
ex:owner a sh:PropertyShape ; sh:path ex:owner ; sh:class ex:Agent ; sh:class ex:Known ;
    sh:severity sh:Warning ; sh:message "owner"@en .
ex:parts a sh:PropertyShape ; sh:path ex:part ; sh:or ( [ sh:class ex:Part ] [ sh:datatype xsd:date ]
    [ sh:path ex:name ; sh:minCount 1 ] ) ; sh:message "parts"@en .
ex:flag a sh:PropertyShape ; sh:path rdf:type ; sh:hasValue ex:Thing ; sh:not [ sh:hasValue ex:Bad ] ;
    sh:message "flag"@en .
ex:made a sh:PropertyShape ; sh:path ex:made ; sh:datatype xsd:dateTime ; sh:minExclusive "2000-01-01T00:00:00"^^xsd:dateTime ;
    sh:message "made"@en .
ex:back a sh:PropertyShape ; sh:path [ sh:inversePath ex:holds ] ; sh:maxCount 1 ; sh:nodeKind sh:BlankNodeOrIRI ;
    sh:message "back"@en .
ex:either a sh:PropertyShape ; sh:path [ sh:alternativePath ( ex:left [ sh:inversePath ex:right ] ) ] ;
    sh:minCount 1 ; sh:message "either"@en .
ex:chain a sh:PropertyShape ; sh:path ( ex:part ex:name ) ; sh:maxCount 2 ; sh:datatype rdf:langString ;
    sh:message "chain"@en .
ex:short a sh:PropertyShape ; sh:path ex:note ; sh:maxInclusive "m" ; sh:message "short"@en .
ex:year a sh:PropertyShape ; sh:path ex:year ; sh:datatype xsd:nonNegativeInteger ; sh:message "year"@en .

ex:NamedShape a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:targetNode ex:loner ; sh:targetObjectsOf ex:points ;
    sh:class ex:Named ; sh:message "named"@en .
"""

DATA = f"""
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <{EX}> .

ex:Sub rdfs:subClassOf ex:Thing .
ex:Agent2 rdfs:subClassOf ex:Agent . ex:Agent3 rdfs:subClassOf ex:Agent2 .
ex:good a ex:Thing ; ex:label "fine" ; ex:size 3 ; ex:kind ex:a, "c" ; ex:code "AB12" ; ex:owner ex:o1 ;
    ex:part ex:p1, "2020-01-02"^^xsd:date, [ ex:name "n"@en ] ; ex:made "2001-01-01T00:00:00"^^xsd:dateTime ;
    ex:left ex:x ; ex:note "abc" ; ex:year "2021"^^xsd:nonNegativeInteger .
ex:o1 a ex:Agent3, ex:Known . ex:p1 a ex:Part .
ex:bad a ex:Sub, ex:Bad ; ex:label "no", "way too long", "x"@en ; ex:size 10, -1, "3", "x"^^xsd:integer, 2.5 ;
    ex:kind ex:c, "C", ex:a ; ex:code "xab1", "ab", ex:ab1 ; ex:owner ex:o2, "o" ;
    ex:part ex:p2, "2020-02-30"^^xsd:date, [ ex:title "t" ] ; ex:made "1999-01-01T00:00:00"^^xsd:dateTime, "soon" ;
    ex:note "z", 5 ; ex:year "-5"^^xsd:nonNegativeInteger, "2021" .
ex:h1 ex:holds ex:bad . ex:h2 ex:holds ex:bad . ex:bad ex:right ex:y .
ex:o2 a ex:Agent .
_:b a ex:Thing ; ex:label "blank" .
ex:n1 ex:name "x" . ex:n2 a ex:Named ; ex:name "y" . ex:z ex:points ex:n2, ex:n3, "lit" .
"""


def test_every_component_gives_the_same_results_both_ways():
    shapes = Graph().parse(data=COMPONENTS, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    plan = shacl_core.compile_shapes(shapes)
    assert plan.rest == {} and len(plan.shapes) == 2
    core, reference = both(data, shapes)
    assert keyed(core) == keyed(reference)
    by_shape: dict[str, int] = {}
    for r in core.results:
        by_shape[r.shape.removeprefix(EX)] = by_shape.get(r.shape.removeprefix(EX), 0) + 1
    # every property shape reports on ex:bad, and ex:good passes them all
    assert set(by_shape) >= {"label", "size", "kind", "code", "owner", "parts", "flag", "made", "back", "either",
                             "short", "year", "ThingShape", "NamedShape"}
    assert not any(r.focus == EX + "good" for r in core.results if r.shape != EX + "NamedShape")
    assert {r.severity for r in core.results if r.shape == EX + "owner"} == {"Warning"}
    assert {r.value for r in core.results if r.shape == EX + "year"} == {'"-5"^^xsd:nonNegativeInteger', '"2021"'}


# -- what it leaves to pyshacl ------------------------------------------------------------------------

LEFT = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
ex:NoMessage a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .
ex:Node a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "node"@en ;
    sh:property [ sh:path ex:part ; sh:node ex:PartShape ; sh:message "part"@en ] .
ex:PartShape a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Closed a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true ; sh:message "closed"@en .
ex:Zero a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "zero"@en ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:part ] ; sh:maxCount 1 ; sh:message "zero"@en ] .
ex:Nested a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "nested"@en ;
    sh:property [ sh:path ex:part ; sh:or ( [ sh:class ex:Part ; sh:severity sh:Warning ] ) ; sh:message "nested"@en ] .
ex:Fine a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "fine"@en ;
    sh:property [ sh:path ex:label ; sh:maxCount 1 ; sh:message "one label"@en ] .
"""


def test_shapes_it_does_not_implement_are_left_to_pyshacl_and_answered_alike():
    shapes = Graph().parse(data=LEFT, format="turtle")
    plan = shacl_core.compile_shapes(shapes)
    assert {str(s).removeprefix(EX) for s in plan.rest} == {"NoMessage", "Node", "Closed", "Zero", "Nested"}
    assert "without a sh:message" in plan.rest[URIRef(EX + "NoMessage")]
    assert "sh:node" in plan.rest[URIRef(EX + "Node")]
    assert [str(t.shape.node) for t in plan.shapes] == [EX + "Fine"]
    data = Graph().parse(data=f"""@prefix ex: <{EX}> .
        ex:t a ex:Thing ; ex:label "a", "b" ; ex:part ex:p ; ex:other 1 . ex:p ex:part ex:q .""", format="turtle")
    core, reference = both(data, shapes)
    assert keyed(core) == keyed(reference)
    assert {"one label", "closed"} <= {r.message for r in core.results}
    assert any(r.message not in {"fine", "one label", "node", "closed", "zero", "nested"} for r in core.results)


def test_a_shape_with_a_blank_node_and_targets_sends_every_shape_to_pyshacl():
    shapes = Graph().parse(data=COMPONENTS, format="turtle")
    shapes.add((BNode(), SH.targetClass, URIRef(EX + "Thing")))
    data = Graph().parse(data=DATA, format="turtle")
    core, reference = both(data, shapes)
    assert keyed(core) == keyed(reference) and not core.conforms


# -- graphs mutated at random ----------------------------------------------------------------------------

def _pool(data: Graph) -> list:
    nodes = sorted({n for t in data for n in (t[0], t[2]) if isinstance(n, URIRef)}, key=str)[:60]
    classes = sorted(set(SHAPES.objects(None, SH["class"])) | set(SHAPES.objects(None, SH.targetClass)), key=str)
    literals = [Literal("x"), Literal("a name", lang="en"), Literal("12", datatype=XSD.integer),
                Literal("-3", datatype=XSD.integer), Literal("1.5", datatype=XSD.decimal),
                Literal("abc", datatype=XSD.integer), Literal("2021-10-21", datatype=XSD.date),
                Literal("2021-13-45", datatype=XSD.date), Literal("2021", datatype=XSD.gYear),
                Literal("2021-10-21T10:00:00", datatype=XSD.dateTime), Literal(True), Literal("Q42"),
                Literal("http://www.wikidata.org/entity/Q42"), Literal("12345")]
    return nodes + classes + literals + [BNode("mutant")]


@pytest.mark.slow
def test_randomly_mutated_graphs_give_the_same_results(gdelt_small):
    """Forty copies of a small real graph, each changed at random (triples taken away, objects replaced by
    other nodes, classes and literals of many datatypes, ill-typed ones among them; types and subclass links
    added): the same results both ways, and most copies do not conform."""
    mapped, clean = gdelt_small
    pool = _pool(clean)
    predicates = sorted({p for p in SHAPES.objects(None, SH.path) if isinstance(p, URIRef)} | {RDF.type}, key=str)
    classes = [n for n in pool if (None, SH.targetClass, n) in SHAPES or (None, SH["class"], n) in SHAPES]
    triples = sorted(clean, key=str)
    failing = 0
    for seed in range(40):
        rng = random.Random(seed)
        data = Graph()
        data += clean
        for _ in range(rng.randint(1, 12)):
            s, p, o = rng.choice(triples)
            move = rng.randrange(5)
            if move == 0:
                data.remove((s, p, o))
            elif move == 1:
                data.remove((s, p, o))
                data.add((s, p, rng.choice(pool)))
            elif move == 2:
                data.add((s, rng.choice(predicates), rng.choice(pool)))
            elif move == 3:
                data.add((s, RDF.type, rng.choice(classes)))
            else:
                data.add((rng.choice(classes), RDFS.subClassOf, rng.choice(classes)))
        core, reference = both(data, mapped=mapped)
        assert keyed(core) == keyed(reference), f"seed {seed}"
        failing += not core.conforms
    assert failing >= 20


@pytest.fixture(scope="module")
def gdelt_small(gdelt) -> tuple[Mapped, Graph]:
    """Forty coded events of the real export with everything they point to, and the export: small enough
    for pyshacl to check a mutated copy a few dozen times."""
    mapped, data = gdelt
    events = sorted(data.subjects(RDF.type, DIP.CodedEvent), key=str)[:40]
    keep: set = set(data.subjects(RDF.type, DIP.EventExport))
    todo = list(events)
    while todo:
        node = todo.pop()
        if node in keep:
            continue
        keep.add(node)
        todo.extend(o for o in data.objects(node) if isinstance(o, (URIRef, BNode)) and o not in keep)
    small = Graph()
    for node in keep:
        for p, o in data.predicate_objects(node):
            small.add((node, p, o))
    return mapped, small


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_a_sparql_constraint_s_result_says_the_constraint_s_message(engine):
    """pyshacl gives such a result two messages, the constraint's and its shape's; the report shows the
    constraint's, which says what is wrong (rdflib's order of the two is no order)."""
    data = Graph().parse(ROOT / "tests" / "shapes" / "invalid" / "event-export-rows-do-not-reconcile.ttl")
    report = validation.validate(Mapped(), SHAPES, data, engine=engine)
    shape = URIRef("https://w3id.org/lod-pub/ns/dip-shapes#EventExportShape")
    wanted = {str(m) for c in SHAPES.objects(shape, SH.sparql) for m in SHAPES.objects(c, SH.message)}
    assert report.results and all(r.message in wanted and "do not reconcile" in r.message for r in report.results)


# -- cases a review of the module found (each differed from pyshacl, or was not pyshacl's to refuse) ---------

EX2 = "http://ex.org/"  # pyshacl needs a local name for a custom component's parameter: not a urn
P = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX2}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
NESTED = "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:message 'm' ] ] ."
IN_OR = ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:message 'm' ; sh:or ( [ sh:path ex:q ; "
         "sh:property [ sh:path ex:r ; sh:minCount 1 ] ] [ sh:datatype xsd:string ] ) ] .")
IN_NOT = ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:message 'm' ; sh:not [ sh:path ex:q ; "
          "sh:property [ sh:path ex:r ; sh:minCount 1 ] ] ] .")
CUSTOM = """ex:NoValue a sh:ConstraintComponent ; sh:parameter [ sh:path ex:noValue ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "custom" ; sh:ask "ASK { FILTER (?value != $noValue) }" ] .
ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; ex:noValue 1 ; sh:minCount 1 ; sh:message "m" ] ."""
RULE = """ex:R sh:targetNode ex:a ; sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:p ; sh:object 7 ] .
ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "m" ] ."""
IMPLICIT = "ex:C a rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'imp' ] ."
META = ("owl:Class rdfs:subClassOf rdfs:Class . ex:C a owl:Class, sh:NodeShape ; "
        "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'imp' ] .")
BLANK = "[] sh:targetNode ex:a ; sh:class ex:C ; sh:message 't' ."


@pytest.mark.parametrize(("shapes", "data"), [
    (NESTED, "ex:a ex:p ex:b . ex:a ex:q ex:z ."),          # the nested shape checks ex:b, not ex:a
    (NESTED, "ex:a ex:p ex:b . ex:b ex:q ex:z ."),
    (NESTED, "ex:a ex:r 1 ."),
    (IN_OR, "ex:a ex:p ex:b . ex:b ex:q ex:c . ex:c ex:r 1 ."),
    (IN_OR, "ex:a ex:p ex:b . ex:b ex:q ex:c ."),
    (IN_NOT, "ex:a ex:p ex:b . ex:b ex:q ex:c . ex:c ex:r 1 ."),
    (IN_NOT, "ex:a ex:p ex:b . ex:b ex:q ex:c ."),
    (CUSTOM, "ex:a ex:p 1 ."),
    (RULE, "ex:a ex:q 1 ."),
    (IMPLICIT, "ex:x a ex:C ."),
    (META, "ex:x a ex:C ."),
    (BLANK, "ex:a a ex:D ."),
], ids=["nested-1", "nested-2", "nested-3", "or-1", "or-2", "not-1", "not-2", "custom", "rule", "implicit", "meta",
        "blank"])
def test_cases_of_the_review_give_pyshacl_s_results(shapes, data):
    shapes_graph = Graph().parse(data=P + shapes, format="turtle")
    core, reference = both(Graph().parse(data=P + data, format="turtle"), shapes_graph)
    assert keyed(core) == keyed(reference)


def test_cases_of_the_review_that_report_are_not_empty():
    """So that the comparisons above compare something."""
    for shapes, data in ((NESTED, "ex:a ex:p ex:b . ex:a ex:q ex:z ."), (CUSTOM, "ex:a ex:p 1 ."),
                         (IMPLICIT, "ex:x a ex:C ."), (META, "ex:x a ex:C ."), (BLANK, "ex:a a ex:D .")):
        shapes_graph = Graph().parse(data=P + shapes, format="turtle")
        assert validation.validate(Mapped(), shapes_graph, Graph().parse(data=P + data, format="turtle"),
                                   engine="pyshacl").results, shapes


@pytest.mark.parametrize("shape", [
    "ex:S sh:targetNode ex:a ; sh:minCount 2 ; sh:message 'm' .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount '2'^^xsd:int ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount true ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount -1 ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minLength true ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path ( ex:p ) ; sh:minCount 2 ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:alternativePath ( ex:p ) ] ; sh:minCount 2 ; sh:message 'm' ] .",
    "ex:S sh:targetNode ex:a ; sh:property ex:T . ex:T sh:class ex:C ; sh:message 'm' .",
    "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:minCount 2 ; sh:message 'm' .",
], ids=["count-on-node", "count-int", "count-bool", "count-negative", "length-bool", "sequence-of-one",
        "alternative-of-one", "property-without-path", "node-shape-with-path"])
def test_an_ill_formed_shape_is_left_to_pyshacl_which_refuses_it(shape):
    shapes_graph = Graph().parse(data=P + shape, format="turtle")
    assert URIRef(EX2 + "S") in shacl_core.compile_shapes(shapes_graph).rest
    data = Graph().parse(data=P + "ex:a ex:p ex:b .", format="turtle")
    with pytest.raises(Exception) as refused:
        validation.validate(Mapped(), shapes_graph, data, engine="pyshacl")
    with pytest.raises(type(refused.value)):
        validation.validate(Mapped(), shapes_graph, data)


# -- SPARQL-based constraints, run by Oxigraph as pyshacl runs them --------------------------------------

ONT = """ex:ont a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://ex.org/"^^xsd:anyURI ] ."""
DEDUP = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "above two" ; sh:prefixes ex:ont ;
    sh:select "SELECT $this WHERE { $this ex:p ?x . FILTER(?x > 2) }" ] ."""
PATH = ONT + """ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:alternativePath ( ex:p [ sh:inversePath ex:q ] ) ] ;
    sh:sparql [ sh:message "a literal" ; sh:prefixes ex:ont ;
        sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER(!isIRI(?value)) }" ] ] ."""
FAILURE = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "failed" ; sh:prefixes ex:ont ;
    sh:select "SELECT $this ?failure WHERE { $this ex:p ?x . BIND(true AS ?failure) }" ] ."""
PROPERTY_FAILURE = ONT + """ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:sparql [ sh:message "failed" ;
    sh:prefixes ex:ont ; sh:select "SELECT $this ?failure WHERE { $this $PATH ?x . BIND(true AS ?failure) }" ] ] ."""
RESULT_PATH = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "bad" ; sh:prefixes ex:ont ;
    sh:select "SELECT $this ?path ?value WHERE { $this ?path ?value . FILTER(?path IN (ex:bad, ex:worse)) }" ] ."""
COMPUTED = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "computed" ; sh:prefixes ex:ont ;
    sh:select "SELECT $this ?value WHERE { $this ex:p ?x . BIND(?x + 1 AS ?value) }" ] ."""
OTHER_THIS = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "other" ; sh:prefixes ex:ont ;
    sh:select "SELECT ?this ?value WHERE { $this ex:p ?value . ?value ex:p ?more }" ] ."""
GROUPED = ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "counted" ; sh:prefixes ex:ont ;
    sh:select "SELECT $this WHERE { $this ex:n ?n . OPTIONAL { ?e ex:from $this } } GROUP BY $this ?n HAVING (COUNT(DISTINCT ?e) != ?n)" ] ."""
SPARQL_DATA = """ex:a a ex:T ; ex:p 3, 4, "x", ex:b ; ex:bad 1 ; ex:worse ex:z ; ex:n 2 . ex:b a ex:T ; ex:p 1 ; ex:n 1 .
    ex:c ex:q ex:a . ex:e1 ex:from ex:a . _:x a ex:T ; ex:p 5 ; ex:bad "y" ; ex:n 0 . ex:e2 ex:from _:x . ex:b ex:p ex:z ."""


@pytest.mark.parametrize("shapes", [DEDUP, PATH, FAILURE, PROPERTY_FAILURE, RESULT_PATH, COMPUTED, OTHER_THIS, GROUPED],
                         ids=["dedup", "path", "failure", "property-failure", "result-path", "computed", "other-this",
                              "grouped"])
def test_a_sparql_constraint_gives_pyshacl_s_results(shapes):
    shapes_graph = Graph().parse(data=P + shapes, format="turtle")
    assert shacl_core.compile_shapes(shapes_graph).rest == {}  # run here, not by pyshacl
    data = Graph().parse(data=P + SPARQL_DATA, format="turtle")
    core, reference = both(data, shapes_graph)
    assert keyed(core) == keyed(reference)
    assert core.results  # something to compare
    assert keyed(validation.validate(Mapped(), shapes_graph, set(data))) == keyed(core)


def test_one_result_per_distinct_solution_and_a_node_shape_s_value_is_its_focus():
    shapes_graph = Graph().parse(data=P + DEDUP, format="turtle")
    report = validation.validate(Mapped(), shapes_graph, Graph().parse(data=P + SPARQL_DATA, format="turtle"))
    of_a = [r for r in report.results if r.focus == EX2 + "a"]  # two solutions (3 and 4), one $this
    assert len(of_a) == 1 and of_a[0].value == f"<{EX2}a>" and of_a[0].message == "above two"
    assert not [r for r in report.results if r.focus == EX2 + "b"]


@pytest.mark.parametrize("select", [
    "SELECT $this WHERE { $this ex:p ?x MINUS { $this ex:q ?x } }",
    "SELECT $this WHERE { VALUES ?x { 1 } $this ex:p ?x }",
    "SELECT $this WHERE { $this ex:p ?x . FILTER(?x = $shapesGraph) }",
    "SELECT $this WHERE { { SELECT $this WHERE { $this ex:p ?x } } }",
    "SELECT $this WHERE { $this ex:p ?x",
    "SELECT ?x WHERE { $this ex:p ?x }",
], ids=["minus", "values", "shapes-graph", "nested-select", "syntax", "this-not-selected"])
def test_a_sparql_constraint_it_does_not_run_is_left_to_pyshacl(select):
    shapes_graph = Graph().parse(data=P + ONT + f"""ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "m" ;
        sh:prefixes ex:ont ; sh:select "{select}" ] .""", format="turtle")
    assert URIRef(EX2 + "S") in shacl_core.compile_shapes(shapes_graph).rest


def test_a_message_with_variables_is_left_to_pyshacl_and_answered_alike():
    shapes_graph = Graph().parse(data=P + ONT + """ex:S sh:targetClass ex:T ; sh:sparql [ sh:message "has {?x}" ;
        sh:prefixes ex:ont ; sh:select "SELECT $this ?x WHERE { $this ex:p ?x }" ] .""", format="turtle")
    assert URIRef(EX2 + "S") in shacl_core.compile_shapes(shapes_graph).rest
    core, reference = both(Graph().parse(data=P + SPARQL_DATA, format="turtle"), shapes_graph)
    assert keyed(core) == keyed(reference) and core.results


def test_data_oxigraph_does_not_take_leaves_the_sparql_constraints_to_pyshacl():
    shapes_graph = Graph().parse(data=P + DEDUP, format="turtle")
    data = Graph().parse(data=P + SPARQL_DATA, format="turtle")
    data.add((URIRef(EX2 + "a b"), RDF.type, URIRef(EX2 + "T")))  # an IRI with a space: rdflib takes it
    data.add((URIRef(EX2 + "a b"), URIRef(EX2 + "p"), Literal(7)))
    core, reference = both(data, shapes_graph)
    assert keyed(core) == keyed(reference)
    assert EX2 + "a b" in {r.focus for r in core.results}


def test_a_focus_node_oxigraph_does_not_take_leaves_the_sparql_constraints_to_pyshacl():
    shapes_graph = Graph().parse(data=P + DEDUP, format="turtle")
    shapes_graph.add((URIRef(EX2 + "S"), SH.targetNode, URIRef(EX2 + "a b")))  # an IRI with a space: rdflib takes it
    data = Graph().parse(data=P + SPARQL_DATA, format="turtle")  # the data does not name it: only the target
    core, reference = both(data, shapes_graph)
    assert keyed(core) == keyed(reference)
    assert EX2 + "a" in {r.focus for r in core.results}
