"""Actor-stance examples from the annotated corpus (``training.actor_stance_corpus``) on the guide's worked example:
the service's own evidence between gold actors, labelled from the annotation."""

from __future__ import annotations

import numpy as np

from corpus.store import Article
from service.relations import NEUTRAL
from tests.unit.test_corpus import TEXT, _record
from training.actor_stance_corpus import (
    SplitData,
    corpus_examples,
    gold_document,
    pair_metrics,
    pooled_pairs,
    verdicts_at,
)


def test_gold_actors_keep_their_mentions_with_sentence_indices_and_quotes_their_speaker():
    sentences, actors, quotes = gold_document(Article(_record(), TEXT))
    rutte = actors[0]
    assert [m.text for m in rutte.mentions] == ["Mark Rutte", "de VVD-leider", "Rutte"]
    assert [m.sentence for m in rutte.mentions] == [0, 1, 2]
    assert [m.kind for m in rutte.mentions] == ["name", "nominal", "name"]
    assert [(q.speaker, q.speaker_text.text) for q in quotes] == [("1", "de VVD-leider"), ("3", "Hij")]
    assert len(sentences) == 4


def labelled(article: Article) -> dict[tuple[int, int, int, str], str | None]:
    return {
        (e.evidence.source + 1, e.evidence.target + 1, e.evidence.sentence_index, e.evidence.kind): e.label
        for e in corpus_examples(article)
    }


def test_evidence_is_labelled_with_the_stance_only_in_its_annotated_sentences():
    assert labelled(Article(_record(), TEXT)) == {
        (1, 2, 0, "sentence"): NEUTRAL,
        (2, 1, 0, "sentence"): NEUTRAL,
        (1, 3, 1, "quote"): NEUTRAL,  # the VVD-leader speaks about Wilders, no stance annotated
        (3, 1, 1, "sentence"): None,  # Wilders' stance toward Rutte is annotated in the next sentence
        (3, 1, 2, "sentence"): "negative",
        (1, 3, 2, "sentence"): NEUTRAL,
    }


def test_pooled_pairs_are_scored_as_the_corpus_bench_counts_them():
    article = Article(_record(), TEXT)
    examples = corpus_examples(article)
    data = SplitData(
        examples, {article.id: gold_document(article)[1]}, {("a1", 3, 1): "negative", ("a1", 1, 2): NEUTRAL}
    )
    sided = [0.1 if e.label != "negative" else 0.9 for e in examples]
    scores = np.array([[0.05, side, 0.95 - side] for side in sided])
    pooled = pooled_pairs(data, verdicts_at(scores, {"positive": 0.5, "negative": 0.5}))
    assert pooled[("a1", 3, 1)] == "negative"
    assert pair_metrics(pooled, data.gold) == {
        "returned": 1, "right": 1, "gold": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0, "opposite": 0,
    }  # fmt: skip
    strict = pooled_pairs(data, verdicts_at(scores, {"positive": 0.5, "negative": 0.95}))
    assert pair_metrics(strict, data.gold)["returned"] == 0
