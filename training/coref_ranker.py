"""Train the reference ranker (``service.coref_ranker``) on the annotated corpus and choose its thresholds on dev.

Every article of a split becomes the walk's input as the annotators saw it: its actors with their name
mentions (the annotated mentions that are entities), its sentences as the service splits them. The
annotators' other mentions (pronouns, descriptions) are the links to learn: the walk runs with the gold
chooser, which records every candidate pair's features with its label (the annotated actor or not) and links
the reference as the annotators did, so later references see the article as it really unfolds.

The heads a description may end in are the heads of the train split's annotated descriptions that occur at
least ``--min-head-count`` times. The regularisation (C) and the two thresholds (pronouns, descriptions) are
chosen on dev by the F1 of the links (a reference linked to the annotated actor, with the annotated offsets), each
threshold among those at least as precise as a floor (``precision_floors``); ``training.coref_thresholds`` can
choose them through the whole service instead, where what a link costs the quotes shows. The hand-written resolver
(``service.coref``) is scored on the same input beside it (without the possessives it also resolves, which the
guideline does not mark). Whether first names give a gender was decided by cross-validation on train
(``--cross-validate``), the test split is read with ``--score-test`` once per shipped ranker.

    python -m training.coref_ranker --cross-validate --score-test --out models/coref-nl-compact
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path
from corpus.store import CORPUS_DIR, TRAIN_ARTICLES_HELP, Article, load_split, read_records, split_path
from service import lexicon
from service.actors import Resolver
from service.coref import resolve_references
from service.coref_ranker import (
    GENDERED,
    OPENERS,
    PRONOUNS,
    Candidate,
    CorefRanker,
    Reference,
    first_name,
    walk,
)
from service.quote_marks import direct_quotes, quoted_spans
from service.results import Mention
from service.text import Sentence, split_sentences

log = logging.getLogger("training.coref_ranker")
C_VALUES = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))
KINDS = ("pronoun", "nominal")
# Folds of the train split for the first names each article's walk reads (see ``examples``).
FOLDS = 5
# The precision the README promises for quotes with a named speaker (QUOTE_MIN_CONFIDENCE was chosen for it).
QUOTE_SPEAKER_PRECISION = 0.90
# Fixed thresholds for the cross-validated comparison, where dev F1 peaked before any precision floor.
CV_THRESHOLDS = {"pronoun": 0.25, "nominal": 0.15}


@dataclass
class GoldActor:
    type: str
    mentions: list[Mention]


@dataclass
class GoldArticle:
    text: str
    sentences: list[Sentence]
    actors: list[GoldActor]
    references: dict[tuple[int, int], int]  # (start, end) of an annotated pronoun or description -> actor index
    quoted: list[tuple[int, int]]  # content spans of the direct quotes


def gold_article(article: Article) -> GoldArticle:
    text = article.text
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    names = {(start, end) for start, end, _ in article.record["entities"]}
    actors, references = [], {}
    for index, actor in enumerate(article.record["actors"]):
        mentions = []
        for start, end in actor["mentions"]:
            if (start, end) in names:
                sentence = max(0, bisect_right(starts, start) - 1)
                mentions.append(Mention(text[start:end], start, end, sentence, 1.0))
            else:
                references[(start, end)] = index
        actors.append(GoldActor(actor["type"], mentions))
    return GoldArticle(text, sentences, actors, references, quoted_spans(direct_quotes(text)))


def resolved(resolve: Resolver, article: GoldArticle) -> list[tuple[int, Mention]]:
    """The links ``resolve`` (the ranker's or the rules') makes in ``article``."""
    return resolve(article.actors, article.text, article.sentences, article.quoted)


def load_gold(split: str, corpus: Path, shared: Path, train_articles: int | None = None) -> list[GoldArticle]:
    """The split's articles as the walk reads them; of train only the first ``train_articles`` (``load_split``)."""
    ids = [record["id"] for _, record in read_records(split_path(split, corpus))]
    texts = load_texts(ids, news2019_path(shared))
    return [gold_article(a) for a in load_split(split, texts, corpus, train_articles)]


def mine_heads(articles: list[GoldArticle], openers: frozenset[str], min_count: int) -> frozenset[str]:
    """The last words of annotated descriptions (an opener, then words) seen at least ``min_count`` times."""
    counts = Counter()
    for article in articles:
        for start, end in article.references:
            words = article.text[start:end].split()
            if len(words) >= 2 and words[0].lower() in openers and words[-1][:1].islower():
                counts[words[-1].lower()] += 1
    return frozenset(word for word, count in counts.items() if count >= min_count)


def mine_first_names(articles: list[GoldArticle], min_count: int | None) -> dict[str, str]:
    """First names of annotated persons with the gender of the pronouns annotated for them, where at least
    ``min_count`` pronouns all agree (None: no first names)."""
    if min_count is None:
        return {}
    seen: dict[str, Counter] = {}
    for article in articles:
        for index, actor in enumerate(article.actors):
            first = first_name(actor) if actor.type == "PER" else ""
            for (start, end), owner in article.references.items():
                word = article.text[start:end].lower()
                if first and owner == index and word in GENDERED:
                    seen.setdefault(first, Counter())[GENDERED[word]] += 1
    return {
        name: genders.most_common(1)[0][0]
        for name, genders in seen.items()
        if len(genders) == 1 and genders.total() >= min_count
    }


def examples(
    articles: list[GoldArticle], heads: frozenset[str], min_name_count: int | None, folds: int = FOLDS
) -> tuple[list[list[str]], list[int]]:
    """Every candidate pair's features and label, from the walk with the annotators' links.

    The first names an article's walk reads are mined from the other folds, never from the article itself, so
    that a gender learnt from an article's own pronouns does not look surer than it will be on new articles."""
    features, labels = [], []
    parts = [articles[fold::folds] for fold in range(folds)]
    names_without = [
        mine_first_names([a for k, part in enumerate(parts) if k != fold for a in part], min_name_count)
        for fold in range(folds)
    ]
    for position, article in enumerate(articles):
        first_names = names_without[position % folds]

        def gold(reference: Reference, candidates: list[Candidate], article=article) -> tuple[int, float] | None:
            actor = article.references.get((reference.start, reference.end))
            for index, pair in candidates:
                features.append(pair)
                labels.append(int(index == actor))
            return (actor, 1.0) if actor is not None and any(i == actor for i, _ in candidates) else None

        vocabulary = CorefRanker({}, 0.0, {}, heads, first_names)
        rules = resolve_references(article.actors, article.text, article.sentences, article.quoted)
        for _ in walk(article.actors, article.text, article.sentences, article.quoted, rules, vocabulary, gold):
            pass
    return features, labels


def score_links(
    articles: list[GoldArticle], resolve: Callable[[GoldArticle], list[tuple[int, Mention]]]
) -> dict[str, dict]:
    """Precision, recall and F1 of the links ``resolve(article)`` returns, per kind of reference and overall."""
    counts = {kind: Counter() for kind in (*KINDS, "all")}
    for article in articles:
        found = {(m.start, m.end): (actor, m.kind) for actor, m in resolve(article) if _annotated_kind(m)}
        for kind in (*KINDS, "all"):
            mine = {span: actor for span, (actor, k) in found.items() if kind in ("all", k)}
            counts[kind]["right"] += sum(article.references.get(span) == actor for span, actor in mine.items())
            counts[kind]["returned"] += len(mine)
        for span in article.references:
            words = article.text[span[0] : span[1]].split()
            kind = "pronoun" if len(words) == 1 else "nominal"
            counts[kind]["gold"] += 1
            counts["all"]["gold"] += 1
    return {kind: _prf(c) for kind, c in counts.items()}


def _precision(row: tuple[dict, float]) -> tuple[float, float]:
    return row[0]["precision"], row[1]


def _annotated_kind(mention: Mention) -> bool:
    """Whether the guideline has annotators mark such a reference: descriptions and the pronouns of
    ``PRONOUNS``, not possessives ("zijn", "diens"), which the rules also resolve."""
    return mention.kind != "pronoun" or mention.text.lower() in PRONOUNS


def _prf(c: Counter) -> dict:
    p = c["right"] / c["returned"] if c["returned"] else 0.0
    r = c["right"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), **c}


def fit(features: list[list[str]], labels: list[int], c_value: float) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f in features])
    model = LogisticRegression(C=c_value, max_iter=2000)
    model.fit(x, labels)
    weights = {name: float(w) for name, w in zip(vectorizer.feature_names_, model.coef_[0], strict=True) if w}
    return weights, float(model.intercept_[0])


def precision_floors(rules: dict[str, dict]) -> dict[str, float]:
    """The dev precision each kind of link must keep: a pronoun is the commonest speaker of a quote after a
    name ("zei hij"), so its links keep the precision the README promises for quotes with a named speaker
    (``QUOTE_SPEAKER_PRECISION``); a description speaks rarely and keeps at least the rules' precision. Neither
    falls below the rules'."""
    return {
        "pronoun": max(QUOTE_SPEAKER_PRECISION, rules["pronoun"]["precision"]),
        "nominal": rules["nominal"]["precision"],
    }


def choose_thresholds(
    ranker: CorefRanker, dev: list[GoldArticle], floors: dict[str, float]
) -> tuple[dict[str, float], dict]:
    """Per kind, the threshold with the best dev F1 of links among those at least as precise as ``floors`` (a
    wrong link puts words in the wrong mouth: see ``precision_floors``); the most precise one where none is.
    The other kind's threshold is held above 1 meanwhile, so that it links nothing and the choices do not mix."""
    chosen, table = {}, {}
    for kind in KINDS:
        rows = []
        for threshold in THRESHOLDS:
            ranker.thresholds = {k: (threshold if k == kind else 1.01) for k in KINDS}
            rows.append((score_links(dev, partial(resolved, ranker.resolve))[kind], threshold))
        precise = [row for row in rows if row[0]["precision"] >= floors[kind]]
        best = max(precise, key=lambda row: (row[0]["f1"], -row[1])) if precise else max(rows, key=_precision)
        chosen[kind] = best[1]
        table[kind] = [{"threshold": t, **{k: s[k] for k in ("precision", "recall", "f1")}} for s, t in rows]
    ranker.thresholds = chosen
    return chosen, table


def cross_validate(train: list[GoldArticle], min_name_count: int, folds: int = FOLDS) -> dict:
    """Links F1 with and without first names, by ``folds``-fold cross-validation on the train split at fixed
    settings (C 1, the thresholds of ``CV_THRESHOLDS``): the dev split is too small to tell them apart (one
    article's chain of a dozen pronouns moves its F1 by 0.03 either way)."""
    report = {}
    for variant, count in (("first_names", min_name_count), ("no_first_names", None)):
        totals = Counter()
        for fold in range(folds):
            rest = [a for i, a in enumerate(train) if i % folds != fold]
            heads = mine_heads(rest, OPENERS, 1)
            weights, bias = fit(*examples(rest, heads, count), 1.0)
            names = mine_first_names(rest, count) if count else {}
            ranker = CorefRanker(weights, bias, dict(CV_THRESHOLDS), heads, names)
            scores = score_links(train[fold::folds], partial(resolved, ranker.resolve))
            totals.update({key: scores["all"][key] for key in ("right", "returned", "gold")})
        report[variant] = _prf(totals)
    return report


def score_test(ranker: CorefRanker, corpus: Path, shared: Path) -> dict:
    """The chosen ranker and the rules on the test split: read once per shipped ranker, after the choices."""
    test = load_gold("test", corpus, shared)
    return {
        "articles": len(test),
        "ranker": score_links(test, partial(resolved, ranker.resolve)),
        "rules": score_links(test, partial(resolved, resolve_references)),
    }


def main(argv: list[str] | None = None) -> dict:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--min-head-count", type=int, default=1)
    parser.add_argument("--min-name-count", type=int, default=2)
    parser.add_argument("--no-first-names", action="store_true", help="no gender from first names")
    parser.add_argument("--score-test", action="store_true", help="also score the chosen ranker and the rules on test")
    parser.add_argument("--cross-validate", action="store_true", help="also compare first names by CV on train")
    parser.add_argument("--lexicon-heads", action="store_true", help="also the roles and group nouns of the lexicon")
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    started = time.monotonic()
    train = load_gold("train", args.corpus, args.shared, args.train_articles)
    dev = load_gold("dev", args.corpus, args.shared)
    heads = mine_heads(train, OPENERS, args.min_head_count)
    if args.lexicon_heads:
        heads |= lexicon.words("roles") | lexicon.words("group_nouns")
    name_count = None if args.no_first_names else args.min_name_count
    first_names = mine_first_names(train, name_count)
    features, labels = examples(train, heads, name_count)
    log.info("%d heads, %d pairs (%d linked) from %d train articles", len(heads), len(labels), sum(labels), len(train))
    rules = score_links(dev, partial(resolved, resolve_references))
    runs = []
    for c_value in C_VALUES:
        weights, bias = fit(features, labels, c_value)
        ranker = CorefRanker(weights, bias, {}, heads, first_names)
        thresholds, table = choose_thresholds(ranker, dev, precision_floors(rules))
        dev_scores = score_links(dev, partial(resolved, ranker.resolve))
        log.info("C=%s thresholds %s dev %s", c_value, thresholds, json.dumps(dev_scores["all"]))
        runs.append({"C": c_value, "thresholds": thresholds, "dev": dev_scores, "sweep": table, "ranker": ranker})
    best = max(runs, key=lambda run: run["dev"]["all"]["f1"])
    report = {
        "train_articles": len(train),
        "dev_articles": len(dev),
        "heads": len(heads),
        "first_names": len(first_names),
        "pairs": len(labels),
        "linked_pairs": sum(labels),
        "chosen": {"C": best["C"], "thresholds": best["thresholds"]},
        "dev_rules": rules,
        "dev_ranker": best["dev"],
        "runs": [{k: v for k, v in run.items() if k != "ranker"} for run in runs],
        "test": score_test(best["ranker"], args.corpus, args.shared) if args.score_test else None,
        "cross_validation": cross_validate(train, args.min_name_count) if args.cross_validate else None,
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    best["ranker"].save(args.out / "ranker.json", {"version": "1.0.1", "C": best["C"]})
    (args.out / "training_report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("chosen", "dev_rules", "dev_ranker")}, indent=1))
    return report


if __name__ == "__main__":
    main()
