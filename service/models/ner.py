"""Named-entity recognition with a Flair SequenceTagger, mapped back to character offsets."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from service.models.loading import display_reference, load_model
from service.text import Sentence

# Flair's LSTMs are linear in length, but one unpunctuated 100k-character "sentence" would still be one huge
# batch item; cutting token runs into segments keeps memory bounded. Entities across a cut are rare.
MAX_SEGMENT_TOKENS = 250


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity with its character span in the document and the index of the sentence that holds it."""

    text: str
    type: str
    start: int
    end: int
    confidence: float
    sentence: int


class NerModel:
    """A loaded tagger. ``tag`` is safe to call from several threads (calls are serialised by a lock)."""

    def __init__(self, tagger, model_id: str, version: str, batch_size: int = 32) -> None:
        self._tagger = tagger
        self._lock = threading.Lock()
        self.model_id = model_id
        self.version = version
        self.batch_size = batch_size
        self.labels = tuple(sorted({_entity_type(tag) for tag in tagger.label_dictionary.get_items()} - {""}))

    def predict_spans(self, token_lists: list[list[str]]) -> list[list[tuple[int, int, str, float]]]:
        """Entity spans ``(first_token, end_token, type, confidence)`` of pre-tokenised sentences, in one
        batched model call (also what ``bench/ner_accuracy.py`` scores on gold tokens)."""
        from flair.data import Sentence as FlairSentence

        sentences = [FlairSentence(tokens) for tokens in token_lists]
        if sentences:
            with self._lock:
                self._tagger.predict(sentences, mini_batch_size=self.batch_size, label_name="ner")
        return [
            [
                (
                    span.tokens[0].idx - 1,
                    span.tokens[-1].idx,
                    _entity_type(span.get_label("ner").value),
                    float(span.get_label("ner").score),
                )
                for span in sentence.get_spans("ner")
            ]
            for sentence in sentences
        ]

    def tag(self, documents: list[tuple[str, list[Sentence]]]) -> list[list[Entity]]:
        """Entities of every document; all sentences of all documents go to the model in one call."""
        segments = [
            (doc_index, sentence_index, tokens)
            for doc_index, (_, sentences) in enumerate(documents)
            for sentence_index, sentence in enumerate(sentences)
            for tokens in _segments(sentence)
        ]
        spans = self.predict_spans([[token.text for token in tokens] for _, _, tokens in segments])
        results: list[list[Entity]] = [[] for _ in documents]
        for (doc_index, sentence_index, tokens), found in zip(segments, spans):
            text = documents[doc_index][0]
            for first, end, kind, confidence in found:
                start, stop = tokens[first].start, tokens[end - 1].end
                results[doc_index].append(Entity(text[start:stop], kind, start, stop, confidence, sentence_index))
        return results


def _segments(sentence: Sentence) -> list[tuple]:
    tokens = sentence.tokens
    return [tokens[i : i + MAX_SEGMENT_TOKENS] for i in range(0, len(tokens), MAX_SEGMENT_TOKENS)]


def _entity_type(tag: str) -> str:
    """``B-PER`` / ``S-PER`` / ``PER`` -> ``PER``; ``O`` and special symbols -> empty."""
    if tag in ("O", "<START>", "<STOP>", "<unk>"):
        return ""
    return tag.split("-", 1)[-1]


def file_version(path: str) -> str:
    """A short content hash: two files with the same name are told apart in every response."""
    target = Path(path)
    if not target.is_file():
        return "hub"
    digest = hashlib.sha256()
    with target.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()[:12]


def load_ner_model(reference: str, batch_size: int = 32) -> NerModel:
    """Load a SequenceTagger from a local file or a hub id (setting ``NER_MODEL``)."""
    from flair.models import SequenceTagger

    tagger = load_model("NER_MODEL", reference, SequenceTagger.load)
    tagger.eval()
    return NerModel(
        tagger, model_id=display_reference(reference), version=file_version(reference), batch_size=batch_size
    )
