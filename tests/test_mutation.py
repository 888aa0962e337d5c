"""Mutation testing in CI: the short run of benchmarks/mutation.py (the release switch, negotiation,
conditional requests, the evidence check, the cache keys, the SPARQL guard) kills at least each
target's floor of mutants; and every target names files, functions and tests the tree holds."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "mutation.py"


def load_script():
    spec = importlib.util.spec_from_file_location("lodpub_mutation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_every_mutation_target_names_what_the_tree_holds():
    script = load_script()
    problems = [p for name, target in script.TARGETS.items() for p in script.target_problems(name, target)]
    assert problems == []


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mutmut") is None, reason="mutmut (in the test extras) is not installed")
def test_the_short_mutation_run_kills_at_least_each_targets_floor():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--short"], capture_output=True, text=True, timeout=1800,
                          cwd=ROOT, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"benchmarks/mutation.py --short exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
