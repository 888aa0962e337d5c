"""Benchmark: this SPARQL endpoint against an Oxigraph server and rdflib-endpoint, on the same data.

    .venv/bin/pip install -e '.[bench]'        # oxigraph (the server CLI) and rdflib-endpoint
    .venv/bin/python benchmarks/bench_sparql.py [--triples 1000000] [--runs 5] [--rdflib-timeout 60]

Generates a graph shaped like the project's (places with containment, organisations, people holding
posts, events with dates, places, attendees and super-events, reported statements, articles in named
graphs, the class hierarchy), writes it to a temporary folder, starts the three servers on
127.0.0.1 (free ports), sends each query of the mix `--runs` times after one warm-up, and prints the
median latency per query and server. Every server started is stopped by its pid, and the folder
removed. Not a test: numbers depend on the machine; see docs/sparql.md for a run and its reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

EX = "https://lod.example.org/"
SCHEMA, DIP, ORG = "http://schema.org/", "https://lod.example.org/ns/dip#", "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREFIXES = (f"PREFIX schema: <{SCHEMA}>\nPREFIX dip: <{DIP}>\nPREFIX org: <{ORG}>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
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
def queries() -> dict[str, tuple[str, str]]:
    """name -> (query, kind) where kind is 'select' or 'graph'."""
    return {
        "entity description": (f"SELECT ?p ?o WHERE {{ {iri('event', 1234)} ?p ?o }}", "select"),
        "org's events, newest first": (f"""SELECT ?e ?name ?date WHERE {{
            ?e schema:attendee|schema:organizer {iri('org', 42)} ; schema:name ?name .
            OPTIONAL {{ ?e schema:startDate ?date }} }} ORDER BY DESC(?date)""", "select"),
        "counts per place": ("""SELECT ?place (COUNT(?e) AS ?n) WHERE { ?e a schema:Event ; schema:location ?place }
            GROUP BY ?place ORDER BY DESC(?n) LIMIT 100""", "select"),
        "multi-hop join": (f"""SELECT DISTINCT ?person ?post ?orgName WHERE {{
            ?e schema:location/schema:containedInPlace {iri('city', 7)} ; schema:attendee ?p .
            ?p a schema:Person ; schema:name ?person ; org:holds ?x .
            ?x schema:name ?post ; org:postIn/schema:name ?orgName }}""", "select"),
        "regex label search": ("""SELECT ?s ?name WHERE { ?s schema:name ?name
            FILTER(REGEX(?name, "^kora harbour 1[0-9]*$", "i")) } LIMIT 100""", "select"),
        "OPTIONAL-heavy listing": ("""SELECT ?e ?name ?date ?place ?org ?super WHERE {
            ?e a dip:Meeting ; schema:name ?name .
            OPTIONAL { ?e schema:startDate ?date } OPTIONAL { ?e schema:location/schema:name ?place }
            OPTIONAL { ?e schema:organizer/schema:name ?org } OPTIONAL { ?e schema:superEvent ?super }
            } ORDER BY ?name LIMIT 1000""", "select"),
        "class hierarchy path": ("""SELECT (COUNT(?e) AS ?n) WHERE {
            ?e a/rdfs:subClassOf* dip:DiplomaticEvent }""", "select"),
        "place containment path": (f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
            ?e schema:location/schema:containedInPlace* {iri('country', 3)} }}""", "select"),
        "CONSTRUCT subgraph": (f"""CONSTRUCT {{ ?e ?p ?o . ?a schema:name ?n }} WHERE {{
            ?e schema:location/schema:containedInPlace* {iri('country', 5)} ; ?p ?o ; schema:attendee ?a .
            ?a schema:name ?n }}""", "graph"),
        "UNION of paths, then join": (f"""SELECT ?e ?place WHERE {{
            {{ ?e schema:location/schema:containedInPlace ?c }} UNION {{ ?e schema:location ?c }}
            ?c schema:name ?place ; schema:containedInPlace {iri('country', 3)} }}""", "select"),
        "UNION then join": (f"""SELECT ?e ?who WHERE {{
            {{ ?e schema:attendee ?who }} UNION {{ ?e schema:organizer ?who }}
            ?who schema:alternateName "O42"@en }}""", "select"),
    }


# -- servers ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, label: str, command: list[str], url: str, folder: Path, env: dict | None = None):
        self.label, self.command, self.url, self.folder, self.env = label, command, url, folder, env
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float) -> float:
        started = time.monotonic()
        self.log = open(self.folder / f"{self.label.split()[0]}.log", "wb")
        self.proc = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder,
                                     env={**os.environ, **(self.env or {})}, start_new_session=True)
        while time.monotonic() - started < wait:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label} exited; see {self.log.name}")
            try:
                requests.get(self.url, params={"query": "ASK {}"}, timeout=5)
                return time.monotonic() - started
            except requests.RequestException:
                time.sleep(0.25)
        raise RuntimeError(f"{self.label} did not answer within {wait} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its workers
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc:
            self.log.close()


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


def _once(session: requests.Session, url: str, query: str, kind: str, timeout: float) -> tuple[float | None, int]:
    """(seconds, response bytes); (None, 0) on timeout, (None, -1) on an error status."""
    accept = "application/sparql-results+json" if kind == "select" else "application/n-triples"
    started = time.perf_counter()
    try:
        response = session.post(url, data={"query": PREFIXES + query}, headers={"Accept": accept}, timeout=timeout)
    except requests.Timeout:
        return None, 0
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        print(f"  {url}: {response.status_code} {response.text[:200]}", file=sys.stderr)
        return None, -1
    return elapsed, len(response.content)


def measure(servers: list[Server], query: str, kind: str, runs: int, timeouts: dict[str, float]
            ) -> dict[str, tuple[float | None, int]]:
    """Median seconds per server over `runs` rounds after a warm-up round. The servers take turns
    within each round, so that noise from other work on the machine falls on them alike. A
    server slower than a third of its timeout is measured once; one that fails drops out."""
    MINIMA.clear()
    sessions = {s.label: requests.Session() for s in servers}
    times: dict[str, list[float]] = {s.label: [] for s in servers}
    result: dict[str, tuple[float | None, int]] = {}
    for round_ in range(runs + 1):
        for server in servers:
            if server.label in result:
                continue
            timeout = timeouts[server.label]
            elapsed, size = _once(sessions[server.label], server.url, query, kind, timeout)
            if elapsed is None:
                result[server.label] = (None, size)
                continue
            if round_ or elapsed > timeout / 3:
                times[server.label].append(elapsed)
            if elapsed > timeout / 3 or round_ == runs:
                result[server.label] = (statistics.median(times[server.label]), size)
                MINIMA[server.label] = min(times[server.label])
    return result


MINIMA: dict[str, float] = {}  # the fastest run of the last query measured, per server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args(argv)
    bin_dir = Path(sys.executable).parent
    folder = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    servers: list[Server] = []
    try:
        t = time.monotonic()
        nquads = folder / "data.nq"
        count = generate(nquads, args.triples)
        print(f"generated {count} quads in {time.monotonic() - t:.1f} s", file=sys.stderr)
        t = time.monotonic()
        data = make_release(folder, nquads)
        print(f"lod-pub store loaded in {time.monotonic() - t:.1f} s", file=sys.stderr)
        t = time.monotonic()
        subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(folder / "oxi"), "--file", str(nquads)],
                       check=True, capture_output=True)
        print(f"oxigraph store loaded in {time.monotonic() - t:.1f} s", file=sys.stderr)
        (folder / "benchapp.py").write_text(APP.format(data=str(data)))
        ours, oxi, rdfl = free_port(), free_port(), free_port()
        servers.append(Server("lod-pub (gunicorn)", [
            str(bin_dir / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{ours}",
            "--timeout", "300", "benchapp:app"], f"http://127.0.0.1:{ours}/sparql", folder,
            {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}))
        servers.append(Server("oxigraph serve", [
            str(bin_dir / "oxigraph"), "serve", "--location", str(folder / "oxi"), "--bind", f"127.0.0.1:{oxi}",
            "--union-default-graph"], f"http://127.0.0.1:{oxi}/query", folder))
        if not args.skip_rdflib:  # loads the quads into an rdflib Dataset with default_union=True
            servers.append(Server("rdflib-endpoint", [
                str(bin_dir / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(rdfl)],
                f"http://127.0.0.1:{rdfl}/", folder))
        for server in servers:
            print(f"{server.label}: ready in {server.start(wait=900):.1f} s", file=sys.stderr)
        results: dict[str, dict[str, tuple[float | None, int]]] = {}
        minima: dict[str, dict[str, float]] = {}
        timeouts = {s.label: args.rdflib_timeout if s.label == "rdflib-endpoint" else 300.0 for s in servers}
        # lod-pub and the Oxigraph server take turns; rdflib-endpoint goes on its own afterwards, as the
        # garbage of its long queries would otherwise land on whichever server comes next.
        for group in (servers[:2], servers[2:]):
            for label, (query, kind) in queries().items() if group else ():
                results.setdefault(label, {}).update(measure(group, query, kind, args.runs, timeouts))
                minima.setdefault(label, {}).update(MINIMA)
                print(f"{label:28} {results[label]} min {minima[label]}", file=sys.stderr)
        report(results, [s.label for s in servers], count, args)
        print("\nfastest run (ms): " + "; ".join(
            f"{label}: " + ", ".join(f"{s} {t * 1000:.1f}" for s, t in row.items()) for label, row in minima.items()))
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def report(results, labels: list[str], count: int, args) -> None:
    print(f"\n{count} quads; median of {args.runs} runs after a warm-up (ms); "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| query | " + " | ".join(labels) + " | lod-pub / oxigraph | rdflib / lod-pub |")
    print("|---|" + "---:|" * (len(labels) + 2))
    for label, row in results.items():
        cells = [f"{row[s][0] * 1000:.1f}" if row[s][0] is not None else
                 "error" if row[s][1] < 0 else f"> {args.rdflib_timeout:.0f} s" for s in labels]
        ours, oxi = row[labels[0]][0], row[labels[1]][0]
        ratio = f"{ours / oxi:.2f}" if ours and oxi else "-"
        rdfl = row[labels[2]][0] if len(labels) > 2 else None
        timed_out = len(labels) > 2 and row[labels[2]] == (None, 0)
        versus = _times(rdfl / ours) if rdfl and ours else (f"> {_times(args.rdflib_timeout / ours)}"
                                                            if ours and timed_out else "-")
        print(f"| {label} | " + " | ".join(cells) + f" | {ratio} | {versus} |")


def _times(x: float) -> str:
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x" if x >= 1 else f"{x:.2f}x"


if __name__ == "__main__":
    sys.exit(main())
