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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
