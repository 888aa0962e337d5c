"""Answers to GET queries: an ETag from the release and the query, 304 on a match, a bounded result cache."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from lod_pub.web.sparql.cache import Cached, ResultCache
from lod_pub.web.sparql.endpoint import Planned, answer_key

EVENTS = "SELECT ?e WHERE { ?e a schema:Event } ORDER BY ?e"
JSON = {"Accept": "application/sparql-results+json"}


def _get(client, query: str = EVENTS, headers: dict | None = None, **params):
    return client.get("/sparql", query_string={"query": query, **params}, headers={**JSON, **(headers or {})})


def test_a_get_answer_carries_an_etag_and_caching_headers_and_comes_from_the_cache_the_second_time(make_app):
    client = make_app(SPARQL_WORKERS=1).test_client()
    first = _get(client)
    second = _get(client)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-SPARQL-Cache"] == "miss" and second.headers["X-SPARQL-Cache"] == "hit"
    assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('"')
    assert first.data == second.data and json.loads(second.data)["results"]["bindings"]
    assert "public" in first.headers["Cache-Control"] and "max-age=" in first.headers["Cache-Control"]
    assert second.headers["X-SPARQL-Rows"] == first.headers["X-SPARQL-Rows"] != "0"
    assert second.headers["Vary"] == "Accept" and second.headers["Content-Type"] == first.headers["Content-Type"]


def test_a_conditional_get_gets_304_without_running_the_query(make_app):
    app = make_app(SPARQL_WORKERS=1)
    client = app.test_client()
    etag = _get(client).headers["ETag"]
    app.extensions["lod_pub.sparql"]["pool"].close()  # no worker can run a query from here on
    again = _get(client, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    weak = _get(client, headers={"If-None-Match": f"W/{etag}, \"other\""})
    assert weak.status_code == 304
    other = _get(client, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.headers["X-SPARQL-Cache"] == "hit"  # from the cache, not run


def test_the_etag_changes_with_everything_that_changes_the_answer(make_app, client):
    base = _get(client).headers["ETag"]
    assert _get(client).headers["ETag"] == base
    others = [
        _get(client, query=EVENTS + " LIMIT 1"),
        _get(client, headers={"Accept": "application/sparql-results+xml"}),
        _get(client, format="csv"),
        _get(client, **{"default-graph-uri": "https://lod.example.org/graph/none"}),
        _get(make_app(SPARQL_WORKERS=1, SPARQL_ROW_CAP=1).test_client()),
    ]
    etags = [r.headers["ETag"] for r in others]
    assert all(r.status_code == 200 for r in others)
    assert len(set(etags + [base])) == len(etags) + 1


def test_the_key_holds_the_release_and_the_media_type(client):
    response = _get(client)
    assert response.status_code == 200
    from lod_pub.formats import negotiate
    from lod_pub.web.sparql.guard import scan
    from lod_pub.web.sparql.messages import Job
    from lod_pub.web.sparql.results import RESULT_FORMATS

    fmt = negotiate("application/sparql-results+json", RESULT_FORMATS)
    job = Job(store="s", query=EVENTS, format=fmt.key, row_cap=10, byte_cap=100)
    planned = Planned(fmt, scan(EVENTS, 100, {}), job, "release-a")
    assert answer_key(planned).startswith("release-a-")
    assert answer_key(replace(planned, release="release-b")) != answer_key(planned)
    assert answer_key(replace(planned, job=replace(job, spool="/tmp/x"))) == answer_key(planned)  # not the answer's
    assert answer_key(replace(planned, job=replace(job, byte_cap=99))) != answer_key(planned)


def test_post_errors_and_pages_are_not_cached(client):
    posted = client.post("/sparql", data={"query": EVENTS}, headers=JSON)
    assert posted.status_code == 200 and "ETag" not in posted.headers and "X-SPARQL-Cache" not in posted.headers
    bad = _get(client, query="SELECT WHERE {")
    assert bad.status_code == 400 and "ETag" not in bad.headers
    page = _get(client, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "ETag" not in page.headers


def test_the_cache_off_runs_every_query(make_app):
    client = make_app(SPARQL_WORKERS=1, SPARQL_CACHE_ENTRIES=0).test_client()
    assert [_get(client).headers["X-SPARQL-Cache"] for _ in range(2)] == ["miss", "miss"]
    assert _get(client).headers["ETag"]  # the ETag still holds: 304s need no cache


def test_a_truncated_answer_is_kept_truncated(make_app):
    client = make_app(SPARQL_WORKERS=1, SPARQL_ROW_CAP=2).test_client()
    first, second = _get(client), _get(client)
    assert second.headers["X-SPARQL-Cache"] == "hit"
    assert first.headers["X-SPARQL-Truncated"] == second.headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(second.data)["results"]["bindings"]) == 2


def test_the_result_cache_is_bounded_in_entries_and_in_bytes():
    cache = ResultCache(entries=3, size=100)
    for i in range(5):
        cache.put(f"k{i}", Cached(b"x" * 10, 1, False))
    assert len(cache) == 3 and cache.get("k0") is None and cache.get("k4") is not None
    cache.get("k2")  # used: kept over k3
    cache.put("big", Cached(b"y" * 75, 1, False))
    assert cache.bytes <= 100 and cache.get("big") is not None and cache.get("k2") is not None
    assert cache.get("k3") is None
    cache.put("huge", Cached(b"z" * 101, 1, False))  # larger than the whole budget: never kept
    assert cache.get("huge") is None and cache.get("big") is not None
    cache.put("big", Cached(b"w" * 5, 2, True))  # replaced, its bytes counted once
    assert cache.get("big").rows == 2 and cache.bytes == 10 + 10 + 5  # k4, k2 and the new big


@pytest.mark.parametrize("entries", [0, -1])
def test_a_cache_of_no_entries_keeps_nothing(entries):
    cache = ResultCache(entries=entries, size=100)
    cache.put("k", Cached(b"x", 1, False))
    assert cache.get("k") is None and len(cache) == 0


def test_the_cache_is_keyed_by_the_request_as_sent_and_the_etag_by_the_answer(make_app):
    client = make_app(SPARQL_WORKERS=1).test_client()
    first = _get(client)
    spelled = _get(client, headers={"Accept": "application/sparql-results+json;q=0.9"})  # another Accept, same answer
    assert first.headers["X-SPARQL-Cache"] == spelled.headers["X-SPARQL-Cache"] == "miss"
    assert first.headers["ETag"] == spelled.headers["ETag"] and first.data == spelled.data
    revalidated = _get(client, headers={"Accept": "application/sparql-results+json;q=0.9",
                                        "If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.headers["X-SPARQL-Cache"] == "revalidated"


def test_answers_of_a_remote_store_are_not_kept_but_carry_the_etag(sparql_app):
    client = sparql_app.test_client()
    first, second = _get(client), _get(client)
    assert first.headers["ETag"] == second.headers["ETag"]
    remote = bool(sparql_app.config["LOD_PUB_SETTINGS"].remote)
    assert second.headers["X-SPARQL-Cache"] == ("miss" if remote else "hit")
