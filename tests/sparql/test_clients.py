"""Real clients against a live server on 127.0.0.1: SPARQLWrapper in every return format and method,
rdflib's SPARQLStore, curl and Comunica (each of the last two when installed: curl on PATH, Comunica by
.ci/setup into tests/.node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, \
    SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from lod_pub.vocab import PREFIXES
from sparql_support import pid_alive

SCHEMA = PREFIXES["schema"]
PEOPLE = f"""PREFIX schema: <{SCHEMA}>
SELECT ?name WHERE {{ ?p a schema:Person ; schema:name ?name }} ORDER BY ?name"""
PEOPLE_GRAPH = f"PREFIX schema: <{SCHEMA}> CONSTRUCT WHERE {{ ?p a schema:Person ; schema:name ?n }}"
NAMES = ["Abdurrahman Mangal", "Qamar Javed Bajwa", "Sharif Hotak", "Sohail Mahmood", "Stefano Pontecorvo",
         "Zabiullah Mujahid", "Zalmay Khalilzad"]
#: SPARQLWrapper's ways of sending a query: (method, request method for a POST)
METHODS = {"GET": (GET, URLENCODED), "POST-form": (POST, URLENCODED), "POST-direct": (POST, POSTDIRECTLY)}
#: Return formats for a SELECT, and the media type each is answered in
SELECT_FORMATS = {JSON: "application/sparql-results+json", XML: "application/sparql-results+xml", CSV: "text/csv",
                  TSV: "text/tab-separated-values"}
#: Return formats for a CONSTRUCT (SPARQLWrapper's XML and JSON mean RDF/XML and JSON-LD there)
GRAPH_FORMATS = {TURTLE: "text/turtle", N3: "text/turtle", RDFXML: "application/rdf+xml",
                 JSONLD: "application/ld+json", XML: "application/rdf+xml", JSON: "application/ld+json"}


def wrapper(live, fmt, method=GET, request_method=URLENCODED) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live.url)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    return sparql


def names_in_solutions(fmt: str, converted) -> list[str]:
    """The names of a SELECT's answer as SPARQLWrapper converted it (a dict, a DOM, or bytes)."""
    if fmt == JSON:
        return [r["name"]["value"] for r in converted["results"]["bindings"]]
    if fmt == XML:
        return [n.firstChild.data for n in converted.getElementsByTagName("literal")]
    if fmt == CSV:
        return converted.decode().split("\r\n")[1:1 + len(NAMES)]
    return [row["name"].value for row in ox.parse_query_results(converted, ox.QueryResultsFormat.TSV)]


def names_in_graph(converted) -> set[str]:
    """The schema:name values of a CONSTRUCT's answer as SPARQLWrapper converted it (a Graph, or Turtle bytes)."""
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    return {str(o) for o in graph.objects(None, URIRef(SCHEMA + "name"))}


@pytest.mark.parametrize("how", METHODS)
@pytest.mark.parametrize("fmt", SELECT_FORMATS)
def test_sparqlwrapper_select_in_every_format_and_method(live, fmt, how):
    sparql = wrapper(live, fmt, *METHODS[how])
    sparql.setQuery(PEOPLE)
    result = sparql.query()
    assert result.info()["content-type"].split(";")[0] == SELECT_FORMATS[fmt]
    assert names_in_solutions(fmt, result.convert()) == NAMES


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("how", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparqlwrapper_construct_in_every_format_and_method(live, fmt, how):
    """RDFXML sends format=rdf+xml and then format=application/rdf+xml; the first that fits is taken. JSON
    sends format=json with `Accept: */*` (SPARQLWrapper warns that it does): JSON-LD."""
    sparql = wrapper(live, fmt, *METHODS[how])
    sparql.setQuery(PEOPLE_GRAPH)
    with pytest.warns(RuntimeWarning, match="Sending Accept header") if fmt == JSON else nullcontext():
        result = sparql.query()
    assert result.info()["content-type"].split(";")[0] == GRAPH_FORMATS[fmt]
    assert names_in_graph(result.convert()) == set(NAMES)


@pytest.mark.parametrize("how", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live, fmt, how):
    sparql = wrapper(live, fmt, *METHODS[how])
    sparql.setQuery(f"PREFIX schema: <{SCHEMA}> ASK {{ ?s a schema:Event }}")
    converted = sparql.queryAndConvert()
    answer = converted["boolean"] if fmt == JSON else converted.getElementsByTagName("boolean")[0].firstChild.data
    assert answer in (True, "true")


def test_sparqlwrapper_with_a_default_graph_the_release_does_not_hold(live):
    """addDefaultGraph with a graph not held: an empty default graph (the W3C protocol tests read it so)."""
    sparql = wrapper(live, JSON)
    sparql.addDefaultGraph("http://example.org/not-held")
    sparql.setQuery(PEOPLE)
    assert sparql.queryAndConvert()["results"]["bindings"] == []


def test_sparqlwrapper_sees_a_malformed_query_as_bad_formed(live):
    sparql = wrapper(live, JSON)
    sparql.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match="malformed query"):
        sparql.query()


def test_rdflib_sparqlstore(live):
    graph = Graph(store=SPARQLStore(live.url, returnFormat="json"))
    rows = list(graph.query(PEOPLE))
    assert [str(r[0]) for r in rows] == NAMES
    assert (None, URIRef(SCHEMA + "name"), Literal("Sohail Mahmood", lang="en")) in graph
    graph.close()


def test_rdflib_sparqlstore_with_post_and_xml(live):
    store = SPARQLStore(live.url, method="POST_FORM", returnFormat="xml")
    assert [str(r[0]) for r in store.query(PEOPLE)] == NAMES
    store.close()


UNDECLARED = "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_sparqlstore_declares_its_own_schema_prefix(live):
    """A Graph over a SPARQLStore sends its namespace bindings as PREFIX lines before the query, and
    rdflib binds `schema:` to https://schema.org/; the data here use http://schema.org/. A query that
    relies on the endpoint's own `schema:` finds nothing that way (docs/sparql.md, "Clients")."""
    habit = Graph(store=SPARQLStore(live.url, returnFormat="json"))
    assert [str(r[0]) for r in habit.query(UNDECLARED)] == []  # PREFIX schema: <https://schema.org/> came first
    habit.close()
    bound = Graph(store=SPARQLStore(live.url, returnFormat="json"))
    bound.bind("schema", SCHEMA, replace=True)  # or declare PREFIX schema: in the query
    assert [str(r[0]) for r in bound.query(UNDECLARED)] == NAMES
    bound.close()
    bare = Graph(store=SPARQLStore(live.url, returnFormat="json"), bind_namespaces="none")
    assert [str(r[0]) for r in bare.query(UNDECLARED)] == NAMES  # nothing injected: the endpoint's schema:
    bare.close()


CURL = shutil.which("curl")


@pytest.mark.skipif(CURL is None, reason="curl is not on PATH")
def test_curl(live):
    def curl(*args: str) -> bytes:
        return subprocess.run([CURL, "-sS", "--fail", "--max-time", "20", *args], check=True,
                              capture_output=True).stdout

    csv = curl("-H", "Accept: text/csv", "--data-urlencode", f"query={PEOPLE}", live.url)
    assert csv.decode().split("\r\n")[1:1 + len(NAMES)] == NAMES
    raw_plus = curl(f"{live.url}?query={quote(PEOPLE)}&format=application/sparql-results+json")  # `+` sent raw
    assert [r["name"]["value"] for r in json.loads(raw_plus)["results"]["bindings"]] == NAMES
    rdfxml = curl("-H", "Content-Type: application/sparql-query", "--data-binary", PEOPLE_GRAPH,
                  f"{live.url}?format=rdf+xml")
    assert {str(o) for o in Graph().parse(data=rdfxml, format="xml").objects(None, URIRef(SCHEMA + "name"))} \
        == set(NAMES)


NODE_DIR = Path(__file__).resolve().parents[1] / ".node"  # where .ci/setup installs Comunica
COMUNICA = """
const { QueryEngine } = require('@comunica/query-sparql');
const [url, select, construct, ask] = process.argv.slice(1);
(async () => {
  const engine = new QueryEngine();
  const context = { sources: [{ type: 'sparql', value: url }], httpTimeout: 20000 };
  const rows = await (await engine.queryBindings(select, context)).toArray();
  const quads = await (await engine.queryQuads(construct, context)).toArray();
  console.log(JSON.stringify({
    select: rows.map(b => b.get('name').value),
    construct: quads.map(q => [q.subject.value, q.predicate.value, q.object.value]),
    ask: await engine.queryBoolean(ask, context),
  }));
})().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
"""


@pytest.mark.skipif(shutil.which("node") is None or not (NODE_DIR / "node_modules/@comunica/query-sparql").is_dir(),
                    reason="Comunica is not installed (.ci/setup installs it into tests/.node)")
def test_comunica(live):
    """Comunica, a JavaScript SPARQL engine, with this endpoint as a SPARQL source: SELECT, CONSTRUCT, ASK."""
    ask = f"PREFIX schema: <{SCHEMA}> ASK {{ ?s a schema:Event }}"
    done = subprocess.run(["node", "-e", COMUNICA, live.url, PEOPLE, PEOPLE_GRAPH, ask], cwd=NODE_DIR,
                          capture_output=True, timeout=120, env={**os.environ, "NODE_NO_WARNINGS": "1"})
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    answer = json.loads(done.stdout)
    assert sorted(answer["select"]) == NAMES
    assert {o for _, p, o in answer["construct"] if p == SCHEMA + "name"} == set(NAMES)
    assert answer["ask"] is True


def test_a_browser_preflight_and_cross_origin_get(live):
    preflight = requests.options(live.url, headers={"Origin": "https://notebook.example",
                                                    "Access-Control-Request-Method": "POST"}, timeout=5)
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    response = requests.get(live.url, params={"query": PEOPLE}, timeout=5,
                            headers={"Origin": "https://notebook.example", "Accept": "text/csv"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Length"] == str(len(response.content))


def test_the_server_survives_a_deeply_nested_query(live):
    query = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    assert requests.post(live.url, data={"query": query}, timeout=10).status_code == 400
    assert requests.get(live.url, params={"query": "ASK {}"}, timeout=5).status_code == 200


def test_stopping_the_server_leaves_no_worker_behind(release, settings, tmp_path):
    from sparql_support import LiveServer

    server = LiveServer(settings.data_dir, tmp_path)
    server.start()
    try:
        for _ in range(3):
            requests.get(server.url, params={"query": "ASK {}"}, timeout=5)
        workers = server.children()
        assert workers, "the server should have started query workers"
    finally:
        server.stop()  # SIGTERM: no atexit runs; the workers die with their parent all the same
    import time

    deadline = time.monotonic() + 5
    while any(pid_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(pid_alive(p) for p in workers)


def test_an_allow_listed_service_is_called_and_no_other(make_app, live):
    app = make_app(SPARQL_SERVICE_ALLOW=(live.url,), SPARQL_WORKERS=1)
    client = app.test_client()
    query = f"SELECT ?name WHERE {{ SERVICE <{live.url}> {{ ?p a schema:Person ; schema:name ?name }} }} ORDER BY ?name"
    response = client.get("/sparql", query_string={"query": query, "format": "csv"})
    assert response.status_code == 200, response.data
    assert response.data.decode().split("\r\n")[1:1 + len(NAMES)] == NAMES
    other = query.replace(live.url, live.url + "/other")
    assert client.get("/sparql", query_string={"query": other}).status_code == 400


def test_under_gunicorn(release, settings, tmp_path):
    """The production server: forked gunicorn workers each start their own query workers, and all stop."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from sparql_support import free_port

    (tmp_path / "app.py").write_text(
        "from pathlib import Path\nfrom lod_pub.settings import Settings\nfrom lod_pub.web import create_app\n"
        f"app = create_app(Settings(data_dir=Path({str(settings.data_dir)!r})), SPARQL_WORKERS=1)\n")
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(gunicorn), "-w", "2", "--preload", "-b", f"127.0.0.1:{port}", "app:app"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.get(url, params={"query": PEOPLE}, headers={"Accept": "text/csv"}, timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        assert response.text.split("\r\n")[1:1 + len(NAMES)] == NAMES
        for _ in range(6):
            assert requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200
        family = _descendants(proc.pid)
        assert family, "query workers should run under the gunicorn workers"
    finally:
        proc.terminate()
        proc.wait(15)
    deadline = time.monotonic() + 5
    while any(pid_alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(pid_alive(p) for p in family)


def _descendants(pid: int) -> list[int]:
    from pathlib import Path

    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found
