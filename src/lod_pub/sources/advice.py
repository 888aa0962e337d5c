"""What the checks tell an editor beyond "wrong": the likely cause in plain words, and the fix.

    IdIndex(ids, kind).closest(slug, kinds) -> [id]    defined ids like an undefined one ("did you mean")
    closest_names(name, known) -> [name]               a known field name like an unknown one
    did_you_mean(names) -> str                         "; did you mean 'x'?" (or "" for no names)
    yaml_advice(text, exc) -> (line, str) | None       a YAML syntax error explained: the trap and its fix
    split_value(mapping, unknown, line) -> (field, why) a value cut at an unquoted ', ' or ': ' inside {…}
    trailing_comments(node, text) -> {path: rest}      plain values followed by ' #…' on their line
    comment_trap(key, quote, rest, text) -> str | None a quote cut short by a ' #' that YAML read as a comment
    passage_reason(what, words, text) -> str           words not in the article, with the closest passage
    record_problems(record, text) -> [(path, reason)]  dates out of order or far from the article's, and
                                                       statement texts that are not the article's words
    unrecorded_texts(folder, named) -> [file name]     article texts that no record names
    draft_marks(text) -> {line: words}                 the `#?` marks of a draft (lod-pub draft) still left

Nothing here reads a file but unrecorded_texts (a folder listing); each function takes plain data and
returns advice, so corpus.py and yamlfile.py keep deciding what is a problem and where it is.
"""

from __future__ import annotations

import calendar
import difflib
import heapq
import itertools
import operator
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

Path_ = tuple[str | int, ...]  # as yamlfile.Path_: a path into the data, keys and list indexes
Found = tuple[Path_, str]  # (where in the record, why)

#: how alike an id must be to be suggested (difflib's ratio: 2 * matches / total length)
ID_CUTOFF = 0.75
#: a candidate key (token, first or last three characters) shared by more ids is not a lead: too common
COMMON_KEY = 1000
#: a date this many years or more before the article's date needs a `note`, or evidence that shows the year
FAR_YEARS = 30
#: values of an event's `status`: each says the event was announced (scheduled, and perhaps moved or called
#: off since), so it may start after the article was published (as may one whose start date has a `note`)
PLANNED = ("scheduled", "rescheduled", "postponed", "moved-online", "cancelled")
#: (a, b) of an event's date fields: a may not be after b
DATE_ORDER = (("earliestBegin", "startDate"), ("startDate", "endDate"), ("endDate", "latestEnd"),
              ("earliestBegin", "endDate"), ("startDate", "latestEnd"), ("earliestBegin", "latestEnd"))
EVENT_DATES = ("startDate", "endDate", "earliestBegin", "latestEnd")
DATE_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
SHOWN = 60  # characters of a quote or passage shown in a message
MAX_DEPTH = 32  # as yamlfile.MAX_DEPTH: deeper values are refused there


# --- ids: did you mean ------------------------------------------------------------------------------

def _keys(slug: str) -> set[str]:
    """What an id is looked up by, as found in IdIndex's text: its words of three characters or more,
    its first three characters after a line break, its last three before one."""
    return {w for w in re.split(r"[-_.]", slug) if len(w) >= 3} | {"\n" + slug[:3], slug[-3:] + "\n"}


class IdIndex:
    """The defined ids, one a line in one string: an id's candidates are the ids in which str.count and
    re.finditer (C speed) find one of its _keys, and difflib ranks those of the wanted kinds (difflib
    over every id takes seconds per lookup among 100,000 ids; this, milliseconds, after a join)."""

    def __init__(self, ids: Iterable[str], kind: Callable[[str], str]):
        self.text = "\n" + "\n".join(ids) + "\n"
        self.kind = kind
        self.asked: dict[tuple[str, frozenset[str], int], list[str]] = {}  # a typo is often made more than once

    def closest(self, slug: str, kinds: Iterable[str], n: int = 3) -> list[str]:
        wanted = frozenset(kinds)
        if (slug, wanted, n) not in self.asked:
            self.asked[slug, wanted, n] = self._closest(slug, wanted, n)
        return self.asked[slug, wanted, n]

    def _closest(self, slug: str, wanted: frozenset[str], n: int) -> list[str]:
        found = set()
        for key in _keys(slug):
            if self.text.count(key) > COMMON_KEY:
                continue
            for match in re.finditer(re.escape(key), self.text):
                at = match.start() + 1
                found.add(self.text[self.text.rfind("\n", 0, at) + 1:self.text.find("\n", at)])
        candidates = sorted(s for s in found if self.kind(s) in wanted)
        return difflib.get_close_matches(slug, candidates, n=n, cutoff=ID_CUTOFF)


def did_you_mean(names: list[str]) -> str:
    """The end of a message offering names (nothing when there are none)."""
    if not names:
        return ""
    return "; did you mean " + " or ".join(repr(name) for name in names) + "?"


def closest_names(name: str, known: Iterable[str]) -> list[str]:
    """Known names like name (a field name mistyped)."""
    return difflib.get_close_matches(name, list(known), n=1, cutoff=ID_CUTOFF)


# --- YAML traps ------------------------------------------------------------------------------------

@dataclass
class _Scan:
    """One line read as YAML reads quotes and comments: where each quoted value ends, whether a quote
    is still open at the end of the line, where a comment starts."""

    open_quote: int | None = None  # column of a quote not closed on the line
    closed: tuple[int, ...] = ()  # columns just after each closing quote
    comment: int | None = None  # column of the '#' that starts a comment


def _scan(line: str) -> _Scan:
    closed: list[int] = []
    quote, start, i = "", 0, 0
    while i < len(line):
        c = line[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if quote and c == quote:
            if quote == "'" and line[i + 1:i + 2] == "'":  # '' is a quote inside '…'
                i += 2
                continue
            quote = ""
            closed.append(i + 1)
        elif not quote and c in "\"'" and re.fullmatch(r"(.*(?:[:,?-][ \t]|[\[{]))?[ \t]*", line[:i]):
            quote, start = c, i
        elif not quote and c == "#" and (i == 0 or line[i - 1] in " \t"):
            return _Scan(None, tuple(closed), i)
        i += 1
    return _Scan(start if quote else None, tuple(closed))


def _key_before(line: str, column: int) -> str | None:
    """The last `key: ` before column on the line: the field whose value holds the trap."""
    keys = re.findall(r"([A-Za-z_][\w-]*):\s", line[:column])
    return keys[-1] if keys else None


def _quoted(words: str) -> str:
    """words as a YAML double-quoted value (a JSON string is one)."""
    return json.dumps(words, ensure_ascii=False)


def _short(words: str, limit: int = SHOWN) -> str:
    return words if len(words) <= limit else words[:limit - 1] + "…"


def _value_after(line: str, key: str) -> str:
    """The rest of line after `key: `, without the closing '}' of a flow mapping: the value as written."""
    rest = line.split(f"{key}:", 1)[1].strip()
    rest = re.split(r",\s+(?:value|evidence|inferred|note|claim):\s", rest)[0]
    return rest[:-1].rstrip() if rest.endswith("}") else rest


def yaml_advice(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(line, advice) for a YAML syntax error: the line (1-based) the trap is on, and what to do; None
    when it is none of the usual traps."""
    if exc.problem_mark is None:
        return None
    context = exc.context_mark.line if exc.context_mark is not None else None
    found = _trap(text, exc.problem or "", exc.problem_mark.line, exc.problem_mark.column, context)
    return (found[0] + 1, found[1]) if found else None


def _trap(text: str, problem: str, line: int, column: int, context_line: int | None) -> tuple[int, str] | None:
    """(line, advice) for a syntax error at (line, column) (0-based, as PyYAML's marks), whose enclosing
    construct starts on context_line."""
    lines = text.split("\n")
    here = lines[line] if line < len(lines) else ""
    if "\t" in here[:len(here) - len(here.lstrip())] or "\t" in here[column:column + 1]:
        return line, ("this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces")
    first = context_line if context_line is not None and context_line <= line else line
    for n in range(first, min(line, len(lines) - 1) + 1):
        scan = _scan(lines[n])
        if scan.open_quote is not None:
            return n, (f"the quote opened here ({_short(lines[n][scan.open_quote:], 30)!r}) is not closed on "
                       "this line: end the value with the same quote mark")
    if "found unexpected end of stream" in problem and context_line is not None:
        return context_line, "the quote opened here is never closed: end the value with the same quote mark"
    before = here[:column].rstrip()
    if before[-1:] in "\"'" and len(before) in _scan(here).closed:
        return line, ("a value that starts with a quote mark ends at the matching one, and more words follow it: "
                      "put the whole value in quotes of the other kind ('…\"…\"…' or \"…'…'…\"), or write a \" "
                      "inside double quotes as \\\"")
    if here[column:column + 1] == ":" and (key := _key_before(here, column)):
        value = _value_after(here, key)
        return line, (f"the {key} has an unquoted ': ' (YAML reads it as the start of another field); put the {key} "
                      f"in double quotes: {key}: {_short(_quoted(value), 120)}")
    if context_line is not None and context_line < len(lines):
        opening = _scan(lines[context_line])
        if opening.comment is not None and "{" in lines[context_line][:opening.comment]:
            key = _key_before(lines[context_line], opening.comment) or "value"
            return context_line, (f"' #' inside {{…}} starts a comment, so YAML does not see the rest of the line, "
                                  f"closing '}}' included; put the {key} in double quotes")
    if "mapping values are not allowed" in problem:
        return line, ("this line is indented more than the field above it, or a value holds an unquoted ': ': "
                      "align the field with its siblings, or put the value in double quotes")
    return None


def _is_piece(key: str, value: object) -> bool:
    """Whether an unknown key of a mapping looks like words of a value that YAML split off."""
    return value is None or isinstance(value, str) and (bool(re.search(r"\s|[\"'’“”]", key)) or not key[:1].islower())


def split_value(mapping: Mapping[str, object], unknown: list[str],
                line: Callable[[str], int | None]) -> tuple[str, str] | None:
    """(field, advice) when the unknown keys of a mapping are pieces of the value before them on its line
    (line: of a key's value), cut by an unquoted ', ' or ': ' inside {…} (`{value: x, evidence: Pakistan,
    NATO}` reads as a field 'NATO')."""
    keys = list(mapping)
    pieces = [k for k in unknown if _is_piece(k, mapping[k])]
    if not pieces or len(pieces) != len(unknown):
        return None
    first = keys.index(pieces[0])
    cut = next((k for k in reversed(keys[:first]) if isinstance(mapping[k], str) and k not in unknown), None)
    if cut is None or any(line(k) != line(cut) for k in pieces):  # a field of its own line is no piece
        return None
    whole = str(mapping[cut])
    for key in keys[first:]:
        if key in unknown:
            whole += f", {key}" + (f": {mapping[key]}" if mapping[key] is not None else "")
    marks = "', ' and ': '" if any(mapping[k] is not None for k in pieces) else "', '"
    named = " and ".join(repr(k) for k in pieces)
    if whole.endswith('"') and not whole.startswith('"'):  # `evidence: He said, "yes"` with the first " left out
        return cut, (f"the {cut} ends with a quote mark but does not start with one, so YAML read {named} as "
                     f"field name{'s' if len(pieces) > 1 else ''}; add the opening quote mark: "
                     f"{cut}: {_short(_quoted(whole[:-1]), 160)}")
    return cut, (f"the {cut} holds an unquoted {marks} inside {{…}}, so YAML read {named} as field "
                 f"name{'s' if len(pieces) > 1 else ''}; put the {cut} in double quotes: "
                 f"{cut}: {_short(_quoted(whole), 160)}")


def is_cut(fact: Mapping[str, object], line: Callable[[str], int | None]) -> bool:
    """Whether a fact's mapping has keys that are pieces of a value cut by YAML (see split_value)."""
    pieces = [k for k in fact if _is_piece(k, fact[k])]
    return bool(pieces) and split_value(fact, pieces, line) is not None


def _comment_after_something(text: str) -> bool:
    """Whether a line has a comment after something else (a cheap look before walking the nodes)."""
    for mark in (" #", "\t#"):
        at = text.find(mark)
        while at >= 0:
            if text[text.rfind("\n", 0, at) + 1:at].strip():
                return True
            at = text.find(mark, at + 1)
    return False


def trailing_comments(node: yaml.Node | None, text: str) -> dict[Path_, str]:
    """For each plain value followed on its line by a comment, the rest of that line (' #…')."""
    if node is None or not _comment_after_something(text):
        return {}
    lines = text.split("\n")
    found: dict[Path_, str] = {}
    seen: set[int] = set()

    def walk(item: yaml.Node, path: Path_) -> None:
        if id(item) in seen or len(path) > MAX_DEPTH:  # an alias, or too deep: refused by yamlfile already
            return
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode):
                    walk(value, (*path, key.value))
        elif isinstance(item, yaml.SequenceNode):
            for i, value in enumerate(item.value):
                walk(value, (*path, i))
        elif isinstance(item, yaml.ScalarNode) and not item.style and item.value:
            rest = lines[item.end_mark.line][item.end_mark.column:]
            if re.match(r"[ \t]+#", rest):
                found[path] = rest

    walk(node, ())
    return found


def _squash(words: str) -> str:
    return re.sub(r"[\s#]+", "", words)


def comment_trap(key: str, quote: str, rest: str, text: str) -> str | None:
    """Advice when a quote found in the article is cut short by a ' #' that YAML took for a comment: the
    article goes on, after the quote, with the words of the 'comment' (or with a '#')."""
    comment = _squash(rest)[:20]
    start = text.find(quote)
    while start >= 0:
        after = text[start + len(quote):start + len(quote) + len(rest) + 20]
        if after.lstrip().startswith("#") or (comment and _squash(after).startswith(comment)):
            whole = quote + rest.rstrip()
            return (f"the quote ends at ' #', which YAML reads as the start of a comment, so the quote is cut to "
                    f"{_short(quote)!r}; put the {key} in double quotes: {key}: {_short(_quoted(whole), 160)}")
        start = text.find(quote, start + 1)
    return None


# --- words not in the article: the closest passage ---------------------------------------------------

_WORD = re.compile(r"\S+")


def _fold(words: str) -> str:
    return re.sub(r"\s+", " ", words.translate(QUOTE_FOLD))


@lru_cache(maxsize=8)
def _folded_text(text: str) -> str:
    """An article folded as _fold does (cached: a record has many quotes)."""
    return _fold(text)


def _norm(word: str) -> str:
    """A word as the search for the closest passage compares it: case, quote marks and edge punctuation aside."""
    return word.translate(QUOTE_FOLD).strip(".,;:!?()[]\"'").lower()


@lru_cache(maxsize=8)
def _words(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """The spans of an article's words and their compared forms (cached: a record has many quotes)."""
    spans = tuple(m.span() for m in _WORD.finditer(text))
    return spans, tuple(_norm(text[a:b]) for a, b in spans)


@dataclass(frozen=True)
class Passage:
    """The passage of an article closest to some words, and their first difference."""

    start: int
    end: int
    ours: str  # the quote's first differing words ('' where the quote leaves out words of the article)
    theirs: str  # the article's words there ('' where the quote has words the article has not)
    differences: int
    at: int  # where in the article they first differ


def _windows(normed: tuple[str, ...], mine: list[str], count: int = 5) -> list[int]:
    """Where the runs of len(mine) article words holding most of mine's words start: the best few (counted
    with C-level map and accumulate: an article may have a million words)."""
    hits = [0, *itertools.accumulate(map(set(mine).__contains__, normed))]
    size = min(len(mine), len(normed))
    scores = list(map(operator.sub, hits[size:], hits))
    return heapq.nlargest(count, range(len(scores)), key=scores.__getitem__)


def _aligned(normed: tuple[str, ...], mine: list[str], best: int) -> tuple[int, int, int]:
    """(first word, end word, words in common) of the passage around a window that lines up with mine."""
    lo, hi = max(0, best - 3), min(len(normed), best + len(mine) + 3)
    blocks = [b for b in difflib.SequenceMatcher(None, normed[lo:hi], mine, autojunk=False).get_matching_blocks()
              if b.size]
    if not blocks:
        return lo, lo + 1, 0
    first = max(lo, lo + blocks[0].a - blocks[0].b)
    last = min(hi, lo + blocks[-1].a + blocks[-1].size + (len(mine) - blocks[-1].b - blocks[-1].size))
    return first, max(last, first + 1), sum(b.size for b in blocks)


def closest_passage(words: str, text: str) -> Passage | None:
    """The passage of text most like words (word by word), or None when no passage shares half its words."""
    spans, normed = _words(text)
    mine = [_norm(w) for w in words.split()]
    if not mine or not spans:
        return None
    first, last, common = max((_aligned(normed, mine, start) for start in _windows(normed, mine)),
                              key=lambda found: found[2])
    if common * 2 < len(mine):
        return None
    start, end = spans[first][0], spans[last - 1][1]
    found = list(_WORD.finditer(text, start, end))
    places, theirs = [m.start() for m in found], [m.group() for m in found]
    diffs = [op for op in difflib.SequenceMatcher(None, words.split(), theirs, autojunk=False).get_opcodes()
             if op[0] != "equal"]
    if not diffs:
        return Passage(start, end, words, text[start:end], 1, start)  # only the spaces differ
    _, i1, i2, j1, j2 = diffs[0]
    at = places[j1] if j1 < len(places) else end
    return Passage(start, end, " ".join(words.split()[i1:i2]), " ".join(theirs[j1:j2]), len(diffs), at)


def _excerpt(text: str, passage: Passage) -> str:
    """The passage as shown: whole when short, else the part around its first difference."""
    shown = re.sub(r"\s+", " ", text[passage.start:passage.end])
    if len(shown) <= SHOWN:
        return shown
    at = len(re.sub(r"\s+", " ", text[passage.start:passage.at]))
    begin = max(0, min(at - SHOWN // 3, len(shown) - SHOWN))
    end = begin + SHOWN
    if begin:  # whole words only
        begin = shown.find(" ", begin, at) + 1 or begin
    if end < len(shown) and (space := shown.rfind(" ", at + 1, end)) > 0:
        end = space
    return ("…" if begin else "") + shown[begin:end].strip() + ("…" if end < len(shown) else "")


def passage_reason(what: str, words: str, text: str) -> str:
    """Why words are not taken as the article's: not found, or found only with other quote marks or
    spaces; with the closest passage and where it differs."""
    if _fold(words) in _folded_text(text):
        reason = f"{what} {_short(words)!r} is not in the article word for word (check quote marks, apostrophes and spaces)"
    else:
        reason = f"{what} {_short(words)!r} is not in the article"
    passage = closest_passage(words, text)
    if passage is None:
        return reason + "; no passage of the article is close to it"
    line = text.count("\n", 0, passage.start) + 1
    more = f", and {passage.differences - 1} more difference{'s' if passage.differences > 2 else ''}" \
        if passage.differences > 1 else ""
    return (f"{reason}; closest (text line {line}): {_excerpt(text, passage)!r}; differs at "
            f"{passage.ours!r} / {passage.theirs!r} (quote / article){more}")


# --- dates -----------------------------------------------------------------------------------------

def _days(value: object) -> tuple[date, date] | None:
    """(first day, last day) of a date of the form YYYY, YYYY-MM or YYYY-MM-DD; None if it is none."""
    match = DATE_FORM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def _parts(fact: object) -> dict[str, Any]:
    return fact if isinstance(fact, dict) else {"value": fact}


def _date_path(path: Path_, fact: object) -> Path_:
    return (*path, "value") if isinstance(fact, dict) else path


@dataclass(frozen=True)
class _Date:
    """A date fact of a record item: as written, where, and its first and last day."""

    fact: object
    value: str
    path: Path_
    first: date
    last: date


def _dates(item: Mapping[str, Any], path: Path_, keys: tuple[str, ...]) -> dict[str, _Date]:
    """The item's date facts among keys that are dates (a value that is none is reported elsewhere)."""
    found: dict[str, _Date] = {}
    for key in keys:
        if key in item and (days := _days(value := _parts(item[key]).get("value"))):
            found[key] = _Date(item[key], str(value), _date_path((*path, key), item[key]), *days)
    return found


def _order_problems(dates: Mapping[str, _Date]) -> Iterator[Found]:
    for a, b in DATE_ORDER:
        if a in dates and b in dates and dates[a].first > dates[b].last:
            yield (dates[b].path, f"{b} {dates[b].value} is before {a} {dates[a].value}: {a} may not come after "
                                  f"{b}; one of them is wrong")


@dataclass(frozen=True)
class _Published:
    """The article's datePublished, as written and as its first and last day."""

    value: str
    first: date
    last: date


def _far(date_: _Date, published: _Published) -> bool:
    """Whether a date lies FAR_YEARS or more before the article's, with neither a note nor evidence showing its year."""
    parts = _parts(date_.fact)
    if date_.last.year > published.first.year - FAR_YEARS or parts.get("note"):
        return False
    evidence = parts.get("evidence")
    return not (isinstance(evidence, str) and str(date_.first.year) in evidence)


def _published_problems(owner: str, item: Mapping[str, Any], dates: Mapping[str, _Date],
                        published: _Published) -> Iterator[Found]:
    for key, found in dates.items():
        after = f"{key} {found.value} is after the article's datePublished ({published.value})"
        late = found.first > published.last and key in ("date", "startDate", "earliestBegin")
        if late and owner == "statement":
            yield found.path, f"{after}: the article cannot report it yet"
        elif late and _parts(item.get("status")).get("value") not in PLANNED and not _parts(found.fact).get("note"):
            yield found.path, (f"{after}: if the article reports the event as planned, give the event a `status` "
                               "(`scheduled`, …) or the date a `note`; otherwise the date is wrong")
        elif _far(found, published):
            yield found.path, (f"{key} {found.value} is {FAR_YEARS} years or more before the article's "
                               f"datePublished ({published.value}): if it is right, say so in a `note` on the date "
                               "(or quote the words that give its year)")


def _date_problems(record: Mapping[str, Any]) -> Iterator[Found]:
    article = record.get("article")
    written = _parts(article.get("datePublished")).get("value") if isinstance(article, dict) else None
    days = _days(written)
    published = _Published(str(written), *days) if days else None
    for section, owner, keys in (("events", "event", EVENT_DATES), ("statements", "statement", ("date",))):
        items = record.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            dates = _dates(item, (section, i), keys) if isinstance(item, dict) else {}
            if not dates:
                continue
            yield from _order_problems(dates)
            if published is not None:
                yield from _published_problems(owner, item, dates, published)


# --- statements ------------------------------------------------------------------------------------

def _bare(words: str) -> str:
    """Words without quote marks and with single spaces: a statement's text may leave out the quotation marks
    the article puts around a speaker's words (`are "hiding accurate figures"` -> `are hiding accurate figures`)."""
    return re.sub(r"\s+", " ", re.sub(r"[\"'“”‘’]", "", words)).strip()


@lru_cache(maxsize=8)
def _bare_text(text: str) -> str:
    return _bare(text)


def _statement_problems(record: Mapping[str, Any], text: str) -> Iterator[Found]:
    items = record.get("statements")
    for i, item in enumerate(items if isinstance(items, list) else []):
        said = item.get("text") if isinstance(item, dict) else None
        if not isinstance(said, str):
            continue
        marked = item.get("paraphrase") == "true"
        found = said in text or _bare(said) in _bare_text(text)
        if found and marked:
            yield ("statements", i, "paraphrase"), ("the statement's text is the article's own words, not a "
                                                    "paraphrase: remove `paraphrase: true`")
        elif not found and not marked:
            reason = passage_reason("statement text", said, text)
            yield ("statements", i, "text"), (f"{reason}. A statement's text is the article's words; if it "
                                              "is yours, say so with `paraphrase: true`")


def record_problems(record: Mapping[str, Any], text: str | None) -> list[Found]:
    """The checks across the fields of one article record: its dates and its statements' texts (these
    only when the article text is known)."""
    found = list(_date_problems(record))
    if text is not None:
        found += _statement_problems(record, text)
    return found


# --- files -----------------------------------------------------------------------------------------

def unrecorded_texts(folder: str, named: set[str]) -> list[str]:
    """The article texts (NAME.txt) in folder that no record names and that have no NAME.yaml beside them."""
    try:
        with os.scandir(folder) as entries:
            names = {e.name for e in entries if not e.name.startswith(".")}
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(".txt") and n not in named and n[:-4] + ".yaml" not in names)


# --- drafts ----------------------------------------------------------------------------------------

DRAFT_MARK = "#?"
_TEXT_LINE = re.compile(r"\(text line (\d+)\)")


def draft_marks(text: str) -> dict[int, str]:
    """The `#?` comments of a record that `lod-pub draft` wrote, by line: the values the editor has still to
    decide (the mark is deleted once decided). A `#?` inside a quoted value is not a mark."""
    marks: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if DRAFT_MARK not in line:
            continue
        column = _scan(line).comment
        if column is not None and line.startswith(DRAFT_MARK, column):
            marks[number] = line[column + len(DRAFT_MARK):].strip() or "to decide"
    return marks


def text_line_of_mark(words: str) -> int:
    """The line of the article a mark points at ("(text line 12)"), 0 when it names none."""
    found = _TEXT_LINE.search(words)
    return int(found.group(1)) if found else 0
