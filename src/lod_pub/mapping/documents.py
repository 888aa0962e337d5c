"""Documents: agreements, treaties and declarations (parties, signatories, when, where, at which event),
and plans, agendas and initiatives (authors, when set out, at which event adopted). Each is a
schema:CreativeWork as well as its dip: class, with IRI {base}id/document/{id}."""

from __future__ import annotations

from ..sources.corpus import Record, as_list
from ..sources.yamlfile import Path_
from ..vocab import SCHEMA
from .base import ArticleMapper, date_literal, text
from .terms import DOCUMENT_LINKS, DOCUMENT_TYPES


def map_document(m: ArticleMapper, d: Record, path: Path_) -> None:
    node = m.iri(d["id"])
    m.derived(node, path, DOCUMENT_TYPES[d["type"]], d["name"])
    for alt in as_list(d.get("alternateNames")):
        m.g.add((node, SCHEMA.alternateName, text(alt)))
    if d.get("description"):
        m.fact(node, SCHEMA.description, d["description"], text)
    if d.get("date"):
        m.fact(node, SCHEMA.dateCreated, d["date"], date_literal)
    for key, prop in DOCUMENT_LINKS.items():
        m.facts(node, prop, d.get(key), m.ref)
