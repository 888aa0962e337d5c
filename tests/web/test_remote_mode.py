"""The web reading a remote store: what differs from the embedded store (the shared HTTP tests run in both
modes through the `app`, `sparql_app` and `gunicorn_server` fixtures)."""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from lod_pub.store.embedded import bind_variables
from lod_pub.store.http import Endpoints, HttpStore, StoreUnavailable, base_first
from lod_pub.web import create_app
from lod_pub.web.sparql import sandbox
from oxigraph_server import free_port

PERSON = "/doc/person/sohail-mahmood"
ASK = {"query": "ASK { ?s a <http://schema.org/Person> }"}
JSON = {"Accept": "application/sparql-results+json"}
R = ox.Variable("r")
IRI = ox.NamedNode("https://lod.example.org/id/person/x")


# -- substitutions ---------------------------------------------------------------------------------
def test_a_substituted_variable_becomes_the_term_and_a_projection_expression():
    query = "SELECT DISTINCT ?r ?p WHERE { ?r ?p ?rr FILTER(?r != $r) }"
    assert bind_variables(query, {R: IRI}) == (
        f"SELECT DISTINCT ({IRI} AS ?r) ?p WHERE {{ {IRI} ?p ?rr FILTER({IRI} != {IRI}) }}")


def test_variables_inside_strings_iris_and_comments_are_left_alone():
    query = 'SELECT ?x WHERE { ?x <http://e.org/?r> "?r" ; <http://e.org/p> """a ?r""" , \'?r\' } # ?r\n'
    assert bind_variables(query, {R: IRI}) == query


def test_a_literal_is_written_with_escapes():
    text = ox.Literal('say "hi"\n', language="en")
    assert bind_variables("ASK { ?s ?p ?r }", {R: text}) == 'ASK { ?s ?p "say \\"hi\\"\\n"@en }'


# -- the prologue, as Virtuoso 7.2 reads one --------------------------------------------------------
PROLOGUE_QUERY = "SELECT (<x> AS ?x) (<#f> AS ?f) (r:y AS ?y) (s:z AS ?z) {}"


@pytest.mark.parametrize("prologue", [
    "PREFIX s: <http://schema.org/>\nBASE <http://e.example/sparql>\n",
    "BASE <http://e.example/sparql>\nBASE <http://a.example/>\nPREFIX s: <http://schema.org/> ",
    "PREFIX s: <http://schema.org/>\nBASE <http://e.example/a/sparql>\nprefix r: <rel/> base <../b/c#d> ",
    "BASE <http://e.example/a/> PREFIX s: <s/> BASE <t/> PREFIX r: <r/> PREFIX s: <u/> BASE <?q> ",
    "BASE <http://e.example/é/> # a comment\nBASE <\\u00E9/> PREFIX s: <\\u00E9#> ",
])
def test_the_prologue_is_rewritten_with_one_base_first_and_means_the_same(prologue):
    """Virtuoso 7.2 reads SPARQL 1.0's prologue (one BASE, before every PREFIX) and refuses any other;
    the rewritten query gives the embedded store the same answer as the query as written."""
    query = prologue + ("PREFIX r: <http://r.example/> " if "r:" not in prologue else "") + PROLOGUE_QUERY
    if "s:" not in prologue:
        query = "PREFIX s: <http://s.example/> " + query
    rewritten = base_first(query)
    words = [w.upper() for w in rewritten.split() if w.upper() in ("BASE", "PREFIX")]
    assert words[0] == "BASE" and words.count("BASE") == 1 and rewritten.startswith("BASE <")
    store = ox.Store()
    assert list(store.query(rewritten)) == list(store.query(query))
    assert all(":" in row[v].value for row in store.query(rewritten) for v in ("x", "f", "y", "z"))


@pytest.mark.parametrize("query", [
    "SELECT * {}", "BASE <http://e.example/> PREFIX s: <rel> SELECT * {}",
    "PREFIX s: <rel> BASE <http://e.example/> SELECT * {}", "SELECT * { ?s ?p ?o",
])
def test_a_prologue_already_read_by_virtuoso_or_not_resolvable_is_sent_as_it_is(query):
    assert base_first(query) == query


@pytest.fixture(scope="module", params=["remote", "virtuoso"])
def reading(request) -> str:
    """The URL of a store holding the sample: the Oxigraph server (filled by push), or Virtuoso (holding
    the sample as Virtuoso can; tests/conftest.py)."""
    if request.param == "virtuoso":
        return request.getfixturevalue("virtuoso_settings").remote
    return request.getfixturevalue("remote_server").url


def test_the_remote_answers_as_the_embedded_store_does(reading, store):
    remote = HttpStore(Endpoints.of(reading))
    query = "SELECT ?r ?n WHERE { ?r <http://schema.org/name> ?n } ORDER BY ?n"
    who = ox.NamedNode("https://lod.example.org/id/person/sohail-mahmood")
    subs = {R: who}
    mine = [(r["r"], r["n"]) for r in store.query(query, substitutions=subs, use_default_graph_as_union=True)]
    theirs = [(r["r"], r["n"]) for r in remote.query(query, substitutions=subs)]
    assert mine == theirs and len(mine) == 1
    assert shapes(remote.quads_for_pattern(who, None, None)) == shapes(store.quads_for_pattern(who, None, None))
    remote.close()


def test_a_streamed_answer_left_half_read_does_not_spoil_the_next_request(reading):
    """The connection of an answer not read to its end is closed, never handed to the next request."""
    remote = HttpStore(Endpoints.of(reading))
    try:
        rows = remote.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 5000", stream=True)  # about 2 MB
        assert isinstance(rows, ox.QuerySolutions) and next(iter(rows)) is not None
        for _ in range(3):
            assert bool(remote.query(ASK["query"])) is True
            assert len(list(remote.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 7"))) == 7
    finally:
        remote.close()


def shapes(quads) -> list[str]:
    """The quads as text, blank nodes unnamed (a store names the blank nodes it loads itself)."""
    return sorted(re.sub(r"_:\w+", "_:b", str(q)) for q in quads)


# -- the store going away --------------------------------------------------------------------------
def test_a_store_gone_gives_503_with_retry_after_and_recovery_without_a_restart(own_remote):
    app, server = own_remote
    client = app.test_client()
    assert client.get(PERSON, headers={"Accept": "text/turtle"}).status_code == 200
    first = client.get("/sparql", query_string=ASK, headers=JSON)
    assert first.status_code == 200, first.data[:500]
    server.stop()
    for path, kwargs in ((f"{PERSON}?page=1", {}), ("/search", {"query_string": {"q": "Mahmood"}}),
                         ("/sparql", {"query_string": ASK, "headers": JSON})):
        response = client.get(path, **kwargs)
        assert response.status_code == 503, (path, response.data)
        assert int(response.headers["Retry-After"]) > 0
        assert b"store" in response.data
    assert client.get("/dumps/").status_code == 200  # the release's files do not need the store
    server.start()
    assert client.get("/search", query_string={"q": "Mahmood"}).status_code == 200
    assert client.get("/sparql", query_string=ASK, headers=JSON).status_code == 200


@pytest.mark.slow
def test_a_store_that_stops_answering_gives_503_then_504_within_the_limits(own_remote):
    app, server = own_remote
    client = app.test_client()
    server.pause()
    try:
        response = client.get("/search", query_string={"q": "Kabul"})
        assert response.status_code == 503 and "Retry-After" in response.headers
        late = client.get("/sparql", query_string=ASK, headers=JSON)
        assert late.status_code == 504, late.data[:500]
    finally:
        server.resume()
    assert client.get("/search", query_string={"q": "Kabul"}).status_code == 200


def test_a_store_that_was_never_there_is_a_clear_503(remote_settings):
    app = create_app(remote_settings.with_(remote=f"http://127.0.0.1:{free_port()}/"), LOD_PUB_REMOTE_TIMEOUT=2)
    response = app.test_client().get(PERSON)
    assert response.status_code == 503 and b"could not answer" in response.data


def test_the_unreachable_store_names_itself_in_the_detail_only():
    port = free_port()
    remote = HttpStore(Endpoints.oxigraph(f"http://127.0.0.1:{port}/"), timeout=2)
    with pytest.raises(StoreUnavailable, match="could not be reached") as info:
        remote.query("ASK {}")
    assert str(port) not in str(info.value) and f"127.0.0.1:{port}" in info.value.detail


def test_a_streamed_answer_cut_short_is_a_store_unavailable_naming_no_address():
    body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://e.org/'
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n"
    with one_answer(head + body) as url:
        remote = HttpStore(Endpoints.oxigraph(url), timeout=5)
        with pytest.raises(StoreUnavailable, match="could not be reached") as info:
            list(remote.query("SELECT ?s WHERE { ?s ?p ?o }", stream=True))
        remote.close()
    assert url.split("//")[1].rstrip("/") not in str(info.value) and url in info.value.detail


class one_answer:
    """A loopback server that answers one connection with the given bytes and closes it: its base URL."""

    def __init__(self, answer: bytes):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, args=(answer,), daemon=True)

    def _serve(self, answer: bytes) -> None:
        conn, _ = self.server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(answer)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/"

    def __exit__(self, *exc) -> None:
        self.thread.join(5)
        self.server.close()


# -- the sandbox of the query workers --------------------------------------------------------------
@pytest.mark.skipif(not sandbox.supported(), reason="the sandbox is for Linux on x86_64 and aarch64")
def test_the_client_connects_from_the_thread_that_sends_the_request(reading):
    """A query worker lets one thread create sockets (web/sparql/worker.py): the client opens none when it
    is made, and each from the thread that sends the request, so a client made on a sealed thread works
    from the thread with the network, and a sealed thread's request is a clean StoreUnavailable."""
    made: list[HttpStore] = []
    failed: list[BaseException] = []

    def sealed(work) -> None:
        def run() -> None:
            sandbox.seal()
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                failed.append(exc)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()

    sealed(lambda: made.append(HttpStore(Endpoints.of(reading))))
    assert failed == [] and bool(made[0].query(ASK["query"])) is True
    made[0].close()
    fresh = HttpStore(Endpoints.of(reading))
    sealed(lambda: fresh.query(ASK["query"]))
    fresh.close()
    assert [type(exc) for exc in failed] == [StoreUnavailable], failed
    assert urlsplit(reading).netloc not in str(failed[0]) and "could not be reached" in str(failed[0])


# -- a web machine without the store ---------------------------------------------------------------
def test_serve_with_remote_and_no_release_says_what_to_copy(tmp_path, capsys):
    from lod_pub.cli import main

    assert main(["serve", "--data-dir", str(tmp_path / "var"), "--remote", "http://127.0.0.1:9/"]) == 2
    assert "copy it here" in capsys.readouterr().err


def test_the_release_files_alone_are_refused_without_a_remote(remote_settings):
    """The copy a web machine holds has no store: served embedded, it is refused, never half-served."""
    assert not (remote_settings.data_dir / "current" / "store").exists()
    app = create_app(dataclasses.replace(remote_settings, remote=None))
    assert app.test_client().get(PERSON).status_code == 503


def test_a_store_that_refuses_the_request_is_a_502_not_try_again(reading, remote_settings):
    """A store that answers 4xx (here: the web pointed at a path of the server that is no endpoint) refused
    what the web sent: trying again will not help, so it is a 502 without Retry-After, and names no address."""
    wrong = urlsplit(reading)._replace(path="/not-an-endpoint" + urlsplit(reading).path).geturl()
    app = create_app(dataclasses.replace(remote_settings, remote=wrong), SPARQL_WORKERS=1)
    try:
        response = app.test_client().get(PERSON, headers={"Accept": "text/turtle"})
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()
    assert response.status_code == 502, response.data[:300]
    assert "Retry-After" not in response.headers
    assert str(urlsplit(reading).port).encode() not in response.data


@pytest.mark.parametrize("path, accept", [("/void", "text/html"), ("/void", "text/turtle"), ("/void.ttl", "*/*"),
                                          ("/", "text/html"), ("/dumps/", "text/html"), ("/ns/dip", "text/turtle")])
def test_the_release_files_are_served_while_the_store_is_down(remote_settings, path, accept):
    """What comes from the release's files (VoID, the home page's figures, the dumps, the vocabulary)
    does not need the store: a web machine whose store is down still serves them."""
    app = create_app(remote_settings.with_(remote=f"http://127.0.0.1:{free_port()}/"), LOD_PUB_REMOTE_TIMEOUT=2)
    response = app.test_client().get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.data[:300]
