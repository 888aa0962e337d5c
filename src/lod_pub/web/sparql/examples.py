"""The example queries of the query page: the ten questions the graph must answer, in SPARQL.

Each runs against the default graph (the union of all graphs) with the dataset's prefixes declared;
tests/sparql/test_page.py checks that each answers on the fixture corpus (tests/test_questions.py asks
the same questions of the store).
"""

from __future__ import annotations

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
             dip:evidence/oa:hasSelector/oa:exact ?quote .
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
    ("Which quote supports the claim that Pakistan facilitated the evacuation from Afghanistan?", """\
SELECT ?event ?quote WHERE {
  ?event a dip:Evacuation ; schema:location/schema:name "Afghanistan"@en ;
         dip:supportedBy ?gov ; dip:evidence ?e .
  ?gov schema:name "Government of Pakistan"@en .
  ?e dip:supportsProperty dip:supportedBy ; dip:supportsValue ?gov ;
     oa:hasSelector/oa:exact ?quote .
}"""),
    ("Which articles mention NATO, and which events do they report?", """\
SELECT ?article ?title ?event ?name WHERE {
  ?article a schema:NewsArticle ; schema:name ?title ; schema:mentions ?nato, ?event .
  ?nato schema:sameAs wd:Q7184 .
  ?event a schema:Event ; schema:name ?name .
} ORDER BY ?name"""),
)
