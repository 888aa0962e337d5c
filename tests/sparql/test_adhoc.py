"""`lod-pub serve --data`: any RDF file published as a release, each file in its named graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from lod_pub.adhoc import publish_files
from lod_pub.errors import RecordError
from lod_pub.release import current
from lod_pub.settings import Settings
from lod_pub.web import create_app

BASE = "https://lod.example.org/"
TURTLE = """@prefix ex: <http://example.org/> .
<#me> ex:name "Me"@en ; ex:knows [ ex:name "Someone" ] .
"""
NQUADS = """<http://example.org/a> <http://example.org/p> "in g" <http://example.org/g> .
<http://example.org/a> <http://example.org/p> "in default" .
"""
JSONLD = {"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/j", "name": "J"}
RDFXML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>x</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "people.ttl").write_text(TURTLE)
    (tmp_path / "graphs.nq").write_text(NQUADS)
    (tmp_path / "thing.jsonld").write_text(json.dumps(JSONLD))
    (tmp_path / "x.rdf").write_text(RDFXML)
    (tmp_path / "again.ttl").write_text(TURTLE.replace("<#me>", "<http://example.org/other>"))
    return tmp_path


def graphs_of(store: ox.Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


def test_each_file_in_its_graph_quads_keep_theirs(files, tmp_path):
    settings = Settings(data_dir=tmp_path / "var")
    release = publish_files([str(files / "people.ttl"), f"http://example.org/named={files / 'graphs.nq'}",
                             str(files / "thing.jsonld"), str(files / "x.rdf"), str(files / "again.ttl")], settings)
    assert current(settings.data_dir).id == release.id
    store = release.open_store()
    assert graphs_of(store) == {
        BASE + "graph/data/people": 3, "http://example.org/g": 1, "http://example.org/named": 1,
        BASE + "graph/data/thing": 1, BASE + "graph/data/x": 1, BASE + "graph/data/again": 3,
    }
    # a relative IRI resolves against the file's graph; blank nodes stay apart between files
    assert store.query(f"ASK {{ GRAPH ?g {{ <{BASE}graph/data/people#me> ?p ?o }} }}")
    assert len(list(store.query("SELECT DISTINCT ?b WHERE { GRAPH ?g { ?x <http://example.org/knows> ?b } }"))) == 2
    for name in ("graph.nq.gz", "graph.ttl.gz", "graph.jsonld.gz", "graph.nt.gz", "graph.trig.gz"):
        assert (release.dumps_dir / name).is_file()
    assert release.file("void.ttl").is_file()
    assert sorted(release.manifest["graphs"]) == sorted(graphs_of(store))


def test_the_endpoint_serves_published_files(files, tmp_path):
    settings = Settings(data_dir=tmp_path / "var")
    publish_files([str(files / "people.ttl")], settings)
    app = create_app(settings, SPARQL_WORKERS=1)
    try:
        response = app.test_client().get("/sparql", query_string={
            "query": "SELECT ?n WHERE { ?s <http://example.org/name> ?n } ORDER BY ?n", "format": "json"})
        values = [b["n"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
        assert values == ["Me", "Someone"]
        graph = BASE + "graph/data/people"
        response = app.test_client().get("/sparql", query_string={
            "query": "ASK { ?s ?p ?o }", "default-graph-uri": graph, "format": "json"})
        assert json.loads(response.data)["boolean"] is True
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.mark.parametrize("name, content, where", [
    ("bad.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b "unclosed .\n', "bad.ttl:2: column 11: Unexpected end"),
    ("bad.nt", "<http://example.org/a> <http://example.org/b> <not an iri> .\n", "bad.nt:1: column 47: Invalid IRI"),
    ("remote.jsonld", json.dumps({"@context": "http://example.org/context.jsonld", "@id": "http://x/a"}),
     "remote JSON-LD @context is not fetched"),
    ("bomb.rdf", '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY a "aaaaaaaaaa">\n]>\n<rdf:RDF/>\n',
     "bomb.rdf:3: column 3: the RDF/XML declares an entity"),
    ("data.csv", "a,b\n", "unknown RDF format"),
])
def test_bad_files_are_refused_with_file_line_and_column(tmp_path, name, content, where):
    (tmp_path / name).write_text(content)
    with pytest.raises(RecordError) as info:
        publish_files([str(tmp_path / name)], Settings(data_dir=tmp_path / "var"))
    assert f"{tmp_path / name}" in str(info.value) and where in str(info.value)
    assert current(tmp_path / "var") is None  # nothing published


def test_parse_errors_name_line_and_column(tmp_path):
    (tmp_path / "bad.ttl").write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unclosed .\n')
    with pytest.raises(RecordError) as info:
        publish_files([str(tmp_path / "bad.ttl")], Settings(data_dir=tmp_path / "var"))
    problem = info.value.problems[0]
    assert problem.file.endswith("bad.ttl") and problem.line == 2 and problem.reason.startswith("column ")


def test_entity_declarations_are_refused(tmp_path):
    (tmp_path / "bomb.rdf").write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY a "aaaa">\n]>\n'
                                       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    with pytest.raises(RecordError) as info:
        publish_files([str(tmp_path / "bomb.rdf")], Settings(data_dir=tmp_path / "var"))
    problem = info.value.problems[0]
    assert problem.line == 3 and "column 3" in problem.reason and "entity" in problem.reason


def test_a_missing_file_or_a_bad_graph_name(tmp_path):
    (tmp_path / "a.ttl").write_text("")
    for spec in (str(tmp_path / "missing.ttl"), f"not an iri={tmp_path / 'a.ttl'}"):
        with pytest.raises(RecordError):
            publish_files([spec], Settings(data_dir=tmp_path / "var"))


def test_lod_pub_serve_data_end_to_end(files, tmp_path):
    """What a user with a Turtle file and no pipeline runs first: `lod-pub serve --data FILE`."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    import requests

    from sparql_support import free_port

    port = free_port()
    command = [str(Path(sys.executable).parent / "lod-pub"), "serve", "--data", str(files / "people.ttl"),
               "--data", f"http://example.org/named={files / 'graphs.nq'}", "--data-dir", str(tmp_path / "var"),
               "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url, deadline = f"http://127.0.0.1:{port}/sparql", time.monotonic() + 30
        while True:
            try:
                response = requests.get(url, timeout=5, headers={"Accept": "text/csv"}, params={
                    "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"})
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "lod-pub serve did not start"
                time.sleep(0.2)
        assert response.text.split("\r\n")[1:4] == [
            "http://example.org/g,1", "http://example.org/named,1", f"{BASE}graph/data/people,3"]
    finally:
        proc.terminate()
        proc.wait(10)
