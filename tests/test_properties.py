"""Property-based: any valid records map to valid IRIs and publish dumps that read back the same."""

from __future__ import annotations

import pytest

import gzip
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from lod_pub.iris import check_iri
from lod_pub.release import build
from lod_pub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

# Any Unicode text but lone surrogates (which UTF-8 cannot carry): HTML, quotes, emoji, right-to-left, controls.
# no CR: texts are read with CRLF as LF (an editor's Windows file), so a quote holding CRLF is refused
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1,
               max_size=40).filter(str.strip)
SLUG = st.from_regex(r"[a-zà-öø-ÿ0-9]([a-zà-öø-ÿ0-9._-]{0,20}[a-zà-öø-ÿ0-9])?", fullmatch=True)


@st.composite
def corpora(draw):
    ids = draw(st.lists(SLUG, min_size=5, max_size=5, unique=True))
    person, other, org, place, event = ids
    names = draw(st.lists(TEXT, min_size=5, max_size=5))
    sentence = draw(TEXT)
    text = f"{names[4]} happened. {sentence} And {names[0]} met {names[1]}.\n"
    register = {
        "people": [{"id": person, "name": names[0]}, {"id": other, "name": names[1]}],
        "organizations": [{"id": org, "type": "NewsMediaOrganization", "name": names[2]}],
        "places": [{"id": place, "type": "City", "name": names[3]}],
    }
    quote = f"{names[0]} met {names[1]}"
    record = {
        "article": {"id": f"article-{event}", "text": "a.txt", "name": names[4], "publisher": org,
                    "datePublished": draw(st.dates()).isoformat(), "inLanguage": "en", "about": [event]},
        "events": [{"id": event, "type": "Meeting", "name": names[4], "location": place,
                    "attendees": [{"value": person, "evidence": quote}, {"value": other, "evidence": quote}]}],
        "statements": [{"id": f"s-{event}", "author": person, "text": sentence, "about": [place],
                        "statedAt": event, "evidence": sentence}],
    }
    return register, record, text


def write_project(root: Path, register: dict, record: dict, text: str) -> None:
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    (root / "seeds" / "articles").mkdir(parents=True)
    (root / "seeds" / "entities.yaml").write_text(yaml.safe_dump(register, allow_unicode=False), "utf-8")
    (root / "seeds" / "articles" / "a.yaml").write_text(yaml.safe_dump(record, allow_unicode=False), "utf-8")
    (root / "seeds" / "articles" / "a.txt").write_text(text, "utf-8")


def canonical(quads, as_triples=False) -> set[str]:
    ds = ox.Dataset()
    for q in quads:
        ds.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) if as_triples else q)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in ds}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_valid_records_give_valid_iris_and_dumps_that_read_back(corpus):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, *corpus)
        release = build(Settings(project_dir=root, data_dir=root / "var")).release
        quads = list(release.open_store().quads_for_pattern(None, None, None, None))
        for q in quads:
            for term in (q.subject, q.predicate, q.object, q.graph_name):
                if isinstance(term, ox.NamedNode):
                    check_iri(term.value)
        names = {q.object.value for q in quads if q.predicate.value == "http://schema.org/name"}
        assert corpus[0]["people"][0]["name"] in names  # text comes through unchanged
        for name, fmt, dataset in (("graph.nq.gz", ox.RdfFormat.N_QUADS, True), ("graph.trig.gz", ox.RdfFormat.TRIG, True),
                                   ("graph.jsonld.gz", ox.RdfFormat.JSON_LD, True),
                                   ("graph.ttl.gz", ox.RdfFormat.TURTLE, False), ("graph.nt.gz", ox.RdfFormat.N_TRIPLES, False)):
            parsed = list(ox.parse(gzip.decompress((release.dumps_dir / name).read_bytes()), format=fmt))
            assert canonical(parsed, not dataset) == canonical(quads, not dataset), name
