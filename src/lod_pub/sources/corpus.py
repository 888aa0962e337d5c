"""Load and check the whole seeds folder: the entity register and every article record.

Layout:
    seeds/entities.yaml               the register of people, organisations, places, posts
    seeds/articles/NAME.yaml          one article's record
    seeds/articles/NAME.txt           that article's text (UTF-8)

Every problem is collected, never only the first: the editor fixes them all in one pass. Every file
is read through files.read_below: a regular file inside the seeds folder, size-capped while read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Callable
from importlib import resources
from pathlib import Path

import fastjsonschema
import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from ..errors import Problem, RecordError
from ..iris import valid_slug
from .advice import (IdIndex, closest_names, comment_trap, did_you_mean, is_cut, passage_reason, record_problems,
                     split_value, text_line_of_mark, unrecorded_texts)
from .files import Refused, UnreadableFile, read_below
from .values import id_problem, url_problem
from .yamlfile import MAX_BYTES, Located, Path_, dotted, read_yaml

ENTITY_SECTIONS = {"people": "person", "organizations": "organization", "places": "place", "posts": "post"}
AGENT = ("person", "organization")
ANY = ("person", "organization", "place", "post", "event", "statement", "partnership", "article", "document")

#: For each reference field, the kinds of thing it may point to.
REF_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("article", "publisher"): ("organization",),
    ("article", "author"): AGENT,
    ("article", "dateline"): ("place",),
    ("article", "about"): ANY,
    ("event", "location"): ("place",),
    ("event", "attendees"): AGENT,
    ("event", "organizers"): AGENT,
    ("event", "supportedBy"): AGENT,
    ("event", "superEvents"): ("event",),
    ("event", "about"): ANY,
    ("event", "participants"): AGENT,
    ("event", "founded"): ("organization",),
    ("statement", "author"): AGENT,
    ("statement", "about"): ANY,
    ("statement", "statedAt"): ("event",),
    ("relation", "person"): ("person",),
    ("relation", "post"): ("post",),
    ("relation", "organization"): ("organization",),
    ("relation", "member"): AGENT,
    ("relation", "partner"): AGENT,
    ("relation", "relative"): ("person",),
    ("document", "authors"): AGENT,
    ("document", "parties"): AGENT,
    ("document", "signatories"): AGENT,
    ("document", "location"): ("place",),
    ("document", "signedAt"): ("event",),
    ("document", "adoptedAt"): ("event",),
    ("document", "about"): ANY,
    ("organization", "parentOrganization"): ("organization",),
    ("organization", "location"): ("place",),
    ("place", "containedInPlace"): ("place",),
    ("post", "postIn"): ("organization",),
}
MAX_TEXT_BYTES = 5_000_000
DATE_FORM = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
DATE_FIELDS = ("datePublished", "startDate", "endDate", "earliestBegin", "latestEnd", "date")
#: fields that hold a URL (their schema pattern asks for http:// or https://; values.url_problem checks the rest)
URL_FIELDS = ("url", "sameAs")

#: A record, or the register: a mapping read from YAML. Any: the type of each value is its field's, as the
#: record schema says (a string, a list, a mapping, or a fact in either spelling: see fact_parts).
Record = dict[str, Any]
Stat = tuple[int, int, int]  # (size, mtime_ns, inode): stat_of


@dataclass
class Source:
    """One YAML file, its data and the line of every value in it."""

    path: Path
    display: str
    stored: Located | None = None  # None: a record found good at an earlier reading, read when first needed
    digest: str = ""  # sha256 of the file's bytes
    stat: Stat | None = None  # (size, mtime_ns, inode) just before it was read
    root: Path | None = None  # the seeds folder, which every file it reads must be in (None: the file's own)

    @property
    def seeds(self) -> Path:
        return self.root if self.root is not None else Path(self.path).parent

    @property
    def located(self) -> Located:
        if self.stored is None:
            try:
                raw = read_below(self.seeds, self.path, MAX_BYTES)
            except Refused as exc:
                raise UnreadableFile([Problem(self.display, None, "", str(exc))]) from None
            except OSError as exc:
                raise UnreadableFile([Problem(self.display, None, "", f"cannot read: {exc.strerror}")]) from None
            self.stored = read_yaml(raw, self.display)[0]
        return self.stored

    @property
    def data(self) -> Record:
        return self.located.data if isinstance(self.located.data, dict) else {}

    def at(self, path: Path_) -> Any:
        """The value at path in the data: a record, a list of them, a field's value (Any: see Record)."""
        value: Any = self.data
        for part in path:
            value = value[part]
        return value

    def line(self, path: Path_) -> int | None:
        """Line of the value at path, or of its nearest ancestor that has one."""
        while path:
            if path in self.located.lines:
                return self.located.lines[path]
            path = path[:-1]
        return self.located.lines.get(())

    def problem(self, path: Path_, reason: str) -> Problem:
        return Problem(self.display, self.line(path), dotted(path), reason)

    def forget_detail(self) -> None:
        """Keep only the lines of records (an event, a person), not of each of their fields: once the
        records are checked, a report points at the record, and a large corpus needs the memory."""
        self.located.lines = {path: line for path, line in self.located.lines.items() if len(path) <= 2}

    def where(self, path: Path_) -> str:
        return f"{self.display}:{self.line(path)} ({dotted(path)})"


class KnownSource(Source):
    """A record file found good at an earlier reading (sources.index): its path object is made, and
    its record read, only when asked for (a hundred thousand path objects take seconds)."""

    def __init__(self, file: str, display: str, root: Path | None = None):
        self.file, self.display, self.stored, self.digest, self.stat, self.root = file, display, None, "", None, root

    @property
    def path(self) -> Path:  # type: ignore[override]  # read-only here: a known source's path is read, never set
        return Path(self.file)


@dataclass
class Article:
    """An article's record and text. One known good from an earlier reading (sources.index) comes
    with its slug and digest, and its record and text are read only when asked for."""

    source: Source
    stored_text: str | None = None
    text_path: Path | str | None = None
    text_stat: Stat | None = None
    known_slug: str = ""
    known_digest: str = ""
    #: what the unit is: "article" (a record and its text), or "export" (a GDELT export, sources.gdelt)
    kind: str = "article"

    @property
    def text(self) -> str:
        if self.stored_text is None:
            try:
                self.stored_text = _text_of(self.source, self.text_path) if self.text_path else ""
            except Refused as exc:
                raise UnreadableFile([self.source.problem(("article", "text"), str(exc))]) from None
        return self.stored_text

    @property
    def digest(self) -> str:
        """A digest of everything the article is read from: its record and its text."""
        return self.known_digest or hashlib.sha256(f"{self.source.digest}\0".encode() + self.text.encode("utf-8")).hexdigest()

    @property
    def record(self) -> Record:
        return self.source.data

    @property
    def slug(self) -> str:
        slug: str = self.known_slug or self.record["article"]["id"]
        return slug


Claim = tuple[str, Source, Path_]  # (kind, source, path of its definition) of an identifier


@dataclass
class Corpus:
    register: Source
    articles: list[Article]
    #: id -> (kind, source, path of its definition); sources.index.Ids over an index
    ids: MutableMapping[str, Claim] = field(default_factory=dict)
    #: the ids by kind for "did you mean" (advice.IdIndex), made at the first reference to an undefined id
    near: IdIndex | None = field(default=None, repr=False, compare=False)

    def kind(self, slug: str) -> str:
        return self.ids[slug][0]

    def closest(self, slug: str, kinds: tuple[str, ...]) -> list[str]:
        """Defined ids of the given kinds that look like slug (once the ids are all claimed)."""
        if self.near is None:
            self.near = IdIndex(self.ids, self.kind)
        return self.near.closest(slug, kinds)


def fact_parts(value: object) -> Record:
    """{'value', 'evidence', 'inferred', 'note'} of a fact in either spelling."""
    return value if isinstance(value, dict) else {"value": value}


def as_list(value: object) -> list[Any]:
    """The items of a field that holds a list, or one value, or nothing (Any: see Record)."""
    return value if isinstance(value, list) else ([] if value is None else [value])


@dataclass(frozen=True)
class _Schema:
    """A record schema: a compiled check for the common case, jsonschema's full report for the rest."""

    fast: Callable[[object], object]
    full: jsonschema.Draft202012Validator


@cache
def _schema(name: str) -> _Schema:
    schema = json.loads(resources.files("lod_pub").joinpath(f"schema/{name}.schema.json").read_text("utf-8"))
    # the schemas use nothing that differs between draft 7 and 2020-12; fastjsonschema compiles draft 7
    compiled = fastjsonschema.compile({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})
    return _Schema(compiled, jsonschema.Draft202012Validator(schema))


def _schema_problems(source: Source, schema: _Schema) -> list[Problem]:
    try:
        schema.fast(source.located.data)
        return []
    except fastjsonschema.JsonSchemaException as exc:
        fast_error = exc
    problems = _full_problems(source, schema)
    if not problems:  # the two validators disagree: the compiled one's finding still stops the build
        path, message = _fast_finding(fast_error)
        problems.append(source.problem(path, f"does not match the record schema: {message}"))
    return problems


def _fast_finding(exc: fastjsonschema.JsonSchemaException) -> tuple[Path_, str]:
    """Where in the record, and what, the compiled check found (it raises JsonSchemaValueException)."""
    if not isinstance(exc, fastjsonschema.JsonSchemaValueException):
        return (), str(exc)
    return (tuple(exc.path[1:]) if exc.path else ()), exc.message


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The schema an error's keyword is in (always an object schema for the keywords read here)."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _full_problems(source: Source, schema: _Schema) -> list[Problem]:
    validator = schema.full
    problems: list[Problem] = []
    for error in validator.iter_errors(source.located.data):
        if error.context:
            # oneOf(plain value, {value: ...}): explain the branch that fits the instance's shape
            shaped = [e for e in error.context if e.validator != "type"]
            error = best_match(shaped or error.context) or error
        path = tuple(error.absolute_path)
        reason = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = _schema_of(error).get("properties", {})
            unknown = [k for k in error.instance if k not in known]
            cut = split_value(error.instance, unknown, _key_lines(source, path))
            if cut is not None:  # `{value: x, evidence: Pakistan, NATO}`: a field 'NATO'
                problems.append(source.problem((*path, cut[0]), cut[1]))
                continue
            for key in unknown:
                problems.append(source.problem((*path, key), f"unknown field {key!r}"
                                               f"{did_you_mean(closest_names(key, known))}; known: {', '.join(known)}"))
            continue
        if error.validator == "pattern":
            rule = _schema_of(error)
            reason = f"{error.instance!r} does not have the expected form ({rule.get('description') or rule['pattern']})"
        problems.append(source.problem(path, reason))
    return problems


def _key_lines(source: Source, path: Path_) -> Callable[[str], int | None]:
    """The line of the value of each key of the mapping at path."""
    return lambda key: source.line((*path, key))


def stat_of(path: Path | str) -> Stat | None:
    """(size, mtime_ns, inode): what tells a file unchanged without reading it; None when it is not there.
    Of the entry itself, not of what a link points to: a file replaced by a link is a changed file."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def display_of(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent) if root.parent in path.parents else path)


def _read_source(path: Path, root: Path) -> tuple[Source, list[Problem]]:
    display = display_of(path, root)
    stat = stat_of(path)
    try:
        raw = read_below(root, path, MAX_BYTES)
    except (Refused, OSError) as exc:
        reason = str(exc) if isinstance(exc, Refused) else f"cannot read: {exc.strerror}"
        return Source(path, display, Located(None), root=root), [Problem(display, None, "", reason)]
    located, problems = read_yaml(raw, display)
    return Source(path, display, located, hashlib.sha256(raw).hexdigest(), stat, root), problems


def _collect_ids(corpus: Corpus, source: Source, problems: list[Problem]) -> None:
    def claim(slug: object, kind: str, path: Path_) -> None:
        if not isinstance(slug, str):
            return
        if valid_slug(slug) and (reason := id_problem(slug)):  # of the schema's form: the rest of the rules
            problems.append(source.problem(path, reason))
        if slug in corpus.ids:
            _, other, other_path = corpus.ids[slug]
            problems.append(source.problem(path, f"identifier {slug!r} is already claimed at {other.where(other_path)}"))
            return
        corpus.ids[slug] = (kind, source, path)

    data = source.data
    for section, kind in ENTITY_SECTIONS.items():
        for i, item in enumerate(as_list(data.get(section))):
            if isinstance(item, dict):
                claim(item.get("id"), kind, (section, i, "id"))
    for section, i, item, kind in _proposed(data):  # a draft's proposed register entries
        claim(item.get("id"), kind, ("register", section, i, "id"))
    if isinstance(data.get("article"), dict):
        claim(data["article"].get("id"), "article", ("article", "id"))
    for section, kind in (("events", "event"), ("statements", "statement"), ("documents", "document"),
                          ("relations", "partnership")):
        for i, item in enumerate(as_list(data.get(section))):
            if isinstance(item, dict) and "id" in item:
                claim(item["id"], kind, (section, i, "id"))


def _check_same_as(corpus: Corpus, problems: list[Problem]) -> None:
    seen: dict[str, tuple[Source, Path_]] = {}
    source = corpus.register
    for section in ENTITY_SECTIONS:
        for i, item in enumerate(as_list(source.data.get(section))):
            same = item.get("sameAs") if isinstance(item, dict) else None
            if not isinstance(same, str):
                continue
            path: Path_ = (section, i, "sameAs")
            if same in seen:
                problems.append(source.problem(path, f"{same} is already claimed by {seen[same][0].where(seen[same][1])}"))
            seen[same] = (source, path)


def _walk_facts(source: Source, owner: str, item: Record, path: Path_) -> Iterator[tuple[str, Path_, object]]:
    """(field, path, value-dict) for every fact of one record item, list items one by one."""
    for key, value in item.items():
        for j, single in enumerate(value) if isinstance(value, list) else [(None, value)]:
            sub = (*path, key) if j is None else (*path, key, j)
            yield key, sub, single


def _check_item(corpus: Corpus, source: Source, owner: str, item: Record, path: Path_, text: str | None,
                problems: list[Problem]) -> None:
    for key, sub, single in _walk_facts(source, owner, item, path):
        parts = fact_parts(single)
        named = "agent" if isinstance(single, dict) and "agent" in single else "value"  # a participant names its agent
        value = parts.get(named)
        value_path = (*sub, named) if isinstance(single, dict) else sub
        if isinstance(single, dict) and isinstance(parts.get("claim"), str):
            if (reason := _claim_problem(corpus, source, parts["claim"])) is not None:
                problems.append(source.problem((*sub, "claim"), reason))
        kinds = REF_KINDS.get((owner, key))
        if kinds and isinstance(value, str):
            if value not in corpus.ids:
                problems.append(source.problem(value_path, f"refers to {value!r}, which is not defined"
                                               f"{did_you_mean(corpus.closest(value, kinds))}"))
            elif corpus.kind(value) not in kinds:
                problems.append(source.problem(
                    value_path, f"refers to {value!r}, a {corpus.kind(value)}; expected a {' or '.join(kinds)}"))
        if key in DATE_FIELDS and isinstance(value, str) and DATE_FORM.fullmatch(value) and not _is_date(value):
            problems.append(source.problem(value_path, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        if (key in URL_FIELDS and isinstance(value, str) and value.startswith(("http://", "https://"))
                and (reason := url_problem(value))):
            problems.append(source.problem(value_path, reason))
        quote = parts.get("evidence") if isinstance(single, dict) else (
            single if key in ("evidence", "caption", "passage") else None)
        if text is not None and isinstance(quote, str):
            quote_path = (*sub, "evidence") if isinstance(single, dict) else sub
            if (reason := _quote_problem(source, quote_path, quote, text, single)) is not None:
                problems.append(source.problem(quote_path, reason))


def _claim_problem(corpus: Corpus, source: Source, claim: str) -> str | None:
    """Why a fact's `claim` is not a statement of the same record, or None."""
    if claim not in corpus.ids:
        return f"refers to {claim!r}, which is not defined{did_you_mean(corpus.closest(claim, ('statement',)))}"
    kind, where, path = corpus.ids[claim]
    if kind != "statement":
        return f"refers to {claim!r}, a {kind}; a claim is made by a statement (an id in `statements`)"
    if where is not source:
        return f"refers to {claim!r}, a statement of {where.display}; a claim is made by a statement of the same record"
    return None


def _quote_problem(source: Source, path: Path_, quote: str, text: str, fact: object) -> str | None:
    """Why a quote is not taken as words of the article, or None: not in it, or cut short by a ' #'."""
    if quote not in text:  # a quote cut at an unquoted ', ' is reported with its field (split_value)
        cut = isinstance(fact, dict) and is_cut(fact, _key_lines(source, path[:-1]))
        return None if cut else _quote_reason(quote, text)
    rest = source.located.comments.get(path)
    return comment_trap(str(path[-1]), quote, rest, text) if rest else None


def _is_date(value: str) -> bool:
    if not DATE_FORM.fullmatch(value):
        return False
    padded = value + "-01" * (2 - value.count("-"))
    try:
        date.fromisoformat(padded)
    except ValueError:
        return False
    return True


def _quote_reason(quote: str, text: str) -> str:
    return passage_reason("quote", quote, text)  # with the closest passage and where it differs


def _check_source(corpus: Corpus, source: Source, text: str | None, problems: list[Problem]) -> None:
    data = source.data
    for section, kind in ENTITY_SECTIONS.items():
        for i, item in enumerate(as_list(data.get(section))):
            if isinstance(item, dict):
                _check_item(corpus, source, kind, item, (section, i), text, problems)
    if isinstance(data.get("article"), dict):
        _check_item(corpus, source, "article", data["article"], ("article",), text, problems)
    for section, owner in (("events", "event"), ("statements", "statement"), ("documents", "document"),
                           ("relations", "relation"), ("left_out", "left_out")):
        for i, item in enumerate(as_list(data.get(section))):
            if isinstance(item, dict):
                _check_item(corpus, source, owner, item, (section, i), text, problems)
    if source is not corpus.register:  # dates in order and near the article's; statements in its words
        problems.extend(source.problem(path, reason) for path, reason in record_problems(data, text))
        for section, i, item, kind in _proposed(data):
            _check_item(corpus, source, kind, item, ("register", section, i), text, problems)
        problems.extend(_draft_problems(source))


_TEXT_LINE = re.compile(r"\s*\(text line \d+\)")


def _proposed(data: Record) -> Iterator[tuple[str, int, Record, str]]:
    """(section, index, entry, kind) of the register entries a draft proposes in its `register` section."""
    register = data.get("register")
    if not isinstance(register, dict):
        return
    for section, kind in ENTITY_SECTIONS.items():
        for i, item in enumerate(as_list(register.get(section))):
            if isinstance(item, dict):
                yield section, i, item, kind


def _draft_problems(source: Source) -> list[Problem]:
    """What a draft (lod-pub draft) leaves the editor to decide: its `#?` marks, listed in the order of the
    article's text, and the register entries it proposes, which a record does not publish."""
    problems: list[Problem] = []
    if "register" in source.data:
        problems.append(source.problem(("register",), (
            "proposed register entries: move each one you keep to seeds/entities.yaml (a record does not "
            "publish them), replace the ids of the others with known ones, then delete this section")))
    marks = source.located.marks
    if not marks:
        return problems
    at_line: dict[int, Path_] = {}
    for path, line in source.located.lines.items():
        if len(path) > len(at_line.get(line, ())) or line not in at_line:
            at_line[line] = path
    ordered = sorted(marks.items(), key=lambda item: (text_line_of_mark(item[1]), item[0]))
    listed = "\n".join(
        f"    text line {text_line_of_mark(words) or '-'}: line {line} [{dotted(_record_of(at_line.get(line, ())))}] "
        f"{_TEXT_LINE.sub('', words).strip()}" for line, words in ordered)
    problems.append(Problem(source.display, None, "", (
        f"a draft: {len(marks)} value{'s' if len(marks) != 1 else ''} still to decide (marked `#?`), in the "
        f"order of the text; confirm or correct each, then delete its mark:\n{listed}")))
    return problems


def _record_of(path: Path_) -> Path_:
    """The field a mark is on: the path of its line without the parts inside a one-line {…} fact."""
    while path and path[-1] in ("value", "evidence", "inferred", "agent", "role", "name", "type", "sameAs",
                                "person", "post", "note", "claim"):
        path = path[:-1]
    return path


def _check_unrecorded(corpus: Corpus, problems: list[Problem]) -> None:
    """An article text that no record names stops the build: it would never be published, unnoticed."""
    seeds = corpus.register.seeds
    named = {os.path.basename(a.text_path) for a in corpus.articles if a.text_path is not None}
    for name in unrecorded_texts(str(seeds / "articles"), named):
        problems.append(Problem(display_of(seeds / "articles" / name, seeds), None, "", (
            f"an article text without a record: there is no {name[:-4]}.yaml beside it and no record's `text` "
            "names it; add its record, or keep the text outside seeds/articles/ until the record is ready")))


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8").replace("\r\n", "\n")


def _text_of(source: Source, path: Path | str) -> str:
    """The text of an article whose record is source; Refused, saying why and naming the file."""
    name = os.path.basename(path)
    try:
        return _decode(read_below(source.seeds, path, MAX_TEXT_BYTES))
    except Refused as exc:
        raise Refused(f"{name} {exc}") from None
    except OSError as exc:
        raise Refused(f"cannot read {name}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise Refused(f"{name} is not valid UTF-8 (byte {exc.start})") from None


def _read_text(source: Source, problems: list[Problem]) -> Article:
    """The article of a record, with its text read (None when it cannot be)."""
    name = source.data.get("article", {}).get("text") if isinstance(source.data.get("article"), dict) else None
    if not isinstance(name, str) or "/" in name or "\\" in name or "\0" in name:
        return Article(source)
    path = source.path.parent / name
    article = Article(source, text_path=path, text_stat=stat_of(path))
    try:
        article.stored_text = _text_of(source, path)
    except Refused as exc:
        problems.append(source.problem(("article", "text"), str(exc)))
    return article


def read_register(seeds: Path, problems: list[Problem]) -> Source:
    """The entity register, schema-checked."""
    if not os.path.lexists(seeds / "entities.yaml"):
        raise RecordError([Problem(str(seeds / "entities.yaml"), None, "", "the entity register is missing")])
    register, found = _read_source(seeds / "entities.yaml", seeds)
    problems += found
    problems += _schema_problems(register, _schema("entities")) if register.located.data is not None else []
    return register


def read_article(corpus: Corpus, path: Path, seeds: Path, problems: list[Problem]) -> Article | None:
    """One article's record and text, schema-checked, its identifiers claimed in the corpus."""
    source, found = _read_source(path, seeds)
    problems += found
    if source.located.data is None:
        return None
    problems += _schema_problems(source, _schema("article"))
    _collect_ids(corpus, source, problems)
    return _read_text(source, problems)


def check_references(corpus: Corpus, articles: list[Article], problems: list[Problem], register: bool = True) -> None:
    """The checks across files, for the given articles and (unless register is false: a register
    found good before, whose references are all to its own entities) the register; raises RecordError."""
    if register:
        _check_same_as(corpus, problems)
        if corpus.register.located.data is None:
            # references into an unreadable register would all look undefined: report the cause only
            raise RecordError(problems)
        _check_source(corpus, corpus.register, None, problems)
    for article in articles:
        text = article.stored_text if article.text_path is not None else None
        _check_source(corpus, article.source, text, problems)
    _check_unrecorded(corpus, problems)
    if problems:
        raise RecordError(problems)
    for source in (corpus.register, *(a.source for a in articles)):
        source.forget_detail()


def read_all(seeds: Path) -> Corpus:
    """Read and check every record under seeds/. Raises RecordError with every problem found."""
    seeds = Path(seeds)
    problems: list[Problem] = []
    corpus = Corpus(register=read_register(seeds, problems), articles=[])
    _collect_ids(corpus, corpus.register, problems)
    for path in sorted((seeds / "articles").glob("*.yaml")):
        if (article := read_article(corpus, path, seeds, problems)) is not None:
            corpus.articles.append(article)
    if not corpus.articles and not problems:
        problems.append(Problem(str(seeds / "articles"), None, "", "no article records (*.yaml) found"))
    check_references(corpus, corpus.articles, problems)
    return corpus
