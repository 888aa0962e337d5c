"""Benchmark: this SPARQL endpoint against an Oxigraph server and rdflib-endpoint, on the same data.

    .venv/bin/pip install -e '.[bench]'        # oxigraph (the server CLI) and rdflib-endpoint
    .venv/bin/python benchmarks/bench_sparql.py [--triples 1000000] [--runs 5] [--rdflib-timeout 60]
    .venv/bin/python benchmarks/bench_sparql.py --nquads graph.nq   # a synth release: gunzip var/current/dumps/graph.nq.gz

Without --nquads it generates a graph shaped like the project's (places with containment,
organisations, people holding posts, events with dates, places, attendees and super-events, reported
statements, articles in named graphs, the class hierarchy) and runs the mix written for it. With
--nquads it serves that file, a release of a `benchmarks/synth.py` corpus (benchmarks/run_scale.py passes
one), and runs the synthetic-corpus mix (`synth_queries`), whose entities are read from the data.
The three servers start on 127.0.0.1 (free ports); each query goes `--runs` times to each after one
warm-up. Printed: rows returned (an empty answer is flagged) and median (min–max) latency per query
and server. Every server started is stopped by its pid, and the folder removed. Not a test: numbers
depend on the machine; see docs/sparql.md and docs/benchmarks.md for runs and their reading.

    apt-get install virtuoso-opensource-7-bin wrk
    nice -n 10 .venv/bin/python benchmarks/bench_sparql.py --peers [--triples 1000000] [--runs 5]

--peers: every peer in one run, on the generated graph (--triples), all on 127.0.0.1 (free ports):
lod-pub embedded (gunicorn -w 2 -k gthread --threads 8, as docs/deploy.md says, result cache off: cold),
lod-pub reading a Virtuoso filled by `lod-pub push` (LOD_PUB_REMOTE), the Oxigraph server
(`serve-read-only` on the release's store), that Virtuoso on its own (Debian's 7.2, an ini of its own,
--virtuoso-buffers) and rdflib-endpoint (loading while the others do; skipped, with the reason, if it
does not answer --rdflib-load-timeout seconds after its start). Measured: the ten queries of
`peer_queries` (--runs runs after a warm-up, servers taking turns, rdflib-endpoint on its own after
them; a query may take --query-timeout seconds), the one-entity query by GET under wrk at 8
connections (--rounds rounds of --seconds, req/s, p50, p99, answers not 2xx), and the peak RSS of
each server's process tree (sampled every 0.5 s from its start). Printed: one table with the ratio
columns of issue 16's aims (a mark each: met or missed), rows per query (answers that differ between
servers are flagged), the load average at each phase, and the aims with by how much each is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

import servers

EX = "https://lod.example.org/"
SCHEMA, DIP, ORG = "http://schema.org/", "https://w3id.org/lod-pub/ns/dip#", "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREFIXES = (f"PREFIX schema: <{SCHEMA}>\nPREFIX dip: <{DIP}>\nPREFIX org: <{ORG}>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n")
EVENT_KINDS = ("Meeting", "OfficialVisit", "Summit", "Evacuation", "MilitaryOperation")
WORDS = ("Foreign", "Minister", "Council", "Trade", "Defence", "Summit", "Agency", "Northern", "Eastern", "Kora",
         "Harbour", "Union", "Office", "Ministry", "Treaty", "Alliance", "Coast", "River", "Delegation", "Forum")


# -- data ------------------------------------------------------------------------------------------
def iri(kind: str, n: int) -> str:
    return f"<{EX}id/{kind}/{kind[0]}{n}>"


def lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) + "@en"


def name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"


class Writer:
    def __init__(self, out):
        self.out, self.count = out, 0

    def __call__(self, s: str, p: str, o: str, graph: str) -> None:
        self.out.write(f"{s} {p} {o} {graph} .\n")
        self.count += 1


def generate(path: Path, target: int, seed: int = 7) -> int:
    """About `target` quads as N-Quads; returns the count. Scales every kind of node with target."""
    rng = random.Random(seed)
    scale = target / 1_000_000
    n_country, n_city, n_site = 200, int(4000 * scale) or 10, int(8000 * scale) or 20
    n_org, n_person, n_event = int(8000 * scale) or 10, int(25000 * scale) or 20, int(50000 * scale) or 40
    n_statement, n_article = int(30000 * scale) or 20, int(10000 * scale) or 10
    ent = f"<{EX}graph/entities>"
    p = lambda local, ns=SCHEMA: f"<{ns}{local}>"  # noqa: E731
    with path.open("w", encoding="utf-8") as f:
        w = Writer(f)
        ontology = f"<{EX}graph/ontology>"
        for kind in EVENT_KINDS:
            parent = f"<{DIP}DiplomaticEvent>" if kind in ("Meeting", "OfficialVisit", "Summit") else p("Event")
            w(f"<{DIP}{kind}>", f"<{SUBCLASS}>", parent, ontology)
        w(f"<{DIP}DiplomaticEvent>", f"<{SUBCLASS}>", p("Event"), ontology)
        w(f"<{DIP}Delegation>", f"<{SUBCLASS}>", p("Organization"), ontology)
        for i in range(n_country):
            w(iri("country", i), f"<{RDF_TYPE}>", p("Country"), ent)
            w(iri("country", i), f"<{RDF_TYPE}>", p("Place"), ent)
            w(iri("country", i), p("name"), lit(f"Country {i}"), ent)
        for i in range(n_city):
            w(iri("city", i), f"<{RDF_TYPE}>", p("City"), ent)
            w(iri("city", i), f"<{RDF_TYPE}>", p("Place"), ent)
            w(iri("city", i), p("name"), lit(name(rng, i)), ent)
            w(iri("city", i), p("containedInPlace"), iri("country", rng.randrange(n_country)), ent)
        for i in range(n_site):
            w(iri("site", i), f"<{RDF_TYPE}>", p("Place"), ent)
            w(iri("site", i), p("name"), lit(name(rng, i)), ent)
            w(iri("site", i), p("containedInPlace"), iri("city", rng.randrange(n_city)), ent)
        for i in range(n_org):
            w(iri("org", i), f"<{RDF_TYPE}>", p("Organization"), ent)
            w(iri("org", i), p("name"), lit(name(rng, i)), ent)
            w(iri("org", i), p("alternateName"), lit(f"O{i}"), ent)
            w(iri("org", i), p("location"), iri("city", rng.randrange(n_city)), ent)
            if i % 4:
                w(iri("org", i), p("parentOrganization"), iri("org", rng.randrange(max(i, 1))), ent)
        for i in range(n_person):
            w(iri("person", i), f"<{RDF_TYPE}>", p("Person"), ent)
            w(iri("person", i), p("name"), lit(f"{rng.choice(WORDS)} Person {i}"), ent)
            w(iri("person", i), p("jobTitle"), lit(rng.choice(WORDS)), ent)
            w(iri("post", i), f"<{RDF_TYPE}>", f"<{ORG}Post>", ent)
            w(iri("post", i), p("name"), lit(f"{rng.choice(WORDS)} post {i}"), ent)
            w(iri("post", i), f"<{ORG}postIn>", iri("org", rng.randrange(n_org)), ent)
            w(iri("person", i), f"<{ORG}holds>", iri("post", i), ent)
        for i in range(n_event):
            graph = f"<{EX}graph/article/a{i % n_article}>"
            e, kind = iri("event", i), EVENT_KINDS[i % len(EVENT_KINDS)]
            w(e, f"<{RDF_TYPE}>", f"<{DIP}{kind}>", graph)
            w(e, f"<{RDF_TYPE}>", p("Event"), graph)
            w(e, p("name"), lit(f"{kind} {name(rng, i)}"), graph)
            if rng.random() < 0.85:
                w(e, p("startDate"), f'"{2000 + rng.randrange(25)}-{1 + rng.randrange(12):02d}-'
                                     f'{1 + rng.randrange(28):02d}"^^<http://www.w3.org/2001/XMLSchema#date>', graph)
            if rng.random() < 0.8:
                where = iri("site", rng.randrange(n_site)) if rng.random() < 0.6 else iri("city", rng.randrange(n_city))
                w(e, p("location"), where, graph)
            for _ in range(2 + rng.randrange(3)):
                who = iri("person", rng.randrange(n_person)) if rng.random() < 0.7 else iri("org", rng.randrange(n_org))
                w(e, p("attendee"), who, graph)
            if rng.random() < 0.5:
                w(e, p("organizer"), iri("org", rng.randrange(n_org)), graph)
            if i > 10 and rng.random() < 0.3:
                w(e, p("superEvent"), iri("event", rng.randrange(i)), graph)
            w(e, "<http://www.w3.org/ns/prov#wasDerivedFrom>", iri("article", i % n_article), graph)
        for i in range(n_statement):
            graph = f"<{EX}graph/article/a{i % n_article}>"
            s = iri("statement", i)
            w(s, f"<{RDF_TYPE}>", f"<{DIP}ReportedStatement>", graph)
            w(s, p("author"), iri("person", rng.randrange(n_person)), graph)
            w(s, p("about"), iri("country", rng.randrange(n_country)), graph)
            w(s, p("text"), lit(f"Statement {i} on {rng.choice(WORDS)} matters"), graph)
            w(s, f"<{DIP}statedAt>", iri("event", rng.randrange(n_event)), graph)
        for i in range(n_article):
            graph, a = f"<{EX}graph/article/a{i}>", iri("article", i)
            w(a, f"<{RDF_TYPE}>", p("NewsArticle"), graph)
            w(a, p("name"), lit(f"Article {i}"), graph)
            w(a, p("datePublished"), f'"20{10 + i % 15}-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', graph)
            w(a, p("publisher"), iri("org", i % 50), graph)
            for _ in range(4):
                w(a, p("mentions"), iri("person", rng.randrange(n_person)), graph)
        return w.count


# -- the query mix ---------------------------------------------------------------------------------
def queries() -> dict[str, tuple[str, str, bool]]:
    """name -> (query, kind, heavy) for the generated graph; kind is 'select' or 'graph'; `heavy` marks
    the queries that read a large part of the store."""
    return {
        "entity description": (f"SELECT ?p ?o WHERE {{ {iri('event', 1234)} ?p ?o }}", "select", False),
        "org's events, newest first": (f"""SELECT ?e ?name ?date WHERE {{
            ?e schema:attendee|schema:organizer {iri('org', 42)} ; schema:name ?name .
            OPTIONAL {{ ?e schema:startDate ?date }} }} ORDER BY DESC(?date)""", "select", False),
        "counts per place": ("""SELECT ?place (COUNT(?e) AS ?n) WHERE { ?e a schema:Event ; schema:location ?place }
            GROUP BY ?place ORDER BY DESC(?n) LIMIT 100""", "select", True),
        "multi-hop join": (f"""SELECT DISTINCT ?person ?post ?orgName WHERE {{
            ?e schema:location/schema:containedInPlace {iri('city', 7)} ; schema:attendee ?p .
            ?p a schema:Person ; schema:name ?person ; org:holds ?x .
            ?x schema:name ?post ; org:postIn/schema:name ?orgName }}""", "select", True),
        "regex label search": ("""SELECT ?s ?name WHERE { ?s schema:name ?name
            FILTER(REGEX(?name, "^kora harbour 1[0-9]*$", "i")) } LIMIT 100""", "select", True),
        "OPTIONAL-heavy listing": ("""SELECT ?e ?name ?date ?place ?org ?super WHERE {
            ?e a dip:Meeting ; schema:name ?name .
            OPTIONAL { ?e schema:startDate ?date } OPTIONAL { ?e schema:location/schema:name ?place }
            OPTIONAL { ?e schema:organizer/schema:name ?org } OPTIONAL { ?e schema:superEvent ?super }
            } ORDER BY ?name LIMIT 1000""", "select", True),
        "class hierarchy path": ("""SELECT (COUNT(?e) AS ?n) WHERE {
            ?e a/rdfs:subClassOf* dip:DiplomaticEvent }""", "select", True),
        "place containment path": (f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
            ?e schema:location/schema:containedInPlace* {iri('country', 3)} }}""", "select", True),
        "CONSTRUCT subgraph": (f"""CONSTRUCT {{ ?e ?p ?o . ?a schema:name ?n }} WHERE {{
            ?e schema:location/schema:containedInPlace* {iri('country', 5)} ; ?p ?o ; schema:attendee ?a .
            ?a schema:name ?n }}""", "graph", True),
        "UNION of paths, then join": (f"""SELECT ?e ?place WHERE {{
            {{ ?e schema:location/schema:containedInPlace ?c }} UNION {{ ?e schema:location ?c }}
            ?c schema:name ?place ; schema:containedInPlace {iri('country', 3)} }}""", "select", True),
        "UNION then join": ("""SELECT ?e ?who WHERE {
            { ?e schema:attendee ?who } UNION { ?e schema:organizer ?who }
            ?who schema:alternateName "O42"@en }""", "select", True),
    }


def synth_anchors(store, base: str = EX) -> dict[str, str]:
    """The entities the synthetic-corpus mix asks about, read from a release of benchmarks/synth.py: the first
    event of the first article, its first attendee (and name), its city and that city's country."""
    event = f"{base}id/event/a0-event-0"
    rows = list(store.query(f"""SELECT ?person ?name ?city ?country WHERE {{
        <{event}> <{SCHEMA}attendee> ?person ; <{SCHEMA}location> ?city .
        ?person <{SCHEMA}name> ?name . ?city <{SCHEMA}containedInPlace> ?country }} ORDER BY ?person LIMIT 1""",
                            use_default_graph_as_union=True))
    if not rows:
        raise SystemExit(f"not a release of benchmarks/synth.py: no attendee, city and country for <{event}>")
    row = rows[0]
    return {"event": event, "person": row["person"].value, "name": row["name"].value,
            "city": row["city"].value, "country": row["country"].value}


def synth_queries(a: dict[str, str]) -> dict[str, tuple[str, str, bool]]:
    """name -> (query, kind, heavy) for a release of benchmarks/synth.py, shaped like the ten questions
    (tests/test_questions.py) and docs/sparql.md's examples; `heavy` marks the queries that read a
    large part of the store. Every one has answers on any synthetic release."""
    name = json.dumps(a["name"]) + "@en"
    return {
        "entity description": (f"SELECT ?p ?o WHERE {{ <{a['event']}> ?p ?o }}", "select", False),
        "person's events, newest first": (f"""SELECT ?e ?name ?date WHERE {{
            ?e schema:attendee <{a['person']}> ; schema:name ?name . OPTIONAL {{ ?e schema:startDate ?date }}
            }} ORDER BY DESC(?date)""", "select", False),
        "who met in a city, their posts": (f"""SELECT DISTINCT ?person ?post ?orgName WHERE {{
            ?e schema:location <{a['city']}> ; schema:attendee ?p .
            ?p schema:name ?person ; org:holds ?x . ?x schema:name ?post ; org:postIn/schema:name ?orgName }}""",
                                           "select", False),
        "UNION then join": (f"""SELECT ?x ?role WHERE {{
            {{ ?x schema:attendee ?who BIND("attendee" AS ?role) }} UNION {{ ?x schema:author ?who BIND("author" AS ?role) }}
            ?who schema:name {name} }}""", "select", False),
        "place containment path": (f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
            ?e schema:location/schema:containedInPlace* <{a['country']}> }}""", "select", False),
        "UNION of paths, then join": (f"""SELECT ?e ?place WHERE {{
            {{ ?e schema:location/schema:containedInPlace ?c }} UNION {{ ?e schema:location ?c }}
            ?c schema:name ?place ; schema:containedInPlace <{a['country']}> }}""", "select", False),
        "counts per place": ("""SELECT ?place (COUNT(?e) AS ?n) WHERE { ?e a schema:Event ; schema:location ?place }
            GROUP BY ?place ORDER BY DESC(?n) LIMIT 100""", "select", True),
        "regex label search": ("""SELECT (COUNT(*) AS ?n) WHERE { ?s schema:name ?name
            FILTER(REGEX(?name, "foreign (minister|secretary)", "i")) }""", "select", True),
        "statements with quotes, per author": ("""SELECT ?author (COUNT(?quote) AS ?n) WHERE {
            ?s a dip:ReportedStatement ; schema:author/schema:name ?author ;
               dip:evidence/oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?quote ] }
            GROUP BY ?author ORDER BY DESC(?n) ?author LIMIT 20""", "select", True),
        "OPTIONAL-heavy listing": ("""SELECT ?e ?name ?date ?place ?said WHERE {
            ?e a dip:Meeting ; schema:name ?name .
            OPTIONAL { ?e schema:startDate ?date } OPTIONAL { ?e schema:location/schema:name ?place }
            OPTIONAL { ?st dip:statedAt ?e ; schema:text ?said } } ORDER BY ?name LIMIT 1000""", "select", True),
        "events per article graph": ("""SELECT ?g (COUNT(?e) AS ?n) WHERE { GRAPH ?g { ?e a schema:Event } }
            GROUP BY ?g ORDER BY DESC(?n) ?g LIMIT 100""", "select", True),
        "CONSTRUCT subgraph": (f"""CONSTRUCT {{ ?e ?p ?o . ?a schema:name ?n }} WHERE {{
            ?e schema:location/schema:containedInPlace* <{a['country']}> ; ?p ?o ; schema:attendee ?a .
            ?a schema:name ?n }}""", "graph", True),
    }


def peer_queries() -> dict[str, tuple[str, str, bool]]:
    """name -> (query, kind, heavy): the ten queries of the run against every peer (`--peers`), on the
    generated graph: three about one entity (cheap), seven that read a large part of the store (heavy)."""
    event, person, org = iri("event", 1234), iri("person", 321), iri("org", 42)
    return {
        "one entity's DESCRIBE": (f"DESCRIBE {event}", "graph", False),
        "one entity's outgoing triples": (f"SELECT ?p ?o WHERE {{ {event} ?p ?o }}", "select", False),
        "an entity page, in and out": (f"""SELECT ?s ?p ?o WHERE {{
            {{ {person} ?p ?o }} UNION {{ ?s ?p {person} }} }}""", "select", False),
        "an organisation's events, newest first": (f"""SELECT ?e ?name ?date WHERE {{
            {{ ?e schema:attendee {org} }} UNION {{ ?e schema:organizer {org} }}
            ?e schema:name ?name . OPTIONAL {{ ?e schema:startDate ?date }} }} ORDER BY DESC(?date) LIMIT 20""",
                                                   "select", True),
        "events per place": ("""SELECT ?place (COUNT(?e) AS ?n) WHERE { ?e a schema:Event ; schema:location ?place }
            GROUP BY ?place ORDER BY DESC(?n) ?place LIMIT 100""", "select", True),
        "person → event → city → country": ("""SELECT ?country (COUNT(*) AS ?n) WHERE {
            ?e schema:attendee ?p ; schema:location ?city . ?p a schema:Person .
            ?city a schema:City ; schema:containedInPlace ?country } GROUP BY ?country ORDER BY DESC(?n) ?country
            LIMIT 20""", "select", True),
        "label search by regex": ("""SELECT ?s ?name WHERE { ?s schema:name ?name
            FILTER(REGEX(?name, "^kora harbour 1[0-9]*$", "i")) } ORDER BY ?s LIMIT 100""", "select", True),
        "OPTIONAL-heavy listing": ("""SELECT ?e ?name ?date ?place ?org ?super WHERE {
            ?e a dip:Meeting ; schema:name ?name .
            OPTIONAL { ?e schema:startDate ?date } OPTIONAL { ?e schema:location/schema:name ?place }
            OPTIONAL { ?e schema:organizer/schema:name ?org } OPTIONAL { ?e schema:superEvent ?super }
            } ORDER BY ?name ?e LIMIT 1000""", "select", True),
        "class hierarchy and place containment paths": (f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
            ?e a/rdfs:subClassOf* dip:DiplomaticEvent ;
               schema:location/schema:containedInPlace* {iri('country', 3)} }}""", "select", True),
        "CONSTRUCT of a subgraph": (f"""CONSTRUCT {{ ?e ?p ?o . ?a schema:name ?n }} WHERE {{
            ?e schema:location/schema:containedInPlace* {iri('country', 5)} ; ?p ?o ; schema:attendee ?a .
            ?a schema:name ?n }}""", "graph", True),
    }


# -- servers ---------------------------------------------------------------------------------------
class Server:
    def __init__(self, label: str, command: list[str], url: str, folder: Path, env: dict | None = None):
        self.label, self.command, self.url, self.folder, self.env = label, command, url, folder, env
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float) -> float:
        started = time.monotonic()
        self.proc = servers.start(self.command, log=self.folder / f"{self.label.split()[0]}.log", env=self.env,
                                  session=True, cwd=self.folder)
        while time.monotonic() - started < wait:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label} exited; see {self.folder / self.label.split()[0]}.log")
            try:
                requests.get(self.url, params={"query": "ASK {}"}, timeout=5)
                return time.monotonic() - started
            except requests.RequestException:
                time.sleep(0.25)
        raise RuntimeError(f"{self.label} did not answer within {wait} s")

    def stop(self) -> None:
        if self.proc:
            servers.stop(self.proc, grace=10)  # its own session: the server and its workers


APP = """
from pathlib import Path
from lod_pub.settings import Settings
from lod_pub.web import create_app
app = create_app(Settings(data_dir=Path({data!r})), SPARQL_TIMEOUT=120, SPARQL_ROW_CAP=1_000_000)
"""


def make_release(folder: Path, nquads: Path) -> Path:
    """A release folder holding only what the endpoint reads: the store and a manifest."""
    import pyoxigraph as ox

    from lod_pub.release import FORMAT_VERSION

    data = folder / "var"
    target = data / "releases" / "bench"
    target.mkdir(parents=True)
    store = ox.Store(str(target / "store"))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    graphs = sorted(g.value for g in store.named_graphs())
    store.flush()
    del store
    manifest = {"format": FORMAT_VERSION, "id": "bench", "created": "", "base": EX, "quads": 0,
                "graphs": graphs, "dumps": [], "files": {}}
    (target / "manifest.json").write_text(json.dumps(manifest))
    os.symlink("releases/bench", data / "current")
    return data


@dataclass
class Timing:
    """One query on one server: the seconds of each measured run, the size of the answer, or why it failed."""

    times: list[float] = field(default_factory=list)
    rows: int | None = None  # result rows (SELECT) or distinct triples (CONSTRUCT) of the last answer
    value: str | None = None  # the single value of a one-row, one-column answer (a count)
    failure: str | None = None

    def ms(self) -> tuple[float, float, float]:
        """(min, median, max) in milliseconds."""
        return min(self.times) * 1000, statistics.median(self.times) * 1000, max(self.times) * 1000

    def empty(self) -> bool:
        return self.rows == 0 or (self.rows == 1 and self.value in ("0", ""))


def _once(session: requests.Session, url: str, query: str, kind: str, timeout: float, timing: Timing) -> float | None:
    """Send the query once; seconds taken, with the answer's size noted in timing, or None with its failure."""
    accept = "application/sparql-results+json" if kind == "select" else "application/n-triples"
    started = time.perf_counter()
    try:
        response = session.post(url, data={"query": PREFIXES + query}, headers={"Accept": accept}, timeout=timeout)
    except requests.Timeout:
        timing.failure = f"timeout ({timeout:.0f} s)"
        return None
    except requests.RequestException as exc:
        timing.failure = f"no answer ({type(exc).__name__})"
        return None
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        timing.failure = f"HTTP {response.status_code}"
        print(f"  {url}: {response.status_code} {response.text[:200]}", file=sys.stderr)
        return None
    _count(response.content, kind, timing)
    return elapsed


def _count(body: bytes, kind: str, timing: Timing) -> None:
    if kind == "graph":
        timing.rows, timing.value = len({line for line in body.splitlines() if line.strip()}), None  # distinct
        return
    bindings = json.loads(body)["results"]["bindings"]
    timing.rows = len(bindings)
    only = bindings[0] if len(bindings) == 1 and len(bindings[0]) == 1 else None
    timing.value = next(iter(only.values()))["value"] if only else None


def measure(servers: list, query: str, kind: str, runs: int, timeouts: dict[str, float]) -> dict[str, Timing]:
    """Each server (anything with .label and .url) answers the query `runs` times after a warm-up. The
    servers take turns within each round, so that noise from other work on the machine falls on them
    alike. A server slower than a third of its timeout is measured once; one that fails drops out."""
    sessions = {s.label: requests.Session() for s in servers}
    result = {s.label: Timing() for s in servers}
    done: set[str] = set()
    for round_ in range(runs + 1):
        for server in servers:
            if server.label in done:
                continue
            timing, timeout = result[server.label], timeouts[server.label]
            elapsed = _once(sessions[server.label], server.url, query, kind, timeout, timing)
            if elapsed is None:
                done.add(server.label)
                continue
            if round_ or elapsed > timeout / 3:
                timing.times.append(elapsed)
            if elapsed > timeout / 3:
                done.add(server.label)
    for session in sessions.values():
        session.close()
    return result


def run_mix(groups: list[list], mix: dict[str, tuple[str, str, bool]], runs: int, timeouts: dict[str, float]
            ) -> dict[str, dict[str, Timing]]:
    """The whole mix, group after group (the servers of a group take turns); query -> server -> Timing."""
    results: dict[str, dict[str, Timing]] = {}
    for group in groups:
        for label, (query, kind, _heavy) in mix.items():
            results.setdefault(label, {}).update(measure(group, query, kind, runs, timeouts))
            print(f"  {label:36} " + ", ".join(f"{s}: {_cell(t)} ({_rows(t)} rows)" for s, t in results[label].items()
                                                if s in {g.label for g in group}), file=sys.stderr)
    return results


def _cell(t: Timing) -> str:
    if t.failure and not t.times:
        return t.failure
    lo, mid, hi = t.ms()
    return f"{mid:.1f} ({lo:.1f}–{hi:.1f})" if len(t.times) > 1 else f"{mid:.1f} (1 run)"


def _rows(t: Timing) -> str:
    if t.rows is None:
        return "-"
    return f"{t.rows:,}" + (f" (={t.value})" if t.value is not None and t.rows == 1 else "")


def _times(x: float) -> str:
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x" if x >= 1 else f"{x:.2f}x"


def _ratio(a: Timing | None, b: Timing | None) -> str:
    """median(a) / median(b); a lower bound when a failed by timeout."""
    if a is None or b is None or not b.times:
        return "-"
    if a.times:
        return _times(a.ms()[1] / b.ms()[1])
    if a.failure and a.failure.startswith("timeout"):
        seconds = float(a.failure.split("(")[1].split()[0])
        return f"> {_times(seconds * 1000 / b.ms()[1])}"
    return "-"


def mix_table(results: dict[str, dict[str, Timing]], mix: dict, labels: list[str], skipped: dict[str, str],
              ratios: list[tuple[str, str, str]] | None = None) -> str:
    """Markdown: per query, rows returned and median (min–max) ms per server ("skipped" for the servers
    in skipped: label -> reason, which the caller prints), then ratios of medians
    (name, numerator server, denominator server); by default labels[0] (lod-pub) against labels[1]
    (the Oxigraph server) and labels[2] (rdflib-endpoint, if any) against labels[0]."""
    if ratios is None:
        ratios = [("lod-pub / Oxigraph", labels[0], labels[1])]
        ratios += [("rdflib / lod-pub", labels[2], labels[0])] if len(labels) > 2 else []
    head = ["query", "heavy", "rows"] + [f"{s} ms" for s in [*labels, *skipped]] + [r[0] for r in ratios]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---:|" + "---:|" * (len(labels) + len(skipped) + len(ratios))]
    for label, row in results.items():
        counts = {_rows(t) for t in row.values() if t.rows is not None}
        rows = counts.pop() if len(counts) == 1 else " / ".join(f"{s}: {_rows(t)}" for s, t in row.items()) or "-"
        if any(t.empty() for t in row.values()):
            rows += " **empty**"
        cells = [_cell(row[s]) for s in labels] + ["skipped"] * len(skipped)
        cells += [_ratio(row.get(a), row.get(b)) for _, a, b in ratios]
        lines.append(f"| {label} | {'yes' if mix[label][2] else ''} | {rows} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph (default 1M)")
    parser.add_argument("--nquads", type=Path, help="measure on this N-Quads file instead (a release's "
                        "dumps/graph.nq.gz of a benchmarks/synth.py corpus, unzipped), with the synthetic-corpus mix")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per query and server (default 5)")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--peers", action="store_true", help="every peer in one run: lod-pub embedded and on "
                        "Virtuoso, the Oxigraph server, Virtuoso, rdflib-endpoint; the ten peer queries, lookups "
                        "under wrk, peak memory (see the docstring)")
    parser.add_argument("--query-timeout", type=float, default=30.0, help="--peers: seconds a query may take on "
                        "any server, lod-pub's SPARQL_TIMEOUT (default 30)")
    parser.add_argument("--rdflib-load-timeout", type=float, default=300.0, help="--peers: seconds "
                        "rdflib-endpoint may take to load the graph, or it is skipped (default 300)")
    parser.add_argument("--push-timeout", type=float, default=1800.0, help="--peers: seconds `lod-pub push` "
                        "into Virtuoso may take (default 1800)")
    parser.add_argument("--skip-virtuoso", action="store_true", help="--peers: leave out Virtuoso and lod-pub on "
                        "Virtuoso (their rows say so)")
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000, help="--peers: Virtuoso's "
                        "NumberOfBuffers, 8 KiB pages (default 170,000: 1.3 GiB)")
    parser.add_argument("--seconds", type=float, default=5.0, help="--peers: seconds of each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="--peers: wrk rounds over the servers (default 3)")
    parser.add_argument("--entities", type=int, default=500, help="--peers: people asked about in turn (default 500)")
    args = parser.parse_args(argv)
    if args.peers:
        if args.nquads:
            parser.error("--peers runs on a generated graph (--triples), not --nquads")
        return run_peers(args)
    folder = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    running: list[Server] = []
    try:
        nquads, count = prepare_data(folder, args)
        mix, data = prepare_lodpub(folder, nquads, args)
        running = make_servers(folder, data, nquads, args.skip_rdflib)
        for server in running:
            print(f"{server.label}: ready in {server.start(wait=900):.1f} s", file=sys.stderr)
        timeouts = {s.label: args.rdflib_timeout if s.label == "rdflib-endpoint" else 300.0 for s in running}
        # lod-pub and the Oxigraph server take turns; rdflib-endpoint goes on its own afterwards, as the
        # garbage of its long queries would otherwise land on whichever server comes next.
        results = run_mix([running[:2], running[2:]], mix, args.runs, timeouts)
        print(f"\n{count:,} quads; median (min–max) of {args.runs} runs after a warm-up, ms; "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.2f}\n")
        skipped = {"rdflib-endpoint": "--skip-rdflib"} if args.skip_rdflib else {}
        print(mix_table(results, mix, [s.label for s in running], skipped) + ("\n\nrdflib-endpoint: skipped (--skip-rdflib)" if skipped else ""))
    finally:
        for server in running:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def prepare_data(folder: Path, args) -> tuple[Path, int]:
    """The N-Quads to serve: the given file, or a generated graph; (path, quads)."""
    if args.nquads:
        with args.nquads.open("rb") as f:
            return args.nquads.resolve(), sum(1 for _ in f)
    t = time.monotonic()
    nquads = folder / "data.nq"
    count = generate(nquads, args.triples)
    print(f"generated {count} quads in {time.monotonic() - t:.1f} s", file=sys.stderr)
    return nquads, count


def prepare_lodpub(folder: Path, nquads: Path, args) -> tuple[dict, Path]:
    """Load lod-pub's store and pick the mix: (mix, data folder)."""
    import pyoxigraph as ox

    t = time.monotonic()
    data = make_release(folder, nquads)
    print(f"lod-pub store loaded in {time.monotonic() - t:.1f} s", file=sys.stderr)
    if not args.nquads:
        return queries(), data
    store = ox.Store.read_only(str(data / "current" / "store"))
    anchors = synth_anchors(store)
    del store
    return synth_queries(anchors), data


def make_servers(folder: Path, data: Path, nquads: Path, skip_rdflib: bool) -> list[Server]:
    bin_dir = Path(sys.executable).parent
    t = time.monotonic()
    subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(folder / "oxi"), "--file", str(nquads)],
                   check=True, capture_output=True)
    print(f"oxigraph store loaded in {time.monotonic() - t:.1f} s", file=sys.stderr)
    (folder / "benchapp.py").write_text(APP.format(data=str(data)))
    ours, oxi, rdfl = servers.free_port(), servers.free_port(), servers.free_port()
    running = [Server("lod-pub (gunicorn)", [
        str(bin_dir / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{ours}",
        "--timeout", "300", "benchapp:app"], f"http://127.0.0.1:{ours}/sparql", folder,
        {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))})]
    running.append(Server("oxigraph serve", [
        str(bin_dir / "oxigraph"), "serve", "--location", str(folder / "oxi"), "--bind", f"127.0.0.1:{oxi}",
        "--union-default-graph"], f"http://127.0.0.1:{oxi}/query", folder))
    if not skip_rdflib:  # loads the quads into an rdflib Dataset with default_union=True
        running.append(rdflib_server(nquads, rdfl, folder))
    return running


def rdflib_server(nquads: Path, port: int, folder: Path) -> Server:
    bin_dir = Path(sys.executable).parent
    return Server("rdflib-endpoint", [str(bin_dir / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1",
                                      "--port", str(port)], f"http://127.0.0.1:{port}/", folder)



# -- every peer in one run (--peers) -----------------------------------------------------------------
EMBEDDED, REMOTE, OXIGRAPH, VIRTUOSO, RDFLIB = (
    "lod-pub", "lod-pub on Virtuoso", "Oxigraph server", "Virtuoso", "rdflib-endpoint")
PEERS = (EMBEDDED, REMOTE, OXIGRAPH, VIRTUOSO, RDFLIB)
#: (column, numerator, denominator, aim: the most the ratio may be, or None, which queries it applies to)
PEER_RATIOS = (("lod-pub / Oxigraph", EMBEDDED, OXIGRAPH, 1.0, "all"),
               ("lod-pub / Virtuoso", EMBEDDED, VIRTUOSO, 2.0, "heavy"),
               ("on Virtuoso / Virtuoso", REMOTE, VIRTUOSO, 1.2, "heavy"),
               ("rdflib / lod-pub", RDFLIB, EMBEDDED, None, ""))
CHEAP_AIM, THROUGHPUT_AIM = 1.3, 0.5


@dataclass
class Peer:
    """A started server of the run: its label, query endpoint, process, and how it got its data."""

    label: str
    url: str
    proc: subprocess.Popen
    note: str = ""

    def stop(self) -> None:
        servers.stop(self.proc, grace=30)


class PeakRss:
    """The peak VmRSS of each watched process tree (a server, its workers and query processes), sampled
    by one thread every `interval` seconds from when it is watched until close()."""

    def __init__(self, interval: float = 0.5) -> None:
        import threading

        self.roots: dict[str, int] = {}
        self.peak_kib: dict[str, int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def watch(self, label: str, pid: int) -> None:
        self.roots[label] = pid

    def _sample(self, interval: float) -> None:
        while not self._done.wait(interval):
            for label, pid in list(self.roots.items()):
                kib = sum(servers.rss_kib(p) for p in servers.descendants(pid))
                self.peak_kib[label] = max(self.peak_kib.get(label, 0), kib)

    def mib(self, label: str) -> float | None:
        return self.peak_kib[label] / 1024 if label in self.peak_kib else None

    def close(self) -> None:
        self._done.set()
        self._thread.join()


@dataclass
class Lookups:
    """wrk at 8 connections on one server, one figure per round."""

    rps: list[float] = field(default_factory=list)
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    non_2xx: int = 0  # answers not 2xx, and socket errors (wrk counts both)
    socket_errors: int = 0  # of which connect, read, write errors and timeouts (wrk's, 2 s)
    requests: int = 0
    failure: str | None = None


@dataclass
class PeerRun:
    count: int = 0
    loads: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    results: dict[str, dict[str, Timing]] = field(default_factory=dict)
    lookups: dict[str, Lookups] = field(default_factory=dict)
    rss: dict[str, float | None] = field(default_factory=dict)

    def load(self, when: str) -> None:
        self.loads.append((when, os.getloadavg()))
        print(f"== {when}: load average {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)


def run_peers(args) -> int:
    """Every peer on one generated graph, in one run: load each, the ten queries, lookups under wrk, memory."""
    folder = Path(tempfile.mkdtemp(prefix="bench-peers-"))
    run, peers, rss = PeerRun(), [], PeakRss()
    try:
        run.load("start")
        nquads, run.count = prepare_data(folder, args)
        t = time.monotonic()
        data = make_release(folder, nquads)
        run.notes[EMBEDDED] = f"release store loaded in {time.monotonic() - t:.0f} s"
        start_peers(folder, data, nquads, args, run, peers, rss)
        run.load("all loaded")
        warm(peers)
        mine = [p for p in peers if p.label != RDFLIB]
        timeouts = {p.label: args.query_timeout + 5 for p in peers}
        groups = [mine] + [[p for p in peers if p.label == RDFLIB]]
        # rdflib-endpoint goes on its own, after the others: its long queries' garbage would land on them
        run.results = run_mix([g for g in groups if g], peer_queries(), args.runs, timeouts)
        run.load("after the ten queries")
        quiet(peers, args, run)
        run.lookups = lookups(peers, folder, args, run)
        run.load("end")
        run.rss = {label: rss.mib(label) for label in PEERS}
        print(peer_report(run, args))
    finally:
        rss.close()
        for peer in reversed(peers):
            peer.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def start_peers(folder: Path, data: Path, nquads: Path, args, run: PeerRun, peers: list[Peer], rss: PeakRss) -> None:
    """rdflib-endpoint first (it loads while the others do), then Virtuoso filled by `lod-pub push`, the
    Oxigraph server over the release's store, lod-pub embedded and lod-pub reading Virtuoso; then wait,
    up to --rdflib-load-timeout from its start, for rdflib-endpoint to answer, or skip it with the reason."""
    rdflib_started, rdflib = time.monotonic(), None
    if args.skip_rdflib:
        run.skipped[RDFLIB] = "--skip-rdflib"
    else:
        port = servers.free_port()
        rdflib = Peer(RDFLIB, f"http://127.0.0.1:{port}/", servers.start(
            [str(servers.BIN / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)],
            log=folder / "rdflib-endpoint.log", session=True))
        peers.append(rdflib)
        rss.watch(RDFLIB, rdflib.proc.pid)
        ready = _FirstAnswer(port, rdflib.proc, rdflib_started, args.rdflib_load_timeout)
    url = start_virtuoso(folder, data, args, run, peers, rss)
    port = servers.free_port()
    proc = servers.start_oxigraph(data / "current" / "store", port, log=folder / "oxigraph.log")
    peers.append(Peer(OXIGRAPH, f"http://127.0.0.1:{port}/query", proc, ""))
    run.notes[OXIGRAPH] = "serve-read-only on the release's store"
    rss.watch(OXIGRAPH, proc.pid)
    env = {"LOD_PUB_SPARQL_TIMEOUT": str(args.query_timeout), "LOD_PUB_SPARQL_ROW_CAP": "1000000",
           "LOD_PUB_SPARQL_CACHE_ENTRIES": "0"}  # cold: every query runs
    remote = {"LOD_PUB_REMOTE": url, "LOD_PUB_REMOTE_TIMEOUT": str(args.query_timeout)} if url else None
    for label, extra in ((EMBEDDED, {}), (REMOTE, remote)):
        if extra is None:
            continue
        base, proc = servers.start_gunicorn(data, env={**env, **extra}, log=folder / f"{label.split()[-1]}.log",
                                            seconds=120)
        peers.append(Peer(label, f"{base}/sparql", proc))
        rss.watch(label, proc.pid)
    if rdflib is not None:
        ready.join()
        if ready.seconds is None:
            run.skipped[RDFLIB] = (f"not answering {args.rdflib_load_timeout:.0f} s after its start "
                                   f"(--rdflib-load-timeout): {ready.why}")
            rdflib.stop()
            peers.remove(rdflib)
        else:
            run.notes[RDFLIB] = f"loaded and answering {ready.seconds:.0f} s after its start"
    for peer in peers:
        print(f"{peer.label}: {peer.url} {run.notes.get(peer.label, '')}", file=sys.stderr, flush=True)


class _FirstAnswer:
    """A thread noting how long after `started` a server first answers ASK {} (seconds), or why it did
    not within `limit` seconds of `started` (why; the server is stopped then)."""

    def __init__(self, port: int, proc: subprocess.Popen, started: float, limit: float) -> None:
        import threading

        self.seconds: float | None = None
        self.why = ""
        self._thread = threading.Thread(target=self._wait, args=(port, proc, started, limit), daemon=True)
        self._thread.start()

    def _wait(self, port: int, proc: subprocess.Popen, started: float, limit: float) -> None:
        try:
            servers.wait_answering(port, "/?query=ASK%7B%7D", proc, limit - (time.monotonic() - started))
            self.seconds = time.monotonic() - started
        except RuntimeError as exc:
            self.why = str(exc)
            servers.stop(proc, grace=10)  # now: its loading would take the cores and memory the others load with

    def join(self) -> None:
        self._thread.join()


def start_virtuoso(folder: Path, data: Path, args, run: PeerRun, peers: list[Peer], rss: PeakRss) -> str | None:
    """Virtuoso filled by `lod-pub push`: its /sparql URL, or None when --skip-virtuoso says so."""
    if args.skip_virtuoso:
        run.skipped[VIRTUOSO] = run.skipped[REMOTE] = "--skip-virtuoso"
        return None
    url, proc = servers.start_virtuoso(folder / "virtuoso", buffers=args.virtuoso_buffers,
                                       query_seconds=round(args.query_timeout) + 30, log=folder / "virtuoso.out")
    peer = Peer(VIRTUOSO, url, proc)
    peers.append(peer)
    rss.watch(VIRTUOSO, proc.pid)
    t = time.monotonic()
    try:
        subprocess.run([str(servers.BIN / "lod-pub"), "push", "--remote", url, "--data-dir", str(data), "--quiet"],
                       check=True, capture_output=True, timeout=args.push_timeout)
    except subprocess.TimeoutExpired:
        why = f"`lod-pub push` did not finish within --push-timeout {args.push_timeout:.0f} s"
    except subprocess.CalledProcessError as exc:
        why = f"`lod-pub push` failed: {(exc.stderr or b'').decode(errors='replace').strip()[-300:]}"
    else:
        run.notes[VIRTUOSO] = run.notes[REMOTE] = f"`lod-pub push` {time.monotonic() - t:.0f} s"
        return url
    run.skipped[VIRTUOSO] = run.skipped[REMOTE] = why
    peer.stop()
    peers.remove(peer)
    return None


def warm(peers: list[Peer], clients: int = 16) -> None:
    """`clients` cheap queries at once to each server, then a pause: every gunicorn worker of lod-pub gets
    one, so that each starts its pool of query processes now (on its first query), not during the mix."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(url: str) -> None:
        try:
            requests.post(url, data={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        except requests.RequestException:
            pass

    with ThreadPoolExecutor(clients) as pool:
        for peer in peers:
            list(pool.map(ask, [peer.url] * clients))
    time.sleep(3)


def quiet(peers: list[Peer], args, run: PeerRun) -> None:
    """rdflib-endpoint goes on with the queries its client gave up on (timeouts): wait, up to four query
    time limits, until it is idle, so that its work does not land on the others' lookups; their order
    puts it last."""
    for peer in [p for p in peers if p.label == RDFLIB]:
        if not servers.wait_idle(peer.proc.pid, 4 * args.query_timeout):
            run.notes[RDFLIB] += f"; still busy {4 * args.query_timeout:.0f} s after its last query, during the lookups"
        peers.remove(peer)
        peers.append(peer)


def lookups(peers: list[Peer], folder: Path, args, run: PeerRun) -> dict[str, Lookups]:
    """The one-entity query (an entity's outgoing triples, one of --entities people in turn, by GET) under wrk
    at 8 connections: a warm-up, then --rounds rounds of --seconds, the servers taking turns."""
    import bench_lookup
    from urllib.parse import urlsplit

    found = {p.label: Lookups() for p in peers}
    if shutil.which("wrk") is None:
        for figures in found.values():
            figures.failure = "wrk is not installed"
        return found
    text, accept = bench_lookup.QUERIES["outgoing triples"]
    scripts = {}
    for peer in peers:
        scripts[peer.label] = bench_lookup.wrk_script(folder, urlsplit(peer.url).path, text, accept, args.entities)
        base = peer.url[:peer.url.index("/", len("http://"))]
        try:
            bench_lookup.wrk(base, scripts[peer.label], 8, 2)
        except (subprocess.SubprocessError, RuntimeError) as exc:
            found[peer.label].failure = f"wrk failed: {str(exc).splitlines()[0][:120]}"
    for _ in range(args.rounds):
        for peer in peers:
            figures = found[peer.label]
            if figures.failure:
                continue
            base = peer.url[:peer.url.index("/", len("http://"))]
            try:
                one = bench_lookup.wrk(base, scripts[peer.label], 8, args.seconds)
            except (subprocess.SubprocessError, RuntimeError) as exc:
                figures.failure = f"wrk failed: {str(exc).splitlines()[0][:120]}"
                continue
            if not one["requests"]:
                figures.failure = f"no answer in {args.seconds:g} s"
                continue
            figures.rps.append(one["rps"])
            figures.p50_ms.append(one["p50"])
            figures.p99_ms.append(one["p99"])
            figures.non_2xx += int(one["non_2xx"])
            figures.socket_errors += int(one["socket_errors"])
            figures.requests += int(one["requests"])
    return found


# -- the peers' table --------------------------------------------------------------------------------
def _precise(x: float) -> str:
    """A ratio as the aims read it: two decimals below 10x (1.04x is over 1.0x)."""
    return f"{x:.0f}x" if x >= 10 else f"{x:.2f}x"


def _aim_mark(value: float, aim: float, at_least: bool = False) -> str:
    met = value >= aim if at_least else value <= aim
    return f"{_precise(value)} ✓" if met else f"**{_precise(value)}** ✗"


def _peer_ratio(row: dict[str, Timing], a: str, b: str, aim: float | None) -> str:
    ta, tb = row.get(a), row.get(b)
    if aim is None or ta is None or tb is None or not ta.times or not tb.times:
        return _ratio(ta, tb)
    return _aim_mark(ta.ms()[1] / tb.ms()[1], aim)


def _lookup_cell(figures: Lookups | None, what: str) -> str:
    if figures is None:
        return "skipped"
    if figures.failure and not figures.rps:
        return figures.failure
    if what == "rps":
        return f"{statistics.median(figures.rps):,.0f}"
    if what == "not 2xx":
        errors = f" ({figures.socket_errors:,} socket errors)" if figures.socket_errors else ""
        return f"{figures.non_2xx:,} of {figures.requests:,}{errors}"
    return f"{statistics.median(getattr(figures, what)):.2f}"


def peer_table(run: PeerRun) -> str:
    mix = peer_queries()
    head = ["query", "heavy", "rows"] + [f"{p} ms" if p not in run.skipped else f"{p}" for p in PEERS]
    head += [f"{name}{f' (aim ≤ {aim:g}x, {scope})' if aim else ''}" for name, _, _, aim, scope in PEER_RATIOS]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---:|" + "---:|" * (len(PEERS) + len(PEER_RATIOS))]
    for query, row in run.results.items():
        heavy = mix[query][2]
        counts = {_rows(t) for t in row.values() if t.rows is not None}
        rows = counts.pop() if len(counts) == 1 else " / ".join(f"{s}: {_rows(t)}" for s, t in row.items()) + \
            " **differ**"
        cells = [_cell(row[p]) if p in row else "skipped" for p in PEERS]
        for _, a, b, aim, scope in PEER_RATIOS:
            applies = scope == "all" or (scope == "heavy" and heavy)
            cells.append(_peer_ratio(row, a, b, aim if applies else None))
        lines.append(f"| {query} | {'yes' if heavy else ''} | {rows} | " + " | ".join(cells) + " |")
    for what, name in (("rps", "one-entity lookups, 8 connections: req/s"), ("p50_ms", "… p50 ms"),
                       ("p99_ms", "… p99 ms"), ("not 2xx", "… answers not 2xx")):
        cells = [_lookup_cell(run.lookups.get(p), what) for p in PEERS]
        ratios = []
        for _, a, b, _aim, _scope in PEER_RATIOS:
            fa, fb = run.lookups.get(a), run.lookups.get(b)
            if what == "not 2xx" or not (fa and fb and fa.rps and fb.rps):
                ratios.append("")
                continue
            value = statistics.median(getattr(fa, what)) / statistics.median(getattr(fb, what))
            aimed = what == "rps" and (a, b) == (EMBEDDED, OXIGRAPH)
            ratios.append(_aim_mark(value, THROUGHPUT_AIM, at_least=True) if aimed else _times(value))
        lines.append(f"| {name} | | | " + " | ".join(cells + ratios) + " |")
    cells = [f"{run.rss[p]:,.0f}" if run.rss.get(p) is not None and p not in run.skipped else "skipped" for p in PEERS]
    ratios = []
    for _, a, b, _aim, _scope in PEER_RATIOS:
        ma, mb = run.rss.get(a), run.rss.get(b)
        ratios.append(_times(ma / mb) if ma and mb and a not in run.skipped and b not in run.skipped else "")
    lines.append("| peak RSS, MiB (the process tree) | | | " + " | ".join(cells + ratios) + " |")
    return "\n".join(lines)


def peer_aims(run: PeerRun) -> list[str]:
    """Each aim of issue 16, met or missed, and by how much (the worst ratio against the aim)."""
    mix = peer_queries()

    def ratios(a: str, b: str, heavy: bool | None) -> list[tuple[str, float]]:
        out = []
        for query, row in run.results.items():
            if heavy is not None and mix[query][2] != heavy:
                continue
            ta, tb = row.get(a), row.get(b)
            if ta is not None and tb is not None and ta.times and tb.times and not _same_answer(ta, tb):
                differ.setdefault(query, set()).update((a, b))
            elif ta is not None and tb is not None and ta.times and tb.times:
                out.append((query, ta.ms()[1] / tb.ms()[1]))
            elif ta is not None and tb is not None and tb.times and ta.failure:
                out.append((query, float("inf")))
        return out

    def aim(text: str, found: list[tuple[str, float]], limit: float) -> str:
        if not found:
            return f"- {text}: not measured"
        missed = [(q, r) for q, r in found if r > limit]
        worst = max(found, key=lambda x: x[1])
        if not missed:
            return f"- {text}: **met** ({len(found)} of {len(found)}; worst {worst[0]}, {_precise(worst[1])})"
        listed = "; ".join(f"{q} {_precise(r)} ({_precise(r / limit)} the aim)"
                           for q, r in sorted(missed, key=lambda x: -x[1]))
        return f"- {text}: **missed** on {len(missed)} of {len(found)}: {listed}"

    differ: dict[str, set[str]] = {}
    lines = [aim("every query cold within 1.0x of the Oxigraph server", ratios(EMBEDDED, OXIGRAPH, None), 1.0),
             aim("heavy queries within 2x of Virtuoso", ratios(EMBEDDED, VIRTUOSO, True), 2.0),
             aim("heavy queries, lod-pub on Virtuoso within 1.2x of Virtuoso", ratios(REMOTE, VIRTUOSO, True), 1.2),
             aim("cheap queries within 1.3x of the Oxigraph server", ratios(EMBEDDED, OXIGRAPH, False), CHEAP_AIM)]
    ours, theirs = run.lookups.get(EMBEDDED), run.lookups.get(OXIGRAPH)
    if ours and theirs and ours.rps and theirs.rps:
        share = statistics.median(ours.rps) / statistics.median(theirs.rps)
        lines.append(f"- one-entity throughput at least half the Oxigraph server's: "
                     f"**{'met' if share >= THROUGHPUT_AIM else 'missed'}** ({share:.2f} of it)")
        lines.append(f"- no refused query at 8 connections (the configured concurrency: 2 gunicorn workers x "
                     f"SPARQL_WORKERS): **{'met' if ours.non_2xx == 0 else 'missed'}** "
                     f"({ours.non_2xx:,} of {ours.requests:,} not 2xx, {ours.socket_errors:,} of them socket errors)")
    else:
        lines.append("- one-entity throughput and refusals: not measured")
    for query, labels in differ.items():
        lines.append(f"- not compared: {query}, the answers of {' and '.join(sorted(labels))} differ (rows column)")
    return lines


def _same_answer(a: Timing, b: Timing) -> bool:
    """Whether two servers gave answers of the same size (rows, and the value of a one-value answer)."""
    return (a.rows, a.value) == (b.rows, b.value)


def peer_report(run: PeerRun, args) -> str:
    loads = "; ".join(f"{when} {' / '.join(f'{x:.2f}' for x in avg)}" for when, avg in run.loads)
    out = [f"{run.count:,} quads; median (min–max) of {args.runs} runs after a warm-up, ms, one client; "
           f"lookups: wrk -c8, median of {args.rounds} rounds of {args.seconds:g} s; "
           f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           f"load average (1 / 5 / 15 min): {loads}", ""]
    out += [f"- {label}: {run.notes[label]}" for label in PEERS if label in run.notes]
    out += [f"- {label}: skipped, {why}" for label, why in run.skipped.items()]
    out += ["", peer_table(run), "", "Aims (issue 16):", ""] + peer_aims(run)
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
