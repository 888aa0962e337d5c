"""The remote store: a real Oxigraph server process, filled by `push` and queried over HTTP."""

from __future__ import annotations

import pytest

from helpers import select
from lod_pub.errors import ReleaseError
from lod_pub.release import build
from lod_pub.store import push as push_module
from lod_pub.store.push import STAGING, Endpoints, RemoteError, RemoteStore, StoreUnavailable, push
from lod_pub.settings import Settings
from lod_pub.vocab import PREFIXES
from oxigraph_server import OXIGRAPH, OxigraphServer, free_port

pytestmark = pytest.mark.skipif(not OXIGRAPH.exists(), reason="the oxigraph server (PyPI 'oxigraph') is not installed")


@pytest.fixture()
def oxigraph_server(tmp_path):
    """An empty Oxigraph server on 127.0.0.1 with the union of graphs as default graph; stopped by pid."""
    with OxigraphServer(tmp_path / "oxigraph") as server:
        remote = server.remote()
        yield remote
        remote.close()


Q1 = """SELECT ?date ?placeName WHERE {
  ?meeting a dip:Meeting ; schema:attendee ?fs ; schema:startDate ?date ; schema:location/schema:name ?placeName .
  ?fs schema:name "Sohail Mahmood"@en . }"""


def remote_rows(remote: RemoteStore, query: str) -> list[dict[str, str]]:
    result = remote.query(query, prefixes=PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_a_pushed_release_answers_as_the_embedded_store_does(oxigraph_server, release, store):
    push(release, oxigraph_server)
    assert oxigraph_server.holds(release)
    assert remote_rows(oxigraph_server, Q1) == select(store, Q1) == [
        {"date": "2021-10-20", "placeName": "Foreign Office, Islamabad"}]
    sizes = oxigraph_server.graph_sizes()
    assert sum(sizes.values()) == release.manifest["quads"]
    assert bool(oxigraph_server.query("ASK { ?s a <http://schema.org/Person> }")) is True
    triples = list(oxigraph_server.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://schema.org/Person> ; ?p ?o }"))
    assert len(triples) > 5


def test_a_new_release_replaces_the_old_one_whole(oxigraph_server, project_copy, tmp_path):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    first = build(settings).release
    push(first, oxigraph_server)
    article = project_copy / "seeds" / "articles" / "000_ed0bee0b2eb72bc6.yaml"
    article.write_text(article.read_text("utf-8").replace("id: tdi-2021-10-21-foreign-secretary-nato-delegation",
                                                          "id: tdi-2021-10-21-renamed"))
    second = build(settings).release
    push(second, oxigraph_server)
    sizes = oxigraph_server.graph_sizes()
    assert set(sizes) == set(second.manifest["graphs"])  # the old article graph is gone, nothing else is there
    assert sum(sizes.values()) == second.manifest["quads"]
    assert oxigraph_server.holds(second) and not oxigraph_server.holds(first)
    assert not any(g.startswith(STAGING) for g in sizes)


@pytest.mark.parametrize("batch", [1, 8 << 20], ids=["a-request-per-graph", "one-request"])
def test_a_push_that_fails_midway_leaves_the_previous_release(oxigraph_server, release, project_copy, tmp_path,
                                                             monkeypatch, batch):
    push(release, oxigraph_server)
    before = oxigraph_server.graph_sizes()
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    second = build(settings).release
    real, calls = RemoteStore.post_quads, []

    def failing(self, data):
        calls.append(data)
        if len(calls) == 2 or batch > 1:
            raise StoreUnavailable("simulated: the connection dropped")
        real(self, data)

    monkeypatch.setattr(RemoteStore, "post_quads", failing)
    monkeypatch.setattr(push_module._Loader.__init__, "__defaults__", (batch,))
    with pytest.raises(ReleaseError, match="simulated"):
        push(second, oxigraph_server)
    assert oxigraph_server.graph_sizes() == before
    assert oxigraph_server.holds(release)


def test_a_store_that_takes_no_quads_is_loaded_a_graph_at_a_time(oxigraph_server, release, monkeypatch):
    puts = []

    def refuse(self, data):
        raise RemoteError("HTTP 415: simulated: no N-Quads here")

    def put(self, graph, data, real=RemoteStore.put_graph):
        puts.append(graph)
        real(self, graph, data)

    monkeypatch.setattr(RemoteStore, "post_quads", refuse)
    monkeypatch.setattr(RemoteStore, "put_graph", put)
    push(release, oxigraph_server)
    assert len(puts) == len(release.manifest["graphs"])
    assert oxigraph_server.holds(release)


def test_an_unreachable_store_is_a_clear_error():
    remote = RemoteStore(Endpoints.oxigraph(f"http://127.0.0.1:{free_port()}/"), timeout=2)
    with pytest.raises(ReleaseError, match="could not be reached") as info:
        remote.graph_sizes()
    assert "127.0.0.1" in info.value.detail  # the address is for the operator's log, not the message


def test_the_push_command(oxigraph_server, release, settings, capsys):
    from lod_pub.cli import main

    url = oxigraph_server.endpoints.query.rsplit("query", 1)[0]
    assert main(["push", "-q", "--data-dir", str(settings.data_dir), "--remote", url]) == 0
    assert f"pushed {release.id}" in capsys.readouterr().out
    assert oxigraph_server.holds(release)


def test_a_second_push_sends_only_the_changed_graphs(oxigraph_server, project_copy, tmp_path, monkeypatch):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    first = build(settings).release
    assert push(first, oxigraph_server) == len(first.manifest["graphs"])
    article = project_copy / "seeds" / "articles" / "001_wikinews_maidan_wardak.yaml"
    article.write_text(article.read_text("utf-8").replace("Maidan Wardak", "Maidan Wardak Province", 1), "utf-8")
    second = build(settings).release
    sent = []
    real = RemoteStore.post_quads
    monkeypatch.setattr(RemoteStore, "post_quads", lambda self, data: (sent.append(data), real(self, data)))
    assert push(second, oxigraph_server) == 1
    assert len(sent) == 1 and b"Maidan Wardak Province" in sent[0]
    assert oxigraph_server.holds(second)
    names = {r["n"] for r in oxigraph_server.rows(
        "SELECT ?n WHERE { ?a a <http://schema.org/NewsArticle> ; <http://schema.org/name> ?n }")}
    assert any("Maidan Wardak Province" in n for n in names)
    assert not any("Maidan Wardak," in n for n in names)  # the old version of the graph is gone
    assert push(second, oxigraph_server) == 0  # nothing changed: nothing sent, nothing switched
    assert oxigraph_server.holds(second)


def test_a_store_that_does_not_hold_the_noted_release_gets_everything(oxigraph_server, project_copy, tmp_path):
    settings = Settings(project_dir=project_copy, data_dir=tmp_path / "var")
    first = build(settings).release
    push(first, oxigraph_server)
    oxigraph_server.update(f"DROP GRAPH <{first.manifest['graphs'][0]}>")  # someone else changed the store
    assert push(first, oxigraph_server) == len(first.manifest["graphs"])
    assert oxigraph_server.holds(first)


def test_a_first_push_that_fails_leaves_the_store_empty(oxigraph_server, release, monkeypatch):
    """Into an empty store the graphs go straight to their names; a failure drops them again."""
    real, calls = RemoteStore.post_quads, []

    def failing(self, data):
        calls.append(data)
        if len(calls) == 2:
            raise StoreUnavailable("simulated: the connection dropped")
        real(self, data)

    monkeypatch.setattr(RemoteStore, "post_quads", failing)
    monkeypatch.setattr(push_module._Loader.__init__, "__defaults__", (1,))
    with pytest.raises(ReleaseError, match="simulated"):
        push(release, oxigraph_server)
    assert oxigraph_server.graph_sizes() == {}
