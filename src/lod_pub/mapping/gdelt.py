"""A GDELT export's graph (named {base}graph/export/gdelt-export-{stamp}, iris.Minter.unit_graph, beside the
articles' graph/article/{slug}): the export itself (its provenance and counts), the entities it defines that
the register does not hold, the news articles its rows come from, and its events (events.map_event, the same
as the curated articles': CAMEO code, date, place, participations in the roles source and target, and the
coded figures of events.map_coded).

    <export/gdelt-export-20191024143000> a dip:EventExport , schema:Dataset ;
        schema:creator <organization/gdelt-project> ;          # "The GDELT Project", the attribution
        dip:rowsRead 2111 ; dip:eventsPublished 2105 ; dip:rowsQuarantined 6 ; dip:quarantinedRow [ … ] .
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from ..sources.corpus import Record, as_list
from ..sources.gdelt import ATTRIBUTION
from ..sources.yamlfile import Path_
from ..vocab import DIP, PROV, RDF, SCHEMA, XSD
from .base import ArticleMapper, add_types, text
from .events import map_event
from .evidence import bnode
from .terms import EXPORT_TYPES, GEO_TYPES, ORGANIZATION_TYPES, PLACE_TYPES, REPORT_TYPES

GDELT_PROJECT = "gdelt-project"
NOT_REGISTERED = ("Not in the entity register: {what} as GDELT's export {file} codes it ({code}), "
                  "with an IRI of its own until the register holds it.")
GENERIC = ("An actor that GDELT's export {file} names only by its kind ({code}) in one event: not an "
           "identified organisation, and never the same as another event's.")


def map_export(m: ArticleMapper) -> None:
    """The whole graph of one export (m.record has `export`, `events` and the entities it defines)."""
    export = m.record["export"]
    _export(m, export)
    for section, kind in (("organizations", "organization"), ("places", "place")):
        for i, item in enumerate(as_list(m.record.get(section))):
            _entity(m, item, (section, i), kind, export["file"])
    for item in as_list(m.record.get("coordinates")):  # of register places
        node = m.iri(item["place"])
        geo(m, node, item["latitude"], item["longitude"])
        m.g.add((node, DIP.gdeltFeatureId, Literal(item["feature"])))
    for i, item in enumerate(as_list(m.record.get("reports"))):
        node = m.iri(item["id"])
        m.derived(node, ("reports", i), REPORT_TYPES, item["name"], mention=False)
        m.g.add((node, SCHEMA.url, URIRef(item["url"])))
    for i, item in enumerate(as_list(m.record.get("events"))):
        map_event(m, item, ("events", i))


def _export(m: ArticleMapper, export: Record) -> None:
    node, g = m.node, m.g
    m.origin(node, m.source, ("export",))
    add_types(g, node, EXPORT_TYPES)
    g.add((node, SCHEMA.name, text(f"GDELT 2.0 event export {export['stamp']} ({ATTRIBUTION})")))
    g.add((node, SCHEMA.identifier, Literal(export["file"])))
    g.add((node, DIP.sha256, Literal(export["sha256"])))
    stamp = export["stamp"]
    g.add((node, SCHEMA.dateCreated, Literal(
        f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:]}Z", datatype=XSD.dateTime,
        normalize=False)))
    project = m.minter.entity("organization", GDELT_PROJECT)
    g.add((node, SCHEMA.creator, project))
    g.add((node, PROV.wasAttributedTo, project))
    add_types(g, project, ORGANIZATION_TYPES["Organization"])
    g.add((project, SCHEMA.name, text(ATTRIBUTION)))
    g.add((project, SCHEMA.url, URIRef("https://www.gdeltproject.org/")))
    for prop, key in ((DIP.rowsRead, "rows"), (DIP.eventsPublished, "published"), (DIP.rowsQuarantined, "quarantined")):
        g.add((node, prop, Literal(int(export[key]), datatype=XSD.integer)))
    for q in export["quarantine"]:
        row = bnode(node, "quarantine", q["row"])
        g.add((node, DIP.quarantinedRow, row))
        _quarantined(m, row, q)


def _quarantined(m: ArticleMapper, row: BNode, q: Record) -> None:
    g = m.g
    g.add((row, RDF.type, DIP.QuarantinedRow))
    g.add((row, DIP.rowNumber, Literal(int(q["row"]), datatype=XSD.integer)))
    if q["event"]:
        g.add((row, DIP.gdeltEventId, Literal(q["event"])))
    g.add((row, DIP.column, Literal(q["column"])))
    g.add((row, DIP.reason, text(q["reason"])))


def _entity(m: ArticleMapper, item: Record, path: Path_, kind: str, file: str) -> None:
    """An organisation or place this export defines (the register does not hold it)."""
    node = m.iri(item["id"])
    types = ORGANIZATION_TYPES[item["type"]] if kind == "organization" else PLACE_TYPES[item["type"]]
    m.derived(node, path, types, item["name"], mention=False)
    g = m.g
    code = item.get("cameo") or item.get("feature") or item.get("iso3") or ""
    if item.get("generic"):
        g.add((node, SCHEMA.description, text(GENERIC.format(file=file, code=f"CAMEO {code}"))))
    else:
        what = "an organisation" if kind == "organization" else "a place"
        label = f"CAMEO {code}" if item.get("cameo") else f"feature {code}" if item.get("feature") else f"ISO {code}"
        g.add((node, SCHEMA.description, text(NOT_REGISTERED.format(what=what, file=file, code=label))))
        g.add((node, DIP.notInRegister, Literal(True)))
    if item.get("cameo"):
        g.add((node, DIP.cameoActorCode, Literal(item["cameo"])))
    if item.get("feature"):
        g.add((node, DIP.gdeltFeatureId, Literal(item["feature"])))
    if item.get("sameAs"):
        g.add((node, SCHEMA.sameAs, URIRef(item["sameAs"])))
    if item.get("location"):
        g.add((node, SCHEMA.location, m.iri(item["location"])))
    if item.get("containedInPlace"):
        g.add((node, SCHEMA.containedInPlace, m.iri(item["containedInPlace"])))
    if item.get("latitude"):
        geo(m, node, item["latitude"], item["longitude"])


def geo(m: ArticleMapper, place: URIRef, latitude: str, longitude: str) -> None:
    """The coordinates GDELT gives a place: {place}#geo, a schema:GeoCoordinates."""
    coordinates = m.part(place, "geo")
    m.g.add((place, SCHEMA.geo, coordinates))
    add_types(m.g, coordinates, GEO_TYPES)
    m.g.add((coordinates, SCHEMA.latitude, Literal(latitude, datatype=XSD.decimal)))
    m.g.add((coordinates, SCHEMA.longitude, Literal(longitude, datatype=XSD.decimal)))
