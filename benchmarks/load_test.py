"""Load test: mixed traffic from many clients against gunicorn or granian (2 workers), bounded, loopback only.

    .venv/bin/python benchmarks/load_test.py [--duration 60] [--clients 32] [--timeout 5] [--data-dir DIR]
                                             [--server gunicorn|granian]

The script builds the sample into a temporary folder (or serves --data-dir), starts
`gunicorn -w 2 -k gthread` (or `granian --workers 2`) on a free port of 127.0.0.1, and runs CLIENTS threads for DURATION
seconds, each with one keep-alive connection, each sending one request after another, drawn from:

    documents 50%   an entity document in every format (.html .ttl .jsonld .nt .rdf), negotiated
                    /doc with an Accept header, /id (303, not followed)
    pages     10%   /, /void, /search?q=, /sitemap.xml
    sparql    25%   the query page's example queries (the ten questions), SELECT/ASK/CONSTRUCT
    dumps     10%   a dump with a Range header (206, the bytes asked for), or a whole .gz (200)
    slow       5%   a query that runs into the time limit (a five-way cartesian product)

Bounded: DURATION seconds and at most --max-requests requests; every request has a client timeout.
Reported: status counts per kind, p50/p99 of the cheap requests (documents and pages), how long
the slow queries took against the limit, and the RSS of the server's processes (gunicorn, its
workers, their query processes), read from /proc once a second.

Exit status: 1 on any 5xx other than a 503 with Retry-After or a 504 for a timed-out query, on a
connection error or a request that exceeded its timeout, on a 200 with the wrong bytes for a range,
on a slow query that ended later than the limit plus --queue-seconds (how long it may wait for a query
worker) plus --grace seconds, or on a cheap-request p99
over --p99-bound milliseconds; else 0. Clients pause BACK_OFF seconds after a 503 with Retry-After. Not a test by
itself; tests/load/ runs it in a short form.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from servers import command, descendants, rss_kib, start_granian, start_gunicorn, stop  # noqa: F401 (the tests use them)

ROOT = Path(__file__).resolve().parents[1]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
FORMATS = ("html", "ttl", "jsonld", "nt", "rdf")
ACCEPTS = ("text/turtle", "text/html", "application/ld+json", "application/n-triples", "application/rdf+xml",
           "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
MIX = (("documents", 50), ("pages", 10), ("sparql", 25), ("dumps", 10), ("slow", 5))
LOOKUPS = (("lookup", 100),)  # --mix lookups: only cheap queries, one entity at a time
MIXES = {"mixed": MIX, "lookups": LOOKUPS}
CHEAP = ("documents", "pages")
LOOKUP_SHAPES = ("DESCRIBE <{iri}>", "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", "ASK {{ <{iri}> ?p ?o }}",
                 "SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 100")
SPARQL_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
BACK_OFF = 0.1  # seconds a client waits after a 503 with Retry-After (a short pause: keep the pressure on)


# -- the traffic -----------------------------------------------------------------------------------
@dataclass
class Plan:
    """What the clients ask for, read from the running server and the release."""

    documents: list[str]
    dumps: list[dict]
    queries: list[str]
    words: list[str]
    entities: list[str]   # IRIs of the documents, for the one-entity lookups


def make_plan(url: str, data_dir: Path) -> Plan:
    conn = http.client.HTTPConnection(*urlsplit(url).netloc.split(":"), timeout=30)
    conn.request("GET", "/sitemap.xml")
    sitemap = conn.getresponse().read().decode()
    conn.close()
    docs = [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap) if "/doc/" in u]
    manifest = json.loads((data_dir / "current" / "manifest.json").read_text())
    sys.path.insert(0, str(ROOT / "src"))
    from lod_pub.web.sparql.examples import EXAMPLES

    queries = [q for _, q in EXAMPLES] + ["ASK { ?s a schema:Event }",
                                          "CONSTRUCT { ?s schema:name ?n } WHERE { ?s schema:name ?n } LIMIT 50",
                                          "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"]
    base = manifest["base"].rstrip("/")
    entities = [base + doc.replace("/doc/", "/id/", 1) for doc in docs]
    return Plan(docs, manifest["dumps"], queries, ["mahmood", "nato", "pakistan", "delegation", "a", "zz"], entities)


@dataclass
class Result:
    kind: str
    status: int          # 0: connection error or client timeout
    seconds: float
    ended: float         # monotonic time it ended
    retry_after: bool = False
    problem: str = ""


def request_for(kind: str, plan: Plan, rng: random.Random) -> tuple[str, str, dict, bytes | None]:
    """(method, path, headers, body) of one request of a kind."""
    if kind == "documents":
        doc = rng.choice(plan.documents)
        way = rng.random()
        if way < 0.6:
            return "GET", f"{doc}.{rng.choice(FORMATS)}", {"Accept-Encoding": "gzip"}, None
        if way < 0.85:
            return "GET", doc, {"Accept": rng.choice(ACCEPTS)}, None
        return "GET", doc.replace("/doc/", "/id/", 1), {"Accept": rng.choice(ACCEPTS)}, None
    if kind == "pages":
        path = rng.choice(["/", "/void", "/sitemap.xml", f"/search?q={rng.choice(plan.words)}"])
        return "GET", path, {"Accept": "text/html"}, None
    if kind in ("sparql", "slow", "lookup"):
        if kind == "lookup":
            query = rng.choice(LOOKUP_SHAPES).format(iri=rng.choice(plan.entities))
        else:
            query = SLOW if kind == "slow" else rng.choice(plan.queries)
        if kind != "lookup" and rng.random() < 0.5:  # lookups by POST: never an answer from the cache
            return "GET", "/sparql?" + urlencode({"query": query}), {"Accept": SPARQL_ACCEPT}, None
        return "POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_ACCEPT}, \
            urlencode({"query": query}).encode()
    dump = rng.choice(plan.dumps)
    if rng.random() < 0.8 and dump["size"] > 2:
        start = rng.randrange(dump["size"] - 1)
        end = min(dump["size"] - 1, start + rng.randrange(1, 65536))
        return "GET", f"/dumps/{dump['name']}", {"Range": f"bytes={start}-{end}"}, None
    small = min((d for d in plan.dumps if d["name"].endswith(".gz")), key=lambda d: d["size"])
    return "GET", f"/dumps/{small['name']}", {}, None


def check_answer(kind: str, headers: dict, status: int, body: bytes, path: str, plan: Plan) -> str:
    """A problem with an answer, or ''."""
    if status == 206:
        got = re.match(r"bytes (\d+)-(\d+)/(\d+)", headers.get("content-range", ""))
        if not got or len(body) != int(got[2]) - int(got[1]) + 1:
            return f"range answer of {len(body)} bytes does not match {headers.get('content-range')}"
    if status == 200 and kind == "dumps":
        name = path.rsplit("/", 1)[-1]
        size = next(d["size"] for d in plan.dumps if d["name"] == name)
        if len(body) != size:
            return f"{name}: {len(body)} bytes, the manifest says {size}"
    return ""


def client(url: str, plan: Plan, until: float, seed: int, timeout: float, out: list, budget: list,
           lock: threading.Lock, mix: tuple = MIX) -> None:
    conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=timeout)
    try:
        traffic(conn, plan, until, random.Random(seed), out, budget, lock, mix)
    finally:
        conn.close()


def traffic(conn: http.client.HTTPConnection, plan: Plan, until: float, rng: random.Random, out: list,
            budget: list, lock: threading.Lock, mix: tuple = MIX) -> None:
    """One client's requests, one after another on one keep-alive connection, until time or budget ends."""
    kinds = [k for k, _ in mix]
    weights = [w for _, w in mix]
    while time.monotonic() < until:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        kind = rng.choices(kinds, weights)[0]
        method, path, headers, body = request_for(kind, plan, rng)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            answer = {k.lower(): v for k, v in response.getheaders()}
            problem = check_answer(kind, answer, response.status, data, path, plan)
            result = Result(kind, response.status, time.monotonic() - started, time.monotonic(),
                            "retry-after" in answer, problem)
            if answer.get("connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            result = Result(kind, 0, time.monotonic() - started, time.monotonic(), problem=f"{type(exc).__name__}: {exc}")
        out.append(result)
        if result.status == 503 and result.retry_after:
            time.sleep(BACK_OFF)


class Sampler(threading.Thread):
    """RSS of the server's processes once a second: (seconds since start, {role: KiB})."""

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples, self.done = pid, interval, [], threading.Event()

    @staticmethod
    def role(pid: int, master: int) -> str:
        if pid == master:
            return "master"
        return "query" if "lod_pub.web.sparql.worker" in command(pid) else "web"

    def run(self) -> None:
        started = time.monotonic()
        while not self.done.is_set():
            roles: dict[str, int] = {}
            for pid in descendants(self.pid):
                role = self.role(pid, self.pid)
                roles[role] = roles.get(role, 0) + rss_kib(pid)
            self.samples.append((time.monotonic() - started, roles))
            self.done.wait(self.interval)


# -- the report ------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def failures(results: list[Result], limit: float, grace: float) -> list[str]:
    """Every answer that breaks the rules (see the module's docstring)."""
    bad = []
    start = min((r.ended - r.seconds for r in results), default=0.0)
    for r in results:
        if r.status == 0 or r.problem:
            bad.append(f"{r.kind}: {r.status} {r.problem}")
        elif r.kind == "lookup" and r.status != 200:  # a cheap query below the configured concurrency
            bad.append(f"lookup: {r.status}{' (Retry-After)' if r.retry_after else ''}, sent "
                       f"{r.ended - r.seconds - start:.2f} s into the run, answered in {r.seconds:.2f} s")
        elif r.status >= 500 and not ((r.status == 503 and r.retry_after) or (r.status == 504 and r.kind == "slow")):
            bad.append(f"{r.kind}: {r.status}{' without Retry-After' if r.status == 503 else ''}")
        elif r.kind == "slow" and r.status == 504 and r.seconds > limit + grace:
            bad.append(f"slow query ended after {r.seconds:.2f} s, limit {limit} s + grace {grace} s")
    return bad


def report(results: list[Result], samples: list, limit: float, grace: float, duration: float) -> dict:
    by_kind: dict[str, dict[str, int]] = {}
    for r in results:
        counts = by_kind.setdefault(r.kind, {})
        counts[str(r.status)] = counts.get(str(r.status), 0) + 1
    cheap = [r.seconds * 1000 for r in results if r.kind in CHEAP and r.status and r.status < 500]
    sparql = [r.seconds * 1000 for r in results if r.kind == "sparql" and r.status == 200]
    lookups = [r.seconds * 1000 for r in results if r.kind == "lookup"]
    slow = [r.seconds for r in results if r.kind == "slow" and r.status == 504]
    memory = {role: [s[1].get(role, 0) for s in samples] for role in ("master", "web", "query")}
    tenth = max(1, len(samples) // 6)
    flat = {role: {"first_mib": round(statistics.mean(v[:tenth]) / 1024, 1),
                   "last_mib": round(statistics.mean(v[-tenth:]) / 1024, 1),
                   "max_mib": round(max(v) / 1024, 1)} for role, v in memory.items() if v}
    return {
        "requests": len(results), "seconds": round(duration, 1), "per_second": round(len(results) / duration, 1),
        "statuses": by_kind,
        "cheap_ms": {"n": len(cheap), "p50": round(percentile(cheap, 50), 1), "p99": round(percentile(cheap, 99), 1),
                     "max": round(max(cheap), 1) if cheap else None},
        "sparql_ms": {"n": len(sparql), "p50": round(percentile(sparql, 50), 1), "p99": round(percentile(sparql, 99), 1)},
        "lookup_ms": {"n": len(lookups), "p50": round(percentile(lookups, 50), 1),
                      "p99": round(percentile(lookups, 99), 1), "max": round(max(lookups), 1) if lookups else None},
        "slow_s": {"n": len(slow), "limit": limit, "min": round(min(slow), 2) if slow else None,
                   "p50": round(percentile(slow, 50), 2), "max": round(max(slow), 2) if slow else None},
        "rss": flat, "rss_web_mib_every_10_s": [round(v / 1024, 1) for v in memory["web"][::10]],
        "failures": failures(results, limit, grace),
    }


def run(url: str, proc: subprocess.Popen, data_dir: Path, duration: float, clients: int, limit: float,
        grace: float = 2.0, max_requests: int = 500_000, seed: int = 20261128, mix: tuple = MIX) -> dict:
    """Run the load against a server already started; return the report."""
    plan = make_plan(url, data_dir)
    # not counted: open the store in each worker, start their query pools, fill some caches
    warm = [("GET", path + ".ttl", None) for path in plan.documents[:50]]
    warm += [("POST", "/sparql", urlencode({"query": "ASK {}"}).encode())] * 10  # POST: never from the cache
    for method, path, body in warm:
        conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=30)
        conn.request(method, path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        conn.getresponse().read()
        conn.close()
    time.sleep(2)  # the query processes start in the background
    sampler = Sampler(proc.pid)
    sampler.start()
    results: list[Result] = []
    budget, lock = [max_requests], threading.Lock()
    started = time.monotonic()
    until = started + duration
    threads = [threading.Thread(target=client, args=(url, plan, until, seed + i, limit + 30, results, budget, lock, mix),
                                daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + limit + 60)
    elapsed = time.monotonic() - started
    sampler.done.set()
    sampler.join(5)
    if any(t.is_alive() for t in threads):
        results.append(Result("client", 0, elapsed, time.monotonic(), problem="a client thread did not finish"))
    return report(results, sampler.samples, limit, grace, elapsed)


def build_sample(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from lod_pub.release import build
    from lod_pub.settings import Settings

    data_dir = folder / "var"
    build(Settings(project_dir=ROOT, data_dir=data_dir))
    return data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's SPARQL_TIMEOUT (default 5)")
    parser.add_argument("--grace", type=float, default=2.0, help="seconds a slow query may end after the limit "
                                                                 "(and its wait for a worker)")
    parser.add_argument("--queue-seconds", type=float, default=10.0,
                        help="the server's SPARQL_QUEUE_SECONDS: how long a query may wait for a worker (default 10)")
    parser.add_argument("--max-requests", type=int, default=500_000, help="stop after this many requests")
    parser.add_argument("--p99-bound", type=float, default=250.0,
                        help="ms the cheap requests' p99 must stay under (default 250, docs/load.md; 0: no bound)")
    parser.add_argument("--data-dir", type=Path, help="a data folder with a release (default: build the sample)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8; 1 is like "
                                                              "the sync worker: one request at a time)")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--mix", choices=sorted(MIXES), default="mixed",
                        help="mixed: the traffic above (default); lookups: only one-entity queries (DESCRIBE, an "
                             "entity's triples in and out, ASK), sent by POST, each of which must answer 200")
    parser.add_argument("--lookup-p99-bound", type=float, default=1000.0,
                        help="ms the lookups' p99 must stay under with --mix lookups (default 1000, a wide margin: "
                             "docs/load.md; 0: no bound)")
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn",
                        help="the server run with 2 workers of --threads threads (default gunicorn; docs/deploy.md)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lod-pub-load-") as tmp:
        data_dir = args.data_dir or build_sample(Path(tmp))
        env = {"LOD_PUB_SPARQL_TIMEOUT": str(args.timeout), "LOD_PUB_SPARQL_QUEUE_SECONDS": str(args.queue_seconds)}
        starter = start_granian if args.server == "granian" else start_gunicorn
        url, proc = starter(data_dir, threads=args.threads, env=env, log=Path(tmp) / "server.log")
        try:
            result = run(url, proc, data_dir, args.duration, args.clients, args.timeout,
                         args.queue_seconds + args.grace, args.max_requests,
                         mix=MIXES[args.mix])
        finally:
            stop(proc)
        result["machine"] = {"cores": os.cpu_count(), "python": platform.python_version(),
                             "load_average": [round(x, 2) for x in os.getloadavg()],
                             "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        result["clients"], result["duration"], result["threads"] = args.clients, args.duration, args.threads
        result["mix"], result["server"] = args.mix, args.server
        errors = (Path(tmp) / "server.log").read_text(errors="replace")
        result["server_tracebacks"] = errors.count("Traceback")
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    late = over_bounds(result, args.p99_bound, args.lookup_p99_bound)
    for line in late:
        print(line, file=sys.stderr)
    return 1 if result["failures"] or result["server_tracebacks"] or late else 0


def over_bounds(result: dict, cheap_bound: float, lookup_bound: float) -> list[str]:
    """The p99 bounds broken: the cheap requests' (documents and pages), the lookups'; 0 turns a bound off."""
    late = []
    for key, bound in (("cheap_ms", cheap_bound), ("lookup_ms", lookup_bound)):
        p99 = result[key]["p99"]
        if bound and result[key]["n"] and p99 > bound:
            late.append(f"{key.split('_')[0]} p99 {p99} ms is over the bound of {bound} ms")
    return late


if __name__ == "__main__":
    sys.exit(main())
