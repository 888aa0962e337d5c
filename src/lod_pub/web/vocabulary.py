"""HTML documentation of the vocabulary (dip:) and of the SHACL shapes, from the release's own files.

Each term: label, definition, comments, super-classes or super-properties, domain and range, and the
shapes that constrain it (a node shape targeting it, a property shape with it as path or sh:class).
Each shape: its targets and every constraint, its message, and its property shapes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import pyoxigraph as ox

from ..vocab import DCTERMS, DIP_SHAPES, OWL, RDF, RDFS, SCHEMA, SH, SKOS, curie
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
class Shape:
    iri: str
    curie: str
    anchor: str
    message: str | None
    constraints: list[tuple[str, list[Value]]]
    properties: list["Shape"] = field(default_factory=list)


def _index(triples) -> dict[str, dict[str, list]]:
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        found[str(t.subject.value) if isinstance(t.subject, ox.NamedNode) else "_:" + t.subject.value][
            t.predicate.value].append(t.object)
    return found


def _text(objs: list, lang: str = "en") -> str | None:
    for o in objs:
        if isinstance(o, ox.Literal) and o.language in (lang, None):
            return o.value
    return objs[0].value if objs else None


def _values(objs: list, href: Callable[[str], str]) -> list[Value]:
    out = []
    for o in objs:
        if isinstance(o, ox.NamedNode):
            out.append(Value(curie(o.value), href(o.value), o.value))
        elif isinstance(o, ox.Literal):
            out.append(Value(o.value, lang=o.language))
        else:
            out.append(Value("[ ]"))
    return out


def _constrained(shapes_index) -> dict[str, list[tuple[str, str | None]]]:
    """term IRI -> [(shape IRI, message)] of the shapes that constrain it."""
    owner = {}
    for shape, props in shapes_index.items():
        for p in props.get(str(SH.property), []):
            owner[p.value if isinstance(p, ox.NamedNode) else "_:" + p.value] = shape
    found = defaultdict(list)
    for shape, props in shapes_index.items():
        message = _text(props.get(str(SH.message), []))
        terms = [o.value for key in (str(SH.targetClass), str(SH.path), str(SH["class"]))
                 for o in props.get(key, []) if isinstance(o, ox.NamedNode)]
        for term in terms:
            named = shape if not shape.startswith("_:") else owner.get(shape, shape)
            if (named, message) not in found[term]:
                found[term].append((named, message))
    return found


def vocabulary_doc(s: Site, triples, href: Callable[[str], str]) -> dict:
    index = _index(triples)
    shapes = _constrained(_index(s.meta_graph(DIP_SHAPES)))
    classes, properties = [], []
    ontology = {}
    for iri, props in sorted(index.items()):
        types = {o.value for o in props.get(str(RDF.type), [])}
        if str(OWL.Ontology) in types:
            ontology = props
            continue
        if iri.startswith("_:") or not (types & (CLASS_TYPES | PROPERTY_TYPES)):
            continue
        term = Term(
            iri, curie(iri), local_name(iri), _text(props.get(str(RDFS.label), [])) or local_name(iri),
            _text(props.get(str(SKOS.definition), [])), [o.value for o in props.get(str(RDFS.comment), [])],
            _values(props.get(str(RDFS.subClassOf), []) + props.get(str(RDFS.subPropertyOf), []), href),
            _values(props.get(str(RDFS.domain), []) + props.get(str(SCHEMA.domainIncludes), []), href),
            _values(props.get(str(RDFS.range), []) + props.get(str(SCHEMA.rangeIncludes), []), href),
            [(Value(curie(sh), href(sh), sh), msg) for sh, msg in shapes.get(iri, [])])
        (classes if types & CLASS_TYPES else properties).append(term)
    return {"title": _text(ontology.get(str(DCTERMS.title), [])) or "Vocabulary",
            "description": _text(ontology.get(str(DCTERMS.description), [])),
            "comments": [o.value for o in ontology.get(str(RDFS.comment), [])],
            "classes": classes, "properties": properties}


def _shape(iri: str, props: dict, href) -> Shape:
    skip = {str(RDF.type), str(SH.property), str(SH.message)}
    constraints = [(curie(p), _values(objs, href)) for p, objs in sorted(props.items()) if p not in skip]
    anchor = local_name(iri) if not iri.startswith("_:") else iri[2:]
    return Shape(iri, curie(iri), anchor, _text(props.get(str(SH.message), [])), constraints)


def shapes_doc(s: Site, triples, href: Callable[[str], str]) -> dict:
    """The shapes' documentation (s is not needed here; the signature is vocabulary_doc's)."""
    index = _index(triples)
    node_shapes = []
    for iri, props in sorted(index.items()):
        if str(SH.NodeShape) not in {o.value for o in props.get(str(RDF.type), [])}:
            continue
        shape = _shape(iri, props, href)
        for p in props.get(str(SH.property), []):
            key = p.value if isinstance(p, ox.NamedNode) else "_:" + p.value
            shape.properties.append(_shape(key, index.get(key, {}), href))
        node_shapes.append(shape)
    return {"title": "lod-pub shapes", "shapes": node_shapes}
