"""The path to scale: the synthetic corpus, and batched validation that finds what one big run finds."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest

from lod_pub.iris import Minter
from lod_pub.mapping import map_corpus
from lod_pub.release import _load_rdf_folder, build, current
from lod_pub.settings import Settings
from lod_pub.sources import load_corpus
from lod_pub.validation import check_corpus, validate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the synthetic corpus is benchmark data, not shipped
from synth import generate  # noqa: E402
#: An extra shape for the test: people must have a given name. Synthetic people have none, so every
#: person is a violation, found in the register's batch and in every batch that mentions them.
GIVEN_NAME = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <http://schema.org/> .
<urn:test:GivenName> a sh:NodeShape ; sh:targetClass schema:Person ;
  sh:property [ sh:path schema:givenName ; sh:minCount 1 ; sh:message "no given name" ] .
"""


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    generate(root, articles=60, seed=7)
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    return root


def test_the_generator_is_deterministic(tmp_path):
    a, b = generate(tmp_path / "a", 20, seed=3), generate(tmp_path / "b", 20, seed=3)
    for path in sorted(a.rglob("*.*")):
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes()


def test_the_generated_corpus_is_valid_and_builds(corpus_dir, tmp_path):
    outcome = build(Settings(project_dir=corpus_dir, data_dir=tmp_path / "var"))
    assert outcome.report.conforms
    assert outcome.release.manifest["quads"] > 60 * 30
    assert len(outcome.release.manifest["graphs"]) == 61


def test_popular_entities_are_reused_with_a_skew(corpus_dir):
    corpus = load_corpus(corpus_dir / "seeds")
    counts: dict[str, int] = {}
    for article in corpus.articles:
        for event in article.record["events"]:
            for attendee in event["attendees"]:
                counts[attendee["value"]] = counts.get(attendee["value"], 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] >= 5 * ranked[len(ranked) // 2]  # the head is far above the median


def plant_errors(root: Path) -> None:
    """Meetings with one attendee in a few articles; statements without evidence (warnings); and a
    shape that every synthetic person breaks."""
    plant_record_errors(root)
    (root / "shapes" / "test-given-name.ttl").write_text(GIVEN_NAME, "utf-8")


def plant_record_errors(root: Path) -> None:
    for i in (3, 17, 41):
        path = root / "seeds" / "articles" / f"{i:06d}.yaml"
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"\n      - \{value: person-\d+, evidence: [^\n]*\}\n(?=statements:|relations:|  - id:|$)",
                               "\n", text, count=1), "utf-8")
    for i in (5, 29):
        path = root / "seeds" / "articles" / f"{i:06d}.yaml"
        text = path.read_text("utf-8")
        head, sep, tail = text.partition("relations:")
        path.write_text(re.sub(r"\n    evidence: [^\n]*", "", head) + sep + tail, "utf-8")


def keyed(results) -> set[tuple[str, str, str, str]]:
    return {(r.severity, r.focus, r.path, r.message) for r in results}


def test_batched_validation_finds_what_one_run_over_the_union_finds(corpus_dir, tmp_path):
    root = tmp_path / "planted"
    shutil.copytree(corpus_dir, root)
    plant_errors(root)
    corpus = load_corpus(root / "seeds")
    shapes = _load_rdf_folder(root / "shapes")
    minter = Minter()
    whole = validate(map_corpus(corpus, minter), shapes)
    batched, triples = check_corpus(corpus, minter, shapes, io.BytesIO(), batch_size=7, workers=2)
    assert not whole.conforms and not batched.conforms
    assert keyed(batched.results) == keyed(whole.results)
    found = keyed(whole.results)
    assert sum(1 for r in found if r[3] == "no given name") == len(corpus.register.data["people"])
    assert sum(1 for r in found if r[2] == "schema:attendee" and r[0] == "Violation") == 3
    assert sum(1 for r in found if r[0] == "Warning") >= 1
    assert triples == len(map_corpus(corpus, minter))


def test_batched_output_is_the_same_quads_in_a_stable_order(corpus_dir):
    corpus = load_corpus(corpus_dir / "seeds")
    shapes = _load_rdf_folder(corpus_dir / "shapes")
    one, two = io.BytesIO(), io.BytesIO()
    check_corpus(corpus, Minter(), shapes, one, batch_size=7, workers=2)
    check_corpus(corpus, Minter(), shapes, two, batch_size=60, workers=1)
    assert sorted(one.getvalue().splitlines()) == sorted(two.getvalue().splitlines())
    assert len(set(one.getvalue().splitlines())) == len(map_corpus(corpus, Minter()))


# -- incremental builds --------------------------------------------------------------------------
def canonical_store(release) -> set[str]:
    import pyoxigraph as ox

    ds = ox.Dataset(list(release.open_store().quads_for_pattern(None, None, None, None)))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


def dump_nquads(release, ext: str) -> set[str]:
    """Canonical N-Quads of a whole-graph dump (the union formats: as triples)."""
    import gzip

    import pyoxigraph as ox

    fmt = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "ttl": ox.RdfFormat.TURTLE,
           "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[ext]
    data = gzip.decompress((release.dumps_dir / f"graph.{ext}.gz").read_bytes())
    ds = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, getattr(q, "graph_name", ox.DefaultGraph()))
                    for q in ox.parse(data, format=fmt))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


def void_counts(release) -> dict:
    """What VoID says of the data (not of the release: its id, time and files differ)."""
    from rdflib import Graph

    from lod_pub.vocab import RDF, VOID

    g = Graph().parse(release.file("void.ttl"))
    ds = next(g.subjects(RDF.type, VOID.Dataset))
    return {"triples": g.value(ds, VOID.triples), "entities": g.value(ds, VOID.entities),
            "subjects": g.value(ds, VOID.distinctSubjects), "examples": set(g.objects(ds, VOID.exampleResource)),
            "classes": {(g.value(p, VOID["class"]), g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)},
            "properties": {(g.value(p, VOID.property), g.value(p, VOID.triples))
                           for p in g.objects(ds, VOID.propertyPartition)}}


def assert_same_release(incremental, full) -> None:
    assert canonical_store(incremental) == canonical_store(full)
    for ext in ("nq", "trig", "ttl", "nt", "jsonld"):
        assert dump_nquads(incremental, ext) == dump_nquads(full, ext), ext
    assert void_counts(incremental) == void_counts(full)
    assert incremental.file("validation.txt").read_text() == full.file("validation.txt").read_text()
    assert incremental.manifest["graphs"] == full.manifest["graphs"]
    assert incremental.manifest["quads"] == full.manifest["quads"]
    incremental.verify(checksums=True)


@pytest.mark.slow
def test_an_incremental_build_equals_a_full_build(corpus_dir, tmp_path, monkeypatch):
    """Builds that start from the release before (one article changed, then one removed) publish
    what a full build of the same records publishes: store, every dump, VoID's counts, the report."""
    import lod_pub.dumps

    monkeypatch.setattr(lod_pub.dumps, "GRAPHS_PER_PART", 8)  # 61 graphs: 4 parts
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    first = build(settings).release
    article = root / "seeds" / "articles" / "000011.yaml"
    article.write_text(article.read_text("utf-8").replace('name: "Synthetic report 11"', 'name: "Report eleven"'))
    messages: list[str] = []
    incremental = build(settings, messages.append).release
    assert "59 article(s) unchanged since the last build, 1 mapped" in messages
    assert "updating the store" in messages
    assert sum(1 for p in incremental.manifest["parts"] if p["name"].endswith(".nq.gz")) == 4
    assert any(m.startswith("writing 1 of ") for m in messages)
    kept = [p["name"] for p in incremental.manifest["parts"] if p in first.manifest["parts"]]
    assert kept and all((incremental.dumps_dir / n).stat().st_ino == (first.dumps_dir / n).stat().st_ino for n in kept)
    full = build(settings.with_(cache=False, data_dir=tmp_path / "full")).release
    assert_same_release(incremental, full)
    for name in ("000012.yaml", "000012.txt"):
        (root / "seeds" / "articles" / name).unlink()
    messages.clear()
    removed = build(settings, messages.append).release
    assert "updating the store" in messages
    full = build(settings.with_(cache=False, data_dir=tmp_path / "full")).release
    assert_same_release(removed, full)
    assert len(removed.manifest["graphs"]) == 60


def test_an_incremental_build_reports_what_a_full_build_reports(corpus_dir, tmp_path):
    """Violations and warnings in changed articles, checked against the register entities they name
    (mapped for them alone), stop an incremental build with the report a full build gives."""
    from lod_pub.errors import ValidationFailed

    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    first = build(settings).release
    plant_record_errors(root)
    messages: list[str] = []
    with pytest.raises(ValidationFailed) as incremental:
        build(settings, messages.append)
    assert "56 article(s) unchanged since the last build, 4 mapped" in messages  # a planting that finds nothing to remove leaves its file as it was
    with pytest.raises(ValidationFailed) as full:
        build(settings.with_(cache=False, data_dir=tmp_path / "full"))
    assert incremental.value.report_text == full.value.report_text
    assert incremental.value.report_text.count("Violation") >= 3 and "Warning" in incremental.value.report_text
    assert current(settings.data_dir).id == first.id


def test_a_release_stays_whole_when_the_one_it_started_from_is_pruned(corpus_dir, tmp_path):
    """The store checkpoint and the dump parts are hard links: removing the older release leaves
    the newer one complete and readable."""
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var", keep_releases=1)
    first = build(settings).release
    before = canonical_store(first)
    article = root / "seeds" / "articles" / "000020.yaml"
    article.write_text(article.read_text("utf-8").replace('name: "Synthetic report 20"', 'name: "Report twenty"'))
    second = build(settings).release
    assert not first.path.exists()
    second.verify(checksums=True)
    after = canonical_store(second)
    assert len(after) == len(before) and after != before


def test_a_register_change_invalidates_every_article(corpus_dir, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    build(settings)
    register = root / "seeds" / "entities.yaml"
    register.write_text(register.read_text("utf-8") + "# a comment changes the register's digest\n")
    messages: list[str] = []
    build(settings, messages.append)
    assert "0 article(s) unchanged since the last build, 60 mapped" in messages


def test_a_damaged_cache_entry_is_mapped_again(corpus_dir, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    first = build(settings).release
    for entry in list((tmp_path / "var" / "cache").glob("*/*.json"))[:3]:
        entry.write_text("{not json")
    (tmp_path / "var" / "current").unlink()  # no release to start from: every article comes from the cache
    messages: list[str] = []
    second = build(settings, messages.append).release
    assert "57 article(s) unchanged since the last build, 3 mapped" in messages
    assert canonical_store(second) == canonical_store(first)


def test_cached_violations_still_stop_the_build(corpus_dir, tmp_path):
    """An article that failed validation fails again from the cache, with the same report."""
    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    plant_errors(root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    from lod_pub.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as first:
        build(settings)
    with pytest.raises(ValidationFailed) as second:
        build(settings)
    assert first.value.report_text == second.value.report_text


def test_no_blank_node_spans_two_graphs(corpus_dir, tmp_path):
    """Evidence is per article: the same words quoted by two articles are two pieces of evidence
    (a shared blank node would tie one article's evidence to the other's source and selectors)."""
    release = build(Settings(project_dir=corpus_dir, data_dir=tmp_path / "var")).release
    graphs_of: dict[str, set[str]] = {}
    for q in release.open_store().quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.object):
            if term.__class__.__name__ == "BlankNode":
                graphs_of.setdefault(term.value, set()).add(q.graph_name.value)
    assert graphs_of and max(len(g) for g in graphs_of.values()) == 1


def test_a_change_in_the_mapping_code_invalidates_the_cache(corpus_dir, tmp_path, monkeypatch):
    import lod_pub.cache as cache

    root = tmp_path / "corpus"
    shutil.copytree(corpus_dir, root)
    settings = Settings(project_dir=root, data_dir=tmp_path / "var")
    build(settings)
    cache.code_digest.cache_clear()
    monkeypatch.setattr(cache, "__version__", "another version")  # stands for any change in the code
    messages: list[str] = []
    build(settings, messages.append)
    cache.code_digest.cache_clear()
    assert "0 article(s) unchanged since the last build, 60 mapped" in messages
