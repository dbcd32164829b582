"""How the NER model hands sentences to Flair: the mini-batches Flair would make, one call each."""

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
class SameStackHead:
    """A head that reads the NER tagger's vectors (here the NER tagger itself under another label)."""

    tagger: Any
    label_type: str = "again"
    shares_embeddings: bool = True


@pytest.fixture(scope="module")
def tiny_softmax_tagger_path(tmp_path_factory) -> Path:
    """A tiny tagger without a CRF (as some hub taggers are): a softmax over the tags per token."""
    from tests.tiny_models import train_tiny_tagger

    return train_tiny_tagger(tmp_path_factory.mktemp("tiny-softmax-tagger"), use_crf=False)


@pytest.mark.parametrize("tagger", ["tiny_tagger_path", "tiny_softmax_tagger_path"])
def test_spans_read_off_the_decoder_are_the_labels_flair_predict_attaches(tagger, request):
    model = load_ner_model(str(request.getfixturevalue(tagger)), batch_size=2)
    text = "Mark Rutte sprak in Den Haag met Sigrid Kaag. Ajax won van PSV in Eindhoven. Het regende. Ja."
    token_lists = [[token.text for token in sentence.tokens] for sentence in split_sentences(text)]
    flair_sentences = [FlairSentence(tokens) for tokens in token_lists]
    model._tagger.predict(flair_sentences, mini_batch_size=2, label_name="ner")
    expected = [
        [
            (span.tokens[0].idx - 1, span.tokens[-1].idx, span.get_label("ner").value, span.get_label("ner").score)
            for span in sentence.get_spans("ner")
        ]
        for sentence in flair_sentences
    ]
    (ner_spans, head_spans), _ = model._predict(token_lists, [SameStackHead(model._tagger)])
    assert any(expected)
    assert ner_spans == expected  # offsets, types and confidences, exactly
    assert head_spans == expected  # a head reads the same padded vectors the NER tagger read
