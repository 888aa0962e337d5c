"""Mutation testing of the code whose tests matter most: how many small faults the tests catch.

    .venv/bin/pip install -e '.[test]'      # mutmut 3.x is in the test extras
    nice -n 10 .venv/bin/python benchmarks/mutation.py [TARGET ...] [--short] [--every N] [--keep DIR]
           [--survivors] [--markdown FILE]

TARGET is one or more of the names below (default: all). Each target runs on its own in a fresh
temporary copy of the project (the files git would commit: tracked, and untracked but not ignored),
so the checkout is never touched: mutmut writes its mutants/ folder in the copy, restricted to the
target's module(s) (`only_mutate`) and, where named, to the target's functions, and runs only the
target's tests (`pytest_add_cli_args_test_selection`); for each mutant mutmut then runs only those of
these tests that reached the mutated function, stopping at the first failure. A small pytest plugin,
written beside the copy, runs them in the target's order (its quick, pointed tests first, so a mutant
they kill costs little) and keeps Hypothesis from carrying examples from one mutant to the next.
One mutant runs at a time (`--max-children 1`), and the script lowers its own priority (nice 10), as
the machine is shared.

PYTHONPATH points at the copy's mutants/src, so the processes the tests start (a build killed midway,
`lod-pub` run as a command, a live server) run the mutated code too; mutmut's MUTANT_UNDER_TEST is
inherited. mutmut's map of which test reaches which function is made in the pytest process only:
a test that reaches a function only through a subprocess is not run for that function's mutants.
Hypothesis runs with a fixed seed (--hypothesis-seed=0), so a run is repeatable.

--short is the form for CI: each target's short test set and a fixed subset of its mutants (the
`short` entries below; every Nth mutant by its number), about 5 minutes on 2 cores. It exits 1 when
a target's kill rate is below its `floor` (its short rate, measured, less a margin), so a change that
weakens those tests fails it.

Prints one table: target, mutants, killed, survived, timeout, other (no tests, suspicious,
segfault), kill rate (killed + timeout over all), seconds (wall clock) and CPU seconds (of mutmut
and the tests it ran: on a shared machine, the steadier figure). --survivors prints each surviving
mutant's place and diff; --markdown FILE appends the table (and the survivors) to FILE.
Exit codes: 0 done (and, with --short, every target at or above its floor); 1 a target failed to run
or, with --short, fell below its floor; 2 mutmut missing or a target names a file, function or
test that is not there. Not a test; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Never copied, even where git does not ignore them.
SKIP = {".git", ".venv", "venv", "mutants", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache",
        ".ruff_cache", "node_modules", "var", "build", "dist"}
PYTEST_ARGS = ["-p", "no:cacheprovider", "--hypothesis-seed=0", "-p", "lodpub_mutation_plugin"]
PLUGIN = "lodpub_mutation_plugin"
ORDER_ENV = "LODPUB_MUTATION_ORDER"


@dataclass(frozen=True)
class Target:
    what: str                      # one line: what is mutated
    files: tuple[str, ...]         # modules to mutate (paths from the project root)
    tests: tuple[str, ...]         # the tests that guard them, in the order they run (pointed ones first)
    functions: tuple[str, ...] = ()  # when set, only these (qualified names: func or Class.method)
    args: tuple[str, ...] = ()     # more pytest arguments (both forms)
    short_tests: tuple[str, ...] = ()      # --short: the tests (default: tests)
    short_functions: tuple[str, ...] = ()  # --short: the functions (default: functions)
    short_every: int = 1           # --short: every Nth mutant (1, 2, 5 or 10)
    floor: float = 0.0             # --short fails below this kill rate (percent)


#: pytest -k expression leaving out the remote-store variant of the web tests (the `app` fixture's first
#: parameter): the same code answers, and each mutant would start an Oxigraph server.
EMBEDDED_ONLY = ("-k", "not [remote")
SWITCH_KILLED = "tests/test_release.py::test_a_build_killed_midway_leaves_the_previous_release_serving"

TARGETS: dict[str, Target] = {
    "release": Target(
        "the release switch: release.switch_current (atomic `current`) and release.prune (old releases)",
        ("src/lod_pub/release.py",),
        ("tests/test_rebuild_inputs.py::test_current_is_there_at_every_moment_of_the_switch",
         "tests/test_release.py::test_old_releases_are_pruned_but_the_current_one_kept",
         "tests/test_release_switch.py", f"{SWITCH_KILLED}[register-switch_current]", f"{SWITCH_KILLED}[article-switch_current]"),
        functions=("switch_current", "prune"),
        short_tests=("tests/test_rebuild_inputs.py::test_current_is_there_at_every_moment_of_the_switch",
                     "tests/test_release.py::test_old_releases_are_pruned_but_the_current_one_kept"),
        short_every=5,
        floor=75.0,
    ),
    "negotiation": Target(
        "content negotiation: formats.negotiate and the Accept parsing and matching under it",
        ("src/lod_pub/formats.py",),
        ("tests/web/test_negotiation.py", "tests/web/test_vary_and_conditional.py"),
        functions=("negotiate", "_quality", "_satisfies", "parse_accept", "_parse_range", "_unquote"),
        args=EMBEDDED_ONLY,
        short_tests=("tests/web/test_negotiation.py",),
        short_every=2,
        floor=85.0,
    ),
    "conditional": Target(
        "conditional requests: web/respond.py's represent (304 or 200), the ETag it compares and the"
        " headers it sets",
        ("src/lod_pub/web/respond.py",),
        ("tests/web/test_vary_and_conditional.py", "tests/web/test_documents.py"),
        functions=("represent", "_etag", "_headers"),
        args=EMBEDDED_ONLY,
        short_tests=("tests/web/test_vary_and_conditional.py",),
        short_functions=("represent",),
        short_every=2,
        floor=55.0,
    ),
    "evidence": Target(
        "the evidence check: sources.corpus._check_item (the quote, claim, references, dates and URLs of"
        " each fact), _quote_problem (is the quote the article's words) and _quote_reason",
        ("src/lod_pub/sources/corpus.py",),
        ("tests/test_records.py", "tests/test_fact_checks.py",
         "tests/test_rebuild_inputs.py::test_a_quote_that_differs_only_in_letter_case_is_refused",
         "tests/test_rebuild_inputs.py::test_a_build_checks_quotes_against_a_text_edited_alone",
         "tests/test_editor_messages.py"),
        functions=("_check_item", "_quote_problem", "_quote_reason"),
        short_tests=("tests/test_records.py", "tests/test_fact_checks.py"),
        short_every=5,
        floor=80.0,
    ),
    "cache": Target(
        "the build's cache keys: cache.keys (code_digest, under lru_cache, is not mutated)",
        ("src/lod_pub/cache.py",),
        ("tests/test_rebuild_inputs.py::test_a_build_publishes_a_text_edited_alone",
         "tests/test_rebuild_inputs.py::test_a_shape_change_applies_to_unchanged_articles",
         "tests/test_rebuild_inputs.py::test_a_build_checks_quotes_against_a_text_edited_alone",
         f"{SWITCH_KILLED}[register-switch_current]"),
        functions=("keys",),
        short_tests=("tests/test_rebuild_inputs.py::test_a_build_publishes_a_text_edited_alone",
                     "tests/test_rebuild_inputs.py::test_a_shape_change_applies_to_unchanged_articles"),
        floor=70.0,
    ),
    "guard": Target(
        "the SPARQL guard: web/sparql/guard.py's scan and each of its checks (all but _count, the size of the"
        " algebra that a remote store's caps use: tests/hostile/test_remote_caps.py guards it, with a server)",
        ("src/lod_pub/web/sparql/guard.py",),
        # not tests/sparql/test_guard_linear.py: it bounds the guard's CPU seconds, and mutmut's wrapper around
        # every function call makes even the unmutated guard miss that bound
        ("tests/sparql/test_guard.py", "tests/sparql/test_guard_reading.py", "tests/sparql/test_guard_fuzz.py",
         "tests/sparql/test_guard_grammar_fuzz.py", "tests/hostile/test_outbound.py"),
        functions=("scan", "_lexed", "_form", "_ambiguous", "_line_end", "_bracket_depth", "_unclear", "_check_depth",
                   "_services", "_service_letters", "_target", "_clauses", "Rejected.__init__", "_Resolver.__init__",
                   "_Resolver.iri"),
        args=EMBEDDED_ONLY,
        short_tests=("tests/sparql/test_guard.py", "tests/sparql/test_guard_reading.py"),
        short_every=10,
        floor=85.0,
    ),
}
#: What --short runs when no target is named.
SHORT = tuple(TARGETS)


@dataclass
class Outcome:
    name: str
    statuses: dict[str, str] = field(default_factory=dict)   # mutant -> status
    seconds: float = 0.0                                     # wall clock
    cpu: float = 0.0                                         # CPU seconds of mutmut and its processes
    error: str = ""
    diffs: dict[str, str] = field(default_factory=dict)      # survivor -> place and diff

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.statuses.values() if s in statuses)

    @property
    def rate(self) -> float | None:
        total = len(self.statuses)
        return 100.0 * self.count("killed", "timeout") / total if total else None


# -- what a target names, checked against the tree -------------------------------------------------

def module_of(path: str) -> str:
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


@lru_cache(maxsize=None)
def definitions(path: Path) -> frozenset[str]:
    """Qualified names of the functions and methods a module defines at its top level: f, Class.method."""
    names: set[str] = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{n.name}" for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(names)


def test_problem(selector: str) -> str | None:
    """Why a test selector (file, or file::test, or file::Class::test, with [params]) names nothing."""
    file, _, rest = selector.partition("::")
    if not (ROOT / file).is_file():
        return f"{selector}: no file {file}"
    if rest:
        name = rest.split("[")[0].replace("::", ".")
        if name not in definitions(ROOT / file):
            return f"{selector}: {file} defines no test {name}"
    return None


def target_problems(name: str, target: Target) -> list[str]:
    """What a target names that the tree does not hold: files, functions, tests."""
    problems = [f"{name}: no file {f}" for f in target.files if not (ROOT / f).is_file()]
    if problems:
        return problems
    defined = set().union(*(definitions(ROOT / f) for f in target.files))
    problems += [f"{name}: no function {fn} in {', '.join(target.files)}"
                 for fn in dict.fromkeys(target.functions + target.short_functions) if fn not in defined]
    problems += [f"{name}: {p}" for t in dict.fromkeys(target.tests + target.short_tests) if (p := test_problem(t))]
    return problems


# -- mutmut's names of mutants ---------------------------------------------------------------------

def mangled(module: str, function: str) -> str:
    """mutmut's name of a function: module.x_func, or module.xǁClassǁmethod."""
    if "." in function:
        cls, meth = function.split(".")
        return f"{module}.x\u01c1{cls}\u01c1{meth}"
    return f"{module}.x_{function}"


#: --every N as a glob on the mutant's number: every mutant, every 2nd, 5th or 10th (by its last digit).
SAMPLES = {1: "*", 2: "*[02468]", 5: "*[05]", 10: "*0"}


def selection(target: Target, functions: tuple[str, ...], every: int) -> list[str]:
    """Globs of the mutants to run, on mutmut's names: module.x_func__mutmut_N, module.xǁClassǁmethod__mutmut_N."""
    suffix = "__mutmut_" + SAMPLES[every]
    if functions:
        defined = {f: definitions(ROOT / f) for f in target.files}
        return [mangled(module_of(f), fn) + suffix for f in target.files for fn in functions if fn in defined[f]]
    return [module_of(f) + ".*" + suffix for f in target.files]


def patterns(target: Target, functions: tuple[str, ...], every: int) -> list[str]:
    """Arguments to `mutmut run`: none for every mutant of the modules, else the globs."""
    return [] if not functions and every == 1 else selection(target, functions, every)


def belongs(mutant: str, target: Target, functions: tuple[str, ...], every: int) -> bool:
    return any(fnmatch.fnmatchcase(mutant, glob) for glob in selection(target, functions, every))


def where(mutant: str, diff: str, target: Target, copy: Path) -> str:
    """file:line of the first line a mutant changes, in the copy the mutants were made from (mutmut's
    diff counts lines from the function's def)."""
    module, _, name = mutant.partition("__mutmut_")[0].rpartition(".")
    parts = name.split("\u01c1")[1:] if name.startswith("x\u01c1") else [name.removeprefix("x_")]
    for file in target.files:
        if module_of(file) != module:
            continue
        nodes: list[ast.AST] = [ast.parse((copy / file).read_text("utf-8"))]
        for part in parts:
            nodes = [n for parent in nodes for n in ast.iter_child_nodes(parent)
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part]
        if not nodes:
            return file
        start, offset = nodes[0].lineno, None
        for line in diff.splitlines():
            if m := re.match(r"^@@ -(\d+)", line):
                offset = int(m[1])
            elif offset is not None and line.startswith("-") and not line.startswith("---"):
                return f"{file}:{start + offset - 1}"
            elif offset is not None and line.startswith(" "):
                offset += 1
        return f"{file}:{start}"
    return "?"


# -- one target's run ------------------------------------------------------------------------------

def project_files() -> list[str] | None:
    """The files git would commit (tracked, and untracked but not ignored); None outside a git checkout."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({p for p in listing.decode("utf-8", "surrogateescape").split("\0") if p})


def copy_project(dest: Path) -> None:
    """The project's files into dest, never its caches, virtual environment or build output."""
    files = project_files()
    if files is None:
        shutil.copytree(ROOT, dest, symlinks=True, ignore=lambda folder, names: {
            n for n in names if n in SKIP or n.endswith(".egg-info")})
        return
    for name in files:
        source = ROOT / name
        if SKIP.intersection(Path(name).parts) or not (source.is_file() or source.is_symlink()):
            continue  # deleted in the working tree, or a submodule
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), dest / name)
        else:
            shutil.copy2(source, dest / name)


PLUGIN_SOURCE = '''\
"""pytest plugin of benchmarks/mutation.py: a target's tests run in its order, and Hypothesis keeps
no example database, so one mutant's failing examples are not replayed for the next."""

import json
import os

ORDER = json.loads(os.environ.get("LODPUB_MUTATION_ORDER", "[]"))


def pytest_configure(config):
    try:
        from hypothesis import settings
    except ImportError:
        return
    settings.register_profile("lodpub-mutation", database=None)
    settings.load_profile("lodpub-mutation")


def _rank(item):
    nodeid = item.nodeid
    for i, selector in enumerate(ORDER):
        if nodeid == selector or nodeid.startswith((selector + "::", selector + "[")):
            return i, str(item.path), item.location[1] or 0
    return len(ORDER), str(item.path), item.location[1] or 0


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_rank)
'''


def toml_list(items) -> str:
    return json.dumps(list(items), ensure_ascii=False)  # a JSON list of strings is a TOML array


def configure(copy: Path, target: Target, tests: tuple[str, ...], args: tuple[str, ...]) -> None:
    pyproject = copy / "pyproject.toml"
    if "[tool.mutmut]" in pyproject.read_text("utf-8"):
        raise RuntimeError(f"{pyproject}: has a [tool.mutmut] table of its own; this script writes that table")
    top = sorted(p.name for p in copy.iterdir() if p.name not in {"src", "tests", "pyproject.toml"})
    with open(pyproject, "a", encoding="utf-8") as f:
        f.write("\n[tool.mutmut]\n"
                f"source_paths = [\"src\"]\n"
                f"only_mutate = {toml_list(target.files)}\n"
                f"also_copy = {toml_list(top)}\n"
                f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
                f"pytest_add_cli_args = {toml_list([*PYTEST_ARGS, *args])}\n"
                "use_git_change_detection = false\n"
                # Each mutant runs in a process forked from a server that has only imported pytest and
                # collected the tests: a process that has run a build holds Oxigraph's (RocksDB's)
                # threads, and a child forked from it hangs on their locks.
                "process_isolation = \"forkserver\"\n"
                "forkserver_warmup = \"collect\"\n")


def mutmut() -> list[str]:
    exe = Path(sys.executable).with_name("mutmut")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mutmut"]


def children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


STATUS = re.compile(r"^\s*(\S+__mutmut_\d+): (.+?)\s*$")


def run_target(name: str, target: Target, short: bool, every: int, keep: Path | None, survivors: bool) -> Outcome:
    outcome = Outcome(name)
    tests = (target.short_tests or target.tests) if short else target.tests
    functions = (target.short_functions or target.functions) if short else target.functions
    work = Path(tempfile.mkdtemp(prefix=f"lodpub-mutation-{name}-", dir=keep))
    copy = work / "project"
    started, cpu = time.monotonic(), children_cpu()
    try:
        copy_project(copy)
        configure(copy, target, tests, target.args)
        (work / "plugin").mkdir()
        (work / "plugin" / f"{PLUGIN}.py").write_text(PLUGIN_SOURCE, "utf-8")
        # Made before mutmut starts: a PYTHONPATH folder missing at start-up stays unsearched in that
        # process (its finder is cached as None), and mutmut would then test the unmutated code.
        (copy / "mutants" / "src").mkdir(parents=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(copy / "mutants" / "src"), str(work / "plugin")]),
                   PYTHONDONTWRITEBYTECODE="1", **{ORDER_ENV: json.dumps(list(tests))})
        env.pop("MUTANT_UNDER_TEST", None)
        log = work / "mutmut-run.log"
        with open(log, "wb") as out:
            proc = subprocess.run([*mutmut(), "run", "--max-children", "1", *patterns(target, functions, every)],
                                  cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        listing = subprocess.run([*mutmut(), "results", "--all", "true"], cwd=copy, env=env, capture_output=True,
                                 text=True, stdin=subprocess.DEVNULL)
        for line in listing.stdout.splitlines():
            if (m := STATUS.match(line)) and belongs(m[1], target, functions, every):
                outcome.statuses[m[1]] = m[2]
        if proc.returncode != 0 or not outcome.statuses:
            tail = log.read_text("utf-8", "replace").replace("\r", "\n").strip().splitlines()[-15:]
            outcome.error = f"{name}: mutmut run exited {proc.returncode}; log {log}:\n" + "\n".join(tail)
        if survivors:
            for mutant in sorted(m for m, s in outcome.statuses.items() if s == "survived"):
                shown = subprocess.run([*mutmut(), "show", mutant], cwd=copy, env=env, capture_output=True,
                                       text=True, stdin=subprocess.DEVNULL)
                diff = shown.stdout.strip()
                outcome.diffs[mutant] = f"{where(mutant, diff, target, copy)}\n{diff}"
    except (OSError, RuntimeError) as exc:
        outcome.error = f"{name}: {exc}"
    finally:
        outcome.seconds, outcome.cpu = time.monotonic() - started, children_cpu() - cpu
        if keep is None and not outcome.error:
            shutil.rmtree(work, ignore_errors=True)
    return outcome


# -- the report ------------------------------------------------------------------------------------

def row(o: Outcome) -> list[str]:
    rate = "n/a" if o.rate is None else f"{o.rate:.1f}%"
    other = len(o.statuses) - o.count("killed", "survived", "timeout")
    return [o.name, str(len(o.statuses)), str(o.count("killed")), str(o.count("survived")), str(o.count("timeout")),
            str(other), rate, f"{o.seconds:.0f}", f"{o.cpu:.0f}"]


def table(outcomes: list[Outcome]) -> str:
    head = ["target", "mutants", "killed", "survived", "timeout", "other", "kill rate", "seconds", "CPU s"]
    rows = [row(o) for o in outcomes]
    if len(outcomes) > 1:
        rows.append(row(Outcome("all", {k: v for o in outcomes for k, v in o.statuses.items()},
                                sum(o.seconds for o in outcomes), sum(o.cpu for o in outcomes))))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def below_floor(outcomes: list[Outcome]) -> list[str]:
    return [f"{o.name} {o.rate:.1f}% < {TARGETS[o.name].floor:.0f}%" for o in outcomes
            if o.rate is not None and o.rate < TARGETS[o.name].floor]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="targets:\n" + "\n".join(f"  {n:12} {t.what}" for n, t in TARGETS.items()))
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="default: all")
    parser.add_argument("--short", action="store_true", help="the CI form: short tests and mutants, floors enforced")
    parser.add_argument("--every", type=int, choices=sorted(SAMPLES),
                        help="run every Nth mutant only, by its number (default: 1, or the target's short sample)")
    parser.add_argument("--keep", type=Path, help="make the copies under DIR and keep them (mutmut browse works there)")
    parser.add_argument("--survivors", action="store_true", help="print the place and diff of every surviving mutant")
    parser.add_argument("--markdown", type=Path, help="append the table (and survivors) to this file")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    names = args.targets or list(SHORT if args.short else TARGETS)
    problems = [p for n in names for p in target_problems(n, TARGETS[n])]
    if problems:
        print("benchmarks/mutation.py: targets name what the tree does not hold:\n  " + "\n  ".join(problems),
              file=sys.stderr)
        return 2
    if subprocess.run([*mutmut(), "--help"], capture_output=True).returncode != 0:
        print("mutmut is not installed beside this Python: pip install -e '.[test]'", file=sys.stderr)
        return 2
    try:
        os.nice(10)
    except OSError:
        pass
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    version = subprocess.run([*mutmut(), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# mutation testing ({'short' if args.short else 'full'}) {time.strftime('%Y-%m-%d %H:%M %Z')}, "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {version}", flush=True)
    outcomes = []
    for name in names:
        target = TARGETS[name]
        every = args.every or (target.short_every if args.short else 1)
        print(f"{name}: {target.what} ...", flush=True)
        outcome = run_target(name, target, args.short, every, args.keep, args.survivors)
        outcomes.append(outcome)
        rate = "n/a" if outcome.rate is None else f"{outcome.rate:.1f}%"
        print(f"{name}: {len(outcome.statuses)} mutants, kill rate {rate}, {outcome.seconds:.0f} s "
              f"({outcome.cpu:.0f} CPU s)", flush=True)
        if outcome.error:
            print(outcome.error, file=sys.stderr, flush=True)
    report = table(outcomes)
    print()
    print(report)
    details = [f"\n{mutant}\n{diff}\n" for o in outcomes for mutant, diff in o.diffs.items()]
    if details:
        print("\nsurviving mutants:" + "".join(details))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as f:
            f.write(report + "\n")
            if details:
                f.write("\n```diff" + "".join(details) + "```\n")
    failed = [o.name for o in outcomes if o.error]
    low = below_floor(outcomes) if args.short else []
    if failed or low:
        print(f"\nfailed: {', '.join(failed + low)}", file=sys.stderr)
    return 1 if failed or low else 0


if __name__ == "__main__":
    sys.exit(main())
