"""A server process with more than 1,024 open files (connections, slot files, stores) still runs
queries: the pool waits on a worker's answer with poll(2), not select(2), whose sets end at 1,024."""

from __future__ import annotations

import os
import resource

import pytest

ASK = {"query": "ASK { ?s ?p ?o }"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture()
def high_descriptors():
    """Enough open descriptors that the next ones opened are numbered above 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.fail(f"this machine allows {hard} open files; the test needs 1,200")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    opened = []
    try:
        while not opened or opened[-1] < 1100:
            opened.append(os.open(os.devnull, os.O_RDONLY))
        yield
    finally:
        for fd in opened:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_query_runs_when_the_worker_pipes_are_numbered_above_1024(make_app, high_descriptors):
    app = make_app(SPARQL_WORKERS=1)  # its worker's pipes are opened now, above 1,024
    response = app.test_client().get("/sparql", query_string=ASK, headers=JSON)
    assert response.status_code == 200, response.data[:300]
    assert response.get_json()["boolean"] is True
