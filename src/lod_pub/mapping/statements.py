"""Reported statements, and the claims they make.

A statement is what one or more agents said, as the article reports it (a joint statement has several
authors). A fact of the record that carries `claim: STATEMENT-ID` is that statement's claim: it is not
asserted, but named by a claim node (classic reification, docs/model.md compares the options):

    <statement#claim-HEX> a dip:Claim, schema:Claim, rdf:Statement ;
        rdf:subject S ; rdf:predicate P ; rdf:object O ;
        schema:author <who made the statement> ; schema:appearance <statement> ;
        schema:name "Sohail Mahmood claims: …"@en ; prov:wasDerivedFrom <article> ; dip:evidence [ … ] .
    <statement> dip:makesClaim <statement#claim-HEX> .
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..sources.corpus import Record, as_list, fact_parts
from ..sources.yamlfile import Path_
from ..vocab import DIP, RDF, SCHEMA
from .base import ArticleMapper, date_literal, text
from .evidence import add_evidence
from .terms import CLAIM_TYPES, STATEMENT_TYPES

#: How a claim's name reads the claimed triple, by property: {s} its subject, {o} its object.
PHRASES = {
    DIP.supportedBy: "{o} supported {s}",
    SCHEMA.organizer: "{o} organised {s}",
    SCHEMA.attendee: "{o} took part in {s}",
    DIP.perpetrator: "{o} carried out {s}",
    DIP.victim: "{o} suffered {s}",
    SCHEMA.location: "{s} took place in {o}",
    SCHEMA.startDate: "{s} began on {o}",
    SCHEMA.endDate: "{s} ended on {o}",
    SCHEMA.superEvent: "{s} was part of {o}",
    DIP.killed: "{s} killed {o}",
    DIP.killedAtLeast: "{s} killed at least {o}",
    DIP.injured: "{s} injured {o}",
    DIP.injuredAtLeast: "{s} injured at least {o}",
    DIP.founded: "{s} founded {o}",
}


def map_statement(m: ArticleMapper, s: Record, path: Path_) -> None:
    node = m.iri(s["id"])
    verb = s.get("verb", "stated")
    authors = [m.ref(fact_parts(raw)["value"]) for raw in as_list(s["author"])]
    m.derived(node, path, STATEMENT_TYPES, f"{_names(m, authors)} {verb}: {s['text']}")
    m.facts(node, SCHEMA.author, s["author"], m.ref)
    m.g.add((node, SCHEMA.text, text(s["text"])))
    m.g.add((node, DIP.reportingVerb, text(verb)))
    if s.get("paraphrase") == "true":  # the text is the editor's words, not the article's
        m.g.add((node, DIP.paraphrase, Literal(True)))
    m.facts(node, SCHEMA.about, s.get("about"), m.ref)
    if s.get("statedAt"):
        m.fact(node, DIP.statedAt, s["statedAt"], m.ref)
    if s.get("date"):
        m.fact(node, SCHEMA.dateCreated, s["date"], date_literal)
    if s.get("evidence"):
        add_evidence(m.g, m.evidence_source, node, SCHEMA.text, None, s["evidence"], None)


def add_claim(m: ArticleMapper, statement: str, subject: URIRef, prop: URIRef, obj: Node, parts: Record) -> None:
    """The claim that statement (an id of this record) makes: subject prop obj, not asserted."""
    node = m.iri(statement)
    authors = [m.iri(fact_parts(raw)["value"]) for raw in as_list(m.record_of(statement)["author"])]
    digest = hashlib.sha1(f"{subject}|{prop}|{obj.n3()}".encode("utf-8")).hexdigest()[:12]
    claim = m.minter.part("statement", statement, f"claim-{digest}")
    claims = "claim" if len(authors) > 1 else "claims"
    m.derived(claim, m.corpus.ids[statement][2][:2], CLAIM_TYPES,
              f"{_names(m, authors)} {claims}: {_phrase(m, subject, prop, obj)}", mention=False)
    for p, o in ((RDF.subject, subject), (RDF.predicate, prop), (RDF.object, obj), (SCHEMA.appearance, node)):
        m.g.add((claim, p, o))
    for author in authors:
        m.g.add((claim, SCHEMA.author, author))
    m.g.add((node, DIP.makesClaim, claim))
    m.annotate(claim, prop, obj, parts)


def _names(m: ArticleMapper, agents: list[URIRef]) -> str:
    names = [m.name_of(a) for a in agents]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _phrase(m: ArticleMapper, subject: URIRef, prop: URIRef, obj: Node) -> str:
    s, o = m.name_of(subject), m.name_of(obj)
    if prop in PHRASES:
        return PHRASES[prop].format(s=s, o=o)
    local = re.split(r"[#/]", str(prop))[-1]
    return f"{s} {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', local).lower()} {o}"
