"""Content negotiation as a table: real Accept headers (captured from the clients) and what they must get."""

from __future__ import annotations

import pytest

from lod_pub.formats import BY_KEY, HTML, RDF_FORMATS, TEXT, negotiate

#: What a document offers, in the server's order of preference (Turtle first: curl's */* gets Turtle).
DOCUMENT = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])

# Captured on this machine from the real programs (Chromium 156, rapper 2.0.16, curl 7.88) or copied
# from the clients' own sources and logs (Firefox, Safari, rdflib 7 parser.py, Comunica's debug log).
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,"
          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,image/svg+xml,*/*;q=0.8"
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURL = "*/*"
REQUESTS = "*/*"
RDFLIB_ANY = ("application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
              "application/n-quads, application/trix, application/trig")
RDFLIB_TURTLE = "text/turtle, application/x-turtle, */*;q=0.1"
RDFLIB_NT = "text/plain, */*;q=0.1"
RDFLIB_XML = "application/rdf+xml, */*;q=0.1"
RDFLIB_JSONLD = "application/ld+json, application/json;q=0.9, */*;q=0.1"
COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,"
            "text/turtle;q=0.6,application/rdf+xml;q=0.5,application/json;q=0.45,text/n3;q=0.35,"
            "application/xml;q=0.3,image/svg+xml;q=0.3,text/xml;q=0.3,text/html;q=0.2,"
            "application/xhtml+xml;q=0.18,text/shaclc;q=0.1,text/shaclc-ext;q=0.05")
RAPPER = ("application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, text/turtle, "
          "application/x-turtle, application/turtle, text/n3;q=0.3, text/rdf+n3;q=0.3, application/rdf+n3;q=0.3, "
          "application/x-trig, application/rss;q=0.8, application/rss+xml;q=0.8, text/rss;q=0.8, "
          "application/xml;q=0.3, text/xml;q=0.3, application/atom+xml;q=0.3, text/html;q=0.2, "
          "application/xhtml+xml;q=0.4, text/html;q=0.6, application/xhtml+xml;q=0.8, application/json;q=0.1, "
          "text/json;q=0.1, text/x-nquads, */*;q=0.1")

CASES = [
    # (why, Accept, expected key or None for 406)
    ("Chrome gets HTML", CHROME, "html"),
    ("Firefox gets HTML", FIREFOX, "html"),
    ("Safari gets HTML", SAFARI, "html"),
    ("curl's bare */* gets Turtle", CURL, "turtle"),
    ("python requests' */* gets Turtle", REQUESTS, "turtle"),
    ("no Accept header: Turtle", None, "turtle"),
    ("empty Accept header: Turtle", "", "turtle"),
    ("rdflib without a format: all at q=1, the server's first choice", RDFLIB_ANY, "turtle"),
    ("rdflib format=turtle", RDFLIB_TURTLE, "turtle"),
    ("rdflib format=nt asks text/plain", RDFLIB_NT, "ntriples"),
    ("rdflib format=xml", RDFLIB_XML, "rdfxml"),
    ("rdflib format=json-ld", RDFLIB_JSONLD, "jsonld"),
    ("Comunica: JSON-LD is its best type we offer", COMUNICA, "jsonld"),
    ("rapper: RDF/XML and Turtle at q=1, server prefers Turtle", RAPPER, "turtle"),
    ("exact type", "application/n-triples", "ntriples"),
    ("q-values order the choice", "text/turtle;q=0.5, application/ld+json;q=0.8", "jsonld"),
    ("q with three decimals", "text/turtle;q=0.501, application/ld+json;q=0.5", "turtle"),
    ("type/* range", "application/*", "jsonld"),
    ("text/* prefers the server's first text type", "text/*", "turtle"),
    ("q=0 excludes even under */*", "text/turtle;q=0, */*", "html"),
    ("q=0 on everything: 406", "*/*;q=0", None),
    ("nothing we have: 406", "image/png, application/pdf", None),
    ("specific beats wide, whatever the order", "*/*;q=0.1, text/html;q=0.2, text/turtle;q=0", "html"),
    ("alias counts: application/json gets JSON-LD", "application/json", "jsonld"),
    ("main type beats its alias at equal q", "application/xml, application/ld+json", "jsonld"),
    ("an alias does not bring back a type refused by name", "text/turtle;q=0, text/n3", None),
    ("charset=utf-8 parameter matches", "text/turtle;charset=utf-8", "turtle"),
    ("another charset does not", "text/turtle;charset=iso-8859-1", None),
    ("JSON-LD compacted profile matches", 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"',
     "jsonld"),
    ("JSON-LD expanded profile is not what we make", 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"',
     None),
    ("a quoted comma does not split the header", 'application/rdf+xml;q=0.1, text/html;x="a, text/turtle, b"',
     "rdfxml"),
    ("parameter more specific than bare type", "text/turtle;charset=utf-8;q=0.2, text/turtle;q=0.9, text/html;q=0.5",
     "html"),
    ("case-insensitive types", "TEXT/Turtle", "turtle"),
    ("whitespace around items", "  text/html ;  q=0.3 ,application/rdf+xml ; q=0.4", "rdfxml"),
    ("malformed q skips that item", "text/turtle;q=high, text/html;q=0.1", "html"),
    ("q above 1 is malformed", "text/turtle;q=2, application/n-triples;q=0.5", "ntriples"),
    ("garbage only means anything", "garbage, ;;;, /", "turtle"),
    ("*/subtype is not a range", "*/turtle, application/rdf+xml;q=0.1", "rdfxml"),
    ("accept-extensions after q are ignored", "text/turtle;q=0.4;ext=1, text/html;q=0.3", "turtle"),
]


@pytest.mark.parametrize("why, accept, expected", CASES, ids=[c[0] for c in CASES])
def test_negotiation_table(why, accept, expected):
    chosen = negotiate(accept, DOCUMENT)
    assert (chosen.key if chosen else None) == expected, why


def test_error_bodies_are_html_for_browsers_and_text_for_curl():
    assert negotiate(CHROME, (TEXT, HTML)) is HTML
    assert negotiate(CURL, (TEXT, HTML)) is TEXT
    assert negotiate("application/ld+json", (TEXT, HTML)) is None


def test_every_format_key_has_one_extension():
    assert len({f.extension for f in BY_KEY.values()}) == len(BY_KEY)


def test_no_offers_is_406():
    assert negotiate("*/*", ()) is None


#: One rule of Accept (RFC 9110 §12.5.1) each, in a header where only that rule decides the answer.
RULES = [
    # (rule, Accept, expected key or None for 406)
    ("a range without q has q=1: a tie with q=1 goes to the server's order", "text/turtle;q=1, text/html", "turtle"),
    ("a type named beats its type/* range, whatever their q", "text/*;q=0.9, text/turtle;q=0.1", "html"),
    ("a type/* range beats */*, whatever their q", "text/*;q=0.1, */*;q=0.5", "jsonld"),
    ("the same range twice: the higher q counts", "text/turtle;q=0.9, text/turtle;q=0.1, text/html;q=0.5", "turtle"),
    ("a range whose parameters do not match leaves the next one in force",
     "text/turtle;charset=iso-8859-1, text/turtle;q=0.5", "turtle"),
    ("charset=utf8, without the hyphen, is UTF-8", "text/turtle;charset=utf8", "turtle"),
    ("a quoted parameter value is unescaped", 'application/ld+json;profile="http://www.w3.org/ns/json-ld\\#compacted"',
     "jsonld"),
    ("an alias with a parameter: application/json;charset=utf-8 gets JSON-LD", "application/json;charset=utf-8", "jsonld"),
    ("an item of separators only is skipped, not raised", ";", "turtle"),
    ("a lone item with a malformed q is skipped: the server's first choice", "text/html;q=1=1", "turtle"),
]


@pytest.mark.parametrize("rule, accept, expected", RULES, ids=[c[0] for c in RULES])
def test_each_rule_of_accept_decides_its_case(rule, accept, expected):
    chosen = negotiate(accept, DOCUMENT)
    assert (chosen.key if chosen else None) == expected, rule
