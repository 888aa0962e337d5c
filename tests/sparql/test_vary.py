"""The endpoint's answers depend on Accept, and say so: Vary, parsed as a list of field names, names it."""

from __future__ import annotations

import pytest

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
ASK = "ASK { ?s ?p ?o }"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def vary(response) -> set[str]:
    """The field names of every Vary header of the response, lower-cased."""
    return {name.strip().lower() for value in response.headers.getlist("Vary") for name in value.split(",")
            if name.strip()}


@pytest.mark.parametrize("query, accept", [
    (SELECT, "application/sparql-results+json"), (SELECT, "application/sparql-results+xml"), (SELECT, "text/csv"),
    (ASK, "application/sparql-results+json"), (CONSTRUCT, "text/turtle"), (CONSTRUCT, "application/n-triples"),
    (SELECT, BROWSER), (CONSTRUCT, BROWSER),
])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_answers_vary_on_accept(client, query, accept, method):
    if method == "GET":
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    else:
        response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.data[:300]
    assert "accept" in vary(response)


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", BROWSER])
def test_the_service_description_and_the_page_vary_on_accept(client, accept):
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert "accept" in vary(response)
