"""Coded events (GDELT) on the pages of the site: the summary of a coded event (its CAMEO code and label,
source and target, place and coordinates, tone and Goldstein score, the article that reported it), and
the coded events of an organisation or a place, newest first, a page at a time.

    summary(store, iri, label, href) -> Summary | None        None: not a coded event
    events_of(store, iri, page, size, href) -> EventList       empty when it has none
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pyoxigraph as ox

from ..vocab import PREFIXES
from .reading import ReadableStore, solutions
from .view import Value

QUAD_CLASSES = {"1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict",
                "4": "material conflict"}
SUMMARY = """
SELECT ?code ?source ?sourceName ?target ?targetName ?place ?placeName ?lat ?long ?tone ?goldstein ?quad
       ?article ?url ?export ?exportName ?date WHERE {
  ?r a dip:CodedEvent ; dip:eventCode ?code ; dip:averageTone ?tone ; dip:goldsteinScale ?goldstein ;
     dip:eventQuadClass ?quad ; prov:wasDerivedFrom ?export ; schema:startDate ?date .
  OPTIONAL { ?export schema:name ?exportName }
  OPTIONAL { ?r dip:sourceActor ?source OPTIONAL { ?source schema:name ?sourceName } }
  OPTIONAL { ?r dip:targetActor ?target OPTIONAL { ?target schema:name ?targetName } }
  OPTIONAL { ?r schema:location ?place OPTIONAL { ?place schema:name ?placeName }
             OPTIONAL { ?place schema:geo ?geo . ?geo schema:latitude ?lat ; schema:longitude ?long } }
  OPTIONAL { ?r schema:subjectOf ?article . ?article schema:url ?url }
} LIMIT 1"""
#: the coded events of ?r: as source or target, of an actor located in ?r, or in ?r or a place in it
EVENTS = """
SELECT DISTINCT ?e ?name ?date ?code WHERE {
  { ?e dip:sourceActor|dip:targetActor ?r } UNION { ?e dip:sourceActor|dip:targetActor ?actor . ?actor schema:location ?r }
  UNION { ?e schema:location ?r } UNION { ?e schema:location ?place . ?place schema:containedInPlace ?r }
  ?e a dip:CodedEvent ; schema:name ?name ; schema:startDate ?date ; dip:eventCode ?code .
} ORDER BY DESC(?date) ?e"""
R = ox.Variable("r")


@dataclass(frozen=True)
class Summary:
    code: Value
    source: Value | None
    target: Value | None
    place: Value | None
    coordinates: tuple[str, str] | None
    tone: str
    goldstein: str
    quad_class: str
    article: str | None        # the URL of the news article it was coded from
    export: Value
    date: str


@dataclass
class EventList:
    events: list[tuple[Value, str, Value]] = field(default_factory=list)  # (event, date, CAMEO code)
    page: int = 1
    has_next: bool = False
    size: int = 100


def _named(href: Callable[[str], str | None], node: ox.NamedNode | None, name: ox.Literal | None) -> Value | None:
    if node is None:
        return None
    return Value(name.value if name is not None else node.value, href(node.value), node.value)


def summary(store: ReadableStore, iri: str, label: Callable[[str], str],
            href: Callable[[str], str | None]) -> Summary | None:
    """What the page of a coded event shows first; None for anything else."""
    rows = list(solutions(store.query(SUMMARY, prefixes=PREFIXES, use_default_graph_as_union=True,
                                      substitutions={R: ox.NamedNode(iri)})))
    if not rows:
        return None
    row = rows[0]

    def text(name: str) -> str:
        term = row[name]
        return term.value if term is not None else ""

    code = row["code"]
    notation = code.value.rpartition("#")[2]
    lat, long = row["lat"], row["long"]
    quad = text("quad")
    return Summary(
        code=Value(f"{notation} {label(code.value)}", href(code.value), code.value),
        source=_named(href, row["source"], row["sourceName"]), target=_named(href, row["target"], row["targetName"]),
        place=_named(href, row["place"], row["placeName"]),
        coordinates=(lat.value, long.value) if lat is not None and long is not None else None,
        tone=text("tone"), goldstein=text("goldstein"), quad_class=f"{quad} ({QUAD_CLASSES.get(quad, '?')})",
        article=text("url") or None, export=_named(href, row["export"], row["exportName"]) or Value(text("export")),
        date=text("date"))


def events_of(store: ReadableStore, iri: str, page: int, size: int, label: Callable[[str], str],
              href: Callable[[str], str | None]) -> EventList:
    """One page of the coded events of an organisation or a place, newest first."""
    query = f"{EVENTS} LIMIT {size + 1} OFFSET {(page - 1) * size}"
    rows = list(solutions(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                                      substitutions={R: ox.NamedNode(iri)})))
    listed = EventList(page=page, has_next=len(rows) > size, size=size)
    for row in rows[:size]:
        event, code = row["e"], row["code"]
        listed.events.append((Value(row["name"].value, href(event.value), event.value), row["date"].value,
                              Value(f"{code.value.rpartition('#')[2]} {label(code.value)}", href(code.value),
                                    code.value)))
    return listed
