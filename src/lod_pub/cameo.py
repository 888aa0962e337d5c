"""The CAMEO event codebook, and the SKOS concept scheme built from it.

    codes() -> dict[str, Code]        the 316 codes of data/cameo_codes.json, by code ("04", "042", "1831")
    is_code(value) -> bool            whether value is one of them
    concept(code) -> URIRef           cameo:042
    scheme_turtle() -> str            the concept scheme as Turtle, as a release publishes it (cameo.ttl)
    python -m lod_pub.cameo FILE      writes it (ontology/cameo.ttl is its output, kept in the project)

CAMEO (Conflict and Mediation Event Observations) codes events in a hierarchy of 20 root classes
("04" CONSULT), their children ("042" Make a visit) and grandchildren ("1832" Carry out vehicular
bombing). Curated articles and GDELT exports use the same concepts, so one query spans both. Each
concept has its code as skos:notation, its name as skos:prefLabel, its description as skos:definition
(where it says more than the name), its parent as skos:broader (and the parent skos:narrower), its
usage notes as skos:scopeNote, its example sentences as skos:example, and its QuadClass (1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict) as dip:quadClass.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .vocab import CAMEO, CAMEO_SCHEME, DCTERMS, DIP, RDF, SKOS, XSD, bind

SOURCE = "data/cameo_codes.json"
#: The codebook file keys CAMEO 183 ("Conduct suicide, car, or other non-military bombing, not specified
#: below"; its children 1831-1834 name 183 as parent) as "1883", with parent "188", a code that does not
#: exist. Read as CAMEO 1.1b3 gives it, and as GDELT exports code it: 183, under 18.
CORRECTIONS = {"1883": ("183", "18")}
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True)
class Code:
    """One CAMEO event code."""

    code: str
    name: str
    description: str
    quad_class: int
    parent: str | None
    usage_notes: str | None
    examples: tuple[str, ...]


@cache
def codes() -> dict[str, Code]:
    """Every code of the codebook, in the codebook's order."""
    raw = json.loads(resources.files("lod_pub").joinpath(SOURCE).read_text("utf-8"))
    table: dict[str, Code] = {}
    for key, entry in raw.items():
        code, parent = CORRECTIONS.get(key, (key, entry.get("parent")))
        table[code] = Code(code, entry["name"], entry["description"], int(entry["quad_class"]), parent,
                           entry.get("usage_notes"), tuple(entry.get("examples", ())))
    return table


def is_code(value: str) -> bool:
    return value in codes()


def concept(code: str) -> URIRef:
    """The concept of a code; KeyError for a code the codebook does not hold."""
    if code not in codes():
        raise KeyError(f"not a CAMEO event code: {code!r}")
    return URIRef(CAMEO[code])


def scheme() -> Graph:
    """The concept scheme as an rdflib graph."""
    g = Graph()
    bind(g)
    node = URIRef(CAMEO_SCHEME)
    g.add((node, RDF.type, SKOS.ConceptScheme))
    g.add((node, SKOS.prefLabel, Literal("CAMEO event codes", lang="en")))
    g.add((node, DCTERMS.source, Literal("CAMEO 1.1b3 (Schrodt et al., Event Data Project), as machine-readable "
                                         "in py-gdelt's cameo_codes.json (MIT)", lang="en")))
    for code in codes().values():
        _concept(g, node, code)
    return g


def _concept(g: Graph, scheme_node: URIRef, code: Code) -> None:
    node = concept(code.code)
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, scheme_node))
    g.add((node, SKOS.notation, Literal(code.code)))
    g.add((node, SKOS.prefLabel, Literal(code.name, lang="en")))
    if code.description and code.description != code.name:
        g.add((node, SKOS.definition, Literal(code.description, lang="en")))
    if code.usage_notes:
        g.add((node, SKOS.scopeNote, Literal(code.usage_notes, lang="en")))
    for example in code.examples:
        g.add((node, SKOS.example, Literal(example, lang="en")))
    g.add((node, DIP.quadClass, Literal(code.quad_class, datatype=XSD.integer)))
    if code.parent is None:
        g.add((node, SKOS.topConceptOf, scheme_node))
        g.add((scheme_node, SKOS.hasTopConcept, node))
    else:
        g.add((node, SKOS.broader, concept(code.parent)))
        g.add((concept(code.parent), SKOS.narrower, node))


def scheme_turtle() -> str:
    """The concept scheme as Turtle (rdflib's serializer sorts subjects, so the text is stable)."""
    return scheme().serialize(format="turtle")


def main(argv: list[str] | None = None) -> int:
    """`python -m lod_pub.cameo [FILE]`: write the concept scheme as Turtle to FILE (ontology/cameo.ttl,
    which a test holds equal to this output), or to standard output."""
    args = sys.argv[1:] if argv is None else argv
    turtle = scheme_turtle()
    if args:
        Path(args[0]).write_text(turtle, "utf-8")
    else:
        sys.stdout.write(turtle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
