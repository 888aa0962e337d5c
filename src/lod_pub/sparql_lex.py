"""A SPARQL lexer that reads the query as Oxigraph's grammar does, in time linear in its length.

    lex(query) -> list[Token]      every token but whitespace and comments; raises LexError

A token is a tuple (kind, text, start, end), kind one of

    iri string var lang bnode pname word number punct

It is a lexer for checks and small rewrites, not a parser. Two places where a plain lexer and
Oxigraph (a PEG parser, no separate lexer) part ways, and how this one follows Oxigraph:

- Keywords are matched case-insensitively on their letters alone, with no word boundary: Oxigraph
  reads `SERVICESILENT<x>` and `SERVICE:x` as SERVICE followed by more. This lexer keeps the longest
  name (`SERVICESILENT`, a word; `SERVICE:x`, a prefixed name); `keyword_at` tells where a keyword
  may begin inside one (web.sparql.guard uses it).
- `<` after an operand, inside brackets, may be *less than* (Oxigraph reads it so in an expression)
  or the start of an IRI (in a collection). The lexer reads an IRI there when one matches, and
  marks the token `ambiguous` (its index is in `Lexed.ambiguous`): web.sparql.guard then refuses what
  the other reading could hide.

Work is linear: each character is read by one token, except that a name run with no `:` is read
once for all the tokens inside it (`a.a.a.…` was quadratic in a regex with a prefixed-name branch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Token", "Lexed", "LexError", "lex", "OPERAND_KINDS"]

Token = tuple[str, str, int, int]

_WS = re.compile(r"[ \t\r\n\f\v]+")
_COMMENT = re.compile(r"#[^\n\r]*")
_STRINGS = {
    '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
}
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+")
_LANG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_BNODE = re.compile(r"_:[\w\-.\u00B7]*")
_NAME_RUN = re.compile(r"[^\W\d][\w.\-\u00B7]*")      # a prefix, a word, or more (`a.b.c`)
_NAME_START = re.compile(r"[^\W\d]")
_WORD = re.compile(r"[^\W\d][\w\-]*")
_LOCAL = re.compile(r"(?:[\w\-.:%\u00B7]|\\.)*")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_TWO_CHAR = ("&&", "||", "!=", "<=", ">=", "^^")

#: Kinds (and punctuation) after which a `<` may be Oxigraph's less-than.
OPERAND_KINDS = ("var", "iri", "pname", "string", "number", "lang")
OPERAND_WORDS = ("TRUE", "FALSE")


class LexError(Exception):
    def __init__(self, position: int, message: str):
        super().__init__(message)
        self.position, self.message = position, message


@dataclass
class Lexed:
    tokens: list[Token]
    ambiguous: list[int] = field(default_factory=list)   # indexes of IRIs that may be a `<` operator


def _always(pattern: re.Pattern[str], query: str, pos: int) -> re.Match[str]:
    """The match of a pattern that matches at pos by construction (it may match nothing, or its
    first character was checked)."""
    m = pattern.match(query, pos)
    assert m is not None, f"{pattern.pattern!r} matches at {pos} by construction"
    return m


def lex(query: str) -> Lexed:
    out = Lexed([])
    frames: list[str] = []     # "{", "[", "(" (a bracket that may hold an expression) or "d" (data)
    pos, n, no_colon_until = 0, len(query), -1
    while pos < n:
        ch = query[pos]
        m = _WS.match(query, pos) or (_COMMENT.match(query, pos) if ch == "#" else None)
        if m:
            pos = m.end()
            continue
        token, no_colon_until = _token(query, pos, no_colon_until)
        if token[0] == "iri" and _maybe_operator(out.tokens, frames):
            out.ambiguous.append(len(out.tokens))
        _track(token, out.tokens, frames)
        out.tokens.append(token)
        pos = token[3]
    return out


def _token(query: str, pos: int, no_colon_until: int) -> tuple[Token, int]:
    ch = query[pos]
    if ch in "\"'":
        for opener in (ch * 3, ch):
            if query.startswith(opener, pos):
                m = _STRINGS[opener].match(query, pos)
                if m:
                    return ("string", m.group(), pos, m.end()), no_colon_until
        raise LexError(pos, f"malformed query: a string opened at character {pos + 1} is never closed")
    if ch == "<":
        m = _IRI.match(query, pos)
        if m:
            return ("iri", m.group(), pos, m.end()), no_colon_until
    elif ch in "?$":
        m = _VAR.match(query, pos)
        if m:
            return ("var", m.group(), pos, m.end()), no_colon_until
    elif ch == "@":
        m = _LANG.match(query, pos)
        if m:
            return ("lang", m.group(), pos, m.end()), no_colon_until
    elif ch == "_" and query.startswith("_:", pos):
        m = _always(_BNODE, query, pos)
        return ("bnode", m.group(), pos, m.end()), no_colon_until
    elif ch == ":":
        m = _always(_LOCAL, query, pos + 1)
        return ("pname", query[pos:m.end()], pos, m.end()), no_colon_until
    if _NAME_START.match(ch):
        return _name(query, pos, no_colon_until)
    m = _NUMBER.match(query, pos) if (ch.isdigit() or ch in "+-.") else None
    if m:
        return ("number", m.group(), pos, m.end()), no_colon_until
    two = query[pos:pos + 2]
    if two in _TWO_CHAR:
        return ("punct", two, pos, pos + 2), no_colon_until
    return ("punct", ch, pos, pos + 1), no_colon_until


def _name(query: str, pos: int, no_colon_until: int) -> tuple[Token, int]:
    """A prefixed name (`ex:a`, `a.b:c`) or a word; the run up to a `:` is read once per run."""
    if pos >= no_colon_until:
        run = _always(_NAME_RUN, query, pos)
        end = run.end()
        while end > pos and query[end - 1] == ".":   # a prefix never ends with a dot
            end -= 1
        if end < len(query) and query[end] == ":":
            local = _always(_LOCAL, query, end + 1)
            return ("pname", query[pos:local.end()], pos, local.end()), no_colon_until
        no_colon_until = run.end()
    word = _always(_WORD, query, pos)
    return ("word", word.group(), pos, word.end()), no_colon_until


def _maybe_operator(tokens: list[Token], frames: list[str]) -> bool:
    """Whether a `<` here could be Oxigraph's less-than: after an operand, inside a bracket that may
    hold an expression. (Expressions with operators are always inside brackets in SPARQL.)"""
    if not tokens or not frames or frames[-1] != "(":
        return False
    kind, text = tokens[-1][0], tokens[-1][1]
    return kind in OPERAND_KINDS or text in (")", "]") or (kind == "word" and text.upper() in OPERAND_WORDS)


_DATA_BEFORE = ("{", "}", ".", ";", "[")


def _track(token: Token, tokens: list[Token], frames: list[str]) -> None:
    kind, text = token[0], token[1]
    if kind != "punct":
        return
    if text in "{[":
        frames.append(text)
    elif text == "(":
        frames.append("d" if _opens_data(tokens, frames) else "(")
    elif text in ")}]" and frames:
        frames.pop()


def _opens_data(tokens: list[Token], frames: list[str]) -> bool:
    """A `(` that cannot hold an expression: a VALUES row or variable list, a collection after `{`."""
    if not tokens:
        return False
    kind, text = tokens[-1][0], tokens[-1][1]
    if kind == "word" and text.upper() == "VALUES":
        return True
    if kind == "punct" and text in _DATA_BEFORE:
        return True
    return kind == "punct" and text == "(" and bool(frames) and frames[-1] == "d"
