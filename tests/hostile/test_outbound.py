"""No query reaches the network: every SERVICE spelling Oxigraph's grammar accepts is refused, and the
query workers cannot open a network socket at all (sparql/sandbox.py), so a spelling nobody foresaw fails too.

A loopback listener answers every connection with a page that is not SPARQL (an listener service, say)
and records it: nothing may ever connect, in embedded and in remote mode.
"""

from __future__ import annotations

import socket
import threading
import time

import pyoxigraph as ox
import pytest

from lod_pub.web.sparql import sandbox
from lod_pub.web.sparql.messages import Job
from lod_pub.web.sparql.pool import QueryPool

ASK = {"query": "ASK { ?s ?p ?o }", "format": "json"}
NOT_SPARQL = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nlistener-key"


def spellings(url: str) -> dict[str, str]:
    """Queries that make Oxigraph 0.5 call SERVICE (each checked against the engine itself below)."""
    return {
        "plain": f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "glued": f"SELECT * {{ SERVICE<{url}>{{?s ?p ?o}} }}",
        "lower-silent": f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "glued-silent": f"SELECT * {{ SERVICESILENT<{url}>{{?s ?p ?o}} }}",
        "empty-prefix": f"PREFIX : <{url}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
        "word-prefix": f"PREFIX x: <{url}> SELECT * {{ SERVICEx:y {{ ?s ?p ?o }} }}",
        "after-true": f"SELECT * {{ ?a ?b trueSERVICE <{url}> {{}} }}",
        "after-number": f"SELECT * {{ ?a ?b 1SERVICE <{url}> {{}} }}",
        "comment-between": f"SELECT * {{ SERVICE#x\n<{url}> {{ ?s ?p ?o }} }}",
        "after-triple": f"SELECT * {{ ?a ?b ?c SERVICE <{url}> {{}} }}",
        "less-than-comment": ("SELECT * { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b#>'''\n) "
                              f"SERVICE <{url}> {{ ?s ?p ?o }} # '''\n}}"),
        "variable": f"SELECT * {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    }


UNBOUND_FIRST = {"variable"}  # Oxigraph evaluates SERVICE ?u before the BIND: it never calls out


@pytest.mark.parametrize("name", list(spellings("http://x/")))
def test_each_spelling_is_a_service_call_to_the_engine(listener, name):
    """The list is real: unguarded, Oxigraph itself calls the listener for each (outside any sandbox)."""
    url, seen = listener
    try:
        result = ox.Store().query(spellings(url)[name])
        list(result) if not isinstance(result, ox.QueryBoolean) else None
    except (RuntimeError, OSError):
        pass  # the listener's answer is not SPARQL
    if name in UNBOUND_FIRST:
        return
    assert seen, f"{name}: Oxigraph made no request; the spelling tests nothing"


@pytest.mark.parametrize("name", list(spellings("http://x/")))
def test_no_spelling_reaches_the_network(client, listener, name):
    url, seen = listener
    response = client.post("/sparql", data={"query": spellings(url)[name], "format": "json"})
    assert response.status_code == 400, response.data[:300]
    assert b"SERVICE" in response.data or b"ambiguous" in response.data, response.data[:300]
    assert client.get("/sparql", query_string=ASK).status_code == 200
    time.sleep(0.2)
    assert seen == []


@pytest.fixture()
def empty_store(tmp_path) -> str:
    path = tmp_path / "store"
    ox.Store(str(path)).flush()
    return str(path)


def job(store: str, query: str) -> Job:
    return Job(store=store, query=query, format="json", row_cap=10, byte_cap=1 << 20)


@pytest.mark.skipif(not sandbox.supported(), reason="the sandbox is for Linux on x86_64 and aarch64")
def test_a_sealed_worker_cannot_call_out_whatever_the_guard_missed(listener, empty_store):
    """Past the guard (the pool is called directly): the engine's own HTTP client fails, the worker lives.
    The same query from an unsealed worker does reach the listener: the seal is what stops it."""
    url, seen = listener
    sealed = QueryPool(1, 20.0, 0, network="none")
    try:
        for query in spellings(url).values():
            outcome = sealed.run(job(empty_store, query))
            assert outcome.answer.ok is False or b"internal-key" not in outcome.read(), query
        pid = sealed.pids()
        assert sealed.run(job(empty_store, "ASK {}")).answer.ok and sealed.pids() == pid
    finally:
        sealed.close()
    time.sleep(0.2)
    assert seen == []
    unsealed = QueryPool(1, 20.0, 0, network="any")
    try:
        answer = unsealed.run(job(empty_store, spellings(url)["plain"])).answer
    finally:
        unsealed.close()
    assert seen, "an unsealed worker should have called the listener"
    assert answer.ok is False and answer.error == "failed", answer  # not SPARQL: an error, no crash


@pytest.mark.skipif(not sandbox.supported(), reason="the sandbox is for Linux on x86_64 and aarch64")
def test_a_remote_store_query_is_parsed_sealed(listener):
    """With a remote store, the worker parses the query on a sealed thread before sending it: the parse
    (Oxigraph evaluates while it parses) makes no request. The store here is gone: the answer is 'io'."""
    url, seen = listener
    pool = QueryPool(1, 20.0, 0, network="store")
    try:
        answer = pool.run(job("http://127.0.0.1:9/query", spellings(url)["plain"])).answer
    finally:
        pool.close()
    time.sleep(0.2)
    assert seen == []
    assert answer.ok is False and answer.error == "io", answer


@pytest.mark.skipif(not sandbox.supported(), reason="the sandbox is for Linux on x86_64 and aarch64")
def test_a_sealed_thread_keeps_unix_sockets_and_loses_network_ones():
    results = {}

    def sealed():
        sandbox.seal()
        for name, family in (("inet", socket.AF_INET), ("inet6", socket.AF_INET6), ("unix", socket.AF_UNIX)):
            try:
                socket.socket(family).close()
                results[name] = "open"
            except OSError as exc:
                results[name] = exc.errno

    thread = threading.Thread(target=sealed)
    thread.start()
    thread.join()
    assert results == {"inet": 13, "inet6": 13, "unix": "open"}
    socket.socket().close()  # the thread that sealed itself is the only one without a network
