"""GDELT 2.0 Event exports: each row an event record of the same internal form as the curated articles'.

    read_exports(corpus, folders, cache) -> list[Export]  every *.export.CSV in the folders, added to the corpus

An export (61 tab-separated columns, no header; GDELT's Event Codebook V2.0) becomes one unit of the
corpus, beside the articles: an `Article` whose record has an `export` section (the file, its counts, its
quarantine) instead of `article`, and the sections the mapper already reads: `events` (one per row, with
`participants` in the roles CAMEO gives, source and target), and the entities the export defines that the
register does not hold (`organizations`, `places`, `reports`). So the mapper, the shapes, the release and
the web are the same for both sources.

Reconciliation (docs/gdelt.md): an actor's or place's country (CAMEO country code, or FIPS 10-4 through
data/gdelt_fips_countries.json) is an ISO 3166 alpha-3 code, whose Wikidata entity
(data/countries.csv) is the register's place of the same `sameAs`; a country acting is its
government, the register's `government-of-…` organisation located in that place; a known group (`NAT`) and
a place's feature id go through the reviewed alias table data/gdelt_aliases.json. What the register does not
hold gets an IRI of its own (`gdelt-…`), which says so. A row that cannot be published as it is goes to the
export's quarantine with its row, column and reason; rows read = events + rows quarantined.

With a ReadCache, an export read before (the same bytes, register, code and place) is not parsed again: what
its reading made is kept pickled under a key of all of them, with a small Summary beside it (its counts, the
events it gives, the ids it defines). A build decides corrections, claims and keys from the summaries, and
unpickles the record of an export only when its graph is mapped again (new, changed, or corrected by a newer
export); a file whose (size, mtime_ns, inode) is unchanged is not even read again. So the part of a build's
reading that an unchanged export costs is an unpickling of its summary, not of its record or 61 columns of
every row.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import re
import time
from array import array
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import cameo
from ..errors import IriError, Problem, RecordError
from ..iris import check_iri
from .corpus import Article, Claim, Corpus, Record, Source, Stat, as_list, stat_of
from .files import Refused, read_below
from .values import url_problem
from .yamlfile import Located, Path_

#: GDELT 2.0 Event export columns, in order (Event Codebook V2.0)
COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                             "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in ("Type", "FullName", "CountryCode",
                                                                         "ADM1Code", "ADM2Code", "Lat", "Long",
                                                                         "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
EXPORT_NAME = re.compile(r"^(\d{14})\.export\.CSV$", re.IGNORECASE)
MAX_EXPORT_BYTES = 256 << 20  # a 15-minute export is about 1 MB; a day's would be about 100 MB
ROLES = {1: "source", 2: "target"}  # CAMEO: Actor1 does the action to Actor2
GEO_TYPES = {"1": "Country", "2": "AdministrativeArea", "3": "City", "4": "City", "5": "AdministrativeArea"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
ATTRIBUTION = "The GDELT Project"


@dataclass(frozen=True)
class Quarantined:
    """A row that is not published: where (row, column) and why."""

    row: int
    event: str    # its GLOBALEVENTID, as the row gives it
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row} (GLOBALEVENTID {self.event or '?'}) [{self.column}]: {self.reason}"


@dataclass
class Export:
    """One export file read: its unit of the corpus, its rows and its quarantine."""

    article: Article
    rows: int
    quarantine: list[Quarantined]

    @property
    def record(self) -> Record:
        return self.article.record

    @property
    def events(self) -> int:
        """Events published: every row is an event or quarantined."""
        return self.rows - len(self.quarantine)


class Skip(Exception):
    """A row goes to quarantine: column and reason."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


# -- lookups ---------------------------------------------------------------------------------------
def _data(name: str) -> str:
    return resources.files("lod_pub").joinpath(f"data/{name}").read_text("utf-8")


@cache
def fips_countries() -> dict[str, str]:
    """FIPS 10-4 country code -> ISO 3166 alpha-3."""
    return {fips: entry["iso3"] for fips, entry in json.loads(_data("gdelt_fips_countries.json")).items()
            if entry.get("iso3")}


@cache
def iso_countries() -> dict[str, tuple[str, str]]:
    """ISO 3166 alpha-3 -> (name, Wikidata IRI or '')."""
    rows = csv.DictReader(_data("countries.csv").splitlines())
    return {row["iso3"]: (row["name"], row["wikidata"]) for row in rows if row.get("iso3")}


@cache
def actor_types() -> dict[str, str]:
    """CAMEO actor type code -> label (GOV -> Government)."""
    lines = _data("cameo_actor_types.txt").splitlines()[1:]
    return {code: label for code, _, label in (line.partition("\t") for line in lines) if code}


@cache
def aliases() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = json.loads(_data("gdelt_aliases.json"))
    return table


def slug_part(value: str) -> str:
    """A code as a part of an identifier: lower case, letters, digits and '-' ('-3378435' -> 'm3378435')."""
    cleaned = re.sub(r"[^0-9a-z]+", "-", value.lower()).strip("-")
    return ("m" + cleaned) if value.startswith("-") else cleaned


@dataclass
class Register:
    """What the register holds that GDELT's codes reconcile to."""

    ids: set[str]
    by_wikidata: dict[str, str]            # Wikidata IRI -> register id
    governments: dict[str, str]            # register place id -> its government-of-… organisation
    kinds: dict[str, str]

    @classmethod
    def of(cls, corpus: Corpus) -> Register:
        data = corpus.register.data
        by_wikidata: dict[str, str] = {}
        kinds: dict[str, str] = {}
        governments: dict[str, str] = {}
        for section, kind in (("people", "person"), ("organizations", "organization"), ("places", "place")):
            for item in as_list(data.get(section)):
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                kinds[item["id"]] = kind
                if isinstance(item.get("sameAs"), str):
                    by_wikidata[item["sameAs"]] = item["id"]
                if (kind == "organization" and item.get("type") == "GovernmentOrganization"
                        and item["id"].startswith("government-of-") and isinstance(item.get("location"), str)
                        and not item.get("parentOrganization")):
                    governments[item["location"]] = item["id"]
        return cls(set(kinds), by_wikidata, governments, kinds)


# -- one export --------------------------------------------------------------------------------------
@dataclass
class _Reading:
    """The record an export is read into, and what it has defined so far."""

    register: Register
    corpus: Corpus
    record: Record
    defined: set[str] = field(default_factory=set)  # ids of entities this export defines
    names: dict[str, str] = field(default_factory=dict)    # id -> name, of every entity an event names
    pending: dict[str, tuple[str, Record]] = field(default_factory=dict)  # defined by the row being read

    def define(self, section: str, item: Record) -> str:
        slug: str = item["id"]
        if slug not in self.defined and slug not in self.pending:
            self.pending[slug] = (section, item)
        self.names[slug] = item["name"]
        return slug

    def commit(self) -> None:
        """The row is published: the entities it defined are the export's."""
        for slug, (section, item) in self.pending.items():
            self.defined.add(slug)
            self.record.setdefault(section, []).append(item)
        self.pending.clear()

    def known(self, slug: str) -> str:
        """A register id, named."""
        self.names[slug] = self._register_name(slug)
        return slug

    def _register_name(self, slug: str) -> str:
        for section in ("people", "organizations", "places"):
            for item in as_list(self.corpus.register.data.get(section)):
                if isinstance(item, dict) and item.get("id") == slug:
                    return str(item.get("name", slug))
        return slug


def _country_place(r: _Reading, iso3: str, column: str) -> str:
    """The place of a country (ISO alpha-3): the register's, by Wikidata id, or one of this export's own."""
    regions = aliases()["regions"]
    if iso3 in regions:  # a CAMEO region (AFR, EUR, WST): a place of its own
        return r.define("places", {"id": f"gdelt-region-{iso3.lower()}", "type": "Place",
                                   "name": str(regions[iso3]), "cameo": iso3})
    if iso3 not in iso_countries():
        raise Skip(column, f"{iso3!r} is not a CAMEO country or region code (ISO 3166 alpha-3)")
    name, wikidata = iso_countries()[iso3]
    if wikidata and wikidata in r.register.by_wikidata:
        return r.known(r.register.by_wikidata[wikidata])
    item: Record = {"id": f"gdelt-country-{iso3.lower()}", "type": "Country", "name": name, "iso3": iso3}
    if wikidata:
        item["sameAs"] = wikidata
    return r.define("places", item)


def _government(r: _Reading, iso3: str, column: str) -> str:
    """A country acting: its government (the register's, or one of this export's own)."""
    place = _country_place(r, iso3, column)
    if place in r.register.governments:
        return r.known(r.register.governments[place])
    name = r.names[place]
    return r.define("organizations", {
        "id": f"gdelt-government-{iso3.lower()}", "type": "GovernmentOrganization", "name": f"Government of {name}",
        "location": place, "cameo": iso3})


def _group(r: _Reading, group: str, name: str) -> str:
    """A known group (CAMEO KnownGroupCode, NATO is NAT): the register's, by alias or Wikidata id."""
    alias = aliases()["knownGroups"].get(group, {})
    if alias.get("register") in r.register.ids:
        return r.known(alias["register"])
    if alias.get("wikidata") in r.register.by_wikidata:
        return r.known(r.register.by_wikidata[alias["wikidata"]])
    item: Record = {"id": f"gdelt-group-{slug_part(group)}", "type": "Organization",
                    "name": alias.get("name") or name.title() or group, "cameo": group}
    if alias.get("wikidata"):
        item["sameAs"] = alias["wikidata"]
    return r.define("organizations", item)


def _actor(r: _Reading, row: list[str], n: int, event_id: str) -> str | None:
    """The agent of Actor1 or Actor2, or None when the row names none."""
    at = 5 if n == 1 else 15
    code, name, country, group, _eth, _rel1, _rel2, type1, _type2, _type3 = row[at:at + 10]
    if not code:
        return None
    if group:
        return _group(r, group, name)
    if country and (code == country or code == country + "GOV") and country not in aliases()["regions"]:
        return _government(r, country, f"Actor{n}CountryCode")
    kinds = [actor_types().get(code[i:i + 3], code[i:i + 3]) for i in range(len(country), len(code), 3)]
    if country:
        place = _country_place(r, country, f"Actor{n}CountryCode")
        return r.define("organizations", {
            "id": f"gdelt-actor-{slug_part(code)}", "type": "Organization",
            "name": f"{r.names[place]} ({', '.join(kinds)})" if kinds else r.names[place],
            "location": place, "cameo": code})
    # a generic actor (POLICE, COP): a kind of actor, not an entity; one of its own for this event
    label = name.title() if name else ", ".join(kinds)
    return r.define("organizations", {
        "id": f"gdelt-{event_id}-{ROLES[n]}", "type": "Organization", "name": label, "cameo": code,
        "generic": True})


def canonical(value: str) -> str:
    """A decimal's canonical form, as the store keeps it ("-7.0" -> "-7", "0.50" -> "0.5")."""
    form = format(Decimal(value).normalize(), "f")
    return "0" if form == "-0" else form


def _number(row: list[str], column: str, kind: type[int] | type[float] = float) -> str:
    value = row[COLUMNS.index(column)].strip()
    if not NUMBER.fullmatch(value) or (kind is int and "." in value):
        raise Skip(column, f"{value!r} is not a {'whole ' if kind is int else ''}number")
    return canonical(value)


def _place(r: _Reading, row: list[str], prefix: str) -> str | None:
    """The place of one geography block (ActionGeo_, Actor1Geo_, Actor2Geo_), or None when it is empty."""
    at = COLUMNS.index(f"{prefix}_Type")
    kind, full, fips, adm1, _adm2, lat, long, feature = row[at:at + 8]
    if kind in ("", "0"):
        return None
    if kind not in GEO_TYPES:
        raise Skip(f"{prefix}_Type", f"{kind!r} is not a geography type of GDELT (0 to 5)")
    if not fips:
        raise Skip(f"{prefix}_CountryCode", "a place without a country")
    if fips not in fips_countries():
        raise Skip(f"{prefix}_CountryCode", f"{fips!r} is not a FIPS 10-4 country code")
    try:
        country = _country_place(r, fips_countries()[fips], f"{prefix}_CountryCode")
    except Skip as skip:
        raise Skip(skip.column, f"{fips!r} (FIPS 10-4): {skip.reason}") from None
    for column, value in ((f"{prefix}_Lat", lat), (f"{prefix}_Long", long)):
        if not NUMBER.fullmatch(value):
            raise Skip(column, f"{value!r} is not a coordinate")
    if not (-90 <= float(lat) <= 90 and -180 <= float(long) <= 180):
        raise Skip(f"{prefix}_Lat", f"({lat}, {long}) is not on the globe")
    lat, long = canonical(lat), canonical(long)
    if kind == "1":  # the country, at the point GDELT gives it (its centroid)
        r.define("coordinates", {"id": f"coordinates-{country}", "name": country, "place": country,
                                 "latitude": lat, "longitude": long, "feature": feature or fips})
        return country
    key = feature or adm1
    if not key:
        raise Skip(f"{prefix}_FeatureID", "a place without a feature id")
    alias = aliases()["features"].get(key, {})
    known = alias.get("register") if alias.get("register") in r.register.ids else r.register.by_wikidata.get(
        alias.get("wikidata", ""))
    if known:  # the register's place, with the coordinates GDELT gives it
        r.define("coordinates", {"id": f"coordinates-{known}", "name": known, "place": known, "latitude": lat,
                                 "longitude": long, "feature": key})
        return r.known(known)
    item: Record = {"id": f"gdelt-feature-{slug_part(key)}", "type": GEO_TYPES[kind], "name": full or key,
                    "containedInPlace": country, "latitude": lat, "longitude": long, "feature": key}
    if alias.get("wikidata"):
        item["sameAs"] = alias["wikidata"]
    return r.define("places", item)


def _date(value: str) -> str:
    if not re.fullmatch(r"\d{8}", value):
        raise Skip("SQLDATE", f"{value!r} is not a date (YYYYMMDD)")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        raise Skip("SQLDATE", f"{value!r} is not a date (YYYYMMDD)") from None


def _added(value: str) -> str:
    if not re.fullmatch(r"\d{14}", value):
        raise Skip("DATEADDED", f"{value!r} is not a time (YYYYMMDDHHMMSS)")
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}T{value[8:10]}:{value[10:12]}:{value[12:]}Z"


def _report(r: _Reading, url: str) -> str:
    """The news article a row comes from: one per URL."""
    if not url.startswith(("http://", "https://")):
        raise Skip("SOURCEURL", f"{url[:80]!r} is not an http(s) URL")
    reason = url_problem(url)
    if reason is None:
        try:
            check_iri(url)
        except IriError as exc:
            reason = str(exc)
    if reason:
        raise Skip("SOURCEURL", reason)
    slug = f"gdelt-source-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"
    return r.define("reports", {"id": slug, "name": f"News article at {url}", "url": url})


def _event(r: _Reading, row: list[str], number: int) -> Record:
    """One row as an event record; Skip when it cannot be published as it is."""
    if len(row) != len(COLUMNS):
        raise Skip("-", f"{len(row)} columns; a GDELT 2.0 export row has {len(COLUMNS)}")
    event_id = row[0]
    if not re.fullmatch(r"\d{1,19}", event_id):
        raise Skip("GLOBALEVENTID", f"{event_id!r} is not an event id (digits)")
    code = row[COLUMNS.index("EventCode")]
    if not cameo.is_code(code):
        raise Skip("EventCode", f"{code!r} is not a code of the CAMEO codebook")
    start = _date(row[1])
    quad = _number(row, "QuadClass", int)
    if quad not in ("1", "2", "3", "4"):
        raise Skip("QuadClass", f"{quad!r} is not a QuadClass (1 to 4)")
    numbers = {"goldstein": _number(row, "GoldsteinScale"), "tone": _number(row, "AvgTone"),
               **{key: _number(row, column, int) for key, column in (
                   ("mentions", "NumMentions"), ("sources", "NumSources"), ("articles", "NumArticles"))}}
    if not -10 <= float(numbers["goldstein"]) <= 10:
        raise Skip("GoldsteinScale", f"{numbers['goldstein']} is outside the Goldstein scale (-10 to 10)")
    added = _added(row[COLUMNS.index("DATEADDED")])
    report = _report(r, row[COLUMNS.index("SOURCEURL")])
    actors = {n: _actor(r, row, n, event_id) for n in (1, 2)}
    if actors[1] is None and actors[2] is None:
        raise Skip("Actor1Code", "no actor: neither Actor1Code nor Actor2Code is given")
    places = {n: _place(r, row, f"Actor{n}Geo") for n in (1, 2) if actors[n] is not None}
    location = _place(r, row, "ActionGeo")
    named = [(n, agent) for n, agent in actors.items() if agent is not None]
    participants = [{"agent": agent, "role": ROLES[n], **({"place": places[n]} if places.get(n) else {})}
                    for n, agent in named]
    label = cameo.codes()[code].name.capitalize()
    who = [r.names[agent] for _, agent in named]
    name = f"{who[0]}: {label}" + (f" → {who[1]}" if len(who) > 1 else "") if actors[1] else f"{label} → {who[0]}"
    return {
        "id": f"gdelt-{event_id}", "type": "CodedEvent", "name": f"{name} ({start})", "cameo": code,
        "startDate": start, "location": [location] if location else [], "participants": participants,
        "reportedIn": report,
        "gdelt": {"row": number, "eventId": event_id, "rootEvent": row[COLUMNS.index("IsRootEvent")] == "1",
                  "quadClass": quad, "dateAdded": added, **numbers},
    }


def _read_raw(path: Path, root: Path) -> bytes:
    try:
        return read_below(root, path, MAX_EXPORT_BYTES)
    except Refused as exc:
        raise RecordError([Problem(str(path), None, "", str(exc))]) from None
    except OSError as exc:
        raise RecordError([Problem(str(path), None, "", f"cannot read: {exc.strerror}")]) from None


def _rows(path: Path, raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError([Problem(str(path), None, "", f"not UTF-8 (byte {exc.start})")]) from None
    return [line.split("\t") for line in text.split("\n") if line.strip("\r")]


CACHE_FORMAT = "2"  # of a ReadCache entry and its summary
#: a file's (size, mtime_ns, inode) stands for its bytes only once it was last written this long before it was
#: hashed: a file written again within the same tick of the clock would keep its modification time
SETTLED_NS = 2_000_000_000
#: the sections of entities an export defines, and the kind of each (what corpus.ids says)
DEFINED = (("organizations", "organization"), ("places", "place"), ("reports", "article"))


Entities = dict[tuple[str, int], Record]  # (section, index) -> the record of a named organisation or place


def named_entities(record: Record) -> Entities:
    """The organisations (not generic) and places an export's record defines: what another export's mapping
    may name (the register-like entities that recur from export to export)."""
    return {(section, i): item for section in ("organizations", "places")
            for i, item in enumerate(as_list(record.get(section))) if not item.get("generic")}


@dataclass
class Summary:
    """What a build needs of an export whose graph it keeps, without its record: the file, its counts, the
    events it gives (GLOBALEVENTID and row, in order: which a later export corrects), the quarantine of its
    reading and the ids of the entities it defines (which it claims first). Ids are kept joined in one string,
    not a list of strings, so that a summary unpickles in a fraction of a millisecond."""

    file: str
    slug: str
    display: str
    sha256: str
    rows: int
    event_ids: str                 # GLOBALEVENTIDs, "\n"-joined
    event_rows: array[int]         # their rows
    quarantine: list[Quarantined]
    defines: dict[str, str]        # section -> the ids of its items, "\n"-joined

    @classmethod
    def of(cls, export: Export) -> Summary:
        """Of an export as read_export reads it (before the corrections of later exports)."""
        record, source = export.record, export.article.source
        return cls(record["export"]["file"], record["export"]["id"], source.display, record["export"]["sha256"],
                   export.rows, "\n".join(e["gdelt"]["eventId"] for e in record["events"]),
                   array("l", (e["gdelt"]["row"] for e in record["events"])), list(export.quarantine),
                   {section: "\n".join(item["id"] for item in as_list(record.get(section))) for section, _ in DEFINED})

    def event_list(self) -> list[str]:
        """The GLOBALEVENTIDs, in order."""
        return self.event_ids.split("\n") if self.event_ids else []

    def event_slugs(self, corrected: set[int]) -> list[str]:
        """The ids of the events that are the export's (not corrected by a later export), in order."""
        if not corrected:
            return ("gdelt-" + self.event_ids.replace("\n", "\ngdelt-")).split("\n") if self.event_ids else []
        return [f"gdelt-{event}" for event, row in zip(self.event_list(), self.event_rows) if row not in corrected]

    def ids(self, section: str) -> list[str]:
        joined = self.defines[section]
        return joined.split("\n") if joined else []


class ExportSource(Source):
    """An export's source whose record is read (unpickled from the read cache) only when first asked for: a
    build maps again only the exports that are new or corrected, and keeps the other graphs as they are.
    Until then `at` answers for the named organisations and places it defines from their records alone (a
    small entry of the read cache beside the record, read when first asked for)."""

    def __init__(self, path: Path, display: str, digest: str, stat: Stat | None, root: Path,
                 load: Callable[[], Located], entities: Callable[[], Entities]):
        super().__init__(path, display, None, digest, stat, root)
        self.load, self.entities = load, entities
        self.named: Entities | None = None

    @property
    def located(self) -> Located:
        if self.stored is None:
            self.stored = self.load()
            self.named = None
        return self.stored

    def at(self, path: Path_) -> Any:
        """The value at path (Any: see Record): while the record is not read, of a named entity's record."""
        if self.stored is None and len(path) >= 2 and path[0] in ("organizations", "places"):
            if self.named is None:
                self.named = self.entities()
            at = (str(path[0]), int(path[1]))
            if at in self.named:
                value: Any = self.named[at]
                for part in path[2:]:
                    value = value[part]
                return value
        return super().at(path)


class _Defined:
    """One section of an export's ids (its events, organisations, places or reports): what its claims are
    made of, each when asked for."""

    __slots__ = ("kind", "source", "section", "slugs", "at")

    def __init__(self, kind: str, source: Source, section: str, slugs: list[str]):
        self.kind, self.source, self.section, self.slugs = kind, source, section, slugs
        self.at: dict[str, int] | None = None

    def claim(self, slug: str) -> Claim:
        if self.at is None:
            self.at = {}
            for i, each in enumerate(self.slugs):
                self.at.setdefault(each, i)
        return self.kind, self.source, (self.section, self.at[slug], "id")


class ExportIds(MutableMapping[str, Claim]):
    """corpus.ids with the ids the exports claim: the claims that were there (the register's and articles',
    and each export's own id) are held as they are and come first; the ids of the exports' sections are a
    table of id -> its section, claimed a section at a time by dict operations (C speed: a week of exports
    defines millions of ids), each claim made when asked for."""

    def __init__(self, held: MutableMapping[str, Claim]):
        self.held = held
        self.table: dict[str, _Defined] = {}

    def claim(self, defined: _Defined) -> None:
        """The section's ids that no unit before it claims (the first of an id given twice) are its."""
        fresh = dict.fromkeys(defined.slugs, defined)
        for slug in fresh.keys() & self.table.keys():
            del fresh[slug]
        self.table.update(fresh)

    def __getitem__(self, slug: str) -> Claim:
        if slug in self.held:
            return self.held[slug]
        return self.table[slug].claim(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self.held or slug in self.table

    def __setitem__(self, slug: str, value: Claim) -> None:
        self.held[slug] = value

    def __delitem__(self, slug: str) -> None:
        if slug in self.held:
            del self.held[slug]
        else:
            del self.table[slug]

    def __iter__(self) -> Iterator[str]:
        yield from self.held
        yield from (slug for slug in self.table if slug not in self.held)

    def __len__(self) -> int:
        return len(self.held) + sum(1 for slug in self.table if slug not in self.held)


class ReadCache:
    """Exports as read before, pickled under a key of the file's bytes, its place, the register and the code
    (code: a digest of the modules that read exports; the build's cache.code_digest()), each with its Summary
    beside it. The folder is the build's own (its data folder's cache), never the exports': only what this
    code wrote is unpickled. A file whose (size, mtime_ns, inode) is as it was when it was last hashed is not
    read again: its digest is taken as it was (files.index)."""

    INDEX = "files.index"

    def __init__(self, folder: Path, code: str):
        self.folder, self.code = folder, code
        self.used: set[str] = set()
        self.hits = 0    # exports whose summary was taken from the cache
        self.loads = 0   # records unpickled (exports mapped again, or whose record was asked for)
        self.named = 0   # exports whose named entities were unpickled (another export's mapping names them)
        self.hashed = 0  # export files read and hashed
        self.noted: dict[str, tuple[Stat, str]] = {}  # this build's files: path -> (stat, sha256)
        self._index: dict[str, tuple[Stat, str]] | None = None

    def key(self, corpus: Corpus, path: Path, root: Path, digest: str) -> str:
        """The file by where it is (its resolved path: `exports` and `/abs/exports` are one folder) and by the
        name a reading shows for it, which depends on how its folder is given."""
        parts = (CACHE_FORMAT, self.code, corpus.register.digest, str(path.resolve()), shown_as(path, root), digest)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def _unpickle(self, path: Path) -> object:
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
            return None

    def _noted(self) -> dict[str, tuple[Stat, str]]:
        if self._index is None:
            index = self._unpickle(self.folder / self.INDEX)
            self._index = index if isinstance(index, dict) else {}
        return self._index

    def digest(self, path: Path, root: Path) -> tuple[str, bytes | None]:
        """The sha256 of the file's bytes, and the bytes when they had to be read (None: the file is as it
        was when it was last hashed, by its stat)."""
        stat = stat_of(path)
        where = str(path.resolve())
        noted = self._noted().get(where)
        if stat is not None and noted is not None and noted[0] == stat:
            self.noted[where] = noted
            return noted[1], None
        raw = _read_raw(path, root)
        self.hashed += 1
        digest = hashlib.sha256(raw).hexdigest()
        if stat is not None and stat_of(path) == stat and time.time_ns() - stat[1] > SETTLED_NS:
            self.noted[where] = (stat, digest)
        return digest, raw

    def summary(self, key: str) -> Summary | None:
        self.used.add(key)
        summary = self._unpickle(self.folder / f"{key}.summary")
        if not isinstance(summary, Summary):
            return None
        self.hits += 1
        return summary

    def get(self, key: str) -> Export | None:
        self.used.add(key)
        export = self._unpickle(self.folder / f"{key}.pickle")
        if not isinstance(export, Export):
            return None
        self.loads += 1
        return export

    def entities(self, key: str) -> Entities | None:
        """The named organisations and places of an export read before (named_entities)."""
        entities = self._unpickle(self.folder / f"{key}.entities")
        if not isinstance(entities, dict):
            return None
        self.named += 1
        return entities

    def record(self, corpus: Corpus, path: Path, root: Path, key: str, sha256: str) -> Export:
        """The export as read before (read again when its entry is gone or damaged)."""
        export = self.get(key)
        if export is not None and export.record["export"]["sha256"] == sha256:
            return export
        raw = _read_raw(path, root)
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise RecordError([Problem(str(path), None, "", "changed while the build read it: build again")])
        export = read_export(corpus, path, root, raw)
        self._write(f"{key}.pickle", export)
        return export

    def put(self, key: str, export: Export, summary: Summary) -> None:
        """Keep what an export's reading made, its named entities and its summary (the summary last: a summary
        is there only beside its record). An entry that cannot be written (a full disk, another build's
        pruning) is left out: the export is read again."""
        self.used.add(key)
        if self._write(f"{key}.pickle", export) and self._write(f"{key}.entities", named_entities(export.record)):
            self._write(f"{key}.summary", summary)

    def _write(self, name: str, value: object) -> bool:
        """Atomically: a killed build leaves no half entry."""
        tmp = self.folder / f"{name}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.folder / name)
        except OSError:
            with suppress(OSError):
                tmp.unlink()
            return False
        return True

    def retain(self) -> None:
        """Remove the entries this build did not ask for (exports gone, changed or read by other code); note
        the stat and digest of this build's files."""
        for path in self.folder.iterdir() if self.folder.is_dir() else []:
            if path.suffix in (".pickle", ".entities", ".summary") and path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)
        if self.noted != self._noted():
            self._write(self.INDEX, self.noted)


def shown_as(path: Path, root: Path) -> str:
    """How errors and the provenance name an export file: from its folder's parent, as the folder was given."""
    return str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)


def read_export(corpus: Corpus, path: Path, root: Path, raw: bytes | None = None) -> Export:
    """One export file (its bytes, when they have been read), as a unit of the corpus (its record) and its
    quarantine."""
    match = EXPORT_NAME.match(path.name)
    if match is None:
        raise RecordError([Problem(str(path), None, "", "not a GDELT 2.0 export name (YYYYMMDDHHMMSS.export.CSV)")])
    stamp = match.group(1)
    raw = _read_raw(path, root) if raw is None else raw
    rows = _rows(path, raw)
    slug = f"gdelt-export-{stamp}"
    display = shown_as(path, root)
    record: Record = {"export": {"id": slug, "file": path.name, "stamp": stamp,
                                 "sha256": hashlib.sha256(raw).hexdigest()}}
    reading = _Reading(Register.of(corpus), corpus, record)
    events: list[Record] = []
    quarantine: list[Quarantined] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        try:
            if row[0] in seen:
                raise Skip("GLOBALEVENTID", f"event {row[0]} is given again (an earlier row of this export)")
            events.append(_event(reading, [cell.rstrip("\r") for cell in row], number))
            reading.commit()
            seen.add(row[0])
        except Skip as skip:
            reading.pending.clear()
            quarantine.append(Quarantined(number, row[0], skip.column, skip.reason))
    record["events"] = events
    source = Source(path, display, Located(record), hashlib.sha256(raw).hexdigest(), stat_of(path), root)
    return Export(Article(source, stored_text="", known_slug=slug, kind="export"), len(rows), quarantine)


@dataclass
class _Found:
    """An export file met by a build: its summary, and its reading when this build read it."""

    path: Path
    root: Path
    summary: Summary
    export: Export | None  # None: read before, its record in the read cache
    key: str = ""


def _find(corpus: Corpus, path: Path, root: Path, cache: ReadCache | None) -> _Found:
    """The export's summary: from the read cache when its bytes were read before; else it is read."""
    if cache is None:
        export = read_export(corpus, path, root)
        return _Found(path, root, Summary.of(export), export)
    digest, raw = cache.digest(path, root)
    key = cache.key(corpus, path, root, digest)
    summary = cache.summary(key)
    if summary is not None:
        return _Found(path, root, summary, None, key)
    export = read_export(corpus, path, root, raw)
    if (read := export.record["export"]["sha256"]) != digest:  # written again since its stat was noted
        key = cache.key(corpus, path, root, read)
    summary = Summary.of(export)
    cache.put(key, export, summary)
    return _Found(path, root, summary, export, key)


def _corrections(summaries: list[Summary]) -> list[list[Quarantined]]:
    """A row whose event a later export gives again is corrected by it: the later row's event replaces the
    earlier one, whose row goes to its export's quarantine saying so. Each export's corrected rows. (Set and
    dict operations over each export's events, at C speed: a week of exports gives a million events.)"""
    given = [summary.event_list() for summary in summaries]
    last: dict[str, int] = {}  # GLOBALEVENTID -> the export that gives it last
    again: list[set[str]] = []  # of each export, its events a later export gives again
    for i, events in enumerate(given):
        again.append(set())
        for event in last.keys() & events:
            again[last[event]].add(event)
        last.update(dict.fromkeys(events, i))
    rows: dict[int, dict[str, int]] = {}  # export -> its events' rows (of the exports that correct)

    def row_of(j: int, event: str) -> int:
        if j not in rows:
            rows[j] = dict(zip(given[j], summaries[j].event_rows))
        return rows[j][event]

    return [[Quarantined(row, event, "GLOBALEVENTID", f"corrected: row {row_of(last[event], event)} of the later "
                         f"export {summaries[last[event]].file} gives this event again")
             for event, row in zip(given[i], summary.event_rows) if event in again[i]] if again[i] else []
            for i, summary in enumerate(summaries)]


def _settle(located: Located, rows: int, quarantine: list[Quarantined], corrected: set[int]) -> None:
    """An export's record as its graph is mapped: without its corrected rows' events, with its counts and
    quarantine, and its events' lines (their rows)."""
    record: Record = located.data  # type: ignore[assignment]  # an export's record is a dict (read_export)
    record["events"] = [e for e in record["events"] if e["gdelt"]["row"] not in corrected]
    record["export"].update(rows=rows, published=len(record["events"]), quarantined=len(quarantine),
                            quarantine=[q.__dict__ for q in quarantine])
    located.lines = {("events", i): e["gdelt"]["row"] for i, e in enumerate(record["events"])}


def _unit(corpus: Corpus, found: _Found, corrected: list[Quarantined], cache: ReadCache | None) -> Export:
    """The export as a unit of the corpus: its key (its bytes, and the rows later exports corrected, which
    change its graph), its quarantine, its ids; its record as read, or read from the cache when needed."""
    summary, rows = found.summary, {q.row for q in corrected}
    quarantine = sorted(summary.quarantine + corrected, key=lambda q: q.row)
    digest = hashlib.sha256("\0".join(
        ["gdelt", summary.sha256, *(f"{q.row}:{q.reason}" for q in quarantine)]).encode()).hexdigest()
    source: Source
    if found.export is not None:
        source = found.export.article.source
        _settle(source.located, summary.rows, quarantine, rows)
    else:
        assert cache is not None  # an export is not read from the cache without one
        source = ExportSource(found.path, summary.display, summary.sha256, stat_of(found.path), found.root,
                              _loader(cache, corpus, found, quarantine, rows), _named(cache, found.key))
    assert isinstance(corpus.ids, ExportIds)  # read_exports made it so
    _claim(corpus.ids, source, summary, rows)
    return Export(Article(source, stored_text="", known_slug=summary.slug, known_digest=digest, kind="export"),
                  summary.rows, quarantine)


def _loader(cache: ReadCache, corpus: Corpus, found: _Found, quarantine: list[Quarantined], corrected: set[int]
            ) -> Callable[[], Located]:
    """What reads an export's record when it is first asked for (holding what it needs, not the summary)."""
    path, root, key, sha256, rows = found.path, found.root, found.key, found.summary.sha256, found.summary.rows

    def load() -> Located:
        located = cache.record(corpus, path, root, key, sha256).article.source.located
        _settle(located, rows, quarantine, corrected)
        return located

    return load


def _named(cache: ReadCache, key: str) -> Callable[[], Entities]:
    """What reads an export's named entities when first asked for ({} when its entry is gone: its record is
    read instead)."""
    return lambda: cache.entities(key) or {}


def _claim(ids: ExportIds, source: Source, summary: Summary, corrected: set[int]) -> None:
    """The export's ids in the corpus: its events, and the entities it defines that no other unit has."""
    ids[summary.slug] = ("export", source, ("export", "id"))
    ids.claim(_Defined("event", source, "events", summary.event_slugs(corrected)))
    for section, kind in DEFINED:
        ids.claim(_Defined(kind, source, section, summary.ids(section)))


def export_files(folders: list[Path]) -> list[tuple[Path, Path]]:
    """(file, its folder) of every export in the folders, oldest first."""
    found: list[tuple[Path, Path]] = []
    for folder in folders:
        if not folder.is_dir():
            raise RecordError([Problem(str(folder), None, "", "not a folder of GDELT exports")])
        found += [(folder / name, folder) for name in os.listdir(folder) if EXPORT_NAME.match(name)]
    return sorted(found, key=lambda pair: (pair[0].name, str(pair[0])))


def read_exports(corpus: Corpus, folders: list[Path], cache: ReadCache | None = None) -> list[Export]:
    """Every export in the folders, oldest first, each added to the corpus as a unit. An export met twice
    (the same name in two folders) is read once: the first. An event a later export gives again is that
    export's (_corrections). With a cache, an export read before is not read: its summary is taken from the
    cache, and its record only when it is asked for (an export mapped again)."""
    found: list[_Found] = []
    names: set[str] = set()
    for path, folder in export_files(folders):
        if path.name in names:
            continue
        names.add(path.name)
        found.append(_find(corpus, path, folder, cache))
    if cache is not None:
        cache.retain()
    if not isinstance(corpus.ids, ExportIds):
        corpus.ids = ExportIds(corpus.ids)
    exports = []
    for each, corrected in zip(found, _corrections([f.summary for f in found])):
        export = _unit(corpus, each, corrected, cache)
        corpus.articles.append(export.article)
        exports.append(export)
    return exports
