"""Mutation testing (docs/testing.md): every target of benchmarks/mutation.py names files, functions and
tests the tree holds (fast), and the short run keeps each target's kill rate at or above its floor (slow:
a few minutes, so in the whole suite and CI, not in the fast tier)."""

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
def test_the_short_mutation_run_keeps_every_target_at_or_above_its_floor():
    pytest.importorskip("mutmut", reason="mutmut is in the test extras; without it there is nothing to run")
    run = subprocess.run([sys.executable, str(SCRIPT), "--short"], cwd=ROOT, capture_output=True, text=True,
                         timeout=1800)
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
