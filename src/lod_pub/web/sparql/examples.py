"""The example queries of the query page: for a release built from records, the ten questions the graph
must answer, in SPARQL (EXAMPLES); for one published from RDF files, questions of its own data (derived).

    page_examples() -> [(title, query)]   those of the release being served

Each runs against the default graph (the union of all graphs) with the dataset's prefixes declared;
tests/sparql/test_page.py checks that each answers on the fixture corpus (tests/test_questions.py asks
the same questions of the store).
"""

from __future__ import annotations

from ...errors import ReleaseError, WebError
from ...vocab import curie
from ..site import site

EXAMPLES: tuple[tuple[str, str], ...] = (
    ("When and where did Sohail Mahmood meet the NATO delegation?", """\
SELECT ?meeting ?date ?place ?city WHERE {
  ?meeting a dip:Meeting ; schema:attendee ?fs, ?delegation ;
           schema:startDate ?date ; schema:location ?p .
  ?fs schema:name "Sohail Mahmood"@en .
  ?delegation a dip:Delegation .
  ?p schema:name ?place ; schema:containedInPlace/schema:name ?city .
}"""),
    ("Who led that delegation, and what post does he hold, in which organisation?", """\
SELECT ?person ?leader ?post ?organisation WHERE {
  ?person org:headOf ?delegation ; schema:name ?leader ; org:holds ?p .
  ?delegation a dip:Delegation .
  ?p schema:name ?post ; org:postIn/schema:name ?organisation .
}"""),
    ("What was the meeting about?", """\
SELECT ?meeting ?topic ?description WHERE {
  ?meeting a dip:Meeting ; schema:attendee/schema:name "Sohail Mahmood"@en ;
           schema:about/schema:name ?topic .
  OPTIONAL { ?meeting schema:description ?description }
}"""),
    ("What did Sohail Mahmood say, about what, and which words of the article show it?", """\
SELECT ?statement ?verb ?text (GROUP_CONCAT(DISTINCT ?topic; separator=", ") AS ?about) ?quote WHERE {
  ?statement a dip:ReportedStatement ; schema:author/schema:name "Sohail Mahmood"@en ;
             dip:reportingVerb ?verb ; schema:text ?text ; schema:about/schema:name ?topic ;
             dip:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote .
} GROUP BY ?statement ?verb ?text ?quote ORDER BY ?quote"""),
    ("Who published the article, and when?", """\
SELECT ?article ?publisher ?date WHERE {
  ?article a schema:NewsArticle ; schema:publisher/schema:name ?publisher ;
           schema:datePublished ?date .
}"""),
    ("Which events took place in Afghanistan or in Kabul?", """\
SELECT DISTINCT ?event ?name WHERE {
  VALUES ?where { wd:Q889 wd:Q5838 }
  ?area schema:sameAs ?where .
  ?place schema:containedInPlace* ?area .
  ?event a schema:Event ; schema:name ?name ; schema:location ?place .
} ORDER BY ?name"""),
    ("Which people hold which posts in which organisations?", """\
SELECT ?person ?name ?post ?organisation WHERE {
  ?person a schema:Person ; schema:name ?name ; org:holds ?p .
  ?p a org:Post ; schema:name ?post ; org:postIn/schema:name ?organisation .
} ORDER BY ?name"""),
    ("Which events were part of the NATO delegation's visit to Pakistan?", """\
SELECT ?event ?name WHERE {
  ?visit a dip:OfficialVisit ; schema:location/schema:name "Pakistan"@en .
  ?event schema:superEvent ?visit ; schema:name ?name .
} ORDER BY ?name"""),
    ("Who claims that Pakistan facilitated the evacuation from Afghanistan, and in which words?", """\
SELECT ?claim ?who ?quote WHERE {
  ?event a dip:Evacuation ; schema:location/schema:name "Afghanistan"@en .
  ?gov schema:name "Government of Pakistan"@en .
  ?claim a dip:Claim ; rdf:subject ?event ; rdf:predicate dip:supportedBy ; rdf:object ?gov ;
         schema:author/schema:name ?who ;
         dip:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote .
}"""),
    ("Which articles mention NATO, and which events do they report?", """\
SELECT ?article ?title ?event ?name WHERE {
  ?article a schema:NewsArticle ; schema:name ?title ; schema:mentions ?nato, ?event .
  ?nato schema:sameAs wd:Q7184 .
  ?event a schema:Event ; schema:name ?name .
} ORDER BY ?name"""),
)


CLASS_COUNTS = """\
SELECT ?class (COUNT(DISTINCT ?s) AS ?resources) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?resources) ?class LIMIT 100"""
PROPERTY_USE = """\
SELECT ?property (COUNT(*) AS ?uses) WHERE { ?s ?property ?o }
GROUP BY ?property ORDER BY DESC(?uses) ?property LIMIT 50"""
GRAPH_SIZES = """\
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY DESC(?triples) ?graph LIMIT 100"""


def derived(resource: tuple[str, str] | None, cls: tuple[str, str] | None) -> list[tuple[str, str]]:
    """Questions any RDF data answers: its classes with counts, its most used properties, its graphs, and,
    given an example resource and the most used class as (IRI, name), a DESCRIBE of the one and a list of
    the other's members with their labels."""
    found = [("Which classes are used, and how many resources has each?", CLASS_COUNTS),
             ("Which properties are used most?", PROPERTY_USE)]
    if resource is not None:
        found.append((f"What does the data say about {resource[1]}?", f"DESCRIBE <{resource[0]}>"))
    if cls is not None:
        found.append((f"Which resources are of the class {cls[1]}, and what are they called?",
                      f"SELECT ?resource ?label WHERE {{\n  ?resource a <{cls[0]}> .\n"
                      "  OPTIONAL { ?resource rdfs:label|skos:prefLabel|schema:name ?label }\n"
                      "} ORDER BY ?resource LIMIT 100"))
    found.append(("Which named graphs hold the data, and how many triples each?", GRAPH_SIZES))
    return found


def page_examples() -> list[tuple[str, str]]:
    """The examples of the release served now: EXAMPLES for one built from records (or none served yet),
    derived from the data for one published from files."""
    try:
        s = site()
    except (WebError, ReleaseError):
        return list(EXAMPLES)
    if not s.from_files:
        return list(EXAMPLES)
    resource = s.examples[0] if s.examples else None
    cls = (s.class_counts[0][0], curie(s.class_counts[0][0])) if s.class_counts else None
    return derived(resource, cls)
