"""Entity documents under load: lod-pub (gunicorn, 2 gthread workers) beside an Oxigraph server, same data, same run.

    .venv/bin/pip install -e '.[bench]'        # gunicorn, and oxigraph for its CLI server
    .venv/bin/python benchmarks/bench_resources.py [--data-dir DIR] [--requests 1500] [--clients 8]

For each scenario, CLIENTS threads (each one keep-alive connection) fetch the entity documents of the
release round-robin until REQUESTS answers or --seconds have passed, whichever comes first; every answer
must be 200. Reported: requests/s, p50 and p99 latency. Scenarios:
  lod-pub HTML / Turtle        GET /doc/{kind}/{slug}, warm (each worker caches rendered documents)
  lod-pub ... no cache         the same with LOD_PUB_CACHE_SIZE=0: every request queries and renders
  oxigraph CONSTRUCT Turtle    the same description as one SPARQL CONSTRUCT, from `oxigraph serve-read-only`
                               over the same release's graph.nq.gz, unzipped (union default graph)
Then, in-process and single-threaded, where the time of one uncached request goes.
Loopback only; bounded in count and time. Not a test.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import servers
from servers import stop

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def start_lodpub(data_dir: Path, workers: int, cache: int | None, env: dict | None = None,
                 log: Path | None = None) -> tuple[int, subprocess.Popen]:
    """lod-pub under gunicorn (gthread, 8 threads a worker, as docs/deploy.md says); (port, process)."""
    extra = {**({"LOD_PUB_CACHE_SIZE": str(cache)} if cache is not None else {}), **(env or {})}
    url, proc = servers.start_gunicorn(data_dir, workers=workers, env=extra, log=log)
    return int(url.rsplit(":", 1)[1]), proc


def load_oxigraph(nquads: Path, location: Path) -> float:
    """Bulk-load the release's N-Quads into an Oxigraph store for its server; seconds taken."""
    started = time.perf_counter()
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def start_oxigraph(nquads: Path, location: Path) -> tuple[int, subprocess.Popen]:
    load_oxigraph(nquads, location)
    port = servers.free_port()
    return port, servers.start_oxigraph(location, port)


def construct(iri: str) -> str:
    """The description lod-pub serves (own, blank-node parts, hash IRIs, incoming, names and types of the
    linked), as one query."""
    r = f"<{iri}>"
    linked = (f"{{ {r} ?lp ?x FILTER(isIRI(?x) && ?lp != rdf:type) }} UNION {{ ?x ?lp {r} FILTER(isIRI(?x)) }} "
              f"UNION {{ {r} ?lp1 ?lb FILTER(isBlank(?lb)) ?lb ?lp ?x FILTER(isIRI(?x)) }}")
    return f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <http://schema.org/>
CONSTRUCT {{ {r} ?p ?o . ?b ?bp ?bo . ?c ?cp ?co . ?h ?hp ?ho . ?s ?ip {r} . ?x schema:name ?n . ?y a ?t }} WHERE {{
  {{ {r} ?p ?o }}
  UNION {{ {r} ?p1 ?h FILTER(isIRI(?h) && STRSTARTS(STR(?h), CONCAT(STR({r}), "#"))) ?h ?hp ?ho }}
  UNION {{ {r} ?p1 ?b FILTER(isBlank(?b)) ?b ?bp ?bo }}
  UNION {{ {r} ?p1 ?b1 FILTER(isBlank(?b1)) ?b1 ?p2 ?c FILTER(isBlank(?c)) ?c ?cp ?co }}
  UNION {{ ?s ?ip {r} FILTER(isIRI(?s)) }}
  UNION {{ {{ {linked} }} FILTER(?x != {r}) ?x schema:name ?n }}
  UNION {{ {{ {linked.replace('?x', '?y')} }} FILTER(?y != {r}) ?y a ?t }}
}}"""


def load(port: int, paths: list[str], headers: dict, clients: int, total: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for i in counter:
            if time.monotonic() > deadline:
                break
            t = time.perf_counter()
            conn.request("GET", paths[i % len(paths)], headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t)
            if response.status != 200:
                errors.append(f"{response.status} {paths[i % len(paths)]}")
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "errors": len(errors),
            "p50": statistics.median(latencies) * 1000, "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000}


def entity_paths(data_dir: Path) -> tuple[list[str], str]:
    from lod_pub.release import current

    release = current(data_dir)
    store = release.open_store()
    base = release.base
    iris = sorted({q.subject.value for q in store
                   if q.subject.value.startswith(base + "id/") and "#" not in q.subject.value})
    return iris, base


def sample_entities(data_dir: Path, count: int) -> tuple[list[str], str]:
    """Up to count entity IRIs of the release, evenly spaced through the sorted typed entities (every
    kind in its share), and the base; one scan of the rdf:type triples, so it stays cheap at scale."""
    import pyoxigraph as ox

    from lod_pub.release import current

    release = current(data_dir)
    store = release.open_store()
    prefix = release.base + "id/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    iris = sorted({q.subject.value for q in store.quads_for_pattern(None, rdf_type, None)
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
                   and "#" not in q.subject.value})
    step = max(1, len(iris) // count)
    return iris[::step][:count], release.base


def document_path(iri: str, base: str) -> str:
    return "/" + quote(iri[len(base):].replace("id/", "doc/", 1), safe="/%")


def same_description(lod_port: int, ox_port: int, iri: str, base: str) -> bool:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    def get(port, path, accept):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={"Accept": accept})
        body = conn.getresponse().read()
        conn.close()
        return Graph().parse(data=body, format="turtle")

    ours = get(lod_port, "/" + iri[len(base):].replace("id/", "doc/", 1), "text/turtle")
    theirs = get(ox_port, "/query?" + urlencode({"query": construct(iri)}), "text/turtle")
    return isomorphic(ours, theirs)


def where_time_goes(data_dir: Path, iri: str, base: str, rounds: int = 200) -> list[tuple[str, float]]:
    """Milliseconds per uncached request, split by stage, in-process (no HTTP, no gunicorn)."""
    from lod_pub.settings import Settings
    from lod_pub.web import create_app
    from lod_pub.web import resources, serialize
    from lod_pub.web.describe import describe
    from lod_pub.web.site import site

    app = create_app(Settings(data_dir=data_dir), LOD_PUB_CACHE_SIZE=0)
    path = "/" + iri[len(base):].replace("id/", "doc/", 1)
    out = []
    with app.test_request_context(path, headers={"Accept": "text/html"}):
        s = site()
        described = describe(s.store, iri)
        stages = {
            "describe (4 SPARQL queries)": lambda: describe(s.store, iri),
            "Turtle (pyoxigraph)": lambda: serialize.rdf(described.triples, resources.OFFERS[0], s.compactor),
            "JSON-LD (own compaction)": lambda: serialize.rdf(described.triples, resources.OFFERS[2], s.compactor),
            "HTML (view + Jinja + JSON-LD)": lambda: resources._html(s, described),
        }
        for name, fn in stages.items():
            t = time.perf_counter()
            for _ in range(rounds):
                fn()
            out.append((name, (time.perf_counter() - t) / rounds * 1000))
    client = app.test_client()
    for accept in ("text/html", "text/turtle"):
        t = time.perf_counter()
        for _ in range(rounds):
            client.get(path, headers={"Accept": accept})
        out.append((f"whole request in Flask, {accept}", (time.perf_counter() - t) / rounds * 1000))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="a data folder with a current release (default: build the sample)")
    ap.add_argument("--requests", type=int, default=1500, help="answers per scenario (default 1500)")
    ap.add_argument("--seconds", type=float, default=30, help="time cap per scenario (default 30)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    for tool in ("gunicorn", "oxigraph"):
        if not (BIN / tool).exists():
            raise SystemExit(f"{tool} is missing: .venv/bin/pip install -e '.[bench]'")
    tmp = Path(tempfile.mkdtemp(prefix="lodpub-bench-"))
    try:
        data_dir = args.data_dir
        if data_dir is None:
            from lod_pub.release import build
            from lod_pub.settings import Settings

            data_dir = tmp / "var"
            build(Settings(project_dir=ROOT, data_dir=data_dir))
        iris, base = entity_paths(data_dir)
        doc_paths = ["/" + quote(i[len(base):].replace("id/", "doc/", 1), safe="/%") for i in iris]
        from lod_pub.release import current

        release = current(data_dir)
        print(f"release {release.id}: {release.manifest['quads']} quads, {len(iris)} entity documents; "
              f"{args.clients} clients, up to {args.requests} requests or {args.seconds:.0f} s per scenario")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average before: {os.getloadavg()[0]:.2f}")
        rows = []
        nquads = tmp / "graph.nq"
        nquads.write_bytes(gzip.decompress((release.dumps_dir / "graph.nq.gz").read_bytes()))
        ox_port, ox_proc = start_oxigraph(nquads, tmp / "oxigraph")
        try:
            for cache, label in ((None, ""), (0, " no cache")):
                port, proc = start_lodpub(data_dir, args.workers, cache)
                try:
                    if cache is None:
                        print("same description as the CONSTRUCT:",
                              all(same_description(port, ox_port, i, base) for i in iris[:10]))
                    for accept, name in (("text/html", "HTML"), ("text/turtle", "Turtle")):
                        headers = {"Accept": accept}
                        load(port, doc_paths, headers, args.clients, min(200, args.requests), 10)  # warm up
                        rows.append((f"lod-pub {name}{label} ({args.workers} workers)",
                                     load(port, doc_paths, headers, args.clients, args.requests, args.seconds)))
                finally:
                    stop(proc)
            queries = ["/query?" + urlencode({"query": construct(i)}) for i in iris]
            headers = {"Accept": "text/turtle"}
            load(ox_port, queries, headers, args.clients, min(200, args.requests), 10)
            rows.append(("oxigraph CONSTRUCT Turtle", load(ox_port, queries, headers, args.clients, args.requests,
                                                           args.seconds)))
        finally:
            stop(ox_proc)
        print(f"\n{'scenario':44} {'answers':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name, r in rows:
            print(f"{name:44} {r['n']:8d} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d}")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        article = next((i for i in iris if "/article/" in i), iris[0])
        print(f"\nwhere the time of one uncached request goes (in-process, one thread): {article}")
        for name, ms in where_time_goes(data_dir, article, base):
            print(f"  {name:40} {ms:7.2f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
