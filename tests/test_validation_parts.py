"""A large graph validated by pyshacl in parts (the shapes shared out among processes) finds exactly what one
pyshacl run over it finds: on the real GDELT export and on a synthetic article corpus, each with planted errors
that shapes of both shares report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from lod_pub import validation
from lod_pub.iris import Minter
from lod_pub.mapping import Mapped, map_articles, map_corpus
from lod_pub.release import _load_rdf_folder
from lod_pub.sources import load_corpus
from lod_pub.sources.gdelt import read_exports
from lod_pub.vocab import DIP, RDF, SCHEMA, SH, XSD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the synthetic corpus is benchmark data, not shipped
from synth import generate  # noqa: E402

SHAPES = _load_rdf_folder(ROOT / "shapes")
MINTER = Minter()


def keyed(report: validation.Report) -> set[tuple[str, str, str, str, str, str]]:
    return {(r.severity, r.focus, r.path, r.message, r.value, r.shape) for r in report.results}


def both_ways(mapped: Mapped, data: Graph, monkeypatch: pytest.MonkeyPatch) -> tuple[validation.Report, validation.Report]:
    whole = validation.validate(mapped, SHAPES, data, engine="pyshacl")
    monkeypatch.setattr(validation, "SPLIT_AT", 0)
    calls: list[int] = []
    real = validation._in_parts
    monkeypatch.setattr(validation, "_in_parts", lambda *a: calls.append(1) or real(*a))
    parts = validation.validate(mapped, SHAPES, data, parts=2, engine="pyshacl")
    assert calls, "the graph was not validated in parts"
    return whole, parts


@pytest.fixture(scope="module")
def gdelt(tmp_path_factory) -> tuple[Mapped, Graph]:
    """The first 300 rows of the real export, mapped."""
    folder = tmp_path_factory.mktemp("gdelt")
    (real,) = (ROOT / "tests" / "data" / "gdelt").glob("*.export.CSV")
    with real.open("rb") as f:
        (folder / real.name).write_bytes(b"".join(line for _, line in zip(range(300), f)))
    corpus = load_corpus(ROOT / "tests" / "data" / "corpus")
    (export,) = read_exports(corpus, [folder])
    mapped = map_articles(corpus, MINTER, [export.article])
    return mapped, mapped.union()


@pytest.mark.slow
def test_the_real_export_with_planted_errors_gives_the_same_results_in_parts(gdelt, monkeypatch):
    mapped, clean = gdelt
    data = Graph()
    data += clean
    events = sorted(data.subjects(RDF.type, DIP.CodedEvent), key=str)
    participations = sorted(data.subjects(RDF.type, DIP.Participation), key=str)
    data.remove((events[0], SCHEMA.startDate, None))                                        # EventShape
    data.set((events[1], SCHEMA.startDate, Literal("yesterday")))                          # EventShape: sh:or
    data.set((events[2], DIP.goldsteinScale, Literal("very", datatype=XSD.string)))        # CodedEventShape
    data.remove((events[3], DIP.eventCode, None))                                          # CodedEventShape
    data.remove((participations[0], DIP.agent, None))                                      # ParticipationShape
    data.add((participations[1], DIP.agent, Literal("nobody")))                            # ParticipationShape: sh:or
    whole, parts = both_ways(mapped, data, monkeypatch)
    assert not whole.conforms
    assert len({r.shape for r in whole.results}) >= 5 and len(whole.results) >= 6
    assert keyed(parts) == keyed(whole)


def test_an_article_corpus_with_planted_errors_gives_the_same_results_in_parts(tmp_path, monkeypatch):
    generate(tmp_path, articles=12, seed=5)
    corpus = load_corpus(tmp_path / "seeds")
    mapped = map_corpus(corpus, MINTER)
    data = mapped.union()
    people = sorted(data.subjects(RDF.type, SCHEMA.Person), key=str)
    meetings = sorted(data.subjects(RDF.type, SCHEMA.Event), key=str)
    data.remove((people[0], SCHEMA.name, None))
    for attendee in list(data.objects(meetings[0], SCHEMA.attendee))[1:]:
        data.remove((meetings[0], SCHEMA.attendee, attendee))
    data.add((meetings[1], SCHEMA.attendee, Literal("a crowd")))
    whole, parts = both_ways(mapped, data, monkeypatch)
    assert not whole.conforms and len({r.shape for r in whole.results}) >= 2
    assert keyed(parts) == keyed(whole)


def test_every_targeted_shape_is_in_exactly_one_share(gdelt):
    _, data = gdelt
    split = validation.shares(SHAPES, data, 2)
    targeted = {s for t in validation._TARGETS for s in SHAPES.subjects(t, None)}
    assert len(split) == 2
    assert sorted(s for share in split for s in share) == sorted(targeted, key=str)


def test_a_share_graph_keeps_the_targets_of_its_shapes_only(gdelt):
    _, data = gdelt
    first, second = validation.shares(SHAPES, data, 2)
    g = validation.share_graph(SHAPES, first)
    assert {s for t in validation._TARGETS for s in g.subjects(t, None)} == set(first)
    assert len(g) == len(SHAPES) - sum(1 for t in validation._TARGETS for s, _ in SHAPES.subject_objects(t)
                                       if s in set(second))


def test_shapes_that_cannot_be_shared_out_stay_together():
    blank = Graph()
    blank += SHAPES
    blank.add((BNode(), SH.targetClass, SCHEMA.Person))
    assert len(validation.shares(blank, Graph(), 2)) == 1
    implicit = Graph()
    implicit += SHAPES
    shape = URIRef("urn:test:Implicit")
    implicit.add((shape, RDF.type, SH.NodeShape))
    implicit.add((shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")))
    assert len(validation.shares(implicit, Graph(), 2)) == 1


def test_a_small_graph_is_validated_in_one_run(monkeypatch):
    corpus = load_corpus(ROOT / "tests" / "data" / "corpus")
    mapped = map_corpus(corpus, MINTER)
    monkeypatch.setattr(validation, "_in_parts", lambda *a: pytest.fail("split a small graph"))
    assert len(mapped.union()) < validation.SPLIT_AT
    validation.validate(mapped, SHAPES, parts=2)
