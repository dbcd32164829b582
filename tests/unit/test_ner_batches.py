"""How the NER model hands sentences to Flair: Flair's mini-batches, one padded tensor each that every tagger
sharing the embeddings reads, and the spans read off each tagger's decoder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from flair.data import Sentence as FlairSentence

from service.models.ner import flair_batches, load_ner_model
from service.text import split_sentences


def test_length_batches_are_flairs_longest_first_batches_covering_every_sentence_once():
    sentences = [["a"] * n for n in (3, 7, 1, 7, 5)]
    batches = list(flair_batches(sentences, 2))
    assert [[len(s) for s in batch] for batch in batches] == [[7, 7], [5, 3], [1]]
    # equal lengths keep their order (a stable sort, as Flair's)
    assert batches[0][0] is sentences[1] and batches[0][1] is sentences[3]
    assert sorted(map(id, (s for batch in batches for s in batch))) == sorted(map(id, sentences))


def test_documents_tagged_together_in_many_mini_batches_get_what_each_gets_alone(tiny_tagger_path):
    model = load_ner_model(str(tiny_tagger_path), batch_size=2)
    texts = [
        "Mark Rutte sprak in Den Haag. Daarna vertrok hij naar Brussel. Het regende.",
        "Sigrid Kaag reisde naar Parijs met Wopke Hoekstra. Zij sprak er met Macron.",
        "Ajax won in Amsterdam. PSV verloor in Eindhoven van Feyenoord. Trainer Slot was blij.",
    ]
    documents = [(text, split_sentences(text)) for text in texts]
    together = model.tag(documents)
    alone = [model.tag([document])[0] for document in documents]
    # the same entities; a confidence may differ in its last digits (another padding of the batch)
    assert [[replace(e, confidence=0.0) for e in doc] for doc in together] == [
        [replace(e, confidence=0.0) for e in doc] for doc in alone
    ]
    assert all(
        abs(a.confidence - b.confidence) < 1e-4 for doc, other in zip(together, alone) for a, b in zip(doc, other)
    )


@dataclass
class Head:
    """A tagger run beside NER: one that ``shares_embeddings`` reads the NER tagger's vectors."""

    tagger: Any
    label_type: str
    shares_embeddings: bool


def untrained_head(embeddings: Any, tags: list[str], spans: bool, use_crf: bool) -> Any:
    """A small untrained tagger over ``embeddings``: random weights still tag, and that is all the tests need."""
    import flair
    from flair.data import Dictionary
    from flair.models import SequenceTagger

    flair.set_seed(3)
    dictionary = Dictionary(add_unk=False)
    for tag in tags:
        dictionary.add_item(tag)
    dictionary.span_labels = spans
    tagger = SequenceTagger(
        embeddings=embeddings, tag_dictionary=dictionary, tag_type="head", hidden_size=8, use_crf=use_crf
    )
    return tagger.eval()


@pytest.fixture(scope="module")
def tiny_softmax_tagger_path(tmp_path_factory) -> Path:
    """A tiny tagger without a CRF (as some hub taggers are): a softmax over the tags per token."""
    from tests.tiny_models import train_tiny_tagger

    return train_tiny_tagger(tmp_path_factory.mktemp("tiny-softmax-tagger"), use_crf=False)


TEXT = "Mark Rutte sprak in Den Haag met Sigrid Kaag. Ajax won van PSV in Eindhoven. Het regende. Ja."
TOKEN_LISTS = [[token.text for token in sentence.tokens] for sentence in split_sentences(TEXT)]


def flair_predicted(tagger: Any, token_lists: list[list[str]]) -> list[list[tuple[int, int, str, float]]]:
    """What Flair's own ``predict`` attaches to the sentences: spans, or token labels for a token tagger."""
    sentences = [FlairSentence(tokens) for tokens in token_lists]
    tagger.predict(sentences, mini_batch_size=2, label_name="x")
    if not tagger.predict_spans:
        return [
            [(t.idx - 1, t.idx, t.get_label("x").value, t.get_label("x").score) for t in s if t.get_labels("x")]
            for s in sentences
        ]
    return [
        [(sp.tokens[0].idx - 1, sp.tokens[-1].idx, sp.get_label("x").value, sp.get_label("x").score) for sp in spans]
        for spans in (sentence.get_spans("x") for sentence in sentences)
    ]


@pytest.mark.parametrize("tagger", ["tiny_tagger_path", "tiny_softmax_tagger_path"])
def test_spans_read_off_the_decoder_are_the_labels_flair_predict_attaches(tagger, request):
    model = load_ner_model(str(request.getfixturevalue(tagger)), batch_size=2)
    token_lists = TOKEN_LISTS
    expected = flair_predicted(model._tagger, token_lists)
    assert any(expected)
    assert model.predict_spans(token_lists) == expected  # offsets, types and confidences, exactly


def outside_about_half_the_time(tagger: Any, token_lists: list[list[str]]) -> Any:
    """``tagger`` (a token tagger without CRF, ``O`` first) with its ``O`` bias set so that about half the tokens
    of ``token_lists`` come out ``O``: the rest carry a label."""
    import torch

    batch = sorted((FlairSentence(tokens) for tokens in token_lists), key=len, reverse=True)
    with torch.no_grad():
        scores = tagger.forward(*tagger._prepare_tensors(batch))
        margins = scores[:, 0] - scores[:, 1:].max(1).values
        tagger.linear.bias[0] -= margins.median()
    return tagger


def test_heads_sharing_the_vectors_and_a_head_with_its_own_each_get_what_flair_predict_gives(
    tiny_tagger_path, tiny_softmax_tagger_path
):
    model = load_ner_model(str(tiny_tagger_path), batch_size=2)
    own_stack = load_ner_model(str(tiny_softmax_tagger_path))._tagger
    token_lists = TOKEN_LISTS
    span_head = untrained_head(model.embeddings, ["QUOTE", "CUE"], spans=True, use_crf=True)
    token_head = untrained_head(model.embeddings, ["O", "X", "Y"], spans=False, use_crf=False)
    outside_about_half_the_time(token_head, token_lists)
    heads = [Head(span_head, "a", True), Head(own_stack, "b", False), Head(token_head, "c", True)]
    expected = [flair_predicted(tagger, token_lists) for tagger in (model._tagger, span_head, own_stack, token_head)]
    assert all(any(spans) for spans in expected)
    labelled = sum(map(len, expected[3]))
    assert 0 < labelled < sum(map(len, token_lists))  # the token head leaves some tokens out (O)
    spans, kept = model._predict(token_lists, heads)
    assert kept == []
    assert spans == expected  # in the order of the heads, each exactly what Flair's predict attaches


def test_vectors_are_cleared_after_each_mini_batch_unless_kept(tiny_tagger_path, tiny_softmax_tagger_path, monkeypatch):
    model = load_ner_model(str(tiny_tagger_path), batch_size=2)
    own_stack = Head(load_ner_model(str(tiny_softmax_tagger_path))._tagger, "b", False)
    token_lists = TOKEN_LISTS
    cleared: list[int] = []
    clear = FlairSentence.clear_embeddings
    monkeypatch.setattr(FlairSentence, "clear_embeddings", lambda self, *a: cleared.append(id(self)) or clear(self, *a))
    _, kept = model._predict(token_lists, [own_stack])
    # each sentence once for the shared readers, once for the head's own copy
    assert kept == [] and len(set(cleared)) == len(cleared) == 2 * len(token_lists)
    cleared.clear()
    _, kept = model._predict(token_lists, [own_stack], keep_vectors=True)
    assert len(cleared) == len(token_lists) and len(kept) == len(token_lists)  # the head's copy only
    assert not {id(sentence) for sentence in kept} & set(cleared)
    assert all(token.get_embedding(model.embeddings.get_names()).numel() for s in kept for token in s)


def test_sentences_see_their_neighbours_of_the_same_document_only(
    tiny_tagger_path, tiny_softmax_tagger_path, monkeypatch
):
    model = load_ner_model(str(tiny_tagger_path), batch_size=2)
    own_stack = load_ner_model(str(tiny_softmax_tagger_path))._tagger
    seen: dict[str, dict[str, tuple]] = {"ner": {}, "own stack": {}}

    def recording(tagger: Any, name: str) -> None:
        prepare = tagger._prepare_tensors

        def prepare_and_record(batch):
            for sentence in batch:
                previous, following = sentence.previous_sentence(), sentence.next_sentence()
                seen[name][sentence.to_tokenized_string()] = (
                    previous.to_tokenized_string() if previous else None,
                    following.to_tokenized_string() if following else None,
                )
            return prepare(batch)

        monkeypatch.setattr(tagger, "_prepare_tensors", prepare_and_record)

    recording(model._tagger, "ner")
    recording(own_stack, "own stack")
    documents = [(text, split_sentences(text)) for text in ("Ajax won. PSV verloor.", "Het regende.")]
    model.tag_layers(documents, [Head(own_stack, "b", False)])
    expected = {
        "Ajax won .": (None, "PSV verloor ."),
        "PSV verloor .": ("Ajax won .", None),
        "Het regende .": (None, None),
    }
    assert seen == {"ner": expected, "own stack": expected}


def test_a_document_number_for_every_sentence(tiny_tagger_path):
    model = load_ner_model(str(tiny_tagger_path))
    with pytest.raises(ValueError, match="2 document numbers for 3 sentences"):
        model._predict([["a"], ["b"], ["c"]], (), documents=[0, 0])
