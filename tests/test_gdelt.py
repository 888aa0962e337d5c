"""GDELT 2.0 event exports (lod_pub.sources.gdelt, lod_pub.mapping.gdelt): the real export of
tests/data/gdelt read and mapped against the fixture register; rows checked field by field against the
raw file; reconciliation with the register; the rules for rows that cannot be published, on rows made
from a real one; a release built with an export beside the articles."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from helpers import make_project, select
from lod_pub.errors import RecordError
from lod_pub.iris import Minter
from lod_pub.mapping import map_articles
from lod_pub.settings import Settings
from lod_pub.sources import load_corpus
from lod_pub.dumps import part_of
from lod_pub.release import build, current, dump_parts
from lod_pub.sources.gdelt import COLUMNS, ReadCache, fips_countries, read_exports
from lod_pub.vocab import CAMEO, DIP, PROV, RDF, SCHEMA, XSD

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
REAL = ROOT / "tests" / "data" / "gdelt"
EXPORT = REAL / "20191024143000.export.CSV"
MINTER = Minter()
COL = {name: i for i, name in enumerate(COLUMNS)}


def raw_rows(path: Path = EXPORT) -> list[list[str]]:
    """The export read with the csv module, apart from the reader under test."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


class Read(tuple):  # type: ignore[type-arg]
    """What a test reads: shown short in a failure report (a corpus's own repr is the whole corpus)."""

    def __repr__(self) -> str:
        return f"<{len(self)} items read>"


def read(folder: Path):
    corpus = load_corpus(CORPUS)
    exports = read_exports(corpus, [folder])
    return Read((corpus, exports))


def graph_of(corpus, export) -> Graph:
    return map_articles(corpus, MINTER, [export.article]).union()


@pytest.fixture(scope="module")
def real():
    corpus, (export,) = read(REAL)
    return Read((corpus, export, graph_of(corpus, export)))


def event(row: list[str]) -> URIRef:
    return MINTER.entity("event", f"gdelt-{row[0]}")


# -- the real export -----------------------------------------------------------------------------
def test_every_row_is_an_event_or_quarantined(real):
    _, export, g = real
    rows = raw_rows()
    assert export.rows == len(rows) == 2111
    assert export.events + len(export.quarantine) == export.rows
    published = set(g.subjects(RDF.type, DIP.CodedEvent))
    assert len(published) == export.events
    quarantined = {q.row for q in export.quarantine}
    for number, row in enumerate(rows, start=1):
        assert (event(row) in published) != (number in quarantined), f"row {number}"
    node = MINTER.entity("export", "gdelt-export-20191024143000")
    assert g.value(node, DIP.rowsRead) == Literal(2111, datatype=XSD.integer)
    assert int(g.value(node, DIP.eventsPublished)) + int(g.value(node, DIP.rowsQuarantined)) == 2111
    assert len(set(g.objects(node, DIP.quarantinedRow))) == len(export.quarantine)
    assert str(g.value(g.value(node, SCHEMA.creator), SCHEMA.name)) == "The GDELT Project"


def test_quarantine_names_the_row_the_column_and_why(real):
    _, export, _ = real
    rows = raw_rows()
    assert export.quarantine
    for q in export.quarantine:
        row = rows[q.row - 1]
        assert q.event == row[0]
        assert q.column in COLUMNS and q.reason
        assert repr(row[COL[q.column]]) in q.reason, q  # the reason quotes the cell it refuses


def test_a_place_whose_country_code_is_not_a_country_is_quarantined(real):
    _, export, _ = real
    fips = fips_countries()
    quarantined = {q.row for q in export.quarantine}
    for number, row in enumerate(raw_rows(), start=1):
        blocks = ["ActionGeo"] + [f"Actor{n}Geo" for n in (1, 2) if row[COL[f"Actor{n}Code"]]]
        if any(row[COL[f"{b}_Type"]] not in ("", "0") and row[COL[f"{b}_CountryCode"]] not in fips for b in blocks):
            assert number in quarantined, f"row {number}"


@pytest.mark.parametrize("number", list(range(1, 2112, 97)) + [728, 926])
def test_a_row_field_by_field(real, number):
    _, export, g = real
    row = raw_rows()[number - 1]
    if number in {q.row for q in export.quarantine}:
        pytest.skip(f"row {number} is quarantined (checked by the quarantine tests)")
    node = event(row)
    assert g.value(node, DIP.eventCode) == CAMEO[row[COL["EventCode"]]]
    day = row[COL["SQLDATE"]]
    assert g.value(node, SCHEMA.startDate) == Literal(f"{day[:4]}-{day[4:6]}-{day[6:]}", datatype=XSD.date)
    assert str(g.value(node, DIP.gdeltEventId)) == row[0]
    assert int(g.value(node, DIP.gdeltRow)) == number
    assert int(g.value(node, DIP.eventQuadClass)) == int(row[COL["QuadClass"]])
    assert Decimal(str(g.value(node, DIP.goldsteinScale))) == Decimal(row[COL["GoldsteinScale"]])
    assert Decimal(str(g.value(node, DIP.averageTone))) == Decimal(row[COL["AvgTone"]])
    for prop, column in ((DIP.numMentions, "NumMentions"), (DIP.numSources, "NumSources"),
                         (DIP.numArticles, "NumArticles")):
        assert int(g.value(node, prop)) == int(row[COL[column]])
    assert g.value(node, DIP.rootEvent).toPython() is (row[COL["IsRootEvent"]] == "1")
    article = g.value(node, SCHEMA.subjectOf)
    assert g.value(article, SCHEMA.url) == URIRef(row[COL["SOURCEURL"]])
    assert (article, RDF.type, SCHEMA.Article) in g
    assert g.value(node, PROV.wasDerivedFrom) == MINTER.entity("export", "gdelt-export-20191024143000")
    for n, link in ((1, DIP.sourceActor), (2, DIP.targetActor)):
        assert (g.value(node, link) is not None) == bool(row[COL[f"Actor{n}Code"]])
    _check_location(g, node, row)


def _check_location(g: Graph, node: URIRef, row: list[str]) -> None:
    kind = row[COL["ActionGeo_Type"]]
    place = g.value(node, SCHEMA.location)
    if kind in ("", "0"):
        assert place is None
        return
    assert place is not None
    coordinates = g.value(place, SCHEMA.geo)  # a country's (its centroid), a state's, a city's, as the row gives them
    assert Decimal(str(g.value(coordinates, SCHEMA.latitude))) == Decimal(row[COL["ActionGeo_Lat"]])
    assert Decimal(str(g.value(coordinates, SCHEMA.longitude))) == Decimal(row[COL["ActionGeo_Long"]])


def test_register_entities_are_never_described_twice(real):
    corpus, _, g = real
    registered = {URIRef(item["sameAs"]) for section in ("people", "organizations", "places")
                  for item in corpus.register.data.get(section, []) if item.get("sameAs")}
    own = {s for s, o in g.subject_objects(SCHEMA.sameAs)}
    assert own, "the export names countries the fixture register does not hold"
    for entity in own:
        assert g.value(entity, SCHEMA.sameAs) not in registered, entity
        assert (entity, DIP.notInRegister, Literal(True)) in g


def test_pakistan_and_kabul_are_the_register_s(real):
    _, _, g = real
    pakistan = MINTER.entity("organization", "government-of-pakistan")
    kabul = MINTER.entity("place", "kabul")
    assert set(g.subjects(DIP.targetActor, pakistan)) | set(g.subjects(DIP.sourceActor, pakistan))
    assert set(g.subjects(SCHEMA.location, kabul))
    assert g.value(g.value(kabul, SCHEMA.geo), SCHEMA.latitude) == Literal("34.5167", datatype=XSD.decimal)
    assert not set(g.subjects(SCHEMA.name, Literal("Kabul, Kabol, Afghanistan", lang="en")))


# -- rows made from a real one: the rules ----------------------------------------------------------
TEMPLATE = 728  # Government of France criticises the Government of Pakistan, in France


def made_rows(changes: list[dict[str, str]]) -> list[list[str]]:
    template = raw_rows()[TEMPLATE - 1]
    rows = []
    for i, change in enumerate(changes):
        row = list(template)
        row[0] = str(990000000 + i)
        for column, value in change.items():
            row[COL[column]] = value
        rows.append(row)
    return rows


NO_ACTOR = {f"Actor{n}{c}": "" for n in (1, 2) for c in ("Code", "Name", "CountryCode", "Type1Code")}
NATO = {"Actor1Code": "IGOWSTNAT", "Actor1Name": "NATO", "Actor1CountryCode": "", "Actor1KnownGroupCode": "NAT",
        "Actor1Type1Code": "IGO"}
POLICE = {"Actor1Code": "COP", "Actor1Name": "POLICE", "Actor1CountryCode": "", "Actor1Type1Code": "COP"}
KABUL = {"ActionGeo_Type": "4", "ActionGeo_FullName": "Kabul, Kabol, Afghanistan", "ActionGeo_CountryCode": "AF",
         "ActionGeo_ADM1Code": "AF13", "ActionGeo_Lat": "34.5167", "ActionGeo_Long": "69.1833",
         "ActionGeo_FeatureID": "-3378435"}
CASES: list[tuple[dict[str, str], str | None]] = [  # (changes to the template row, quarantine column or None)
    (NO_ACTOR, "Actor1Code"),
    ({"SQLDATE": "20191340"}, "SQLDATE"),
    ({"EventCode": "999"}, "EventCode"),
    ({"ActionGeo_CountryCode": ""}, "ActionGeo_CountryCode"),
    ({"SOURCEURL": "not a url"}, "SOURCEURL"),
    ({"SOURCEURL": "https://news.example.org/a b"}, "SOURCEURL"),
    ({"GoldsteinScale": "high"}, "GoldsteinScale"),
    ({"GoldsteinScale": "12"}, "GoldsteinScale"),
    ({"QuadClass": "5"}, "QuadClass"),
    ({"Actor1CountryCode": "XYZ", "Actor1Code": "XYZ"}, "Actor1CountryCode"),
    ({**KABUL, "ActionGeo_Lat": "north"}, "ActionGeo_Lat"),
    (NATO, None),                                                    # 11: a known group
    ({**POLICE}, None),                                              # 12: a generic actor
    ({**POLICE}, None),                                              # 13: another
    ({"ActionGeo_Type": "0", "ActionGeo_CountryCode": "", "ActionGeo_FullName": ""}, None),  # 14: no geography
    ({"Actor1Code": "AFR", "Actor1Name": "AFRICA", "Actor1CountryCode": "AFR"}, None),       # 15: a region
    ({"Actor1Code": "", "Actor1Name": "", "Actor1CountryCode": "", "Actor1Type1Code": ""}, None),  # 16: target only
    ({"Actor2Code": "MYS", "Actor2Name": "MALAYSIA", "Actor2CountryCode": "MYS", **KABUL}, None),  # 17
    ({"Actor1Code": "PAKMIL", "Actor1Name": "PAKISTAN", "Actor1CountryCode": "PAK", "Actor1Type1Code": "MIL"},
     None),                                                          # 18: a country's military
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gdelt")
    rows = made_rows([change for change, _ in CASES])
    rows.append(list(rows[11]))  # the same GLOBALEVENTID as a published row: the last but one
    rows.append(rows[0][:60])    # a row cut short: the last
    (folder / "20200101000000.export.CSV").write_text("\n".join("\t".join(r) for r in rows) + "\n", "utf-8")
    corpus, (export,) = read(folder)
    return Read((rows, export, graph_of(corpus, export)))


def test_made_rows_are_quarantined_by_the_rules(made):
    rows, export, _ = made
    want = {i + 1: column for i, (_, column) in enumerate(CASES) if column is not None}
    want[len(rows) - 1] = "GLOBALEVENTID"
    want[len(rows)] = "-"
    got = {q.row: q.column for q in export.quarantine}
    assert got == want
    assert export.rows == len(rows) == export.events + len(export.quarantine)


def test_nato_is_the_register_s(made):
    rows, _, g = made
    assert g.value(event(rows[11]), DIP.sourceActor) == MINTER.entity("organization", "nato")
    assert not set(g.subjects(SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/Q7184")))


def test_a_generic_actor_is_one_event_s_own(made):
    rows, _, g = made
    first, second = (g.value(event(rows[i]), DIP.sourceActor) for i in (12, 13))
    assert first != second
    for actor in (first, second):
        assert str(g.value(actor, SCHEMA.name)) == "Police"
        assert "only by its kind" in str(g.value(actor, SCHEMA.description))
        assert str(g.value(actor, DIP.cameoActorCode)) == "COP"


def test_empty_geography_is_no_location(made):
    rows, _, g = made
    node = event(rows[14])
    assert (node, RDF.type, DIP.CodedEvent) in g and g.value(node, SCHEMA.location) is None


def test_a_region_and_one_actor_rows(made):
    rows, _, g = made
    region = g.value(event(rows[15]), DIP.sourceActor)
    assert str(g.value(region, SCHEMA.name)) == "Africa"
    assert str(g.value(g.value(region, SCHEMA.location), SCHEMA.name)) == "Africa"
    only = event(rows[16])
    assert g.value(only, DIP.sourceActor) is None
    assert g.value(only, DIP.targetActor) == MINTER.entity("organization", "government-of-pakistan")


def test_unregistered_country_and_register_city(made):
    rows, _, g = made
    node = event(rows[17])
    malaysia = g.value(node, DIP.targetActor)
    assert malaysia == MINTER.entity("organization", "gdelt-government-mys")
    assert (malaysia, DIP.notInRegister, Literal(True)) in g
    country = g.value(malaysia, SCHEMA.location)
    assert g.value(country, SCHEMA.sameAs) == URIRef("http://www.wikidata.org/entity/Q833")
    assert g.value(node, SCHEMA.location) == MINTER.entity("place", "kabul")
    military = g.value(event(rows[18]), DIP.sourceActor)
    assert str(g.value(military, SCHEMA.name)) == "Pakistan (Military)"
    assert g.value(military, SCHEMA.location) == MINTER.entity("place", "pakistan")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "20200101000000.export.CSV").write_bytes(b"1\t\xff\n")
    with pytest.raises(RecordError, match="not UTF-8"):
        read(tmp_path)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(RecordError, match="not a folder"):
        read(tmp_path / "nowhere")


# -- a release -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_release_with_an_export(tmp_path, made):
    rows, export, _ = made
    project = tmp_path / "project"
    make_project(project)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "20200101000000.export.CSV").write_text("\n".join("\t".join(r) for r in rows) + "\n", "utf-8")
    settings = Settings(project_dir=project, data_dir=tmp_path / "var", gdelt=(str(folder),))
    build(settings)
    release = current(settings.data_dir)
    void = Graph().parse(release.path / "void.ttl")
    node = MINTER.entity("export", "gdelt-export-20200101000000")
    assert int(void.value(node, DIP.rowsRead)) == len(rows)
    assert int(void.value(node, DIP.eventsPublished)) == export.events
    assert int(void.value(node, DIP.rowsQuarantined)) == len(export.quarantine)
    assert (MINTER.dataset(), URIRef("http://purl.org/dc/terms/source"), node) in void
    table = (release.path / "quarantine.tsv").read_text("utf-8").splitlines()
    assert len(table) == 1 + len(export.quarantine)
    store = release.open_store()
    found = select(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a dip:CodedEvent }")
    assert int(found[0]["n"]) == export.events
    # one query spans both sources: NATO in the curated articles and in the export
    both = select(store, """SELECT DISTINCT ?kind WHERE {
        ?e a schema:Event . { ?e dip:sourceActor <https://lod.example.org/id/organization/nato> }
        UNION { ?e schema:attendee|dip:qualifiedParticipation/dip:agent <https://lod.example.org/id/organization/nato> }
        BIND(EXISTS { ?e a dip:CodedEvent } AS ?kind) }""")
    assert {row["kind"] for row in both} == {"true", "false"}


# -- exports as GDELT publishes them: a later export corrects a row ---------------------------------
def write_export(folder: Path, stamp: str, rows: list[list[str]]) -> None:
    (folder / f"{stamp}.export.CSV").write_text("\n".join("\t".join(r) for r in rows) + "\n", "utf-8")


def test_a_later_row_corrects_the_event(tmp_path):
    first, second = made_rows([{}, {}]), made_rows([{}, {"EventCode": "042"}])
    write_export(tmp_path, "20200101000000", first)
    write_export(tmp_path, "20200101001500", second[1:])  # the second event again, coded 042
    corpus, (early, late) = read(tmp_path)
    assert [q.column for q in early.quarantine] == ["GLOBALEVENTID"]
    assert "20200101001500.export.CSV" in early.quarantine[0].reason
    assert early.rows == early.events + len(early.quarantine) == 2
    g = graph_of(corpus, early) + graph_of(corpus, late)
    node = event(second[1])
    assert set(g.objects(node, DIP.eventCode)) == {CAMEO["042"]}
    assert g.value(node, PROV.wasDerivedFrom) == MINTER.entity("export", "gdelt-export-20200101001500")


def test_an_export_read_before_is_taken_from_the_read_cache(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder, "20200101000000", made_rows([{}, {}]))
    write_export(folder, "20200101001500", made_rows([{}, {"EventCode": "042"}])[1:])
    fresh = read(folder)[1]

    def cached() -> tuple[ReadCache, list]:
        cache = ReadCache(tmp_path / "reads", "code")
        return cache, read_exports(load_corpus(CORPUS), [folder], cache)

    first, exports = cached()
    assert first.hits == 0 and len(list((tmp_path / "reads").glob("*.pickle"))) == 2
    again, exports = cached()
    assert again.hits == 2
    assert [(e.record, e.quarantine, e.rows) for e in exports] == [(e.record, e.quarantine, e.rows) for e in fresh]
    write_export(folder, "20200101001500", made_rows([{}, {"EventCode": "043"}])[1:])  # new bytes: read again
    changed, exports = cached()
    assert changed.hits == 1
    assert exports[1].record["events"][0]["cameo"] == "043"
    assert len(list((tmp_path / "reads").glob("*.pickle"))) == 2  # the entry of the old bytes went
    for entry in (tmp_path / "reads").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")  # a damaged record beside a good summary: the file is read again
    damaged, exports = cached()
    assert damaged.hits == 2 and [e.record for e in exports] == [e.record for e in read(folder)[1]]
    assert damaged.loads == 0
    for entry in (tmp_path / "reads").glob("*.summary"):
        entry.write_bytes(b"not a pickle")  # damaged: read again
    damaged, exports = cached()
    assert damaged.hits == 0 and [e.events for e in exports] == [e.events for e in fresh]
    (tmp_path / "a file").write_text("")
    unwritable = ReadCache(tmp_path / "a file", "code")  # entries cannot be kept: read, as without a cache
    assert [e.events for e in read_exports(load_corpus(CORPUS), [folder], unwritable)] == [e.events for e in fresh]


def test_each_export_is_dumped_in_a_part_of_its_own(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for minute in range(0, 60, 15):
        write_export(folder, f"2020010100{minute:02d}00", made_rows([{}]))
    corpus, exports = read(folder)
    parts = dump_parts(corpus)
    assert parts == dump_parts(read(folder)[0]) and parts >= 1024  # more exports never change it
    assert len({part_of(str(MINTER.unit_graph(e.article.kind, e.article.slug)), parts) for e in exports}) == len(exports)
    assert dump_parts(load_corpus(CORPUS)) == 1  # articles alone: as many as their number asks


@pytest.mark.slow
def test_exports_one_after_another(tmp_path):
    """A new export is a small build on top of the current release; one seen before changes nothing; a
    corrected row replaces its event."""
    project = tmp_path / "project"
    make_project(project)
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = made_rows([{}, {}, {}])
    write_export(folder, "20200101000000", rows)
    settings = Settings(project_dir=project, data_dir=tmp_path / "var", gdelt=(str(folder),))
    said: list[str] = []
    build(settings, progress=said.append)
    first = current(settings.data_dir)
    said.clear()
    build(settings, progress=said.append)
    assert any(line.startswith("0 of ") for line in (m.removeprefix("mapping and validating ") for m in said))
    assert current(settings.data_dir).manifest["quads"] == first.manifest["quads"]
    corrected = made_rows([{}, {"EventCode": "042"}])[1:]
    write_export(folder, "20200101001500", corrected)
    said.clear()
    build(settings, progress=said.append)
    assert "mapping and validating 2 of 4 article(s)" in said  # the new export and the one it corrects
    written = next(m for m in said if m.startswith("writing ") and m.endswith(" dump part(s)")).split()
    assert int(written[1]) == 2 < int(written[3])  # the parts of the two exports, not every part
    store = current(settings.data_dir).open_store()
    codes = select(store, f"SELECT ?code WHERE {{ <{event(corrected[0])}> dip:eventCode ?code }}")
    assert [row["code"] for row in codes] == [str(CAMEO["042"])]
    counts = select(store, "SELECT ?x ?n WHERE { ?x a dip:EventExport ; dip:eventsPublished ?n } ORDER BY ?x")
    assert [int(row["n"]) for row in counts] == [2, 1]


@pytest.mark.slow
def test_export_counts_carried_from_the_ledger_are_those_a_full_build_finds(tmp_path):
    """A build on top of a release counts the rows of the exports it maps only; those of the exports it keeps
    come from the release's ledger. The VoID, quarantine.tsv and ledger it writes are those of a whole new
    build of the same exports."""
    project = tmp_path / "project"
    make_project(project)
    folder = tmp_path / "exports"
    folder.mkdir()
    first = made_rows([{}, {"SQLDATE": "20191340"}, {}, {"EventCode": "999"}])
    write_export(folder, "20200101000000", first)
    settings = Settings(project_dir=project, data_dir=tmp_path / "var", gdelt=(str(folder),))
    build(settings)
    corrects = made_rows([{}, {}, {"EventCode": "042"}])[2:]  # corrects the first export's third row
    write_export(folder, "20200101001500", corrects)
    build(settings)
    third = [[str(990000100 + i), *row[1:]] for i, row in enumerate(made_rows([{}, {"SOURCEURL": "not a url"}]))]
    write_export(folder, "20200101003000", third)
    said: list[str] = []
    build(settings, progress=said.append)
    assert "mapping and validating 1 of 5 article(s)" in said  # the third export only
    kept = current(settings.data_dir)
    whole = build(settings.with_(data_dir=tmp_path / "whole", cache=False)).release

    def exports_of(path: Path) -> set[tuple]:
        void = Graph().parse(path / "void.ttl")
        return {(s, p, o) for s in void.subjects(RDF.type, DIP.EventExport) for p, o in void.predicate_objects(s)}

    assert exports_of(kept.path) == exports_of(whole.path)
    assert len(exports_of(kept.path)) >= 3 * 5
    table = (kept.path / "quarantine.tsv").read_text("utf-8")
    assert table == (whole.path / "quarantine.tsv").read_text("utf-8")
    assert [line.split("\t")[:2] for line in table.splitlines()[1:]] == [
        ["20200101000000.export.CSV", "2"], ["20200101000000.export.CSV", "3"],
        ["20200101000000.export.CSV", "4"], ["20200101003000.export.CSV", "2"]]
    ledger = json.loads((kept.path / "ledger.json").read_text("utf-8"))["exports"]
    assert ledger == json.loads((whole.path / "ledger.json").read_text("utf-8"))["exports"]
    assert sorted(e["rows"] for e in ledger.values()) == [1, 2, 4]
    shapes = [Graph().parse(release.path / "shapes.ttl") for release in (kept, whole)]  # copied from the basis
    assert len(shapes[0]) > 100 and isomorphic(shapes[0], shapes[1])


# -- an export's graph is named as an export's ---------------------------------------------------------
EXPORT_GRAPH = "https://lod.example.org/graph/export/gdelt-export-"
OLD_EXPORT_GRAPH = "https://lod.example.org/graph/article/gdelt-export-"


def _quads(data_dir: Path) -> set[str]:
    """The current release's quads in RDFC-1.0 canonical form (stores label blank nodes their own way)."""
    dataset = ox.Dataset(current(data_dir).open_store().quads_for_pattern(None, None, None, None))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.mark.slow
def test_an_export_s_graph_is_named_as_an_export_s_everywhere(tmp_path):
    """An export's facts are in {base}graph/export/{slug}, never in graph/article/gdelt-…: the release's
    graphs, its ledger (graphs and export counts), its dump part, and the web, where the graph's IRI
    answers as an article's graph does (its triples, or a page listing its resources)."""
    import gzip

    from lod_pub.ledger import read_ledger
    from lod_pub.web import create_app

    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder, "20200101000000", made_rows([{}, {}]))
    settings = Settings(project_dir=make_project(tmp_path / "project"), data_dir=tmp_path / "var", gdelt=(str(folder),))
    release = build(settings).release
    graph = EXPORT_GRAPH + "20200101000000"
    assert graph in release.manifest["graphs"]
    assert not [g for g in release.manifest["graphs"] if g.startswith(OLD_EXPORT_GRAPH)]
    ledger = read_ledger(release.path)
    assert graph in ledger.graphs and list(ledger.exports) == [graph]
    store = release.open_store()
    export = MINTER.entity("export", "gdelt-export-20200101000000")
    assert bool(store.query(f"ASK {{ GRAPH <{graph}> {{ <{export}> a <{DIP.EventExport}> }} }}"))
    part = release.path / "dumps" / "parts" / f"{part_of(graph, ledger.parts):04d}.nq.gz"
    assert f"<{graph}> .".encode() in gzip.decompress(part.read_bytes())
    app = create_app(settings)
    try:
        client = app.test_client()
        page = client.get("/graph/export/gdelt-export-20200101000000")
        assert page.status_code == 200 and b"gdelt-export-20200101000000" in page.data
        triples = client.get("/graph/export/gdelt-export-20200101000000.nt")
        held = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        assert triples.status_code == 200 and len(triples.data.decode().strip().splitlines()) == held
        assert client.get("/graph/article/gdelt-export-20200101000000").status_code == 404
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.mark.slow
def test_a_release_whose_exports_have_article_graph_names_is_built_on_whole(tmp_path, monkeypatch):
    """A release of the code before (an export's graph named graph/article/gdelt-export-…): the next
    build, on top of it with one more export, is a whole one (the IRIs' module is part of the code in the
    ledger's identity and the cache keys), holds the new names only, and the quads of a build from nothing."""
    from lod_pub import cache as cache_module
    from lod_pub import ledger as ledger_module
    from lod_pub import release as release_module

    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder, "20200101000000", made_rows([{}, {}]))
    project = make_project(tmp_path / "project")
    settings = Settings(project_dir=project, data_dir=tmp_path / "var", gdelt=(str(folder),))
    with monkeypatch.context() as before:
        unit_graph = Minter.unit_graph
        before.setattr(Minter, "unit_graph", lambda self, kind, slug: unit_graph(self, "article", slug))
        for module in (cache_module, ledger_module, release_module):
            before.setattr(module, "code_digest", lambda names=None: "the code before 2026-12-01")
        old = build(settings).release
    assert OLD_EXPORT_GRAPH + "20200101000000" in old.manifest["graphs"]
    write_export(folder, "20200101001500", [[str(990000100 + i), *row[1:]] for i, row in enumerate(made_rows([{}]))])
    said: list[str] = []
    new = build(settings, progress=said.append).release
    assert "mapping and validating 4 of 4 article(s)" in said  # a whole build: nothing kept
    assert not [g for g in new.manifest["graphs"] if g.startswith(OLD_EXPORT_GRAPH)]
    assert {EXPORT_GRAPH + "20200101000000", EXPORT_GRAPH + "20200101001500"} <= set(new.manifest["graphs"])
    whole = build(settings.with_(data_dir=tmp_path / "whole", cache=False)).release
    assert new.manifest["graphs"] == whole.manifest["graphs"]
    assert _quads(settings.data_dir) == _quads(whole.path.parent.parent)
