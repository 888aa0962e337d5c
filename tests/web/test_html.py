"""Pages for people: home, search, resource pages, the article's marked text, vocabulary and shapes docs,
and a hostile name that must come out escaped in HTML and intact in RDF."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from lod_pub.iris import Minter
from lod_pub.release import build, current
from lod_pub.settings import Settings
from lod_pub.vocab import RDF, SCHEMA
from lod_pub.web import create_app

HTML = {"Accept": "text/html"}
ARTICLE = "/doc/article/tdi-2021-10-21-foreign-secretary-nato-delegation"


class Page(HTMLParser):
    """The parts of a page the tests look at: text, links, ids, marks, JSON-LD scripts, landmarks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self.ids, self.scripts, self.tags = [], [], set(), [], []
        self.marks: list[str] = []
        self._script = self._mark = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._script = []
        if tag == "mark":
            self._mark = []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)
        if self._mark is not None:
            self._mark.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client, path: str) -> Page:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"].startswith("text/html")
    return Page(response.data.decode("utf-8"))


def test_home_shows_counts_search_examples_sparql_and_dumps(client, release):
    p = page(client, "/")
    assert "What the dataset holds" in p.words
    assert re.search(r"person schema:Person \d+", p.words)
    assert any(link.endswith("/sparql") for link in p.links)
    assert any(link.startswith("/dumps/graph.") for link in p.links)
    assert any(link.startswith("/doc/") for link in p.links)
    assert any(tag == "form" and a.get("role") == "search" and a.get("action") == "/search" for tag, a in p.tags)


def test_search_finds_by_name_and_alternate_name(client):
    p = page(client, "/search?q=nato")
    assert "/doc/organization/nato" in p.links
    p = page(client, "/search?q=Foreign%20Office%20of")  # an alternate name
    assert "/doc/organization/foreign-office-pakistan" in p.links
    assert "0 results" in page(client, "/search?q=zzzzzz").words
    assert "Search" in page(client, "/search").words


def test_class_counts_link_to_their_instances(client, store):
    home = page(client, "/")
    link = next(lnk for lnk in home.links if lnk.endswith("class=http://schema.org/Person"))
    listed = {lnk for lnk in page(client, link).links if lnk.startswith("/doc/person/")}
    people = {q.subject.value.rsplit("/", 1)[1] for q in store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.Person)))}
    assert listed == {f"/doc/person/{slug}" for slug in people}
    assert client.get("/search?class=not%20an%20iri").status_code == 404


def test_search_is_not_injectable(client):
    for q in ('") } SELECT * { ?s ?p ?o } #', "\\", "'", "<script>"):
        response = client.get("/search", query_string={"q": q}, headers=HTML)
        assert response.status_code == 200
        assert b"<script>" not in response.data.split(b"</header>")[1]


def test_entity_page(client):
    p = page(client, "/doc/person/sohail-mahmood")
    assert "Sohail Mahmood" in p.words
    assert "Links to Sohail Mahmood" in p.words                                    # incoming links
    assert "/doc/event/meeting-fs-nato-delegation-2021-10-20" in p.links          # by name
    assert "Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation" in p.words
    assert "Foreign Secretary of Pakistan, Sohail Mahmood" in p.words              # the evidence quote
    assert any(link.startswith(ARTICLE + "#q-") for link in p.links)               # linked to the article
    for ext in ("ttl", "jsonld", "nt", "rdf"):
        assert f"/doc/person/sohail-mahmood.{ext}" in p.links
    assert {"main", "header", "nav", "footer"} <= {tag for tag, _ in p.tags}


def test_embedded_jsonld_is_the_description(client):
    p = page(client, "/doc/person/sohail-mahmood")
    assert len(p.scripts) == 1
    embedded = Graph().parse(data=p.scripts[0], format="json-ld")
    served = Graph().parse(data=client.get("/doc/person/sohail-mahmood.ttl").data, format="turtle")
    assert isomorphic(embedded, served)


def test_article_text_marks_evidence_linked_to_facts(client):
    p = page(client, ARTICLE)
    assert len(p.marks) > 10
    assert any("Sohail Mahmood" in m for m in p.marks)
    quote_anchors = {i for i in p.ids if i.startswith("q-")}
    fact_lists = {i for i in p.ids if i.startswith("f-q-")}
    assert quote_anchors and {f"f-{q}" for q in quote_anchors} == fact_lists
    # every span's facts link to the fact's row on its subject's page, and that row exists
    fact_links = [link for link in p.links if link.startswith("/doc/") and "#p-" in link]
    assert fact_links
    for link in sorted(set(fact_links))[:15]:
        target, anchor = link.split("#")
        assert anchor in page(client, target).ids, link
    # every entity page's quote link lands on an anchor of the article
    entity = page(client, "/doc/person/sohail-mahmood")
    for link in (lnk for lnk in entity.links if lnk.startswith(ARTICLE + "#")):
        assert link.split("#")[1] in p.ids


def test_vocabulary_documents_every_term(client, release):
    p = page(client, "/ns/dip")
    g = Graph().parse(release.file("ontology.ttl"), format="turtle")
    from rdflib.namespace import OWL, RDF, RDFS
    terms = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty))
    assert len(terms) > 10
    for term in terms:
        anchor = str(term).split("#")[-1]
        assert anchor in p.ids, term
        assert str(g.value(term, RDFS.label)) in p.words
    assert "Meeting" in p.ids and "MeetingShape" in " ".join(p.links)                 # the shapes constraining it
    shapes = page(client, "/ns/dip-shapes")
    assert "MeetingShape" in shapes.ids


@pytest.mark.parametrize("iri, expected", [
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), ("data:text/html,<b>x</b>", None),
    ("urn:isbn:123", None), ("http://www.wikidata.org/entity/Q7184", "http://www.wikidata.org/entity/Q7184"),
    ("https://lod.example.org/id/person/x", "/doc/person/x"), ("https://w3id.org/lod-pub/ns/dip#Meeting", "/ns/dip#Meeting")])
def test_only_web_iris_become_links(app, iri, expected):
    from lod_pub.web.resources import href
    from lod_pub.web.site import site

    with app.test_request_context("/"):
        assert href(site(), iri) == expected


def test_pages_have_labels_for_every_input(client):
    for path in ("/", "/search?q=x", "/doc/person/sohail-mahmood"):
        p = page(client, path)
        inputs = [a for tag, a in p.tags if tag == "input"]
        labels = {a.get("for") for tag, a in p.tags if tag == "label"}
        assert inputs and all(a["id"] in labels for a in inputs), path


HOSTILE = '<script>alert(1)</script> Ünïcødé & "quotes" </script><!--'
UNICODE_SLUG = "zoë-ünïcødé"


def _hostile_release(project: Path):
    register = project / "seeds" / "entities.yaml"
    data = yaml.safe_load(register.read_text("utf-8"))
    data["people"][0]["name"] = HOSTILE
    data["people"].append({"id": UNICODE_SLUG, "name": "Zoë Ünïcødé"})
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    settings = Settings(project_dir=project, data_dir=project / "var")
    build(settings)
    return settings, data["people"][0]["id"]


def test_hostile_name_escaped_in_html_intact_in_rdf(project_copy):
    settings, slug = _hostile_release(project_copy)
    client = create_app(settings).test_client()
    subject = Minter().entity("person", slug)
    for path in (f"/doc/person/{slug}.ttl", f"/doc/person/{slug}.jsonld", f"/doc/person/{slug}.nt", f"/doc/person/{slug}.rdf"):
        fmt = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}[path.rsplit(".", 1)[1]]
        g = Graph().parse(data=client.get(path).data, format=fmt)
        assert (subject, SCHEMA.name, Literal(HOSTILE, lang="en")) in g, path
    for path in (f"/doc/person/{slug}", "/search?q=alert", "/", "/doc/event/meeting-fs-nato-delegation-2021-10-20"):
        html = client.get(path, headers=HTML).data.decode("utf-8")
        assert "<script>alert" not in html and "</script><!--" not in html, path
    html = client.get(f"/doc/person/{slug}", headers=HTML).data.decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ünïcødé" in html
    p = Page(html)
    assert HOSTILE in p.words or " ".join(HOSTILE.split()) in p.words
    assert len(p.scripts) == 1                                            # no breakout from the JSON-LD script
    assert json.loads(p.scripts[0])                                       # still valid JSON
    embedded = Graph().parse(data=p.scripts[0], format="json-ld")
    assert (subject, SCHEMA.name, Literal(HOSTILE, lang="en")) in embedded
    search = Page(client.get("/search?q=alert", headers=HTML).data.decode("utf-8"))
    assert f"/doc/person/{slug}" in search.links
    assert current(settings.data_dir) is not None


def test_non_ascii_iris_round_trip_through_the_server(project_copy):
    settings, _ = _hostile_release(project_copy)
    client = create_app(settings).test_client()
    subject = Minter().entity("person", UNICODE_SLUG)
    assert "%C3%AB" in str(subject)
    path = str(subject)[len(settings.base) - 1:]
    seen = client.get(path, headers={"Accept": "text/turtle"})
    assert seen.status_code == 303
    location = seen.headers["Location"]
    assert location.endswith(str(Minter().document("person", UNICODE_SLUG, "ttl"))[len(settings.base) - 1:])
    g = Graph().parse(data=client.get(location).data, format="turtle")
    assert (subject, SCHEMA.name, Literal("Zoë Ünïcødé", lang="en")) in g
    search = Page(client.get("/search", query_string={"q": "Ünïc"}, headers=HTML).data.decode("utf-8"))
    assert path.replace("/id/", "/doc/") in search.links


def test_whether_an_iri_is_in_the_release_is_asked_of_the_store_once(release):
    """Every /doc request asks whether its IRI exists; a release does not change, so the answer is kept,
    apart from the rendered documents (unknown names cannot evict those), and bounded."""
    from lod_pub.web.site import LRU, Site

    asked: list[object] = []

    class Store:
        def query(self, query, substitutions, use_default_graph_as_union):
            asked.append(substitutions)
            return "known" in str(next(iter(substitutions.values())))

    documents: LRU = LRU(4)
    site = Site(release, Store(), documents, LRU(2))  # type: ignore[arg-type]
    assert [site.exists("https://x/known"), site.exists("https://x/known"), site.exists("https://x/other")] \
        == [True, True, False]
    assert len(asked) == 2 and len(documents) == 0
    site.exists("https://x/third")  # the bound: the oldest answer goes
    site.exists("https://x/known")
    assert len(asked) == 4


def test_whether_an_iri_exists_is_kept_only_for_the_embedded_store(app):
    """A remote store's union graph also holds a push's staging graphs for a while: its answers are not kept."""
    assert app.test_client().get("/doc/person/sohail-mahmood.ttl").status_code == 200
    (site,) = app.extensions["lod_pub_sites"].values()
    remote = app.config["LOD_PUB_SETTINGS"].remote
    assert (len(site.known) == 0) == bool(remote) and (site.known.size == 0) == bool(remote)
