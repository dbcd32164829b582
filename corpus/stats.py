"""``make corpus-stats``: one JSON object with the size of every split and the agreement between annotators.

``splits.<split>``: articles; entities (mentions); quotes (with a named speaker) and quotes_all; actor_pairs
(labelled ordered pairs, neutral ones included: see ``corpus.pairs``) and actor_pairs_nonneutral; issue_units and
issue_units_per_topic (all 13 topics, zeros shown). ``agreement``: ``corpus.agreement`` over the doubly annotated
test articles.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from corpus.agreement import agreement
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import issue_topics
from corpus.pairs import NEUTRAL, actor_pairs
from corpus.store import CORPUS_DIR, SECOND_ANNOTATION, SPLITS, Article, all_ids, load_split


def split_stats(articles: list[Article], topics: tuple[str, ...]) -> dict:
    pairs = [label for article in articles for label in actor_pairs(article).values()]
    per_topic = Counter(unit["topic"] for a in articles for unit in a.record["issue_positions"])
    quotes = [quote for article in articles for quote in article.record["quotes"]]
    return {
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "entities": sum(len(a.record["entities"]) for a in articles),
        "actors": sum(len(a.record["actors"]) for a in articles),
        "actor_mentions": sum(len(actor["mentions"]) for a in articles for actor in a.record["actors"]),
        "quotes": sum(quote["speaker"] is not None for quote in quotes),
        "quotes_all": len(quotes),
        "actor_pairs": len(pairs),
        "actor_pairs_nonneutral": sum(label != NEUTRAL for label in pairs),
        "issue_units": sum(per_topic.values()),
        "issue_units_per_topic": {topic: per_topic[topic] for topic in topics},
        "annotators": len({a.record["annotator"] for a in articles}),
        "pre_annotated": sum(a.record["pre_annotated"] for a in articles),
    }


def corpus_stats(folder: Path, shared: Path) -> dict:
    texts = load_texts(all_ids(folder), news2019_path(shared))
    topics = issue_topics(topics_path(shared))
    splits = {name: load_split(name, texts, folder) for name in SPLITS}
    first = {article.id: article for article in splits["test"]}
    doubled = [(first[a.id], a) for a in load_split(SECOND_ANNOTATION, texts, folder) if a.id in first]
    return {
        "corpus": folder.name,
        "splits": {name: split_stats(articles, topics) for name, articles in splits.items()},
        "agreement": agreement(doubled),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args()
    print(json.dumps(corpus_stats(args.corpus, args.shared), indent=1))


if __name__ == "__main__":
    main()
