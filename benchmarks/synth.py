"""A deterministic synthetic corpus in the project's own record format, for scale tests and benchmarks.

    generate(out_dir, articles=1000, seed=1)

Shared pools of people, organisations, places and posts are reused with a Zipf-like skew (a few
appear everywhere, most rarely), as in a real newsroom's archive. Each article has one to three
events, statements and post holdings, and every evidence quote is a sentence of the generated text.
The same arguments always give the same files.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST = ("Amara Bilal Chen Dalia Emeka Farah Goran Hana Idris Jana Kofi Leila Marco Nadia Omar Priya Quentin "
         "Rania Sami Tomas Ulla Vikram Wen Ximena Yusuf Zara Anders Beatriz Carlos Dmitri Elif Femi Greta "
         "Hamid Ines Jonas Kenji Lucia Mehmet Nour Olga Pablo Rashid Sofia Tariq Uma Viktor Yara Zoltan").split()
LAST = ("Abbasi Baptiste Castillo Dimitrov Eriksen Fofana Gupta Haddad Ibrahim Jovanovic Kowalski Lindqvist "
        "Mahmoud Nakamura Okafor Petrov Qureshi Rahman Santos Tanaka Usman Varga Wagner Xu Yilmaz Zhang Amini "
        "Bauer Costa Diallo Ekström Farouk Gallo Horvat Iqbal Jensen Kamara Lopez Moreau Novak Osei Perez Rossi "
        "Schmidt Torres Ueda Volkov Weber Yousef Zubair").split()
COUNTRIES = ("Arvelia Borduna Caspira Dovrenia Estmark Falloria Gorvania Hestria Istavia Jorvik Kaldora Lumeria "
             "Moravia Norvania Ostrava Pellinor Quorva Rovania Sarkhand Tavria Ulmera Vastoria Wendmark Xandria "
             "Yorvena Zelandia").split()
ORG_KINDS = ("Ministry of Foreign Affairs", "Ministry of Defence", "Army", "Parliament", "Central Bank")
POSTS = {"Ministry of Foreign Affairs": ("Foreign Minister", "Foreign Secretary", "Ambassador at Large"),
         "Ministry of Defence": ("Defence Minister", "Chief of Staff"), "Army": ("Chief of Army Staff",),
         "Parliament": ("Speaker",), "Central Bank": ("Governor",)}
VERBS = ("stated", "underscored", "highlighted", "added", "stressed", "noted")
TOPICS = ("regional security", "trade and investment", "energy cooperation", "climate resilience",
          "humanitarian assistance", "border management", "education exchanges", "public health")
MONTHS = ("January February March April May June July August September October November December").split()


class Zipf:
    """Draw ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float = 1.1):
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cum, rng.random() * self.cum[-1])


@dataclass
class Pools:
    countries: list[dict]
    cities: list[dict]
    orgs: list[dict]
    posts: list[dict]
    people: list[dict]


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _pools(articles: int, rng: random.Random) -> Pools:
    n_countries = min(len(COUNTRIES) * 4, max(8, articles // 400))
    countries = []
    for i in range(n_countries):
        base = COUNTRIES[i % len(COUNTRIES)]
        name = base if i < len(COUNTRIES) else f"{base} {('North', 'South', 'East')[i // len(COUNTRIES) - 1]}"
        countries.append({"id": f"country-{i}", "name": name})
    cities = []
    for i in range(n_countries * 3):
        country = countries[i % n_countries]
        cities.append({"id": f"city-{i}", "name": f"{('Port', 'New', 'Upper', 'Saint')[i % 4]} {LAST[i % len(LAST)]}"
                       f"{'' if i < len(LAST) else f' {i // len(LAST)}'}", "country": country["id"],
                       "countryName": country["name"]})
    orgs = [{"id": "synthetic-news-service", "name": "Synthetic News Service", "type": "NewsMediaOrganization"}]
    posts = []
    for c in countries:
        gov = {"id": f"gov-{c['id']}", "name": f"Government of {c['name']}", "type": "GovernmentOrganization",
               "country": c["id"]}
        orgs.append(gov)
        for kind in ORG_KINDS:
            org = {"id": f"{kind.lower().replace(' ', '-')}-{c['id']}", "name": f"{kind} of {c['name']}",
                   "type": "GovernmentOrganization", "parent": gov["id"], "country": c["id"]}
            orgs.append(org)
            for title in POSTS[kind]:
                posts.append({"id": f"{title.lower().replace(' ', '-')}-{c['id']}", "name": f"{title} of {c['name']}",
                              "org": org["id"], "title": title})
    for i in range(max(10, articles // 20)):
        orgs.append({"id": f"alliance-{i}", "name": f"{TOPICS[i % len(TOPICS)].title()} Alliance {i + 1}",
                     "type": "Organization"})
    people = []
    for i in range(max(30, articles // 5)):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        if i >= len(FIRST) * len(LAST):
            name = f"{FIRST[i % len(FIRST)]} {chr(65 + (i // 2500) % 26)}. {LAST[(i // len(FIRST)) % len(LAST)]}"
        people.append({"id": f"person-{i}", "name": name, "post": posts[i % len(posts)] if i < len(posts) else None})
    rng.shuffle(people)
    return Pools(countries, cities, orgs, posts, people)


def _register(pools: Pools) -> str:
    lines = ["# Synthetic entity register (benchmarks/synth.py).", "people:"]
    for p in pools.people:
        lines += [f"  - id: {p['id']}", f"    name: {_q(p['name'])}"]
    lines.append("organizations:")
    for o in pools.orgs:
        lines += [f"  - id: {o['id']}", f"    type: {o['type']}", f"    name: {_q(o['name'])}"]
        if o.get("parent"):
            lines.append(f"    parentOrganization: {o['parent']}")
        if o.get("country"):
            lines.append(f"    location: {o['country']}")
    lines.append("places:")
    for c in pools.countries:
        lines += [f"  - id: {c['id']}", "    type: Country", f"    name: {_q(c['name'])}"]
    for c in pools.cities:
        lines += [f"  - id: {c['id']}", "    type: City", f"    name: {_q(c['name'])}",
                  f"    containedInPlace: {c['country']}"]
    lines.append("posts:")
    for p in pools.posts:
        lines += [f"  - id: {p['id']}", f"    name: {_q(p['name'])}", f"    postIn: {p['org']}"]
    return "\n".join(lines) + "\n"


class _Article:
    def __init__(self, index: int, pools: Pools, rng: random.Random, zipf: dict[str, Zipf]):
        self.i, self.pools, self.rng, self.zipf = index, pools, rng, zipf
        self.sentences: list[str] = []
        self.events: list[str] = []
        self.statements: list[str] = []
        self.relations: list[str] = []
        self.held: set[str] = set()

    def pick(self, pool: str) -> dict:
        return getattr(self.pools, pool)[self.zipf[pool].draw(self.rng)]

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def person(self) -> tuple[dict, str]:
        """A person, introduced with their post when they hold one (and the holding recorded once)."""
        p = self.pick("people")
        post = p["post"]
        if post and p["id"] not in self.held:
            self.held.add(p["id"])
            intro = f"{post['name']}, {p['name']}"
            self.relations.append(f"  - type: holds\n    person: {p['id']}\n    post: {post['id']}\n"
                                  f"    evidence: {_q(intro)}")
            return p, intro
        return p, p["name"]

    def event(self, k: int, day: date, city: dict) -> str:
        a, a_intro = self.person()
        b, b_intro = self.person()
        while b["id"] == a["id"]:
            b, b_intro = self.person()
        topic = self.rng.choice(TOPICS)
        eid = f"a{self.i}-event-{k}"
        met = self.say(f"{a_intro} met {b_intro} in {city['name']} on {day.day} {MONTHS[day.month - 1]}.")
        self.say(f"The talks between {a['name']} and {b['name']} focused on {topic}.")
        title = f"Meeting of {a['name']} with {b['name']} in {city['name']}"
        self.events.append("\n".join([
            f"  - id: {eid}", "    type: Meeting", f"    name: {_q(title)}",
            f"    description: {_q('Talks on ' + topic + '.')}",
            f"    startDate: {day.isoformat()}", f"    location: {city['id']}",
            "    attendees:", f"      - {{value: {a['id']}, evidence: {_q(met)}}}",
            f"      - {{value: {b['id']}, evidence: {_q(met)}}}",
        ]))
        if k == 0 and self.rng.random() < 0.6:
            verb = self.rng.choice(VERBS)
            words = f"{city['countryName']} remains committed to {topic}"
            said = self.say(f"{a['name']} {verb} that {words}.")
            self.statements.append("\n".join([
                f"  - id: {eid}-statement", f"    author: {a['id']}", f"    verb: {verb}", f"    text: {_q(words)}",
                f"    about: [{city['country']}]", f"    statedAt: {eid}", f"    evidence: {_q(said)}",
            ]))
        return eid

    def render(self, start: date) -> tuple[str, str]:
        day = start + timedelta(days=self.i % 3650)
        city = self.pick("cities")
        publisher = self.pools.orgs[0]
        count = self.rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
        events = [self.event(k, day - timedelta(days=1), city) for k in range(count)]
        dateline = f"{city['name']}, {day.day} {MONTHS[day.month - 1]} {day.year} (SYN):"
        body = [dateline, *self.sentences]
        text = f"Synthetic report {self.i}\n\n" + " ".join(body) + "\n"
        record = "\n".join([
            "article:", f"  id: synthetic-{self.i}", f"  text: {self.i:06d}.txt", f"  name: {_q(f'Synthetic report {self.i}')}",
            f"  publisher: {publisher['id']}", f"  datePublished: {day.isoformat()}",
            f"  dateline: {city['id']}", "  inLanguage: en",
            f"  about: [{events[0]}]", "events:", *self.events,
            *(["statements:", *self.statements] if self.statements else []),
            *(["relations:", *self.relations] if self.relations else []),
        ]) + "\n"
        return text, record


def generate(out: Path, articles: int = 1000, seed: int = 1) -> Path:
    """Write out/seeds/ (register + articles). Returns the seeds folder."""
    rng = random.Random(seed)
    pools = _pools(articles, rng)
    zipf = {name: Zipf(len(getattr(pools, name))) for name in ("people", "cities")}
    seeds = Path(out) / "seeds"
    (seeds / "articles").mkdir(parents=True, exist_ok=True)
    (seeds / "entities.yaml").write_text(_register(pools), "utf-8")
    start = date(2015, 1, 1)
    for i in range(articles):
        text, record = _Article(i, pools, random.Random(seed * 1_000_003 + i), zipf).render(start)
        (seeds / "articles" / f"{i:06d}.txt").write_text(text, "utf-8")
        (seeds / "articles" / f"{i:06d}.yaml").write_text(record, "utf-8")
    return seeds
