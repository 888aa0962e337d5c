"""Every file of the project that the documentation names exists.

The documents checked are README.md, SECURITY.md and docs/*.md. Fenced code blocks (between lines
starting with ```) and inline code spans (`...`) are told apart from prose; the rules are:

1. Rooted paths, anywhere in the text: a word starting with `src/`, `tests/`, `benchmarks/` or
   `docs/` (not preceded by a letter, digit, `_`, `.`, `-` or `/`), made of letters, digits, `_`,
   `.`, `-` and `/`, with a trailing `.` dropped, must be a file or folder relative to the project's
   root (`tests/hostile/`, `src/lod_pub/store/push.py`).
2. Markdown links, outside code blocks: `[text](target)` whose target has no scheme (`http:` ...):
   its path (before any `#`) must exist relative to the linking document's folder, and a `#fragment`
   into a Markdown file (the same document when the target is only `#fragment`) must be the
   GitHub-style anchor of one of its headings (lower case, punctuation dropped, spaces to `-`).
3. Bare Python files in code: inside an inline code span or a fenced code block, every word ending
   in `.py` that is not a rooted path (rule 1) must be the end of the path of a file under
   `src/lod_pub/`, `tests/` or `benchmarks/`, matched at a `/` (`resources.py`, `sparql/guard.py`,
   `web/wsgi.py`, `lod_pub/sparql_lex.py`).
4. Bare Markdown names, anywhere: a word `NAME.md` that is not part of a path (not preceded by `/`
   or a word character) must be a file at the root or in docs/ (`SECURITY.md`, `deploy.md`).
5. Modules, anywhere: a dotted name `lod_pub.a.b...` names modules and packages under
   `src/lod_pub/` from the left; at least `lod_pub.a` must be one, and at most one name may follow
   the last module, an attribute that must appear as a word in that module's source
   (`lod_pub.store.http.Endpoints`). The names of the project's loggers (`getLogger("...")` in src/)
   are not modules and are accepted as they are.

Each failure names the document, its line and the rule. The rules look for files only where the
text names one plainly; they do not try to read placeholders (`seeds/articles/NAME.yaml`) or URLs.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "lod_pub"
DOCUMENTS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
SEARCHED = [PACKAGE, ROOT / "tests", ROOT / "benchmarks"]

ROOTED = re.compile(r"(?<![\w./-])(?:src|tests|benchmarks|docs)/[\w./-]*")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`]+)`")
PY_WORD = re.compile(r"[\w./-]*\w\.py\b")
MD_NAME = re.compile(r"(?<![\w/.-])[\w-]+\.md\b")
MODULE = re.compile(r"\blod_pub(?:\.\w+)+")


def _lines(text: str) -> list[tuple[int, str, bool]]:
    """(line number, text, inside a fenced code block) for each line but the fences themselves."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        out.append((number, line, fenced))
    return out


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    return {_slug(line.lstrip("#")) for _, line, fenced in _lines(text)
            if not fenced and re.match(r"#{1,6} ", line)}


@cache
def _python_files() -> list[str]:
    return ["/" + p.relative_to(ROOT).as_posix() for base in SEARCHED for p in base.rglob("*.py")
            if "__pycache__" not in p.parts]


@cache
def _loggers() -> set[str]:
    return {name for p in PACKAGE.rglob("*.py")
            for name in re.findall(r"getLogger\(\s*[\"']([\w.]+)[\"']", p.read_text("utf-8"))}


def _module(name: str) -> str | None:
    """Why a dotted lod_pub name does not resolve, or None when it does."""
    if name in _loggers():
        return None
    parts, path, source, resolved = name.split(".")[1:], PACKAGE, None, 0
    for part in parts:  # packages while there are, then at most one module
        if (path / part / "__init__.py").is_file():
            path, source = path / part, path / part / "__init__.py"
        elif (path / f"{part}.py").is_file():
            source = path / f"{part}.py"
        else:
            break
        resolved += 1
        if source.name != "__init__.py":
            break
    rest = parts[resolved:]
    if resolved == 0:
        return "no such module"
    if len(rest) > 1:
        return f"no module {'.'.join(['lod_pub', *parts[:resolved + 1]])}"
    if rest and not re.search(rf"\b{re.escape(rest[0])}\b", source.read_text("utf-8")):
        return f"{rest[0]} is not in {source.relative_to(ROOT)}"
    return None


def problems(document: Path, text: str | None = None) -> list[str]:
    """What in the document (its text, or the given text as if it were the document's) names no file."""
    text = document.read_text("utf-8") if text is None else text
    found = []

    def fail(number: int, rule: str, ref: str, why: str) -> None:
        found.append(f"{document.relative_to(ROOT)}:{number}: rule {rule}: {ref}: {why}")

    for number, line, fenced in _lines(text):
        for match in ROOTED.finditer(line):
            ref = match.group().rstrip(".")
            if not (ROOT / ref).exists():
                fail(number, "1", ref, "no such file or folder")
        if not fenced:
            for target in LINK.findall(line):
                if re.match(r"[a-z][\w+.-]*:", target, re.I):
                    continue
                path, _, fragment = target.partition("#")
                linked = (document.parent / path).resolve() if path else document
                if path and not linked.exists():
                    fail(number, "2", target, "no such file")
                elif fragment and linked.suffix == ".md":
                    headings = _anchors(text if not path else linked.read_text("utf-8"))
                    if fragment not in headings:
                        fail(number, "2", target, "no such heading")
        for span in [line] if fenced else CODE_SPAN.findall(line):
            for word in PY_WORD.findall(span):
                if ROOTED.fullmatch(word) or word.startswith("/"):
                    continue
                if not any(f.endswith("/" + word) for f in _python_files()):
                    fail(number, "3", word, "no such file under src/lod_pub, tests or benchmarks")
        for name in MD_NAME.findall(LINK.sub("]", line)):
            if not ((ROOT / name).is_file() or (ROOT / "docs" / name).is_file()):
                fail(number, "4", name, "no such file at the root or in docs/")
        for name in MODULE.findall(line):
            why = _module(name)
            if why:
                fail(number, "5", name, why)
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_file_the_document_names_exists(document):
    assert problems(document) == []


def test_each_rule_refuses_a_made_up_reference():
    """Each rule fails on a name that does not exist, and passes the real one beside it."""
    text = (
        "# A heading\n\n"
        "`src/lod_pub/store/push.py` and `src/lod_pub/no_such.py`\n"
        "[ok](#a-heading) [bad](#no-heading) [web](web.md#performance) [gone](gone.md)\n"
        "`sparql/guard.py` `sparql/no_such.py`\n"
        "see SECURITY.md and NOSUCH.md\n"
        "`lod_pub.store.http.Endpoints` `lod_pub.synth` `lod_pub.store.http.NoSuchName`\n")
    found = problems(ROOT / "docs" / "made-up.md", text)
    assert [f.split(": ")[1:3] for f in found] == [
        ["rule 1", "src/lod_pub/no_such.py"], ["rule 2", "#no-heading"], ["rule 2", "gone.md"],
        ["rule 3", "sparql/no_such.py"], ["rule 4", "NOSUCH.md"], ["rule 5", "lod_pub.synth"],
        ["rule 5", "lod_pub.store.http.NoSuchName"]], found
