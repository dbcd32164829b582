"""The actor-stance model's pair heads: the flags they read, batching that does not change a score, the token
vectors the NER pass keeps for them, and the shipped model reading the NER model's vectors or its own stack
alike. Sentences here are written for these tests."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from service.models.actor_stance import load_actor_stance_model
from service.models.ner import embed_tokens, same_stack
from service.models.pair_head import FLAGS, PairHead, head_scores, padded, pair_tokens, quantized_head
from service.text import split_sentences, tokenize
from tests.helpers import SHIPPED_ACTOR_STANCE


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def flagged(text: str, source: str | None, target: str, quote: bool = False) -> dict[str, list[str]]:
    """The words of ``text`` under each flag."""
    tokens = tokenize(text)
    source_span = span_of(text, source) if source else None
    item = pair_tokens(torch.zeros(len(tokens), 3), [(t.start, t.end) for t in tokens], source_span,
                       span_of(text, target), quote)  # fmt: skip
    return {flag: [t.text for t, row in zip(tokens, item.flags) if row[i]] for i, flag in enumerate(FLAGS)}


def test_the_flags_mark_source_target_the_words_between_and_the_kind():
    text = "Volgens Rutte heeft Wilders ongelijk."
    assert flagged(text, "Rutte", "Wilders") == {
        "source": ["Rutte"],
        "target": ["Wilders"],
        "between": ["heeft"],
        "quote": [],
    }
    assert flagged(text, "Wilders", "Rutte")["between"] == ["heeft"]


def test_without_the_speaker_in_the_sentence_the_words_before_the_target_are_between():
    text = "Over Wilders zeg ik niets."
    assert flagged(text, None, "Wilders", quote=True) == {
        "source": [],
        "target": ["Wilders"],
        "between": ["Over"],
        "quote": ["Over", "Wilders", "zeg", "ik", "niets", "."],
    }


def test_a_score_does_not_depend_on_what_else_is_in_the_batch():
    torch.manual_seed(0)
    heads = [PairHead(6).eval(), PairHead(6).eval()]
    items = [
        pair_tokens(torch.randn(length, 6), [(i, i + 1) for i in range(length)], (0, 1), (length - 1, length), False)
        for length in (3, 9, 5)
    ]
    together = head_scores(heads, items)
    alone = [head_scores(heads, [item])[0] for item in items]
    assert together == pytest.approx(np.array(alone), abs=1e-6)
    assert together.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])


def test_the_pairs_of_one_sentence_share_its_projection_without_changing_a_score():
    torch.manual_seed(1)
    heads = [quantized_head(PairHead(6).eval()), PairHead(6).eval()]
    sentence = torch.randn(7, 6)
    spans = [((0, 1), (5, 6)), ((5, 6), (0, 1)), ((2, 3), (4, 5))]
    shared = [pair_tokens(sentence, [(i, i + 1) for i in range(7)], s, t, False) for s, t in spans]
    copied = [pair_tokens(sentence.clone(), [(i, i + 1) for i in range(7)], s, t, False) for s, t in spans]
    together = head_scores(heads, shared)
    assert together == pytest.approx(head_scores(heads, copied), abs=1e-6)
    assert together[0] != pytest.approx(together[1], abs=1e-3)  # the flags still tell the pairs apart
    with torch.inference_mode():
        whole = torch.softmax(heads[1](*padded(shared[:1])), -1)[0].numpy()
    assert head_scores(heads[1:], shared[:1])[0] == pytest.approx(whole, abs=1e-6)


def test_the_ner_pass_keeps_one_vector_per_token_as_the_stack_computes_them(shipped_ner):
    text = "Rutte prijst Kaag. Wilders haalt hard uit naar Rutte om zijn beleid."
    sentences = split_sentences(text)
    layers = shipped_ner.tag_layers([(text, sentences)], [], keep_vectors=True)
    vectors = [kept.tensor() for kept in layers.vectors[0]]
    assert [len(v) for v in vectors] == [len(s.tokens) for s in sentences]
    alone = embed_tokens(shipped_ner.embeddings, [[t.text for t in s.tokens] for s in sentences])
    for kept, embedded in zip(vectors, alone, strict=True):
        # int8 activations are scaled per call, so two calls differ in the last bits only.
        assert torch.allclose(kept, embedded, atol=0.05)
    assert shipped_ner.tag_layers([(text, sentences)], []).vectors == [[]]


def test_the_shipped_heads_read_the_ner_models_vectors_or_their_own_stack_alike(shipped_ner):
    shared = load_actor_stance_model(SHIPPED_ACTOR_STANCE, shipped_ner.embeddings, ("lm", "char"))
    own = load_actor_stance_model(SHIPPED_ACTOR_STANCE, None, ("lm", "char"))
    assert shared.embeddings is shipped_ner.embeddings
    assert own.embeddings is not shipped_ner.embeddings and same_stack(own.embeddings, shipped_ner.embeddings)
    text = "Klaver bekritiseert Rutte scherp om zijn coronabeleid."
    pairs = [(text, span_of(text, "Klaver"), span_of(text, "Rutte"))]
    [with_shared], [with_own] = shared.predict(pairs), own.predict(pairs)
    assert with_shared.position == with_own.position
    assert with_shared.scores == pytest.approx(with_own.scores, abs=0.02)


def test_the_shipped_heads_move_the_scores_of_the_scorer(shipped_ner):
    model = load_actor_stance_model(SHIPPED_ACTOR_STANCE, shipped_ner.embeddings)
    assert model.reads_vectors and 0 < model.head_weight < 1
    text = "Wilders haalt hard uit naar Rutte om zijn beleid."
    pair = (text, span_of(text, "Wilders"), span_of(text, "Rutte"))
    [verdict] = model.predict([pair])
    [scorer_only] = model.scorer.scores(["[S] Wilders [/S] haalt hard uit naar [T] Rutte [/T] om zijn beleid."])
    assert [verdict.scores[p] for p in ("positive", "negative", "neutral")] != pytest.approx(list(scorer_only))
    assert verdict.scores["negative"] > verdict.scores["positive"]


def test_the_pipeline_gives_the_same_actor_stances_from_the_ner_vectors_as_from_its_own_pass(
    shipped_ner, stance_model, language_identifier
):
    from service.documents import Document
    from service.pipeline import Pipeline

    text = (
        "Geert Wilders haalt hard uit naar Mark Rutte. Volgens Wilders heeft Rutte Nederland in de steek gelaten. "
        "Jesse Klaver prijst Sigrid Kaag om haar leiderschap."
    )
    results = []
    for embeddings in (shipped_ner.embeddings, None):
        model = load_actor_stance_model(SHIPPED_ACTOR_STANCE, embeddings, ("lm", "char"))
        pipeline = Pipeline(shipped_ner, stance_model, model, language_identifier)
        [result] = pipeline.analyze([Document(text)])
        results.append(
            {(a.name, s.target_name): s.position for a in result.actors for s in a.stances if s.target is not None}
        )
    shared, own = results
    assert shared == own
    assert shared[("Geert Wilders", "Mark Rutte")] == "negative"


def test_with_the_ner_models_stack_the_heads_never_embed_a_sentence_again(
    shipped_ner, stance_model, language_identifier, monkeypatch
):
    from service.documents import Document
    from service.pipeline import Pipeline

    model = load_actor_stance_model(SHIPPED_ACTOR_STANCE, shipped_ner.embeddings, ("lm", "char"))

    def embedding_again(token_lists):
        raise AssertionError(f"embedded {len(token_lists)} sentences a second time")

    monkeypatch.setattr(model, "sentence_vectors", embedding_again)
    pipeline = Pipeline(shipped_ner, stance_model, model, language_identifier)
    [result] = pipeline.analyze([Document("Geert Wilders haalt hard uit naar Mark Rutte.")])
    wilders = next(actor for actor in result.actors if actor.name == "Geert Wilders")
    assert [s.target_name for s in wilders.stances if s.target] == ["Mark Rutte"]


def test_a_sentence_longer_than_one_ner_segment_keeps_a_vector_for_every_token(shipped_ner):
    from service.models.ner import MAX_SEGMENT_TOKENS

    text = "Rutte prijst Kaag " + " ".join(["en"] * (MAX_SEGMENT_TOKENS + 20)) + " ook"
    sentences = split_sentences(text)
    assert len(sentences) == 1 and len(sentences[0].tokens) > MAX_SEGMENT_TOKENS
    [[kept]] = shipped_ner.tag_layers([(text, sentences)], [], keep_vectors=True).vectors
    assert kept.tensor().shape[0] == len(sentences[0].tokens)
