"""Real clients against a live server on 127.0.0.1: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from lod_pub.vocab import PREFIXES
from sparql_support import pid_alive

SCHEMA = PREFIXES["schema"]
PEOPLE = f"""PREFIX schema: <{SCHEMA}>
SELECT ?name WHERE {{ ?p a schema:Person ; schema:name ?name }} ORDER BY ?name"""
NAMES = ["Abdurrahman Mangal", "Qamar Javed Bajwa", "Sharif Hotak", "Sohail Mahmood", "Stefano Pontecorvo",
         "Zabiullah Mujahid", "Zalmay Khalilzad"]


def wrapper(live, fmt, method="GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(live.url)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(live, method):
    sparql = wrapper(live, JSON, method)
    sparql.setQuery(PEOPLE)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == NAMES


def test_sparqlwrapper_select_xml_and_csv(live):
    sparql = wrapper(live, XML)
    sparql.setQuery(PEOPLE)
    document = sparql.queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == NAMES
    sparql = wrapper(live, CSV)
    sparql.setQuery(PEOPLE)
    assert sparql.queryAndConvert().decode().split("\r\n")[1:1 + len(NAMES)] == NAMES


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_ask_and_construct(live):
    sparql = wrapper(live, JSON)
    sparql.setQuery(f"PREFIX schema: <{SCHEMA}> ASK {{ ?s a schema:Event }}")
    assert sparql.queryAndConvert()["boolean"] is True
    for fmt in (TURTLE, XML, N3):
        sparql = wrapper(live, fmt)
        sparql.setQuery(f"PREFIX schema: <{SCHEMA}> CONSTRUCT WHERE {{ ?p a schema:Person ; schema:name ?n }}")
        converted = sparql.queryAndConvert()
        g = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
        assert {str(o) for o in g.objects(None, URIRef(SCHEMA + "name"))} == set(NAMES)


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
