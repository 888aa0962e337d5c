"""Checks of record values that a JSON Schema pattern cannot express: identifiers and URLs.

    id_problem(slug) -> str | None      why an id (already of the schema's form) is refused, or None
    url_problem(url) -> str | None      why a URL (one the schema let through) is refused, or None

An id may be written in any script, but in one only, and in its NFKC form: a look-alike of another
id (a Cyrillic 'о' in a Latin name, full-width or ligature letters) is refused. A letter's script is
the first word of its Unicode name (LATIN, CYRILLIC, GREEK, ARABIC, ...); digits 0-9 and '-', '_',
'.' go with any script; Han ideographs may go with kana (Japanese), Hangul (Korean) or Bopomofo.

A URL is an absolute http:// or https:// URL with a host (no user name), and a valid IRI.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from ..errors import IriError
from ..iris import check_iri

#: scripts that one language writes together (the Han ideographs with kana, Hangul or Bopomofo)
TOGETHER = ({"CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA"}, {"CJK", "IDEOGRAPHIC", "HANGUL"},
            {"CJK", "IDEOGRAPHIC", "BOPOMOFO"})
#: a first word of a name that is not its script's
ALIASES = {"EXTENDED": "ARABIC"}  # EXTENDED ARABIC-INDIC DIGIT ...
#: a URL: http(s), a host (a DNS name in ASCII, or an IP address), an optional port, then the rest
URL_FORM = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
                      r"(?:[/?#][^\s<>\"{}|\\^`]*)?")


def script_of(char: str) -> str | None:
    """The script of a letter or digit, None for what goes with any script (0-9 and '-', '_', '.')."""
    if char.isascii():
        return "LATIN" if char.isalpha() else None
    name = unicodedata.name(char, "")
    word = re.split(r"[ -]", name, maxsplit=1)[0] if name else f"U+{ord(char):04X}"
    return ALIASES.get(word, word)


def id_problem(slug: str) -> str | None:
    if slug.isascii():
        return None
    normal = unicodedata.normalize("NFKC", slug)
    if normal != slug:
        return (f"{slug!r} has characters in a compatibility form (full-width or styled letters, ligatures, "
                f"superscripts); its NFKC form is {normal!r}")
    scripts = {s for s in map(script_of, slug) if s}
    if len(scripts) > 1 and not any(scripts <= together for together in TOGETHER):
        return (f"{slug!r} mixes letters of several scripts ({', '.join(sorted(scripts))}): an id's letters "
                "are of one script, so that no id looks like another")
    return None


def url_problem(url: str) -> str | None:
    if not URL_FORM.fullmatch(url):
        return f"{url!r} is not an absolute http:// or https:// URL with a host"
    try:
        check_iri(url)
        urlsplit(url).port  # noqa: B018 - raises on a port out of range
    except (IriError, ValueError):
        return f"{url!r} is not a valid URL"
    return None
