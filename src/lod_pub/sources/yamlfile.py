"""YAML in, plain data out, with the line of every value kept.

Only what an editor needs: mappings, sequences and scalars. Every scalar stays a string (no YAML
guessing of dates, booleans or numbers: the schema decides); `null` or an empty value is None.
Aliases are refused (they buy an editor nothing and make alias bombs possible: the composer shares
an anchored node, so a repeated node is an alias, caught before anything is expanded), and so are
duplicate keys, which YAML would otherwise resolve silently by keeping the last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..errors import Problem
from .advice import draft_marks, trailing_comments, yaml_advice

Path_ = tuple[str | int, ...]  # a path into the data: keys and list indexes

MAX_BYTES = 5_000_000
MAX_DEPTH = 32


@dataclass
class Located:
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    #: the rest of the line after a plain value followed by a comment (advice.trailing_comments)
    comments: dict[Path_, str] = field(default_factory=dict)
    #: line -> what to decide, for each `#?` mark of a draft still left (advice.draft_marks)
    marks: dict[int, str] = field(default_factory=dict)


#: libyaml's composer when present (about 15 times faster than the pure-Python one)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _convert(node: yaml.Node, path: Path_, out: Located, problems: list[Problem], file: str, depth: int,
             seen: set[int]) -> object:
    """The data of a node: a dict (str keys), a list, a string or None."""
    out.lines[path] = node.start_mark.line + 1
    if id(node) in seen:  # the composer shares the node of an anchor with each of its aliases
        problems.append(Problem(file, node.start_mark.line + 1, dotted(path), "aliases (*name) are not allowed"))
        return None
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(Problem(file, node.start_mark.line + 1, dotted(path), f"nested deeper than {MAX_DEPTH} levels"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(Problem(file, key_node.start_mark.line + 1, dotted(path), "keys must be plain names"))
                continue
            if key in result:
                problems.append(Problem(file, key_node.start_mark.line + 1, dotted((*path, key)), "duplicate key"))
                continue
            result[key] = _convert(value_node, (*path, key), out, problems, file, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, (*path, i), out, problems, file, depth + 1, seen) for i, v in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return node.value


def dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(raw: bytes, file: str) -> tuple[Located, list[Problem]]:
    """Parse YAML bytes; problems are returned, not raised, so a caller can gather them all."""
    if len(raw) > MAX_BYTES:
        return Located(None), [Problem(file, None, "", f"file larger than {MAX_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Located(None), [Problem(file, line, "", f"not valid UTF-8 (byte {exc.start})")]
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = f"YAML syntax: {exc.problem or exc.context}"
        if (trap := yaml_advice(text, exc)) is not None:  # a usual trap: say it plainly, with the fix
            return Located(None), [Problem(file, trap[0], "", f"YAML syntax: {trap[1]} ({exc.problem})")]
        return Located(None), [Problem(file, mark.line + 1 if mark else None, "", reason)]
    except yaml.YAMLError as exc:
        return Located(None), [Problem(file, None, "", f"YAML: {exc}")]
    out = Located(None)
    problems: list[Problem] = []
    if node is not None:
        out.data = _convert(node, (), out, problems, file, 0, set())
        out.comments = trailing_comments(node, text)
        out.marks = draft_marks(text) if "#?" in text else {}
    return out, problems
