"""The layers of lod_pub, checked over its import graph: every import statement of every module under
src/lod_pub (imports inside functions too), parsed with ast, relative imports resolved.

Each module imports only modules of its own layer or of earlier ones:

   0 leaves      lod_pub (the package), settings, errors, vocab, iris, formats, sparql_lex, jsonld, cameo
   1 sources     lod_pub.sources: records in, checked
   2 mapping     lod_pub.mapping: records -> RDF
   3 validation  validation: pyshacl -> a report
   4 stores      store (the package), store.embedded (embedded Oxigraph), store.http (a SPARQL 1.1 store
                 over HTTP), store.digest (a graph's digest, computed by a SPARQL store)
   5 published   published: a release as its readers see it (the web; the builder reading the release before)
   6 parts       dumps, describe, cache, ledger: what a build writes, and what it keeps between builds
   7 build       release, store.push, adhoc: the orchestrators (build, push, serve --data)
   8 web         lod_pub.web: the app
   9 cli         cli: the commands

The web reads published releases and stores and never builds one: it imports nothing of sources,
mapping, validation, parts or build, neither directly nor through another module, and never pyshacl.
The imports that break this today are EXCEPTIONS, each with the reason it stays.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lod_pub

SRC = Path(lod_pub.__file__).parent
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leaves", ("lod_pub", "lod_pub.settings", "lod_pub.errors", "lod_pub.vocab", "lod_pub.iris", "lod_pub.formats",
                "lod_pub.sparql_lex", "lod_pub.jsonld", "lod_pub.cameo")),
    ("sources", ("lod_pub.sources",)),
    ("mapping", ("lod_pub.mapping",)),
    ("validation", ("lod_pub.validation", "lod_pub.shacl_core")),
    ("stores", ("lod_pub.store", "lod_pub.store.embedded", "lod_pub.store.http", "lod_pub.store.digest")),
    ("published", ("lod_pub.published",)),
    ("parts", ("lod_pub.dumps", "lod_pub.describe", "lod_pub.cache", "lod_pub.ledger")),
    ("build", ("lod_pub.release", "lod_pub.store.push", "lod_pub.adhoc")),
    ("web", ("lod_pub.web",)),
    ("cli", ("lod_pub.cli", "lod_pub.serve")),
)
PACKAGES = ("lod_pub.sources", "lod_pub.mapping", "lod_pub.web")  # a layer of their own, submodules and all
NOT_FOR_THE_WEB = {"sources", "mapping", "validation", "parts", "build"}
NOT_FOR_THE_WEB_OUTSIDE = {"pyshacl"}

#: (importer, imported): why it stays. None today: `serve`, the web's and the pipeline's at once, is
#: lod_pub/serve.py in the top layer, beside cli.py.
EXCEPTIONS: dict[tuple[str, str], str] = {}


# -- the import graph ------------------------------------------------------------------------------
def module_names(root: Path) -> dict[str, Path]:
    """Every module under root (a folder holding the lod_pub package): dotted name -> file."""
    found = {}
    for path in sorted((root / "lod_pub").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_by(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules one module imports (absolute names; a relative import resolved against its package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                head = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(head + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in modules)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imported_by(name, path, modules) for name, path in modules.items()}


def layer_of(module: str) -> int:
    for rank, (_, members) in enumerate(LAYERS):
        if module in members or any(module.startswith(p + ".") for p in PACKAGES if p in members):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {Path(__file__).name}")


def layer_name(module: str) -> str:
    return LAYERS[layer_of(module)][0]


def inward(module: str) -> bool:
    return module == "lod_pub" or module.startswith("lod_pub.")


def backward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a later layer, but the EXCEPTIONS."""
    return [f"{m} ({layer_name(m)}) imports {i} ({layer_name(i)})"
            for m, imports in sorted(graph.items()) for i in sorted(imports)
            if inward(i) and layer_of(i) > layer_of(m) and (m, i) not in EXCEPTIONS]


def reached(graph: dict[str, set[str]], start: str) -> dict[str, str]:
    """Every module start imports, directly or through others (EXCEPTIONS aside): module -> who imports it."""
    seen, todo = {start: ""}, [start]
    while todo:
        module = todo.pop()
        for i in graph.get(module, ()):
            if i not in seen and (module, i) not in EXCEPTIONS:
                seen[i] = module
                if inward(i):
                    todo.append(i)
    del seen[start]
    return seen


def web_reaches_the_pipeline(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for web in sorted(m for m in graph if layer_name(m) == "web"):
        for module, via in sorted(reached(graph, web).items()):
            banned = layer_name(module) in NOT_FOR_THE_WEB if inward(module) else \
                module.split(".")[0] in NOT_FOR_THE_WEB_OUTSIDE
            if banned:
                found.append(f"{web} reaches {module} (imported by {via})")
    return found


# -- the tests -------------------------------------------------------------------------------------
def test_every_module_is_in_a_layer():
    for module in import_graph(SRC.parent):
        layer_of(module)


def test_each_module_imports_only_its_own_layer_and_earlier_ones():
    assert backward_imports(import_graph(SRC.parent)) == []


def test_the_web_imports_nothing_that_builds_a_release_not_even_through_another_module():
    assert web_reaches_the_pipeline(import_graph(SRC.parent)) == []


def test_each_exception_is_still_an_import_of_the_code():
    graph = import_graph(SRC.parent)
    assert [pair for pair in EXCEPTIONS if pair[1] not in graph[pair[0]]] == []


def test_planted_imports_of_the_builder_fail_the_checks(tmp_path):
    """A reader importing the builder is a backward import; the web importing it, directly or through a
    reader, reaches the pipeline."""
    for name, text in {"__init__.py": "", "release.py": "", "published.py": "from . import release\n",
                       "web/__init__.py": "", "web/view.py": "from .. import published\n",
                       "web/sparql/__init__.py": "", "web/sparql/table.py": "from ...release import build\n"}.items():
        (tmp_path / "lod_pub" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "lod_pub" / name).write_text(text)
    graph = import_graph(tmp_path)
    assert backward_imports(graph) == ["lod_pub.published (published) imports lod_pub.release (build)"]
    assert web_reaches_the_pipeline(graph) == [
        "lod_pub.web.sparql.table reaches lod_pub.release (imported by lod_pub.web.sparql.table)",
        "lod_pub.web.view reaches lod_pub.release (imported by lod_pub.published)"]


def test_the_web_importing_push_from_the_store_package_fails_the_checks(tmp_path):
    """store.embedded and store.http are the web's; store.push, in the same package, is the builder's."""
    for name, text in {"__init__.py": "", "store/__init__.py": "", "store/http.py": "", "store/push.py": "",
                       "web/__init__.py": "", "web/view.py": "from ..store import http, push\n"}.items():
        (tmp_path / "lod_pub" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "lod_pub" / name).write_text(text)
    graph = import_graph(tmp_path)
    assert backward_imports(graph) == []
    assert web_reaches_the_pipeline(graph) == [
        "lod_pub.web.view reaches lod_pub.store.push (imported by lod_pub.web.view)"]


def test_loading_the_web_loads_no_part_of_the_pipeline():
    """What a process holds in sys.modules once it has imported every web module but the WSGI entry
    point (which reads the environment and builds the app)."""
    web = [m for m in sorted(import_graph(SRC.parent)) if layer_name(m) == "web" and m != "lod_pub.web.wsgi"]
    banned = [m for layer, members in LAYERS if layer in NOT_FOR_THE_WEB for m in members]
    banned += sorted(NOT_FOR_THE_WEB_OUTSIDE)
    inside = tuple(b + "." for b in banned)
    code = (f"import importlib, sys\nfor m in {web!r}: importlib.import_module(m)\n"
            f"print(' '.join(m for m in sys.modules if m in {banned!r} or m.startswith({inside!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
