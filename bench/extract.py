"""Our extractor's throughput next to bare spaCy's, on the same texts, in one run.

    python bench/extract.py [--copies N]

Bare spaCy is `spacy.load(model)` + `nlp.pipe`; ours is the full extraction stage
(pipeline with gazetteer and rules, mentions, resolution with dates). Prints
tokens/s for both and the ratio (target ≥ 0.8).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy

from kg.documents import Document, load_documents
from kg.extract import extract, make_nlp
from kg.extract.gazetteer import load_gazetteer
from kg.facts import resolve_facts
from kg.resolve import resolve
from kg.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def corpus(copies: int) -> list[Document]:
    seeds = [d for d in load_documents([SEEDS]) if isinstance(d, Document)]
    return [Document(name=f"{i}-{d.name}", text=d.text, content_hash=d.content_hash, published=d.published)
            for i in range(copies) for d in seeds]


def bare(nlp, documents: list[Document]) -> int:
    return sum(len(doc) for doc in nlp.pipe(d.text for d in documents))


def ours(settings: Settings, documents: list[Document]) -> int:
    gazetteer = load_gazetteer(settings.gazetteer)
    for extraction in extract(documents, model=settings.model, gazetteer=settings.gazetteer):
        resolve_facts(extraction, resolve(extraction, gazetteer))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the seeds to process (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timed rounds (default 3)")
    args = parser.parse_args()
    settings = Settings()
    documents = corpus(args.copies)
    nlp = spacy.load(settings.model)
    make_nlp(settings.model, settings.gazetteer)  # load both pipelines before timing
    tokens = bare(nlp, documents[:5])
    tokens = bare(nlp, documents)
    bare_times, our_times = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        bare(nlp, documents)
        bare_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours(settings, documents)
        our_times.append(time.perf_counter() - start)
    bare_rate = tokens / statistics.median(bare_times)
    our_rate = tokens / statistics.median(our_times)
    print(f"documents {len(documents)}, tokens {tokens}, rounds {args.rounds} (median)")
    print(f"bare spaCy     {bare_rate:10.0f} tokens/s")
    print(f"newskg extract {our_rate:10.0f} tokens/s")
    print(f"ratio          {our_rate / bare_rate:10.2f}   (target >= 0.80)")


if __name__ == "__main__":
    main()
