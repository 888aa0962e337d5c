"""The ten questions of the data model, asked of the published release in SPARQL."""

from __future__ import annotations

from helpers import select

ID = "https://lod.example.org/id/"
ARTICLE = ID + "article/tdi-2021-10-21-foreign-secretary-nato-delegation"
MEETING = ID + "event/meeting-fs-nato-delegation-2021-10-20"


def names(rows, key):
    return sorted(r[key] for r in rows)


def test_q1_when_and_where_sohail_mahmood_met_the_nato_delegation(store):
    rows = select(store, """
        SELECT ?date ?placeName ?cityName WHERE {
          ?meeting a dip:Meeting ; schema:attendee ?fs, ?delegation ;
                   schema:startDate ?date ; schema:location ?place .
          ?fs schema:name "Sohail Mahmood"@en .
          ?delegation a dip:Delegation ; schema:parentOrganization/schema:alternateName "NATO"@en .
          ?place schema:name ?placeName ; schema:containedInPlace ?city .
          ?city schema:name ?cityName .
        }""")
    assert rows == [{"date": "2021-10-20", "placeName": "Foreign Office, Islamabad", "cityName": "Islamabad"}]


def test_q2_who_led_the_delegation_and_his_post(store):
    rows = select(store, """
        SELECT ?leader ?post ?org WHERE {
          ?person org:headOf ?delegation ; schema:name ?leader ; org:holds ?p .
          ?delegation a dip:Delegation .
          ?p schema:name ?post ; org:postIn/schema:alternateName ?org .
        }""")
    assert rows == [{"leader": "Stefano Pontecorvo", "post": "NATO Senior Civil Representative to Afghanistan",
                     "org": "NATO"}]


def test_q3_what_the_meeting_was_about(store):
    rows = select(store, f"""
        SELECT ?topic ?description WHERE {{
          <{MEETING}> schema:about/schema:name ?topic ; schema:description ?description .
        }}""")
    assert rows == [{"topic": "Afghanistan", "description": "A discussion on emerging developments in Afghanistan."}]


def test_q4_what_sohail_mahmood_said_about_what_and_the_words(store):
    rows = select(store, """
        SELECT ?verb ?text (GROUP_CONCAT(DISTINCT ?topic; separator="|") AS ?topics) ?quote WHERE {
          ?s a dip:ReportedStatement ; schema:author/schema:name "Sohail Mahmood"@en ;
             dip:reportingVerb ?verb ; schema:text ?text ; schema:about/schema:name ?topic ;
             dip:evidence/oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?quote ] .
        } GROUP BY ?s ?verb ?text ?quote ORDER BY ?quote""")
    assert len(rows) == 6
    assert sorted(r["verb"] for r in rows) == ["added", "added", "highlighted", "shared", "stated", "underscored"]
    by_verb = {(r["verb"], r["text"][:20]): r for r in rows}
    stated = by_verb[("stated", "leaving Afghanistan ")]
    assert stated["topics"] == "Afghanistan"
    assert stated["quote"] == ("He stated leaving Afghanistan alone at this critical juncture will lead to chaos "
                               "and instability.")
    for row in rows:
        assert row["text"] in row["quote"]


def test_q5_who_published_the_article_and_when(store):
    rows = select(store, f"""
        SELECT ?publisher ?date WHERE {{
          <{ARTICLE}> a schema:NewsArticle ; schema:publisher/schema:name ?publisher ; schema:datePublished ?date .
        }}""")
    assert rows == [{"publisher": "The Diplomatic Insight", "date": "2021-10-21"}]


def test_q6_events_in_afghanistan_or_kabul(store):
    rows = select(store, """
        SELECT DISTINCT ?name WHERE {
          ?event a schema:Event ; schema:name ?name ; schema:location ?place .
          ?place schema:containedInPlace* ?where .
          VALUES ?where { <http://www.wikidata.org/entity/Q889> <http://www.wikidata.org/entity/Q5838> }
        }""".replace("?place schema:containedInPlace* ?where .",
                     "?place schema:containedInPlace* ?p . ?p schema:sameAs ?where ."))
    assert names(rows, "name") == [
        "Assault on Ghazni, August 2018",  # the second article's, in Afghanistan through containment
        "Car bomb attack on the National Directorate of Security training centre in Maidan Shahr",
        "Car bombing in Kabul, January 2019",
        "Evacuation of NATO personnel from Kabul",
        "Evacuation of diplomatic personnel and embassy staff from Afghanistan",
        "International Security Assistance Force",
        "Resolute Support Mission",
    ]


def test_q7_people_posts_and_organisations(store):
    rows = select(store, """
        SELECT ?person ?post ?org WHERE {
          ?p a schema:Person ; schema:name ?person ; org:holds ?x .
          ?x a org:Post ; schema:name ?post ; org:postIn/schema:name ?org .
        } ORDER BY ?person""")
    assert rows == [
        {"person": "Abdurrahman Mangal", "post": "Spokesperson for the Governor of Maidan Wardak",
         "org": "Government of Maidan Wardak province"},
        {"person": "Qamar Javed Bajwa", "post": "Chief of Army Staff of Pakistan", "org": "Pakistan Army"},
        {"person": "Sharif Hotak", "post": "Member of the Maidan Wardak provincial council",
         "org": "Maidan Wardak provincial council"},
        {"person": "Sohail Mahmood", "post": "Foreign Secretary of Pakistan",
         "org": "Ministry of Foreign Affairs of Pakistan"},
        {"person": "Stefano Pontecorvo", "post": "NATO Senior Civil Representative to Afghanistan",
         "org": "North Atlantic Treaty Organization"},
        {"person": "Zabiullah Mujahid", "post": "Taliban spokesperson", "org": "Taliban"},
        {"person": "Zalmay Khalilzad", "post": "US peace envoy for Afghanistan", "org": "Government of the United States"},
    ]


def test_q8_events_part_of_the_delegations_visit(store):
    rows = select(store, """
        SELECT ?name WHERE {
          ?visit a dip:OfficialVisit ; schema:location/schema:name "Pakistan"@en .
          ?event schema:superEvent ?visit ; schema:name ?name .
        }""")
    assert names(rows, "name") == [
        "Meeting of Ambassador Stefano Pontecorvo with General Qamar Javed Bajwa",
        "Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation",
    ]


def test_q9_quote_supporting_pakistan_facilitated_the_evacuation(store):
    rows = select(store, """
        SELECT ?quote WHERE {
          ?event a dip:Evacuation ; schema:location/schema:name "Afghanistan"@en ;
                 dip:supportedBy ?gov ; dip:evidence ?e .
          ?gov schema:name "Government of Pakistan"@en .
          ?e dip:supportsProperty dip:supportedBy ; dip:supportsValue ?gov ;
             oa:hasSelector/oa:exact ?quote .
        }""")
    assert rows == [{"quote": "He added Pakistan facilitated the successful evacuation of diplomatic personnel and "
                              "embassy staff from Afghanistan."}]


def test_q10_articles_mentioning_nato_and_the_events_they_report(store):
    rows = select(store, """
        SELECT ?article ?event WHERE {
          ?a a schema:NewsArticle ; schema:name ?article ; schema:mentions ?nato, ?e .
          ?nato schema:sameAs <http://www.wikidata.org/entity/Q7184> .
          ?e a schema:Event ; schema:name ?event .
        }""")
    assert {r["article"] for r in rows} == {"Pakistan's Foreign Secretary meets a NATO delegation"}
    assert len(rows) == 10
    assert "NATO Brussels Summit 2021" in {r["event"] for r in rows}


def test_the_same_entity_has_one_iri_in_every_article(store):
    """Kabul, named by both articles, is one resource, mentioned by both and the place of events of each."""
    rows = select(store, """
        SELECT ?p (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?event) AS ?events) WHERE {
          ?article a schema:NewsArticle ; schema:mentions ?p . ?p schema:name "Kabul"@en .
          ?event schema:location ?p .
        } GROUP BY ?p""")
    assert rows == [{"p": ID + "place/kabul", "articles": "2", "events": "2"}]


def test_partner_is_never_a_member(store):
    assert not store.query("""
        ASK { ?gov schema:name "Government of Pakistan"@en .
              { ?gov schema:memberOf ?x } UNION { ?gov org:memberOf ?x } }""",
                           prefixes={"schema": "http://schema.org/", "org": "http://www.w3.org/ns/org#"},
                           use_default_graph_as_union=True)


def test_unknown_stays_unknown(store):
    rows = select(store, """
        SELECT ?date ?place ?latest WHERE {
          ?m a dip:Meeting ; schema:attendee/schema:name "Qamar Javed Bajwa"@en .
          OPTIONAL { ?m schema:startDate ?date } OPTIONAL { ?m schema:location ?place }
          OPTIONAL { ?m sem:hasLatestEndTimeStamp ?latest }
        }""")
    assert rows == [{"latest": "2021-10-21"}]
