"""Data that is not the project's own, published with `serve --data` (lod_pub.adhoc): schema.org 30.0, a
small SKOS scheme, a FOAF file, an N-Quads file with named graphs. Every page kind answers without a
server error, foreign IRIs are browsable at /resource?iri=, search reads every label property, and the
site's own texts say nothing of articles or of the diplomatic sample."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, VOID

from lod_pub.adhoc import publish_files
from lod_pub.settings import Settings
from lod_pub.web import create_app

DATA = Path(__file__).resolve().parents[1] / "data"
SKOS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/fruit/> .
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Fruit"@en .
ex:apple a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Apple"@en, "Pomme"@fr ; skos:broader ex:pome .
ex:pome a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Pome fruit"@en ; skos:altLabel "Kernobst"@de .
"""
FOAF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
  <foaf:Person rdf:about="http://people.example.net/alice#me">
    <foaf:name>Alice Liddell</foaf:name>
    <foaf:knows><foaf:Person rdf:about="http://people.example.net/bob#me"><foaf:name>Bob Dodgson</foaf:name></foaf:Person></foaf:knows>
  </foaf:Person>
</rdf:RDF>
"""
NQUADS = """<http://example.com/book/1> <http://purl.org/dc/terms/title> "A Book of Graphs"@en <http://example.com/graphs/a> .
<http://example.com/book/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/vocab#Book> <http://example.com/graphs/a> .
<http://example.com/book/2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.com/vocab#Book> <http://example.com/graphs/b> .
<http://example.com/book/2> <http://www.w3.org/2000/01/rdf-schema#label> "Second book" _:g .
<http://example.com/vocab#Book> <http://www.w3.org/2000/01/rdf-schema#label> "Book"@en .
"""
#: file name -> (how to write it, a word its search finds, a class it uses, a foreign IRI it describes)
FILES = {
    "schemaorg.ttl": (lambda: gzip.decompress((DATA / "schemaorg-current-http-30.0.ttl.gz").read_bytes()),
                      "Person", "http://www.w3.org/2000/01/rdf-schema#Class", "http://schema.org/Person"),
    "fruit.ttl": (lambda: SKOS.encode(), "pome", "http://www.w3.org/2004/02/skos/core#Concept",
                  "http://example.org/fruit/apple"),
    "people.rdf": (lambda: FOAF.encode(), "alice", "http://xmlns.com/foaf/0.1/Person",
                   "http://people.example.net/alice#me"),
    "books.nq": (lambda: NQUADS.encode(), "graphs", "http://example.com/vocab#Book", "http://example.com/book/1"),
}
#: What the site says only of the sample built from records.
SAMPLE_WORDS = re.compile(r"Sohail|Mahmood|traced to the words|article's own words|graph/article|Diplomatic events",
                          re.I)


@pytest.fixture(scope="module", params=sorted(FILES))
def published(request, tmp_path_factory):
    """(client, the file's entry in FILES): the file published on its own, with a project of nothing."""
    name = request.param
    folder = tmp_path_factory.mktemp(name.replace(".", "-"))
    path = folder / name
    path.write_bytes(FILES[name][0]())
    (folder / "project").mkdir()
    settings = Settings(project_dir=folder / "project", data_dir=folder / "var")
    publish_files([str(path)], settings)
    return create_app(settings).test_client(), FILES[name]


def html(client, path: str):
    return client.get(path, headers={"Accept": "text/html"})


def visible(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def links(response) -> list[str]:
    """The links of a page, as a client follows them (still percent-encoded)."""
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', response.get_data(as_text=True))]


PAGES = ["/", "/void", "/void.ttl", "/void.jsonld", "/void.nt", "/void.rdf", "/void.html", "/.well-known/void",
         "/ns/dip", "/ns/dip-shapes", "/ns/cameo", "/dumps/", "/dumps/SHA256SUMS", "/sitemap.xml", "/sparql",
         "/favicon.ico", "/no/such/page", "/doc/person/nobody", "/id/place/nowhere/"]


def test_every_page_kind_answers_without_a_server_error(published):
    client, _ = published
    for path in PAGES:
        response = html(client, path)
        response.close()  # a file sent (the icon) is closed with its response
        assert response.status_code < 500, (path, response.status_code)


def test_class_listings_search_and_foreign_resources_answer(published):
    client, (_, word, cls, iri) = published
    home = html(client, "/")
    listings = [h for h in links(home) if h.startswith("/search?class=")]
    assert f"/search?class={cls}" in [unquote(h) for h in listings]
    for path in listings[:5]:
        assert html(client, path).status_code == 200, path
    found = html(client, f"/search?q={word}")
    assert found.status_code == 200 and any(h.startswith("/resource?iri=") for h in links(found)), word
    page = client.get("/resource", query_string={"iri": iri}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and iri in page.get_data(as_text=True)
    turtle = client.get("/resource", query_string={"iri": iri}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    for path in [h for h in links(home) if h.startswith("/resource?iri=")][:5]:  # the home page's examples
        assert html(client, path).status_code == 200, path
    assert client.get("/resource", query_string={"iri": "http://nowhere.example/x"}).status_code == 404


def test_the_site_says_nothing_of_the_sample(published):
    client, _ = published
    for path in ("/", "/sparql", "/dumps/", "/search?q=x", "/no/such/page"):
        text = visible(html(client, path))
        assert not SAMPLE_WORDS.search(text), (path, SAMPLE_WORDS.search(text))
    assert "not validated" in visible(html(client, "/"))


def test_the_query_page_offers_questions_of_the_data(published):
    client, (_, _, cls, _) = published
    text = html(client, "/sparql").get_data(as_text=True)
    assert "Which classes are used" in text and "Which properties are used most" in text and "DESCRIBE" in text


def test_labels_come_from_every_naming_property(published):
    """rdfs:label (schema.org), skos:prefLabel in English of several languages, foaf:name, dcterms:title."""
    client, (_, _, _, iri) = published
    page = client.get("/resource", query_string={"iri": iri}, headers={"Accept": "text/html"})
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", page.get_data(as_text=True))
    assert title is not None and title.group(1).strip() in {"Person", "Apple", "Alice Liddell", "A Book of Graphs"}


def test_the_dataset_page_says_nothing_of_the_sample(published):
    client, _ = published
    assert not re.search(r"article|diplomatic", visible(html(client, "/void")), re.I)


def test_the_dataset_description_counts_the_quads_of_each_property_the_data_uses(published):
    """VoID property partitions: every predicate of the file, with its quads; they add up to void:triples."""
    client, _ = published
    answer = client.get("/void", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=answer.get_data(as_text=True), format="turtle")
    counts = {str(g.value(part, VOID.property)): int(g.value(part, VOID.triples))
              for part in g.objects(None, VOID.propertyPartition)}
    dataset = next(g.subjects(VOID.propertyPartition, None))
    total = int(g.value(dataset, VOID.triples))
    assert sum(counts.values()) == total and str(RDF.type) in counts
