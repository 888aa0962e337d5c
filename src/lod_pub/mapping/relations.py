"""Relations between agents: post holdings over time (dip:Tenure), heading an organisation, memberships
(org:Membership with org:memberDuring), partnerships (dip:Partnership, never a membership) and family.

A qualified relation that is one article's report (a tenure, a membership) is a part of the person or
member it is about, one per article: {member}#membership-{organisation}-{article}.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from ..sources.corpus import Record, fact_parts
from ..sources.yamlfile import Path_
from ..vocab import DIP, ORG, RDF, SCHEMA, SKOS, TIME
from .base import ArticleMapper, add_types, date_literal, text
from .evidence import bnode
from .terms import FAMILY, MEMBERSHIP_TYPES, PARTNERSHIP_TYPES, ROLE_TYPES, TENURE_TYPES

#: the OWL-Time property that gives an instant's date, by the date's precision (dashes in it)
IN_XSD = {0: TIME.inXSDgYear, 1: TIME.inXSDgYearMonth, 2: TIME.inXSDDate}


def map_relation(m: ArticleMapper, r: Record, path: Path_) -> None:
    {"holds": _holds, "heads": _heads, "membership": _membership, "partnership": _partnership,
     "family": _family}[r["type"]](m, r, path)


def _quote(r: Record) -> Record:
    return {"evidence": r["evidence"]}


def _holds(m: ArticleMapper, r: Record, path: Path_) -> None:
    person, post = m.ref(r["person"]), m.ref(r["post"])
    m.origin(person, m.source, path)
    post_record = m.record_of(r["post"])
    former = r.get("former") == "true"
    published = fact_parts(m.record["article"]["datePublished"])["value"]
    tenure = m.part(person, "tenure", r["post"], m.slug)
    m.derived(tenure, path, TENURE_TYPES, f"{m.name_of(person)}, {'former ' if former else ''}{post_record['name']} "
              f"(reported {published})", mention=False)
    for prop, obj in ((DIP.holder, person), (DIP.post, post), (SCHEMA.roleName, text(post_record["name"])),
                      (DIP.reportedOn, date_literal(published))):
        m.g.add((tenure, prop, obj))
    m.annotate(tenure, DIP.post, post, _quote(r))
    for key, prop in (("startDate", SCHEMA.startDate), ("endDate", SCHEMA.endDate)):
        if r.get(key):
            m.fact(tenure, prop, r[key], date_literal)
    if former:
        m.g.add((tenure, DIP.former, Literal(True)))
    if former or _ended(r, published):
        return
    organization = m.iri(post_record["postIn"])  # reached through the register: not a mention of the text
    for node, prop, obj in ((person, ORG.holds, post), (post, ORG.heldBy, person),
                            (person, SCHEMA.jobTitle, text(post_record["name"])),
                            (person, SCHEMA.worksFor, organization)):
        m.g.add((node, prop, obj))
    m.annotate(person, ORG.holds, post, _quote(r))


def _ended(r: Record, published: str) -> bool:
    """Whether a holding or membership has an end (stated or claimed) on or before the article's date: the
    direct links (org:holds, schema:memberOf) say what is so when the article was published, so such a one
    has none. An end no finer than the date ("2021" for 2021-10-21) counts as on it: it may be before."""
    if not r.get("endDate"):
        return False
    end = str(fact_parts(r["endDate"])["value"])
    return end <= published[:len(end)]


def _heads(m: ArticleMapper, r: Record, path: Path_) -> None:
    person, organization = m.ref(r["person"]), m.ref(r["organization"])
    m.g.add((person, ORG.headOf, organization))
    m.annotate(person, ORG.headOf, organization, _quote(r))


def _role(m: ArticleMapper, name: str) -> URIRef:
    """The concept of a role or kind of partnership named in a record ("global partner")."""
    role = m.minter.entity("role", "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()))
    add_types(m.g, role, ROLE_TYPES)
    m.g.add((role, SCHEMA.name, text(name)))
    m.g.add((role, SKOS.prefLabel, text(name)))
    return role


def _membership(m: ArticleMapper, r: Record, path: Path_) -> None:
    member, organization = m.ref(r["member"]), m.ref(r["organization"])
    former = r.get("former") == "true"
    node = m.part(member, "membership", r["organization"], m.slug)
    kind = r.get("role") or "member"
    m.derived(node, path, MEMBERSHIP_TYPES, f"{m.name_of(member)}, {'former ' if former else ''}{kind} of "
              f"{m.name_of(organization)}", mention=False)
    for s, p, o in ((node, ORG.member, member), (node, ORG.organization, organization),
                    (member, ORG.hasMembership, node)):
        m.g.add((s, p, o))
    if r.get("role"):
        m.g.add((node, ORG.role, _role(m, r["role"])))
    m.annotate(node, ORG.organization, organization, _quote(r))
    _interval(m, node, r)
    if former:
        m.g.add((node, DIP.former, Literal(True)))
    if former or _ended(r, fact_parts(m.record["article"]["datePublished"])["value"]):
        return
    m.g.add((member, SCHEMA.memberOf, organization))
    m.annotate(member, SCHEMA.memberOf, organization, _quote(r))


def _interval(m: ArticleMapper, node: URIRef, r: Record) -> None:
    """org:memberDuring: a time:Interval with the beginning and end the article states."""
    ends = [(key, link) for key, link in (("startDate", TIME.hasBeginning), ("endDate", TIME.hasEnd)) if r.get(key)]
    if not ends:
        return
    interval = bnode(m.node, node, "interval")
    m.g.add((node, ORG.memberDuring, interval))
    m.g.add((interval, RDF.type, TIME.Interval))
    for key, link in ends:
        parts = fact_parts(r[key])
        date = date_literal(parts["value"])
        if parts.get("claim"):
            m.claim(parts["claim"], node, link, date, parts)
            continue
        instant = bnode(m.node, node, key)
        m.g.add((interval, link, instant))
        m.g.add((instant, RDF.type, TIME.Instant))
        m.g.add((instant, IN_XSD[parts["value"].count("-")], date))
        m.annotate(node, ORG.memberDuring, date, parts)


def _partnership(m: ArticleMapper, r: Record, path: Path_) -> None:
    node = m.iri(r["id"])
    partner, organization = m.ref(r["partner"]), m.ref(r["organization"])
    name = f"{m.name_of(partner)} – {m.name_of(organization)} partnership ({r['role']})"
    m.derived(node, path, PARTNERSHIP_TYPES, name)
    for prop, obj in ((DIP.partner, partner), (DIP.partnerOf, organization), (DIP.partnerRole, _role(m, r["role"]))):
        m.g.add((node, prop, obj))
    m.annotate(node, DIP.partner, partner, _quote(r))
    if r.get("description"):
        m.fact(node, SCHEMA.description, r["description"], text)


def _family(m: ArticleMapper, r: Record, path: Path_) -> None:
    person, relative = m.ref(r["person"]), m.ref(r["relative"])
    m.origin(person, m.source, path)
    link = FAMILY[r["relation"]]
    m.g.add((person, link, relative))
    m.annotate(person, link, relative, _quote(r))
