"""The load tests import benchmarks/load_test.py, which starts gunicorn, sends the traffic and reports."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
