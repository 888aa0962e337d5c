"""The questions of the data model (docs/model.md), asked of the published release in SPARQL: the ten of
the first edition, and those of the second (who observed, what was signed by whom, what X claimed, who
held a post on a date, and what the article asserts as against what someone claims)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import make_project, select

from lod_pub.release import build, current
from lod_pub.settings import Settings
from lod_pub.vocab import PREFIXES

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
             dip:evidence/oa:hasTarget/oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?quote ] .
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
    """The Foreign Secretary's claim, not the article's fact: found as his claim, with its words."""
    rows = select(store, """
        SELECT ?who ?quote WHERE {
          ?event a dip:Evacuation ; schema:location/schema:name "Afghanistan"@en .
          ?gov schema:name "Government of Pakistan"@en .
          ?claim a dip:Claim ; rdf:subject ?event ; rdf:predicate dip:supportedBy ; rdf:object ?gov ;
                 schema:author/schema:name ?who ; dip:evidence ?e .
          ?e dip:supportsProperty dip:supportedBy ; dip:supportsValue ?gov ;
             oa:hasTarget/oa:hasSelector/oa:exact ?quote .
        }""")
    assert rows == [{"who": "Sohail Mahmood",
                     "quote": "He added Pakistan facilitated the successful evacuation of diplomatic personnel and "
                              "embassy staff from Afghanistan."}]


def test_q10_articles_mentioning_nato_and_the_events_they_report(store):
    rows = select(store, """
        SELECT ?article ?event WHERE {
          ?a a schema:NewsArticle ; schema:name ?article ; schema:mentions ?nato, ?e .
          ?nato schema:sameAs <http://www.wikidata.org/entity/Q7184> .
          ?e a schema:Event ; schema:name ?event .
        }""")
    assert {r["article"] for r in rows} == {"Pakistan's Foreign Secretary meets a NATO delegation"}
    assert len(rows) == 12
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
    """The Pontecorvo–Bajwa meeting has no date, no place and no bound: the article gives none (its own
    date bounds nothing worth saying)."""
    rows = select(store, """
        SELECT ?date ?place ?latest WHERE {
          ?m a dip:Meeting ; schema:attendee/schema:name "Qamar Javed Bajwa"@en .
          OPTIONAL { ?m schema:startDate ?date } OPTIONAL { ?m schema:location ?place }
          OPTIONAL { ?m sem:hasLatestEndTimeStamp ?latest }
        }""")
    assert rows == [{}]


# --- the second edition's questions --------------------------------------------------------------------
#
# The sample articles have no observer, agreement, phone call or dated post, so these questions are asked
# of the fixture corpus with one more article: a made-up report about made-up states (Ruritania, Freedonia,
# Genovia), written for these tests, whose record uses every kind of thing the records can say.

KINDS_TEXT = """\
Strelsau, 5 March 2022 (Example Wire): The foreign ministers of Ruritania and Freedonia signed the Strelsau \
Trade Agreement at a meeting in Strelsau on 4 March 2022, with Genovia attending as an observer. The meeting \
had been postponed from January.

Ruritania's Foreign Minister Rudolf Elphberg said the agreement would double trade between the two countries. \
Elphberg, a former ambassador to Freedonia, has been foreign minister since 2019. His sister, Flavia \
Elphberg, chairs the Strelsau Chamber of Commerce, founded in 1901.

In a joint statement, Elphberg and Freedonia's Foreign Minister Rufus Firefly said both governments support \
a ceasefire in the region. The two ministers had spoken by phone on 1 March.

Firefly was Freedonia's ambassador to Genovia until 2020. The Government of Genovia was a member of the \
Strelsau Chamber of Commerce until 2021.
"""

KINDS_ENTITIES = """
  - {id: rudolf-elphberg, name: Rudolf Elphberg}
  - {id: flavia-elphberg, name: Flavia Elphberg}
  - {id: rufus-firefly, name: Rufus Firefly}
"""
KINDS_ORGANIZATIONS = """
  - {id: example-wire, type: NewsMediaOrganization, name: Example Wire}
  - {id: government-of-ruritania, type: GovernmentOrganization, name: Government of Ruritania, location: ruritania}
  - {id: government-of-freedonia, type: GovernmentOrganization, name: Government of Freedonia, location: freedonia}
  - {id: government-of-genovia, type: GovernmentOrganization, name: Government of Genovia, location: genovia}
  - {id: strelsau-chamber-of-commerce, type: Organization, name: Strelsau Chamber of Commerce, location: strelsau}
"""
KINDS_PLACES = """
  - {id: ruritania, type: Country, name: Ruritania}
  - {id: freedonia, type: Country, name: Freedonia}
  - {id: genovia, type: Country, name: Genovia}
  - {id: strelsau, type: City, name: Strelsau, containedInPlace: ruritania}
"""
KINDS_POSTS = """
  - {id: foreign-minister-of-ruritania, name: Foreign Minister of Ruritania, postIn: government-of-ruritania}
  - {id: foreign-minister-of-freedonia, name: Foreign Minister of Freedonia, postIn: government-of-freedonia}
  - {id: ruritanian-ambassador-to-freedonia, name: Ambassador of Ruritania to Freedonia, postIn: government-of-ruritania}
  - {id: freedonian-ambassador-to-genovia, name: Ambassador of Freedonia to Genovia, postIn: government-of-freedonia}
"""

KINDS_RECORD = """\
article:
  id: example-wire-2022-03-05-strelsau-agreement
  text: 900_kinds.txt
  name: Ruritania and Freedonia sign a trade agreement
  publisher: {value: example-wire, evidence: (Example Wire)}
  datePublished: {value: 2022-03-05, evidence: "Strelsau, 5 March 2022"}
  dateline: {value: strelsau, evidence: "Strelsau, 5 March 2022"}
  inLanguage: en
  curation: {by: Test Editor, on: 2026-11-30}

events:
  - id: strelsau-signing-meeting-2022-03-04
    type: Meeting
    cameo: "057"
    name: Meeting of the foreign ministers of Ruritania and Freedonia in Strelsau
    startDate: {value: 2022-03-04, evidence: on 4 March 2022}
    location: {value: strelsau, evidence: at a meeting in Strelsau}
    status: {value: rescheduled, evidence: The meeting had been postponed from January.}
    participants:
      - {agent: rudolf-elphberg, role: signatory, evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement}
      - {agent: rufus-firefly, role: signatory, evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement}
      - {agent: government-of-genovia, role: observer, evidence: with Genovia attending as an observer}
  - id: elphberg-firefly-phone-call-2022-03-01
    type: PhoneCall
    name: Phone call of Rudolf Elphberg and Rufus Firefly
    startDate:
      value: 2022-03-01
      evidence: The two ministers had spoken by phone on 1 March.
      inferred: The year is not stated; it is taken from the dateline (5 March 2022).
    attendees:
      - {value: rudolf-elphberg, evidence: The two ministers had spoken by phone on 1 March.}
      - {value: rufus-firefly, evidence: The two ministers had spoken by phone on 1 March.}
  - id: strelsau-chamber-founding
    type: Founding
    cameo: "020"
    name: Founding of the Strelsau Chamber of Commerce
    startDate: {value: 1901, evidence: founded in 1901}
    founded: {value: strelsau-chamber-of-commerce, evidence: "the Strelsau Chamber of Commerce, founded in 1901"}

statements:
  - id: elphberg-said-double-trade
    author: rudolf-elphberg
    verb: said
    text: the agreement would double trade between the two countries
    about: [strelsau-trade-agreement]
    evidence: Ruritania's Foreign Minister Rudolf Elphberg said the agreement would double trade between the two countries.
  - id: joint-statement-ceasefire
    author:
      - {value: rudolf-elphberg, evidence: "In a joint statement, Elphberg and Freedonia's Foreign Minister Rufus Firefly said"}
      - {value: rufus-firefly, evidence: "In a joint statement, Elphberg and Freedonia's Foreign Minister Rufus Firefly said"}
    verb: said
    text: both governments support a ceasefire in the region
    about: [government-of-ruritania, government-of-freedonia]
    evidence: "In a joint statement, Elphberg and Freedonia's Foreign Minister Rufus Firefly said both governments support a ceasefire in the region."

documents:
  - id: strelsau-trade-agreement
    type: Agreement
    name: Strelsau Trade Agreement
    parties:
      - value: government-of-ruritania
        evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement
        inferred: Foreign ministers sign for their governments, which the agreement binds.
      - value: government-of-freedonia
        evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement
        inferred: Foreign ministers sign for their governments, which the agreement binds.
    signatories:
      - {value: rudolf-elphberg, evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement}
      - {value: rufus-firefly, evidence: The foreign ministers of Ruritania and Freedonia signed the Strelsau Trade Agreement}
    date: {value: 2022-03-04, evidence: on 4 March 2022}
    location: {value: strelsau, evidence: at a meeting in Strelsau}
    signedAt: {value: strelsau-signing-meeting-2022-03-04, evidence: signed the Strelsau Trade Agreement at a meeting in Strelsau}

relations:
  - type: holds
    person: rudolf-elphberg
    post: foreign-minister-of-ruritania
    startDate: {value: 2019, evidence: has been foreign minister since 2019}
    evidence: Ruritania's Foreign Minister Rudolf Elphberg
  - {type: holds, person: rudolf-elphberg, post: ruritanian-ambassador-to-freedonia, former: "true", evidence: "Elphberg, a former ambassador to Freedonia"}
  - {type: holds, person: rufus-firefly, post: foreign-minister-of-freedonia, evidence: Freedonia's Foreign Minister Rufus Firefly}
  - {type: family, person: rudolf-elphberg, relative: flavia-elphberg, relation: sibling, evidence: "His sister, Flavia Elphberg"}
  - {type: membership, member: flavia-elphberg, organization: strelsau-chamber-of-commerce, role: chair, evidence: "Flavia Elphberg, chairs the Strelsau Chamber of Commerce"}
  - type: holds
    person: rufus-firefly
    post: freedonian-ambassador-to-genovia
    endDate: {value: 2020, evidence: until 2020}
    evidence: "Firefly was Freedonia's ambassador to Genovia until 2020."
  - type: membership
    member: government-of-genovia
    organization: strelsau-chamber-of-commerce
    endDate: {value: 2021, evidence: until 2021}
    evidence: The Government of Genovia was a member of the Strelsau Chamber of Commerce until 2021.
"""


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kinds_store(tmp_path_factory) -> ox.Store:
    """The fixture corpus with the made-up article, built and published once for this module."""
    project = tmp_path_factory.mktemp("kinds")
    make_project(project)
    seeds = project / "seeds"
    register = (seeds / "entities.yaml").read_text("utf-8")
    for section, added in (("people:\n", KINDS_ENTITIES), ("organizations:\n", KINDS_ORGANIZATIONS),
                           ("places:\n", KINDS_PLACES), ("posts:\n", KINDS_POSTS)):
        register = register.replace(section, section + added.lstrip("\n"), 1)
    (seeds / "entities.yaml").write_text(register, "utf-8")
    (seeds / "articles" / "900_kinds.txt").write_text(KINDS_TEXT, "utf-8")
    (seeds / "articles" / "900_kinds.yaml").write_text(KINDS_RECORD, "utf-8")
    settings = Settings(project_dir=project, data_dir=tmp_path_factory.mktemp("kinds-var"))
    build(settings)
    release = current(settings.data_dir)
    assert release is not None
    return release.open_store()


def test_q11_who_observed_the_signing(kinds_store):
    rows = select(kinds_store, """
        SELECT ?observer ?event WHERE {
          ?e dip:qualifiedParticipation [ dip:role dip:Observer ; dip:agent/schema:name ?observer ] ;
             schema:name ?event .
        }""")
    assert rows == [{"observer": "Government of Genovia",
                     "event": "Meeting of the foreign ministers of Ruritania and Freedonia in Strelsau"}]


def test_q12_what_was_signed_by_whom_when_and_where(kinds_store):
    rows = select(kinds_store, """
        SELECT ?agreement (GROUP_CONCAT(DISTINCT ?signatory; separator="|") AS ?signatories)
               (GROUP_CONCAT(DISTINCT ?party; separator="|") AS ?parties) ?date ?place ?event WHERE {
          ?a a dip:Agreement ; schema:name ?agreement ; dip:signatory/schema:name ?signatory ;
             dip:party/schema:name ?party ; schema:dateCreated ?date ;
             schema:locationCreated/schema:name ?place ; dip:signedAt/schema:name ?event .
        } GROUP BY ?agreement ?date ?place ?event""")
    assert len(rows) == 1
    row = rows[0]
    assert (row["agreement"], row["date"], row["place"]) == ("Strelsau Trade Agreement", "2022-03-04", "Strelsau")
    assert sorted(row["signatories"].split("|")) == ["Rudolf Elphberg", "Rufus Firefly"]
    assert sorted(row["parties"].split("|")) == ["Government of Freedonia", "Government of Ruritania"]
    # the signing is an event in which the signatories have the role signatory
    signers = select(kinds_store, """
        SELECT ?name WHERE { ?a a dip:Agreement ; dip:signedAt ?e .
                             ?e dip:qualifiedParticipation [ dip:role dip:Signatory ; dip:agent/schema:name ?name ] }""")
    assert names(signers, "name") == ["Rudolf Elphberg", "Rufus Firefly"]


def test_q13_what_zabiullah_mujahid_claimed(store):
    rows = select(store, """
        SELECT ?subject ?property ?value ?statement WHERE {
          ?c a dip:Claim ; schema:author/schema:name "Zabiullah Mujahid"@en ;
             rdf:subject/schema:name ?subject ; rdf:predicate ?property ; rdf:object ?value ;
             schema:appearance/schema:text ?statement .
        }""")
    assert rows == [{"subject": "Car bomb attack on the National Directorate of Security training centre in Maidan Shahr",
                     "property": "https://w3id.org/lod-pub/ns/dip#killed", "value": "190",
                     "statement": "190 were dead"}]


def test_q13_every_claim_names_its_author_and_statement(store):
    rows = select(store, """
        SELECT ?who (COUNT(?c) AS ?claims) WHERE {
          ?c a dip:Claim ; schema:author/schema:name ?who ; schema:appearance ?s .
          ?s dip:makesClaim ?c .
        } GROUP BY ?who ORDER BY ?who""")
    assert rows == [{"who": "Abdurrahman Mangal", "claims": "2"}, {"who": "Sharif Hotak", "claims": "1"},
                    {"who": "Sohail Mahmood", "claims": "1"}, {"who": "Stefano Pontecorvo", "claims": "1"},
                    {"who": "Taliban", "claims": "1"}, {"who": "Zabiullah Mujahid", "claims": "1"}]


def test_q14_who_held_a_post_on_a_date(kinds_store):
    """Holdings dated by the article: held since a start on or before the date, and no end before it;
    a former holding is not a current one."""
    query = """
        SELECT ?who ?post WHERE {
          ?t a dip:Tenure ; dip:holder/schema:name ?who ; dip:post/schema:name ?post ; schema:startDate ?start .
          FILTER(STR(?start) <= "%s")
          OPTIONAL { ?t schema:endDate ?end } FILTER(!BOUND(?end) || STR(?end) >= "%s")
          FILTER NOT EXISTS { ?t dip:former true }
        }"""
    assert select(kinds_store, query % ("2021-06-01", "2021-06-01")) == [
        {"who": "Rudolf Elphberg", "post": "Foreign Minister of Ruritania"}]
    assert select(kinds_store, query % ("2018-06-01", "2018-06-01")) == []


def test_q14_who_held_which_post_as_the_article_reports_it(kinds_store):
    rows = select(kinds_store, """
        SELECT ?who ?post ?on ?former WHERE {
          ?t a dip:Tenure ; dip:holder/schema:name ?who ; dip:post/schema:name ?post ; dip:reportedOn ?on .
          ?t dip:post/org:postIn/schema:name "Government of Ruritania"@en .
          OPTIONAL { ?t dip:former ?former }
        } ORDER BY ?post""")
    assert rows == [
        {"who": "Rudolf Elphberg", "post": "Ambassador of Ruritania to Freedonia", "on": "2022-03-05", "former": "true"},
        {"who": "Rudolf Elphberg", "post": "Foreign Minister of Ruritania", "on": "2022-03-05"}]
    # a former post is no org:holds: the direct links say what a person holds now
    assert not kinds_store.query("""ASK { ?p org:holds ?post . ?post schema:name "Ambassador of Ruritania to Freedonia"@en }""",
                                 prefixes=PREFIXES, use_default_graph_as_union=True)


def test_an_ended_holding_or_membership_is_not_a_current_one(kinds_store):
    """An end on or before the article's date, without the word "former", still ends the holding: its
    tenure and membership keep their dates, and no direct link says it holds now."""
    rows = select(kinds_store, """
        SELECT ?end ?former WHERE {
          ?t a dip:Tenure ; dip:post/schema:name "Ambassador of Freedonia to Genovia"@en ; schema:endDate ?end .
          OPTIONAL { ?t dip:former ?former }
        }""")
    assert rows == [{"end": "2020"}]
    for ask in ("""ASK { ?p org:holds ?post . ?post schema:name "Ambassador of Freedonia to Genovia"@en }""",
                """ASK { ?post org:heldBy ?p ; schema:name "Ambassador of Freedonia to Genovia"@en }""",
                """ASK { ?g schema:name "Government of Genovia"@en ; schema:memberOf ?o }"""):
        assert not kinds_store.query(ask, prefixes=PREFIXES, use_default_graph_as_union=True), ask
    assert kinds_store.query("""ASK { ?m org:member/schema:name "Government of Genovia"@en ;
                                        org:memberDuring/time:hasEnd/time:inXSDgYear ?y }""",
                             prefixes=PREFIXES, use_default_graph_as_union=True)


def test_q15_a_claim_is_told_from_a_fact(store):
    """The article asserts that Pakistan supported ISAF; it only reports the claim that Pakistan supported
    the evacuation from Kabul. The plain triple is there for the first and not for the second."""
    ask = """ASK {{ ?e schema:name "{event}"@en ; dip:supportedBy/schema:name "Government of Pakistan"@en }}"""
    claimed = """ASK {{ ?c a dip:Claim ; rdf:subject/schema:name "{event}"@en ; rdf:predicate dip:supportedBy ;
                       rdf:object/schema:name "Government of Pakistan"@en }}"""
    for event, asserted in (("International Security Assistance Force", True),
                            ("Evacuation of NATO personnel from Kabul", False)):
        assert bool(store.query(ask.format(event=event), prefixes=PREFIXES, use_default_graph_as_union=True)) is asserted
        assert bool(store.query(claimed.format(event=event), prefixes=PREFIXES,
                                use_default_graph_as_union=True)) is not asserted


def test_q16_roles_at_the_meeting(store):
    rows = select(store, """
        SELECT ?who ?role WHERE {
          ?m a dip:Meeting ; schema:startDate "2021-10-20"^^xsd:date ;
             dip:qualifiedParticipation [ dip:agent/schema:name ?who ; dip:role ?role ] .
        } ORDER BY ?who""")
    assert rows == [{"who": "NATO delegation to Pakistan, October 2021", "role": "https://w3id.org/lod-pub/ns/dip#Participant"},
                    {"who": "Sohail Mahmood", "role": "https://w3id.org/lod-pub/ns/dip#Host"},
                    {"who": "Stefano Pontecorvo", "role": "https://w3id.org/lod-pub/ns/dip#HeadOfDelegation"}]


def test_q17_joint_statements_and_their_authors(kinds_store):
    rows = select(kinds_store, """
        SELECT ?text (GROUP_CONCAT(?who; separator="|") AS ?authors) WHERE {
          ?s a dip:ReportedStatement ; schema:text ?text ; schema:author/schema:name ?who .
        } GROUP BY ?s ?text HAVING (COUNT(?who) > 1)""")
    assert len(rows) == 1 and rows[0]["text"] == "both governments support a ceasefire in the region"
    assert sorted(rows[0]["authors"].split("|")) == ["Rudolf Elphberg", "Rufus Firefly"]


def test_q18_events_by_cameo_code(store):
    """Every event has exactly one CAMEO code; the consultations (root 04) of the sample."""
    assert select(store, "SELECT ?e WHERE { ?e a schema:Event FILTER NOT EXISTS { ?e dip:eventCode ?c } }") == []
    rows = select(store, """
        SELECT ?name ?code WHERE {
          ?e a schema:Event ; schema:name ?name ; dip:eventCode ?code .
          FILTER(STRSTARTS(STR(?code), CONCAT(STR(cameo:), "04")))
        } ORDER BY ?name""")
    assert [(r["name"], r["code"].rsplit("#", 1)[1]) for r in rows] == [
        ("High-level political exchanges between Pakistan and NATO", "040"),
        ("Meeting of Ambassador Stefano Pontecorvo with General Qamar Javed Bajwa", "040"),
        ("Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation", "040"),
        ("Meeting of the Taliban with Zalmay Khalilzad in Qatar", "044"),
        ("NATO Brussels Summit 2021", "040"),
        ("Pakistan–NATO military-to-military staff talks", "046"),
        ("Visit of the NATO delegation to Pakistan, October 2021", "042")]


def test_q19_phone_calls_postponements_and_foundings(kinds_store):
    rows = select(kinds_store, """
        SELECT ?name ?mode WHERE { ?e a dip:PhoneCall ; schema:name ?name ; schema:eventAttendanceMode ?mode }""")
    assert rows == [{"name": "Phone call of Rudolf Elphberg and Rufus Firefly",
                     "mode": "http://schema.org/OnlineEventAttendanceMode"}]
    rows = select(kinds_store, "SELECT ?status WHERE { ?e schema:eventStatus ?status }")
    assert rows == [{"status": "http://schema.org/EventRescheduled"}]
    rows = select(kinds_store, """
        SELECT ?org ?date WHERE { ?f a dip:Founding ; dip:founded ?o . ?o schema:name ?org ; schema:foundingDate ?date }""")
    assert rows == [{"org": "Strelsau Chamber of Commerce", "date": "1901"}]


def test_q20_memberships_and_family(kinds_store):
    rows = select(kinds_store, """
        SELECT ?member ?org ?role ?sibling WHERE {
          ?m a org:Membership ; org:member ?p ; org:organization/schema:name ?org ; org:role/schema:name ?role .
          ?p schema:name ?member ; schema:memberOf ?o .
          ?x schema:sibling ?p ; schema:name ?sibling .
        }""")
    assert rows == [{"member": "Flavia Elphberg", "org": "Strelsau Chamber of Commerce", "role": "chair",
                     "sibling": "Rudolf Elphberg"}]


def test_q21_killed_as_the_article_says_and_as_others_claim(store):
    rows = select(store, """
        SELECT ?event ?asserted (GROUP_CONCAT(STR(?claimed); separator="|") AS ?claims) WHERE {
          ?e a dip:Attack ; schema:name ?event .
          OPTIONAL { ?e dip:killedAtLeast ?asserted }
          OPTIONAL { ?c rdf:subject ?e ; rdf:predicate dip:killed ; rdf:object ?claimed }
        } GROUP BY ?event ?asserted ORDER BY ?event""")
    attack = "Car bomb attack on the National Directorate of Security training centre in Maidan Shahr"
    found = {r["event"]: r for r in rows}
    assert found[attack]["asserted"] == "24"
    assert sorted(found[attack]["claims"].split("|"), key=int) == ["12", "190"]
