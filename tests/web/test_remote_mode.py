"""The web reading a remote store: what differs from the embedded store (the shared HTTP tests run in both
modes through the `app`, `sparql_app` and `gunicorn_server` fixtures)."""

from __future__ import annotations

import dataclasses
import re

import pyoxigraph as ox
import pytest

from lod_pub.httpstore import Endpoints, HttpStore, StoreUnavailable, bind_variables
from lod_pub.web import create_app
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


def test_the_remote_answers_as_the_embedded_store_does(remote_server, store):
    remote = HttpStore(remote_server.remote().endpoints)
    query = "SELECT ?r ?n WHERE { ?r <http://schema.org/name> ?n } ORDER BY ?n"
    who = ox.NamedNode("https://lod.example.org/id/person/sohail-mahmood")
    subs = {R: who}
    mine = [(r["r"], r["n"]) for r in store.query(query, substitutions=subs, use_default_graph_as_union=True)]
    theirs = [(r["r"], r["n"]) for r in remote.query(query, substitutions=subs)]
    assert mine == theirs and len(mine) == 1
    assert shapes(remote.quads_for_pattern(who, None, None)) == shapes(store.quads_for_pattern(who, None, None))
    remote.close()


def shapes(quads) -> list[str]:
    """The quads as text, blank nodes unnamed (a store names the blank nodes it loads itself)."""
    return sorted(re.sub(r"_:\w+", "_:b", str(q)) for q in quads)


# -- the store going away --------------------------------------------------------------------------
def test_a_store_gone_gives_503_with_retry_after_and_recovery_without_a_restart(own_remote):
    app, server = own_remote
    client = app.test_client()
    assert client.get(PERSON, headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/sparql", query_string=ASK, headers=JSON).status_code == 200
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
        assert client.get("/sparql", query_string=ASK, headers=JSON).status_code == 504
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


def test_a_store_that_refuses_the_request_is_a_502_not_try_again(remote_server, remote_settings):
    """A store that answers 4xx (here: the web pointed at a path of the server that is no endpoint) refused
    what the web sent: trying again will not help, so it is a 502 without Retry-After, and names no address."""
    app = create_app(dataclasses.replace(remote_settings, remote=remote_server.url + "not-an-endpoint/"),
                     SPARQL_WORKERS=1)
    try:
        response = app.test_client().get(PERSON, headers={"Accept": "text/turtle"})
    finally:
        app.extensions["lod_pub.sparql"]["pool"].close()
    assert response.status_code == 502, response.data[:300]
    assert "Retry-After" not in response.headers
    assert str(remote_server.port).encode() not in response.data
