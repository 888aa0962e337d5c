"""The project's own seeds/, which editors change every day, checked only for what must hold for any
content: every record reads without a problem, and the mapped graph conforms to the shapes."""

from __future__ import annotations

from pathlib import Path

from lod_pub.release import check
from lod_pub.settings import Settings
from lod_pub.sources import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_the_seeds_read_without_a_problem():
    corpus = load_corpus(ROOT / "seeds")
    assert corpus.articles, "seeds/ holds no article"


def test_the_seeds_map_to_a_graph_that_conforms(tmp_path):
    report, triples = check(Settings(project_dir=ROOT, data_dir=tmp_path / "var"))
    assert report.conforms, report.text()[:3000]
    assert triples > 0
