"""HTML documentation of the vocabulary (dip:), of the CAMEO concept scheme and of the SHACL shapes, from
the release's own files.

Each term: label, definition, comments, super-classes or super-properties, domain and range, and the
shapes that constrain it (a node shape targeting it, a property shape with it as path or sh:class).
Each concept (a dip: role, a CAMEO code): label, notation, definition, notes, examples, broader and
narrower concepts. Each shape: its targets and every constraint, its message, and its property shapes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, TypedDict

import pyoxigraph as ox

from ..vocab import DCTERMS, DIP, DIP_SHAPES, OWL, RDF, RDFS, SCHEMA, SH, SKOS, curie
from .reading import Term as RdfTerm
from .reading import value_of
from .site import Site, local_name
from .view import Value

CLASS_TYPES = {str(OWL.Class), str(RDFS.Class)}
PROPERTY_TYPES = {str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(RDF.Property),
                  str(OWL.AnnotationProperty)}


@dataclass
class Term:
    iri: str
    curie: str
    anchor: str
    label: str
    definition: str | None
    comments: list[str]
    supers: list[Value]
    domain: list[Value]
    range: list[Value]
    shapes: list[tuple[Value, str | None]] = field(default_factory=list)


@dataclass
class Concept:
    iri: str
    curie: str
    anchor: str
    label: str
    notation: str | None
    definition: str | None
    notes: list[str]
    examples: list[str]
    broader: list[Value]
    narrower: list[Value]
    scheme: list[Value]
    quad_class: str | None


@dataclass
class Shape:
    iri: str
    curie: str
    anchor: str
    message: str | None
    constraints: list[tuple[str, list[Value]]]
    properties: list["Shape"] = field(default_factory=list)


class VocabularyDoc(TypedDict):
    """What ontology.html shows."""

    title: str
    description: str | None
    comments: list[str]
    classes: list[Term]
    properties: list[Term]
    concepts: list[Concept]


class ConceptsDoc(TypedDict):
    """What concepts.html shows: a concept scheme."""

    title: str
    description: str | None
    concepts: list[Concept]


class ShapesDoc(TypedDict):
    """What shapes.html shows."""

    title: str
    shapes: list[Shape]


#: subject ("_:" + id for a blank node) -> predicate -> objects
Index = dict[str, dict[str, list[RdfTerm]]]


def _index(triples: Iterable[ox.Triple]) -> Index:
    found: Index = defaultdict(lambda: defaultdict(list))
    for t in triples:
        found[str(t.subject.value) if isinstance(t.subject, ox.NamedNode) else "_:" + value_of(t.subject)][
            t.predicate.value].append(t.object)
    return found


def _text(objs: list[RdfTerm], lang: str = "en") -> str | None:
    for o in objs:
        if isinstance(o, ox.Literal) and o.language in (lang, None):
            return o.value
    return value_of(objs[0]) if objs else None


def _values(objs: list[RdfTerm], href: Callable[[str], str | None]) -> list[Value]:
    out = []
    for o in objs:
        if isinstance(o, ox.NamedNode):
            out.append(Value(curie(o.value), href(o.value), o.value))
        elif isinstance(o, ox.Literal):
            out.append(Value(o.value, lang=o.language))
        else:
            out.append(Value("[ ]"))
    return out


def _constrained(shapes_index: Index) -> dict[str, list[tuple[str, str | None]]]:
    """term IRI -> [(shape IRI, message)] of the shapes that constrain it."""
    owner: dict[str, str] = {}
    for shape, props in shapes_index.items():
        for p in props.get(str(SH.property), []):
            owner[p.value if isinstance(p, ox.NamedNode) else "_:" + value_of(p)] = shape
    found: defaultdict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for shape, props in shapes_index.items():
        message = _text(props.get(str(SH.message), []))
        terms = [o.value for key in (str(SH.targetClass), str(SH.path), str(SH["class"]))
                 for o in props.get(key, []) if isinstance(o, ox.NamedNode)]
        for term in terms:
            named = shape if not shape.startswith("_:") else owner.get(shape, shape)
            if (named, message) not in found[term]:
                found[term].append((named, message))
    return found


CONCEPT_TYPES = {str(SKOS.Concept), str(SKOS.ConceptScheme)}


def _concept(iri: str, props: dict[str, list[RdfTerm]], href: Callable[[str], str | None]) -> Concept:
    texts = [o for key in (SKOS.scopeNote, RDFS.comment) for o in props.get(str(key), [])]
    quad = props.get(str(DIP.quadClass), [])
    return Concept(
        iri, curie(iri), local_name(iri),
        _text(props.get(str(SKOS.prefLabel), [])) or _text(props.get(str(RDFS.label), [])) or local_name(iri),
        _text(props.get(str(SKOS.notation), [])), _text(props.get(str(SKOS.definition), [])),
        [value_of(o) for o in texts], [value_of(o) for o in props.get(str(SKOS.example), [])],
        _values(props.get(str(SKOS.broader), []), href), _values(props.get(str(SKOS.narrower), []), href),
        _values(props.get(str(SKOS.inScheme), []), href), value_of(quad[0]) if quad else None)


def concepts_doc(s: Site, triples: Iterable[ox.Triple], href: Callable[[str], str | None]) -> ConceptsDoc:
    """A concept scheme's documentation, concepts in the order of their notation (s is not needed here;
    the signature is vocabulary_doc's)."""
    index = _index(triples)
    scheme = next((props for props in index.values()
                   if str(SKOS.ConceptScheme) in {value_of(o) for o in props.get(str(RDF.type), [])}), {})
    concepts = [_concept(iri, props, href) for iri, props in index.items()
                if str(SKOS.Concept) in {value_of(o) for o in props.get(str(RDF.type), [])}]
    return {"title": _text(scheme.get(str(SKOS.prefLabel), [])) or "Concepts",
            "description": _text(scheme.get(str(DCTERMS.source), [])),
            "concepts": sorted(concepts, key=lambda c: (c.notation or c.anchor))}


def vocabulary_doc(s: Site, triples: Iterable[ox.Triple], href: Callable[[str], str | None]) -> VocabularyDoc:
    index = _index(triples)
    shapes = _constrained(_index(s.meta_graph(DIP_SHAPES)))
    classes: list[Term] = []
    properties: list[Term] = []
    concepts: list[Concept] = []
    ontology: dict[str, list[RdfTerm]] = {}
    for iri, props in sorted(index.items()):
        types = {value_of(o) for o in props.get(str(RDF.type), [])}
        if str(OWL.Ontology) in types:
            ontology = props
            continue
        if not iri.startswith("_:") and types & CONCEPT_TYPES and not types & (CLASS_TYPES | PROPERTY_TYPES):
            concepts.append(_concept(iri, props, href))
            continue
        if iri.startswith("_:") or not (types & (CLASS_TYPES | PROPERTY_TYPES)):
            continue
        term = Term(
            iri, curie(iri), local_name(iri), _text(props.get(str(RDFS.label), [])) or local_name(iri),
            _text(props.get(str(SKOS.definition), [])), [value_of(o) for o in props.get(str(RDFS.comment), [])],
            _values(props.get(str(RDFS.subClassOf), []) + props.get(str(RDFS.subPropertyOf), []), href),
            _values(props.get(str(RDFS.domain), []) + props.get(str(SCHEMA.domainIncludes), []), href),
            _values(props.get(str(RDFS.range), []) + props.get(str(SCHEMA.rangeIncludes), []), href),
            [(Value(curie(sh), href(sh), sh), msg) for sh, msg in shapes.get(iri, [])])
        (classes if types & CLASS_TYPES else properties).append(term)
    return {"title": _text(ontology.get(str(DCTERMS.title), [])) or "Vocabulary",
            "description": _text(ontology.get(str(DCTERMS.description), [])),
            "comments": [value_of(o) for o in ontology.get(str(RDFS.comment), [])],
            "classes": classes, "properties": properties, "concepts": concepts}


#: How a constraint reads on the shapes page, by its property; any other is shown by its prefixed name.
CONSTRAINTS = {"or": "any one of", "and": "all of", "xone": "exactly one of", "not": "not", "in": "one of the values",
               "sparql": "SPARQL rule", "path": "path", "datatype": "datatype", "class": "class",
               "minCount": "at least", "maxCount": "at most", "targetClass": "target class", "node": "shape",
               "pattern": "pattern", "nodeKind": "node kind", "hasValue": "has value"}
_PATH_SUFFIX = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


def _key(term: RdfTerm) -> str:
    return term.value if isinstance(term, ox.NamedNode) else "_:" + value_of(term)


def _items(head: RdfTerm, index: Index) -> list[RdfTerm] | None:
    """The members of an RDF list (rdf:first/rdf:rest), or None when head is not one."""
    found: list[RdfTerm] = []
    seen: set[str] = set()
    while not (isinstance(head, ox.NamedNode) and head.value == str(RDF.nil)):
        props = index.get(_key(head), {})
        first, rest = props.get(str(RDF.first)), props.get(str(RDF.rest))
        if not first or not rest or _key(head) in seen:
            return None
        seen.add(_key(head))
        found.append(first[0])
        head = rest[0]
    return found


def _path(term: RdfTerm, index: Index) -> str:
    """A SHACL property path in SPARQL's path syntax: schema:name, ^org:holds, a/b, (a|b)*."""
    if not isinstance(term, ox.BlankNode):
        return curie(term.value) if isinstance(term, ox.NamedNode) else value_of(term)
    members = _items(term, index)
    if members is not None:
        return "/".join(_path(m, index) for m in members)
    props = index.get(_key(term), {})
    if props.get(str(SH.inversePath)):
        return "^" + _path(props[str(SH.inversePath)][0], index)
    if props.get(str(SH.alternativePath)):
        return "(" + "|".join(_path(m, index) for m in _items(props[str(SH.alternativePath)][0], index) or []) + ")"
    for name, suffix in _PATH_SUFFIX.items():
        if props.get(str(SH[name])):
            return f"({_path(props[str(SH[name])][0], index)}){suffix}"
    return "[ ]"


def _readable(p: str, objs: list[RdfTerm], index: Index, href: Callable[[str], str | None]) -> list[Value]:
    """The values of one constraint as a reader expects them: a list's members, a path in path syntax, a
    nested shape as its own constraints, a SPARQL rule as its message and query."""
    out: list[Value] = []
    for o in objs:
        if not isinstance(o, ox.BlankNode):
            out += _values([o], href)
        elif p == str(SH.path):
            out.append(Value(_path(o, index)))
        elif (members := _items(o, index)) is not None:
            out += [v for m in members for v in _readable(p, [m], index, href)]
        else:
            out.append(Value(_nested(index.get(_key(o), {}), index)))
    return out


def _nested(props: dict[str, list[RdfTerm]], index: Index) -> str:
    """A blank node's constraints in a line: `datatype xsd:date`, `class schema:Person`, or a SPARQL rule's
    message and query."""
    if props.get(str(SH.select)):
        message = _text(props.get(str(SH.message), []))
        query = " ".join(value_of(props[str(SH.select)][0]).split())
        return f"{message} ({query})" if message else query
    parts = []
    for key, objs in sorted(props.items()):
        if key in (str(RDF.type), str(SH.message), str(SH.prefixes)):
            continue
        name = CONSTRAINTS.get(local_name(key), curie(key)) if key.startswith(str(SH)) else curie(key)
        shown = [_path(o, index) if isinstance(o, ox.BlankNode) else curie(value_of(o)) if isinstance(o, ox.NamedNode)
                 else value_of(o) for o in objs]
        parts.append(f"{name} {', '.join(shown)}")
    return "; ".join(parts) or "[ ]"


def _constraint_name(p: str) -> str:
    return CONSTRAINTS.get(local_name(p), curie(p)) if p.startswith(str(SH)) else curie(p)


def _shape(iri: str, props: dict[str, list[RdfTerm]], href: Callable[[str], str | None],
           index: Index | None = None) -> Shape:
    skip = {str(RDF.type), str(SH.property), str(SH.message)}
    constraints = [(_constraint_name(p), _readable(p, objs, index or {}, href))
                   for p, objs in sorted(props.items()) if p not in skip]
    anchor = local_name(iri) if not iri.startswith("_:") else iri[2:]
    return Shape(iri, curie(iri), anchor, _text(props.get(str(SH.message), [])), constraints)


def shapes_doc(s: Site, triples: Iterable[ox.Triple], href: Callable[[str], str | None]) -> ShapesDoc:
    """The shapes' documentation (s is not needed here; the signature is vocabulary_doc's)."""
    index = _index(triples)
    node_shapes: list[Shape] = []
    for iri, props in sorted(index.items()):
        if str(SH.NodeShape) not in {value_of(o) for o in props.get(str(RDF.type), [])}:
            continue
        shape = _shape(iri, props, href, index)
        for p in props.get(str(SH.property), []):
            key = p.value if isinstance(p, ox.NamedNode) else "_:" + value_of(p)
            shape.properties.append(_shape(key, index.get(key, {}), href, index))
        node_shapes.append(shape)
    return {"title": "lod-pub shapes", "shapes": node_shapes}
