"""SHACL shapes (shapes/shapes.ttl) against small data files.

tests/shapes/valid/*.ttl must conform, with no results at all unless the file's header announces a
warning (``# expect-warning: dip:evidence``).

tests/shapes/invalid/<shape>-<what-is-wrong>.ttl each break exactly one rule. Its header says which:

    # expect: schema:attendee            (the sh:resultPath, or ``none`` for a node-level constraint;
                                         ``^dip:p`` an inverse path, ``dip:p|dip:q`` alternatives)
    # expect-shape: dsh:Meeting-attendee (the sh:sourceShape)

and every sh:Violation in the report must have that path and that source shape, so a file that
fails for some other reason (or for more than one reason) fails the test.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

HERE = Path(__file__).parent
DATA = HERE / "shapes"
SHAPES = Path(__file__).parents[1] / "shapes" / "shapes.ttl"

PREFIXES = {
    "schema": "http://schema.org/",
    "dip": "https://w3id.org/lod-pub/ns/dip#",
    "dsh": "https://w3id.org/lod-pub/ns/dip-shapes#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "sh": str(SH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}

VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


def expand(curie: str) -> URIRef:
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES or not local:
        raise ValueError(f"not a known CURIE: {curie!r}")
    return URIRef(PREFIXES[prefix] + local)


def expand_path(text: str) -> str | None:
    """An expected result path as path_of writes it: ``none``, ``^curie`` or ``curie|curie…``."""
    if text == "none":
        return None
    if text.startswith("^"):
        return "^" + str(expand(text[1:]))
    return "|".join(str(expand(part)) for part in text.split("|"))


def path_of(report: Graph, result) -> str | None:
    """A result's sh:resultPath as text: an IRI, ``^IRI`` for an inverse path, ``IRI|IRI…`` for alternatives."""
    path = report.value(result, SH.resultPath)
    if path is None or isinstance(path, URIRef):
        return None if path is None else str(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + str(inverse)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(str(member) for member in report.items(alternatives))
    raise AssertionError(f"a result path of a kind these tests do not read: {path}")


def header(path: Path) -> dict[str, list[str]]:
    """The ``# key: value`` lines of the comment block at the top of a data file."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key.strip() in {"expect", "expect-shape", "expect-warning"}:
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def validate(path: Path) -> tuple[bool, Graph, list]:
    data = Graph().parse(path, format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=False
    )
    return conforms, report, list(report.subjects(RDF.type, SH.ValidationResult))


def messages_of(shape) -> set:
    """The messages a result from this source shape may carry (its own, or its SPARQL constraints')."""
    g = shapes_graph()
    found = set(g.objects(shape, SH.message))
    for constraint in g.objects(shape, SH.sparql):
        found.update(g.objects(constraint, SH.message))
    return found


def describe(report: Graph, results) -> str:
    return "\n".join(
        f"  {report.value(r, SH.resultSeverity)} path={report.value(r, SH.resultPath)} "
        f"shape={report.value(r, SH.sourceShape)} focus={report.value(r, SH.focusNode)} "
        f"value={report.value(r, SH.value)}"
        for r in results
    )


# --- the files ---------------------------------------------------------------------------------

def test_there_are_data_files():
    assert len(VALID) >= 10 and len(INVALID) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_file_conforms(path: Path):
    conforms, report, results = validate(path)
    warnings = {expand(c) for c in header(path).get("expect-warning", [])}
    assert conforms, f"{path.name} should conform:\n{describe(report, results)}"
    unexpected = [
        r for r in results
        if report.value(r, SH.resultSeverity) != SH.Warning or report.value(r, SH.resultPath) not in warnings
    ]
    assert not unexpected, f"{path.name}: unexpected results:\n{describe(report, unexpected)}"
    warned = {report.value(r, SH.resultPath) for r in results}
    assert warned == warnings, f"{path.name}: expected warnings on {warnings}, got {warned}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_violates_exactly_the_expected_rule(path: Path):
    expected = header(path)
    assert len(expected.get("expect", [])) == 1, f"{path.name}: needs one '# expect: <path>|none' line"
    assert len(expected.get("expect-shape", [])) == 1, f"{path.name}: needs one '# expect-shape:' line"
    want_path = expand_path(expected["expect"][0])
    want_shape = expand(expected["expect-shape"][0])
    assert (want_shape, None, None) in shapes_graph(), f"{path.name}: no such shape {want_shape}"

    conforms, report, results = validate(path)
    violations = [r for r in results if report.value(r, SH.resultSeverity) == SH.Violation]
    assert not conforms, f"{path.name} should not conform"
    assert violations, f"{path.name}: no sh:Violation in the report"
    wrong = [
        r for r in violations
        if path_of(report, r) != want_path or report.value(r, SH.sourceShape) != want_shape
    ]
    assert not wrong, (
        f"{path.name}: expected every violation on path {want_path} from {want_shape}, got:\n"
        f"{describe(report, wrong)}"
    )
    allowed = {str(m) for m in messages_of(want_shape)}
    for r in violations:
        messages = {str(m) for m in report.objects(r, SH.resultMessage)}
        assert messages and messages <= allowed, f"{path.name}: result carries no editor message: {messages}"


# --- the shapes themselves ---------------------------------------------------------------------

def constraint_shapes() -> set:
    """Shapes that carry constraints of their own: every property shape, and node shapes with sh:class."""
    g = shapes_graph()
    found = set(g.subjects(RDF.type, SH.PropertyShape))
    found.update(s for s in g.subjects(RDF.type, SH.NodeShape) if (s, SH["class"], None) in g)
    return found


def test_every_shape_and_constraint_has_an_english_message():
    g = shapes_graph()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    constraints = set(g.objects(None, SH.sparql))
    assert len(shapes) > 20
    for node in shapes | constraints:
        messages = list(g.objects(node, SH.message))
        assert messages, f"{node} has no sh:message"
        assert all(isinstance(m, Literal) and m.language == "en" and len(m) > 20 for m in messages), node


def test_every_property_shape_is_named_and_used():
    g = shapes_graph()
    for shape in g.subjects(RDF.type, SH.PropertyShape):
        assert isinstance(shape, URIRef), "property shapes are named, so reports say which rule broke"
        assert (None, SH.property, shape) in g, f"{shape} is not used by any node shape"


def test_every_rule_has_an_invalid_file():
    covered = {expand(header(p)["expect-shape"][0]) for p in INVALID if "expect-shape" in header(p)}
    g = shapes_graph()
    warnings_only = {s for s in constraint_shapes() if (s, SH.severity, SH.Warning) in g}
    missing = constraint_shapes() - warnings_only - covered
    assert not missing, f"rules without an invalid test file: {sorted(missing)}"


def test_every_node_shape_has_a_valid_file():
    g = shapes_graph()
    valid = Graph()
    for path in VALID:
        valid.parse(path, format="turtle")
    for shape in g.subjects(RDF.type, SH.NodeShape):
        targets = [n for c in g.objects(shape, SH.targetClass) for n in valid.subjects(RDF.type, c)]
        targets += [s for p in g.objects(shape, SH.targetSubjectsOf) for s in valid.subjects(p, None)]
        assert targets, f"no valid file exercises {shape}"


def test_statement_without_evidence_is_only_a_warning():
    g = shapes_graph()
    evidence = expand("dsh:Statement-evidence")
    assert (evidence, SH.severity, SH.Warning) in g
    assert (expand("dsh:StatementShape"), SH.property, evidence) in g
    assert any("expect-warning" in header(p) for p in VALID)


def test_what_must_not_be_required():
    """MODEL.md: do not require an event's date or place, an organiser, an end date, sameAs, an author."""
    g = shapes_graph()
    not_required = [expand(c) for c in ("schema:startDate", "schema:endDate", "schema:location",
                                        "schema:organizer", "schema:sameAs", "schema:author")]
    for shape in g.subjects(SH.path, None):
        path = g.value(shape, SH.path)
        if path not in not_required:
            continue
        if path == expand("schema:author") and any((expand(owner), SH.property, shape) in g
                                                   for owner in ("dsh:StatementShape", "dsh:ClaimShape")):
            continue  # a statement's author, and a claim's, is required; an article's is not
        assert (shape, SH.minCount, None) not in g, f"{shape} requires {path}"
