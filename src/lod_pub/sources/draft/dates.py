"""Dates in an article's words, resolved against its publication date.

    find_dates(sentence, published) -> [DateMention]

Absolute dates ("21 October 2021", "January 24, 2019", "20th October", "August 2018", "in 1992") are read
by python-dateutil's parser; a day without a year takes the article's year (the year before, when that
would put a past event after the article). Relative dates ("on Monday", "yesterday", "last week", "last
month", "earlier this month", "last year") are worked out here, against the publication date: dateutil
has no notion of an article's own date, and these few rules say exactly what they do. Each resolved
date carries the `inferred` reason the record format asks for, written out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
ABSOLUTE = re.compile(
    rf"\b(?:(?:{WEEKDAYS}),? )?(?:{_DAY} (?:of )?(?:{MONTHS})(?:,? {_YEAR})?|(?:{MONTHS}) {_DAY}(?:,? {_YEAR})?"
    rf"|(?:{MONTHS}) {_YEAR})\b")
YEAR_ONLY = re.compile(rf"\b(?:[Ii]n|[Ss]ince|of|[Uu]ntil|by|[Ff]rom) ({_YEAR})\b")
WEEKDAY = re.compile(rf"\b(?:(?:on|last|this|next|since|until|by) )?({WEEKDAYS})(?:'s|’s)?\b")
RELATIVE = re.compile(r"\b(yesterday|today|tomorrow|last week|last month|last year|earlier this month|earlier this year"
                      r"|earlier in the month|this month|next week|next month|next year)\b", re.IGNORECASE)
#: a month without a day or year: "in May", "last April", "since March"
MONTH_ONLY = re.compile(rf"\b(?:[Ii]n|[Ll]ast|[Ss]ince|[Ee]arly|[Ll]ate|[Uu]ntil|[Tt]his) ({MONTHS})\b(?! \d)")
#: "over the last four years", "in the past two months"
SPAN = re.compile(r"\b(?:over|in|during|for) the (?:last|past) (\w+) (years|months)\b", re.IGNORECASE)
#: a year inside a name or after a possessive: "NATO Brussels 2021 Summit", "the 2019 election"
NAMED_YEAR = re.compile(rf"(?<=[A-Za-z] )({_YEAR})(?= [A-Z][a-z])|(?<=\bthe )({_YEAR})(?= [a-z])")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12}
FUTURE = re.compile(r"\b(will|shall|is to|are to|scheduled|planned|next)\b")


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets in the sentence
    end: int
    words: str
    value: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD; "" when only bounds are known
    earliest: str = ""
    latest: str = ""
    inferred: str = ""  # the reason, when the value is not written out in full


def _long(day: date) -> str:
    return f"{day.strftime('%A')}, {day.day} {day.strftime('%B')} {day.year}"


def _article(published: date) -> str:
    return f"in an article of {_long(published)}"


def _absolute(match: re.Match[str], sentence: str, published: date) -> DateMention | None:
    words = match.group()
    has_year = re.search(_YEAR, words) is not None
    has_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.sub(_YEAR, "", words)) is not None
    try:
        parsed = dateparser.parse(words, default=datetime(published.year, 1, 1)).date()
    except (ValueError, OverflowError):
        return None
    if not has_day:
        return DateMention(match.start(), match.end(), words, f"{parsed.year:04d}-{parsed.month:02d}")
    if has_year:
        return DateMention(match.start(), match.end(), words, parsed.isoformat())
    future = FUTURE.search(sentence) is not None
    if parsed > published and not future:
        parsed = parsed.replace(year=parsed.year - 1)
    reason = (f"The year is not stated; it is taken from the article's date ({published.day} "
              f"{published.strftime('%B')} {published.year}).")
    if parsed.year != published.year:
        reason = (f"The year is not stated; {words} {_article(published)} that reports it as past is "
                  f"{parsed.day} {parsed.strftime('%B')} {parsed.year}.")
    return DateMention(match.start(), match.end(), words, parsed.isoformat(), inferred=reason)


def _weekday(match: re.Match[str], sentence: str, published: date) -> DateMention:
    name = match.group(1)
    wanted = list(calendar.day_name).index(name)
    word = match.group().split()[0].lower()
    if word == "next" or (word != "last" and FUTURE.search(sentence)):
        day = published + timedelta(days=(wanted - published.weekday()) % 7 or 7)
    else:
        back = (published.weekday() - wanted) % 7
        day = published - timedelta(days=back or (7 if word == "last" else 0))
    reason = f'"{name}" {_article(published)}: {_long(day)}.'
    return DateMention(match.start(), match.end(), match.group(), day.isoformat(), inferred=reason)


def _month_before(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _relative(match: re.Match[str], published: date) -> DateMention:
    words = match.group()
    key = words.lower()
    said = f'"{words}" {_article(published)}'
    at = (match.start(), match.end(), words)
    if key in ("yesterday", "today", "tomorrow"):
        day = published + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[key])
        return DateMention(*at, day.isoformat(), inferred=f"{said}: {_long(day)}.")
    if key in ("last week", "next week"):
        monday = published - timedelta(days=published.weekday()) + timedelta(days=-7 if key == "last week" else 7)
        sunday = monday + timedelta(days=6)
        return DateMention(*at, earliest=monday.isoformat(), latest=sunday.isoformat(),
                           inferred=f"{said}: the week from {_long(monday)} to {_long(sunday)}.")
    if key in ("last month", "next month"):
        first = _month_before(published) if key == "last month" else (
            published.replace(day=28) + timedelta(days=4)).replace(day=1)
        return DateMention(*at, f"{first.year:04d}-{first.month:02d}",
                           inferred=f"{said}: {first.strftime('%B')} {first.year}.")
    if "month" in key:
        return DateMention(*at, f"{published.year:04d}-{published.month:02d}",
                           inferred=f"{said}: {published.strftime('%B')} {published.year}.")
    year = published.year + (-1 if key == "last year" else 1 if key == "next year" else 0)
    return DateMention(*at, f"{year:04d}", inferred=f"{said}: {year}.")


def _month_only(match: re.Match[str], sentence: str, published: date) -> DateMention:
    """"in May", "last April": the month of that name before the article's (this year's or last year's), or
    the next one in a sentence about what will happen."""
    month = list(calendar.month_name).index(match.group(1))
    if FUTURE.search(sentence):
        year = published.year + (month < published.month)
    else:
        year = published.year - (month >= published.month if match.group().split()[0].lower() == "last"
                                 else month > published.month)
    reason = f'"{match.group()}" {_article(published)}: {match.group(1)} {year}.'
    return DateMention(match.start(1), match.end(1), match.group(), f"{year:04d}-{month:02d}", inferred=reason)


def _span(match: re.Match[str], published: date) -> DateMention | None:
    """"over the last four years": begun no earlier than four years before the article."""
    count = NUMBERS.get(match.group(1).lower()) or (int(match.group(1)) if match.group(1).isdigit() else 0)
    if not count:
        return None
    if match.group(2).lower() == "years":
        begin = f"{published.year - count:04d}"
    else:
        first = published.replace(day=1)
        for _ in range(count):
            first = _month_before(first)
        begin = f"{first.year:04d}-{first.month:02d}"
    reason = f'"{match.group()}" {_article(published)}: since {begin}.'
    return DateMention(match.start(), match.end(), match.group(), earliest=begin, latest=published.isoformat(),
                       inferred=reason)


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    """The dates a sentence gives, in order; relative ones only when the publication date is known."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    default = published or date.today()
    for m in ABSOLUTE.finditer(sentence):
        if (mention := _absolute(m, sentence, default)) is not None and (published or not mention.inferred):
            found.append(mention)
            taken.append((m.start(), m.end()))
    for m in YEAR_ONLY.finditer(sentence):
        if free(m):
            found.append(DateMention(m.start(1), m.end(1), m.group(1), m.group(1)))
            taken.append((m.start(), m.end()))
    for m in NAMED_YEAR.finditer(sentence):
        if free(m):
            found.append(DateMention(m.start(), m.end(), m.group(), m.group()))
            taken.append((m.start(), m.end()))
    if published is not None:
        for m in MONTH_ONLY.finditer(sentence):
            if free(m):
                found.append(_month_only(m, sentence, published))
                taken.append((m.start(), m.end()))
        for m in SPAN.finditer(sentence):
            if free(m) and (span := _span(m, published)) is not None:
                found.append(span)
                taken.append((m.start(), m.end()))
        for m in WEEKDAY.finditer(sentence):
            if free(m):
                found.append(_weekday(m, sentence, published))
                taken.append((m.start(), m.end()))
        for m in RELATIVE.finditer(sentence):
            if free(m):
                found.append(_relative(m, published))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def published_date(first_lines: str) -> tuple[date, str] | None:
    """The article's date from its first lines: a Wikinews date line ("Thursday, January 24, 2019") or a
    dateline ("Islamabad, 21 October 2021 (TDI):"); with the words that give it."""
    for m in ABSOLUTE.finditer(first_lines):
        if re.search(_YEAR, m.group()):
            try:
                return dateparser.parse(m.group()).date(), m.group()
            except (ValueError, OverflowError):
                continue
    return None
