"""A web worker's memory is bounded whatever a query asks for, and returns to rest afterwards.

Under gunicorn as docs/deploy.md runs it, a 500-byte query asking for 400 rows of 1 MiB strings as the
HTML results page took a worker to a 2.4 GB peak and left 1.3 GB held; the same as a download spooled a
1 GiB file. Now the page reads at most SPARQL_HTML_BYTES (2 MiB) and every answer stops at
SPARQL_BYTE_CAP (64 MiB): the workers' peak (VmHWM) grows by less than 160 MiB over the whole run.
"""

from __future__ import annotations

from pathlib import Path

import requests

from servers import children  # benchmarks/, on the path through load_test

X32 = "x" * 32
TWENTY = " ".join(map(str, range(20)))
BIG_ROWS = ('SELECT ?i ?j ?a WHERE { VALUES ?i { %s } VALUES ?j { %s } BIND(REPLACE(REPLACE(REPLACE(REPLACE('
            '"x", "x", "%s"), "x", "%s"), "x", "%s"), "x", "%s") AS ?a) }' % (TWENTY, TWENTY, X32, X32, X32, X32))


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def _workers(master) -> list[int]:
    return children(master.pid)


def test_hostile_results_leave_web_workers_at_rest(gunicorn):
    url, master = gunicorn
    for _ in range(2):  # warm: pools started, templates compiled
        requests.post(url + "/sparql", data={"query": "SELECT * { ?s ?p ?o } LIMIT 5"},
                      headers={"Accept": "text/html"}, timeout=60)
    workers = _workers(master)
    peak_before = {pid: _status_kib(pid, "VmHWM") for pid in workers}
    rest_before = {pid: _status_kib(pid, "VmRSS") for pid in workers}
    for accept in ("text/html", "text/tab-separated-values", "text/html", "application/sparql-results+json"):
        response = requests.post(url + "/sparql", data={"query": BIG_ROWS}, headers={"Accept": accept}, timeout=120)
        assert response.status_code == 200 and response.headers["X-SPARQL-Truncated"] == "true"
        assert len(response.content) <= 64 << 20
    for pid in workers:
        grown_peak = (_status_kib(pid, "VmHWM") - peak_before[pid]) >> 10
        grown_rest = (_status_kib(pid, "VmRSS") - rest_before[pid]) >> 10
        assert grown_peak < 160, f"worker {pid}: peak grew {grown_peak} MiB"
        assert grown_rest < 64, f"worker {pid}: {grown_rest} MiB more held after the run"
