"""`lod-pub serve --data`: any RDF file published as a release, each file in its named graph."""

from __future__ import annotations

import gzip
import json

import pyoxigraph as ox
import pytest

from lod_pub import adhoc
from lod_pub.adhoc import publish_files, start_files
from lod_pub.errors import RecordError, ReleaseError
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
                response = requests.get(url, timeout=60, headers={"Accept": "text/csv"}, params={
                    "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"})
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "lod-pub serve did not start"
                time.sleep(0.2)
        assert response.text.split("\r\n")[1:4] == [
            "http://example.org/g,1", "http://example.org/named,1", f"{BASE}graph/data/people,3"]
        dump = f"http://127.0.0.1:{port}/dumps/graph.nq.gz"  # written meanwhile: 503 until then, never a part of it
        while (status := requests.get(dump, timeout=60).status_code) == 503:
            assert time.monotonic() < deadline + 60, "the dumps were not written"
            time.sleep(0.2)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(10)


# -- literals as the store keeps them ---------------------------------------------------------------
NON_CANONICAL = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:decimal "1.50"^^xsd:decimal ; ex:integer "01"^^xsd:integer, "+2"^^xsd:integer ; ex:double "1.0E0"^^xsd:double ;
  ex:boolean "true"^^xsd:boolean, "1"^^xsd:boolean, "0"^^xsd:boolean ;
  ex:dateTime "2020-01-01T00:00:00+00:00"^^xsd:dateTime, "2020-06-01T12:00:00.500+02:00"^^xsd:dateTime ;
  ex:date "2020-01-01Z"^^xsd:date ; ex:duration "PT36H"^^xsd:dayTimeDuration ;
  ex:label "Colour"@EN-GB, "x"@En ; ex:odd " 7 "^^xsd:integer, "seven"^^xsd:integer .
"""
DUMPS = {"graph.nq.gz": ox.RdfFormat.N_QUADS, "graph.trig.gz": ox.RdfFormat.TRIG, "graph.ttl.gz": ox.RdfFormat.TURTLE,
         "graph.nt.gz": ox.RdfFormat.N_TRIPLES, "graph.jsonld.gz": ox.RdfFormat.JSON_LD}


def test_non_canonical_literals_publish_as_the_store_keeps_them(tmp_path):
    """Regression: "1.50"^^xsd:decimal, "01"^^xsd:integer and the like were refused ("the store does not hold
    the mapped quads (1 stored, 1 mapped)"): a check compared the file's lexical forms with the store's."""
    path = tmp_path / "values.ttl"
    path.write_text(NON_CANONICAL)
    release = publish_files([str(path)], Settings(data_dir=tmp_path / "var"))
    graph = ox.NamedNode(BASE + "graph/data/values")
    own_view = ox.Store()  # the store's own view of the file: what Oxigraph keeps of each literal
    own_view.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    stored = set(release.open_store())
    assert stored == set(own_view) and len(stored) == 14  # "true" and "1" are one boolean
    values = {q.object.value for q in stored if q.predicate.value.endswith(("decimal", "integer", "double", "date"))}
    assert {"1.5", "1", "2", "2020-01-01Z"} <= values and "1.50" not in values and "01" not in values
    for name, fmt in DUMPS.items():  # every dump holds what the store holds
        read = set(ox.parse(gzip.decompress((release.dumps_dir / name).read_bytes()), format=fmt))
        if fmt.supports_datasets:
            assert read == stored, name
        else:  # the union of the graphs
            assert {q.triple for q in read} == {q.triple for q in stored}, name


def test_the_endpoint_compares_values_as_the_store_does(tmp_path):
    (tmp_path / "values.ttl").write_text(NON_CANONICAL)
    settings = Settings(data_dir=tmp_path / "var")
    publish_files([str(tmp_path / "values.ttl")], settings)
    app = create_app(settings, SPARQL_WORKERS=1)
    try:
        def ask(pattern):
            response = app.test_client().get("/sparql", query_string={
                "query": f"PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ASK {{ {pattern} }}",
                "format": "json"})
            return json.loads(response.data)["boolean"]
        assert ask('ex:a ex:decimal 1.5') and ask('ex:a ex:integer 1') and ask('ex:a ex:integer "+2"^^xsd:integer')
        assert ask('ex:a ex:label "Colour"@en-gb') and ask('ex:a ex:boolean false')
        assert ask('ex:a ex:decimal "1.5"^^xsd:decimal') and not ask('ex:a ex:decimal "1.50"^^xsd:string')
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()


# -- graphs named by blank nodes --------------------------------------------------------------------
def test_a_graph_named_by_a_blank_node_gets_an_iri(tmp_path):
    """N-Quads and TriG may name a graph with a blank node; every graph of a release has an IRI
    (RDF 1.1 skolemization, {base}.well-known/genid/...), the node keeps it wherever it occurs."""
    (tmp_path / "g.trig").write_text("@prefix : <http://example/> .\n{ :a :b :c }\n"
                                     "_:G { :a :b :d . _:G :about :a }\n<http://example/h> { _:G :p :o }\n")
    release = publish_files([str(tmp_path / "g.trig")], Settings(data_dir=tmp_path / "var"))
    genid = [g for g in release.manifest["graphs"] if g.startswith(BASE + ".well-known/genid/")]
    assert len(genid) == 1 and len(release.manifest["graphs"]) == 3
    store = release.open_store()
    node = ox.NamedNode(genid[0])
    assert len(list(store.quads_for_pattern(None, None, None, node))) == 2
    assert {str(q) for q in store.quads_for_pattern(node, None, None)} == {
        f"{node} <http://example/about> <http://example/a> {node}",
        f"{node} <http://example/p> <http://example/o> <http://example/h>"}
    assert not any(isinstance(t, ox.BlankNode) for q in store for t in q)


# -- two steps: answering first, the dumps and VoID after -------------------------------------------
def test_the_endpoint_answers_while_the_dumps_are_written(files, tmp_path):
    settings = Settings(data_dir=tmp_path / "var")
    finishing = start_files([str(files / "people.ttl")], settings)
    first = current(settings.data_dir)
    assert first.id == finishing.release.id and first.writing and first.manifest["dumps"] == []
    assert not first.dumps_dir.exists() and not first.file("void.ttl").exists()
    app = create_app(settings, SPARQL_WORKERS=1)
    client = app.test_client()
    try:
        response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "json"})
        assert response.status_code == 200 and json.loads(response.data)["boolean"] is True
        for path in ("/dumps/graph.nq.gz", "/dumps/parts/0000.nq.gz", "/dumps/SHA256SUMS", "/void", "/void.ttl"):
            response = client.get(path)
            assert response.status_code == 503 and response.headers["Retry-After"] == "30", path
            assert b"being written" in response.data
        assert b"being written" in client.get("/dumps/").data and b"being written" in client.get("/").data
        finished = finishing.finish()
        assert current(settings.data_dir).id == finished.id != first.id and not finished.writing
        for path in ("/dumps/graph.nq.gz", "/void.ttl"):
            with client.get(path) as response:
                assert response.status_code == 200, path
        assert b"being written" not in client.get("/dumps/").data
        assert set(finished.open_store()) == set(first.open_store())  # the same store, checkpointed
        assert first.path.is_dir()  # kept for rollback like any release
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()


def test_dumps_that_cannot_be_written_leave_the_first_release(files, tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "var")
    finishing = start_files([str(files / "people.ttl")], settings)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", "dumps/parts/0000.nq.gz")
    monkeypatch.setattr(adhoc, "write_parts", full)
    with pytest.raises(ReleaseError, match="No space left"):
        finishing.finish()
    assert current(settings.data_dir).id == finishing.release.id
    assert not list((settings.data_dir / "releases").glob(".staging-*"))
    monkeypatch.undo()
    assert publish_files([str(files / "people.ttl")], settings).id != finishing.release.id  # the lock was let go


def test_dumps_a_stopped_server_left_unwritten_are_written_by_the_next(files, tmp_path):
    """`serve --data` stopped before its dumps were written (the release to follow is abandoned): the
    next `lod-pub serve` on that folder writes them (lod_pub.serve), not while another process holds the lock."""
    settings = Settings(data_dir=tmp_path / "var")
    finishing = start_files([str(files / "people.ttl")], settings)
    assert adhoc.resume_files(settings) is None  # the lock is held: its own server is writing them
    finishing.abandon()
    resumed = adhoc.resume_files(settings)
    assert resumed is not None and resumed.release.id == finishing.release.id
    finished = resumed.finish()
    assert current(settings.data_dir).id == finished.id and not finished.writing
    assert (finished.dumps_dir / "graph.nq.gz").is_file() and finished.file("void.ttl").is_file()
    assert adhoc.resume_files(settings) is None  # nothing left to write


def test_a_refused_file_leaves_the_current_release(files, tmp_path):
    settings = Settings(data_dir=tmp_path / "var")
    before = publish_files([str(files / "people.ttl")], settings)
    (tmp_path / "bad.nq").write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\nnot rdf\n")
    with pytest.raises(RecordError, match="bad.nq:2: column 1"):
        publish_files([str(files / "people.ttl"), str(tmp_path / "bad.nq")], settings)
    assert current(settings.data_dir).id == before.id
    assert sorted(p.name for p in (settings.data_dir / "releases").iterdir()) == sorted(
        p.name for p in (settings.data_dir / "releases").iterdir() if not p.name.startswith("."))


def test_the_bulk_loader_reads_large_files(files, tmp_path, monkeypatch):
    """From adhoc.BULK bytes on, a file goes through Oxigraph's bulk loader: the same graphs, the same errors."""
    monkeypatch.setattr(adhoc, "BULK", 0)
    release = publish_files([str(files / "people.ttl"), f"http://example.org/named={files / 'graphs.nq'}"],
                            Settings(data_dir=tmp_path / "var"))
    assert graphs_of(release.open_store()) == {
        BASE + "graph/data/people": 3, "http://example.org/g": 1, "http://example.org/named": 1}
    (tmp_path / "bad.ttl").write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unclosed .\n')
    with pytest.raises(RecordError) as info:
        publish_files([str(tmp_path / "bad.ttl")], Settings(data_dir=tmp_path / "var"))
    problem = info.value.problems[0]
    assert (problem.line, problem.reason.split(":")[0]) == (2, "column 11")


@pytest.mark.slow
def test_the_benchmark_runs(tmp_path):
    """CI's smoke test of benchmarks/bench_adhoc.py: its quick form, one run, finishes and prints its table."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(root / "benchmarks" / "bench_adhoc.py"), "--quick", "--runs", "1"],
                            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for row in ("time to first answer, s", "peak RSS to first answer, MB", "dumps and VoID written, s"):
        assert f"| {row} |" in result.stdout, result.stdout
