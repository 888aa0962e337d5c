"""Events: their types and CAMEO code, dates, places, status and attendance mode, the agents and their
roles (dip:Participation beside the direct schema.org link), counts of the dead and injured, foundings,
and how often a series recurs."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import cameo
from ..sources.corpus import Record, as_list, fact_parts
from ..sources.yamlfile import Path_
from ..vocab import DIP, SCHEMA, SEM, XSD
from .base import ArticleMapper, add_types, count, date_literal, text
from .terms import (ATTENDANCE_MODES, CODED_FIGURES, DEFAULT_CAMEO, EVENT_COUNTS, EVENT_LINKS, EVENT_STATUS, EVENT_TYPES,
                    PARTICIPATION_TYPES, ROLES, SCHEDULE_TYPES)

DATES = (("startDate", SCHEMA.startDate), ("endDate", SCHEMA.endDate),
         ("earliestBegin", SEM.hasEarliestBeginTimeStamp), ("latestEnd", SEM.hasLatestEndTimeStamp))


def map_event(m: ArticleMapper, e: Record, path: Path_) -> None:
    node = m.iri(e["id"])
    m.derived(node, path, EVENT_TYPES[e["type"]], e["name"])
    for alt in as_list(e.get("alternateNames")):
        m.g.add((node, SCHEMA.alternateName, text(alt)))
    m.g.add((node, DIP.eventCode, cameo.concept(e.get("cameo") or DEFAULT_CAMEO[e["type"]])))
    if e.get("description"):
        m.fact(node, SCHEMA.description, e["description"], text)
    for key, prop in DATES:
        if e.get(key):
            m.fact(node, prop, e[key], date_literal)
    for key, prop in EVENT_LINKS.items():
        for obj in m.facts(node, prop, e.get(key), m.ref):
            if prop == SCHEMA.superEvent:
                m.g.add((obj, SCHEMA.subEvent, node))
    for key, prop in EVENT_COUNTS.items():
        if e.get(key):
            m.facts(node, prop, e[key], count)
    _status(m, node, e)
    _participants(m, node, e, path)
    if e.get("founded"):
        _founded(m, node, e)
    if e.get("repeatFrequency"):
        _schedule(m, node, e["repeatFrequency"])
    if e.get("gdelt"):
        map_coded(m, node, e)


def map_coded(m: ArticleMapper, node: URIRef, e: Record) -> None:
    """What an event coder (GDELT) gives beyond the record's fields: the row it came from, its QuadClass,
    Goldstein scale, tone and counts, and the news article that reported it."""
    coded, g = e["gdelt"], m.g
    for prop, key, datatype in CODED_FIGURES:
        g.add((node, prop, Literal(coded[key], datatype=datatype)))
    g.add((node, DIP.rootEvent, Literal(bool(coded["rootEvent"]))))
    g.add((node, DIP.dateAdded, Literal(coded["dateAdded"], datatype=XSD.dateTime, normalize=False)))
    report = m.iri(e["reportedIn"])
    g.add((node, SCHEMA.subjectOf, report))
    g.add((report, SCHEMA.about, node))


def _status(m: ArticleMapper, node: URIRef, e: Record) -> None:
    if e.get("status"):
        m.fact(node, SCHEMA.eventStatus, e["status"], EVENT_STATUS.__getitem__)
    if e.get("attendanceMode"):
        m.fact(node, SCHEMA.eventAttendanceMode, e["attendanceMode"], ATTENDANCE_MODES.__getitem__)
    elif e["type"] == "PhoneCall":  # online by nature: a type's meaning, not a fact of the text
        m.g.add((node, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))


def _roles(e: Record) -> list[Record]:
    """Every participant entry, `attendees` as entries of role participant."""
    entries = [{**fact_parts(raw), "agent": fact_parts(raw)["value"], "role": "participant"}
               for raw in as_list(e.get("attendees"))]
    return entries + as_list(e.get("participants"))


def _participants(m: ArticleMapper, node: URIRef, e: Record, path: Path_) -> None:
    """The direct link of each agent (once), and a participation per role. A plain participant's evidence
    is that of its direct link; a role's (host, observer, …) is that of its participation's dip:role. An
    agent with a role of its own is not also a plain participant."""
    entries = _roles(e)
    roled = {p["agent"] for p in entries if p["role"] != "participant" and not p.get("claim")}
    for p in entries:
        concept, link = ROLES[p["role"]]
        agent = m.ref(p["agent"])
        if p.get("claim"):  # someone's claim: the direct link named, not asserted, and no participation
            m.claim(p["claim"], node, link, agent, p)
            continue
        m.g.add((node, link, agent))
        plain = p["role"] == "participant"
        annotation = m.annotate(node, link, agent, p) if plain else None
        if plain and p["agent"] in roled:
            continue
        q = m.part(node, "participation", p["agent"], p["role"])
        m.derived(q, path, PARTICIPATION_TYPES,
                  f"{m.name_of(agent)} ({p['role'].replace('-', ' ')}), {e['name']}", mention=False)
        m.g.add((node, DIP.qualifiedParticipation, q))
        m.g.add((q, DIP.agent, agent))
        m.g.add((q, DIP.role, concept))
        if p.get("place"):  # where the agent was, as an event coder gives it
            m.g.add((q, DIP.agentPlace, m.iri(p["place"])))
        if annotation is not None:
            m.g.add((q, DIP.evidence, annotation))
        else:
            m.annotate(q, DIP.role, concept, p)


def _founded(m: ArticleMapper, node: URIRef, e: Record) -> None:
    organization = m.fact(node, DIP.founded, e["founded"], m.ref)
    start = fact_parts(e.get("startDate"))
    if organization is None or not start.get("value") or start.get("claim"):
        return
    date: Node = date_literal(start["value"])
    m.g.add((organization, SCHEMA.foundingDate, date))  # the same fact, as schema.org consumers read it
    m.annotate(organization, SCHEMA.foundingDate, date, start)


def _schedule(m: ArticleMapper, node: URIRef, raw: object) -> None:
    schedule = m.part(node, "schedule")
    m.g.add((node, SCHEMA.eventSchedule, schedule))
    add_types(m.g, schedule, SCHEDULE_TYPES)
    m.fact(schedule, SCHEMA.repeatFrequency, raw, lambda value: Literal(value, datatype=XSD.duration))
