"""Named-entity recognition with a Flair SequenceTagger, mapped back to character offsets."""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from service.config import QUANTIZABLE_PARTS
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


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """A span a tagger head marked (a quote's content, cue or source), with its characters in the document."""

    label: str
    start: int
    end: int
    confidence: float
    sentence: int


class TaggerHead(Protocol):
    """Another Flair tagger run on the same sentences. One that ``shares_embeddings`` reads the vectors the NER
    tagger computed, so it costs its own layers only; any other embeds its own copy of the sentences."""

    tagger: Any
    label_type: str
    shares_embeddings: bool


class NerModel:
    """A loaded tagger. ``tag`` is safe to call from several threads (calls are serialised by a lock).
    ``quantized`` names the modules converted to int8 at load (``NER_QUANTIZE``), empty for fp32."""

    def __init__(
        self, tagger, model_id: str, version: str, batch_size: int = 32, quantized: tuple[str, ...] = ()
    ) -> None:
        self._tagger = tagger
        self._lock = threading.Lock()
        self.model_id = model_id
        self.version = version
        self.batch_size = batch_size
        self.quantized = quantized
        self.labels = tuple(sorted({_entity_type(tag) for tag in tagger.label_dictionary.get_items()} - {""}))

    @property
    def embeddings(self):
        """The tagger's embedding stack, which the quote tagger shares (it reads the vectors NER computed)."""
        return self._tagger.embeddings

    def predict_spans(self, token_lists: list[list[str]]) -> list[list[tuple[int, int, str, float]]]:
        """Entity spans ``(first_token, end_token, type, confidence)`` of pre-tokenised sentences, in one
        batched model call (also what ``bench/ner_accuracy.py`` scores on gold tokens)."""
        return self._predict(token_lists, ())[0][0]

    def _predict(
        self,
        token_lists: list[list[str]],
        heads: Sequence[TaggerHead],
        keep_vectors: bool = False,
        documents: Sequence[int] | None = None,
    ) -> tuple[list[list[list[tuple[int, int, str, float]]]], list[Any]]:
        """Spans of every sentence from the NER tagger, then from each head. The heads that share the embeddings
        read the NER tagger's own input: each mini-batch is embedded and padded into one tensor once, and every
        reader runs its layers on that tensor. ``documents`` (a document number per sentence; a document's sentences
        together and in order) bounds the context that embeddings reading neighbouring sentences see (Flair's
        FLERT); without it the sentences read as one document. With ``keep_vectors``, the vectors stay on the sentences,
        which come back too (else an empty list)."""
        from flair.data import Sentence as FlairSentence

        if not token_lists:
            return [[] for _ in range(1 + len(heads))], []
        document_of = documents if documents is not None else [0] * len(token_lists)
        if len(document_of) != len(token_lists):
            raise ValueError(f"{len(document_of)} document numbers for {len(token_lists)} sentences")
        shared = _in_context([FlairSentence(tokens) for tokens in token_lists], document_of)
        readers = [self._tagger] + [head.tagger for head in heads if head.shares_embeddings]
        with self._lock:
            # One list per reader, in the order of ``readers``: the NER tagger's first, then each sharing head's.
            read_together = iter(self._tag_shared(readers, shared, keep_vectors))
            spans = [next(read_together)] + [
                next(read_together) if head.shares_embeddings else self._tag_alone(head, token_lists, document_of)
                for head in heads
            ]
        return spans, shared if keep_vectors else []

    def _tag_shared(
        self, taggers: list[Any], sentences: list[Any], keep_vectors: bool
    ) -> list[list[list[tuple[int, int, str, float]]]]:
        """Per tagger, per sentence, the spans it marks, every tagger reading the same padded tensor of each
        mini-batch: the first tagger's embeddings, which every one of ``taggers`` was trained over."""
        import torch

        position = {id(sentence): index for index, sentence in enumerate(sentences)}
        spans: list[list[list[tuple[int, int, str, float]]]] = [[[] for _ in sentences] for _ in taggers]
        with torch.no_grad():
            for batch in flair_batches([sentence for sentence in sentences if len(sentence)], self.batch_size):
                sentence_tensor, lengths = taggers[0]._prepare_tensors(batch)
                for tagger, marked in zip(taggers, spans, strict=True):
                    decoded = decoded_spans(tagger, tagger.forward(sentence_tensor, lengths), batch)
                    for sentence, found in zip(batch, decoded, strict=True):
                        marked[position[id(sentence)]] = found
                if not keep_vectors:
                    for sentence in batch:
                        sentence.clear_embeddings()
        return spans

    def _tag_alone(
        self, head: TaggerHead, token_lists: list[list[str]], documents: Sequence[int]
    ) -> list[list[tuple[int, int, str, float]]]:
        """The spans of a head with an embedding stack of its own, which embeds its own copy of the sentences:
        mini-batch by mini-batch, as the shared readers do, rather than through Flair's ``predict``, which
        would set the context of each mini-batch (sorted by length) instead of each document."""
        from flair.data import Sentence as FlairSentence

        sentences = _in_context([FlairSentence(tokens) for tokens in token_lists], documents)
        return self._tag_shared([head.tagger], sentences, keep_vectors=False)[0]

    def tag(self, documents: list[tuple[str, list[Sentence]]]) -> list[list[Entity]]:
        """Entities of every document; all sentences of all documents go to the model in one call."""
        return self.tag_layers(documents, ()).entities

    def tag_layers(
        self, documents: list[tuple[str, list[Sentence]]], heads: Sequence[TaggerHead], keep_vectors: bool = False
    ) -> Layers:
        """Entities of every document, per head the spans it marks in every document, and with ``keep_vectors``
        each sentence's token vectors: all sentences of all documents go through the shared embeddings once."""
        segments = [
            (doc_index, sentence_index, tokens)
            for doc_index, (_, sentences) in enumerate(documents)
            for sentence_index, sentence in enumerate(sentences)
            for tokens in _segments(sentence)
        ]
        layers, embedded = self._predict(
            [[token.text for token in tokens] for _, _, tokens in segments],
            heads,
            keep_vectors,
            [doc_index for doc_index, _, _ in segments],
        )
        entities: list[list[Entity]] = [[] for _ in documents]
        for (doc_index, sentence_index, tokens), found in zip(segments, layers[0]):
            text = documents[doc_index][0]
            for first, end, kind, confidence in found:
                start, stop = tokens[first].start, tokens[end - 1].end
                entities[doc_index].append(Entity(text[start:stop], kind, start, stop, confidence, sentence_index))
        marked: list[list[list[TaggedSpan]]] = [[[] for _ in documents] for _ in heads]
        for head_spans, layer in zip(marked, layers[1:]):
            for (doc_index, sentence_index, tokens), found in zip(segments, layer):
                head_spans[doc_index].extend(
                    TaggedSpan(label, tokens[first].start, tokens[end - 1].end, confidence, sentence_index)
                    for first, end, label, confidence in found
                )
        return Layers(entities, marked, self._sentence_vectors(documents, segments, embedded))

    def _sentence_vectors(
        self, documents: list[tuple[str, list[Sentence]]], segments: list[tuple], embedded: list[Any]
    ) -> list[list[SentenceVectors | None]]:
        """Per document, per sentence, the embedded Flair segments of the sentence (empty when none were kept)."""
        if not embedded:
            return [[] for _ in documents]
        pieces: dict[tuple[int, int], list[Any]] = {}
        for (doc_index, sentence_index, _), segment in zip(segments, embedded, strict=True):
            pieces.setdefault((doc_index, sentence_index), []).append(segment)
        names = self.embeddings.get_names()
        return [
            [SentenceVectors(pieces[(d, i)], names) if (d, i) in pieces else None for i in range(len(sentences))]
            for d, (_, sentences) in enumerate(documents)
        ]


@dataclass(frozen=True)
class Layers:
    """What one pass over a batch of documents gives: ``entities[doc]``, ``marked[head][doc]`` (the heads'
    spans) and ``vectors[doc][sentence]`` (each sentence's token vectors; empty unless asked for)."""

    entities: list[list[Entity]]
    marked: list[list[list[TaggedSpan]]]
    vectors: list[list[SentenceVectors | None]]


class SentenceVectors:
    """The token vectors the NER pass left on one sentence (its Flair segments), stacked only when asked for:
    the actor-stance heads read the few sentences where two actors meet."""

    def __init__(self, segments: list[Any], names: list[str]) -> None:
        self._segments = segments
        self._names = names
        self._tensor: Any = None

    def tensor(self) -> Any:
        """One row per token of the sentence (stacked once; several pairs may meet in one sentence)."""
        import torch

        if self._tensor is None:
            self._tensor = torch.cat([stacked_vectors(segment, self._names) for segment in self._segments])
        return self._tensor


def _in_context(sentences: list[Any], documents: Sequence[int]) -> list[Any]:
    """``sentences`` with each one's previous and next sentence of the same document set, as Flair's ``predict``
    sets them for embeddings that read the context around a sentence (FLERT); the mini-batches sort by length."""
    from flair.data import Sentence as FlairSentence

    start = 0
    for end in range(1, len(sentences) + 1):
        if end == len(sentences) or documents[end] != documents[start]:
            FlairSentence.set_context_for_sentences(sentences[start:end])
            start = end
    return sentences


def flair_batches(sentences: list[Any], size: int) -> Iterable[list[Any]]:
    """The mini-batches Flair's ``predict`` makes of ``sentences``: longest first, ``size`` at a time. Sentences
    of about one length share a padded tensor, so little of it is padding."""
    by_length = sorted(sentences, key=len, reverse=True)
    for start in range(0, len(by_length), size):
        yield by_length[start : start + size]


def decoded_spans(tagger: Any, features: Any, batch: list[Any]) -> list[list[tuple[int, int, str, float]]]:
    """The spans ``(first_token, end_token, type, confidence)`` a tagger's ``features`` of a mini-batch decode to,
    per sentence: what Flair's ``predict`` would attach to the sentences as labels (Viterbi for a CRF tagger, the
    best tag per token for one without), read straight off the decoding instead. A tagger whose tags are not
    BIO spans (``predict_spans`` false) labels tokens, each one a span of one token here. The labels are Flair's
    (``get_spans_from_bio`` has taken off the span prefix), within ``NerModel.labels``."""
    from flair.data import get_spans_from_bio

    if tagger.use_crf:
        predictions, _ = tagger.viterbi_decoder.decode(features, False, batch)
    else:
        predictions, _ = tagger._standard_inference(features, batch, False)
    if not tagger.predict_spans:
        return [
            [(index, index + 1, tag, score) for index, (tag, score) in enumerate(predicted) if _token_label(tag)]
            for predicted in predictions
        ]
    return [
        [
            (indices[0], indices[-1] + 1, label, score)
            for indices, score, label in get_spans_from_bio(
                [tag for tag, _ in predicted], [score for _, score in predicted]
            )
        ]
        for predicted in predictions
    ]


def stacked_vectors(sentence: Any, names: list[str]) -> Any:
    """The token vectors a Flair sentence carries from the embeddings ``names``, one row per token: the input
    the actor-stance heads read (``service.models.pair_head``), in training as in service."""
    import torch

    return torch.stack([token.get_embedding(names) for token in sentence])


def embed_tokens(embeddings: Any, token_lists: list[list[str]], batch_size: int = 32) -> list[Any]:
    """Token vectors of pre-tokenised sentences from a Flair embedding stack (no tagger)."""
    import torch
    from flair.data import Sentence as FlairSentence

    vectors = []
    for first in range(0, len(token_lists), batch_size):
        sentences = [FlairSentence(tokens) for tokens in token_lists[first : first + batch_size]]
        with torch.inference_mode():
            embeddings.embed(sentences)
        vectors += [stacked_vectors(sentence, embeddings.get_names()) for sentence in sentences]
        for sentence in sentences:
            sentence.clear_embeddings()
    return vectors


def _segments(sentence: Sentence) -> list[tuple]:
    tokens = sentence.tokens
    return [tokens[i : i + MAX_SEGMENT_TOKENS] for i in range(0, len(tokens), MAX_SEGMENT_TOKENS)]


def _token_label(tag: str) -> bool:
    """Whether a token tagger's tag labels the token: Flair's ``predict`` skips ``O`` and the legacy ``_``;
    the special symbols (``<unk>``) are left out as from ``NerModel.labels``."""
    return tag != "_" and bool(_entity_type(tag))


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


def quantizable_modules(tagger, parts: Iterable[str]) -> tuple[str, ...]:
    """Names of the tagger's modules that belong to ``parts`` (keys of ``QUANTIZABLE_PARTS``), found by
    their place in Flair's SequenceTagger, so that any stack of embeddings is covered."""
    import torch

    chosen = set(parts) & QUANTIZABLE_PARTS.keys()
    return tuple(
        name
        for name, module in tagger.named_modules()
        if isinstance(module, torch.nn.LSTM | torch.nn.Linear) and _part_of(name) in chosen
    )


def _part_of(module_name: str) -> str | None:
    """The ``QUANTIZABLE_PARTS`` key of a SequenceTagger module, by the attribute names Flair gives them.

    The output layer (``linear``, BiLSTM -> tags) belongs to no part: Flair reads ``linear.weight.dtype`` to
    build its batches, which a quantized Linear does not have."""
    if module_name == "rnn":
        return "tagger"
    if module_name == "embedding2nn":
        return "linear"
    if module_name.endswith(".lm.rnn"):
        return "lm"
    if module_name.endswith(".char_rnn"):
        return "char"
    return None


def quantize_tagger(tagger, parts: Iterable[str]) -> tuple[str, ...]:
    """Convert the modules of ``parts`` in place to int8 dynamic quantization (weights int8, activations
    quantized per call), which makes the LSTMs' matrix products cheaper on CPU; the names converted.

    torch announces the eager ``torch.ao.quantization`` API as deprecated on every call; the lock pins torch,
    and the tests load a quantized tagger, so an upgrade that removes the API fails there, not in a worker.
    """
    import torch
    from torch.ao.quantization import quantize_dynamic

    from service.models.quantized_lstm import use_packed_input_overload

    names = quantizable_modules(tagger, parts)
    if names:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"torch\.ao\.quantization", category=DeprecationWarning)
            warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
            quantize_dynamic(tagger, set(names), dtype=torch.qint8, inplace=True)
        use_packed_input_overload(tagger)
    return names


def quantize_stack(embeddings: Any, parts: Iterable[str]) -> tuple[str, ...]:
    """Convert the ``parts`` (``lm``, ``char``) of an embedding stack outside a tagger to int8, as
    :func:`quantize_tagger` does inside one; the names converted."""
    import torch

    holder = torch.nn.Module()
    holder.embeddings = embeddings
    return quantize_tagger(holder, set(parts) & {"lm", "char"})


def same_stack(ours: Any, theirs: Any) -> bool:
    """Whether two Flair embedding stacks have the same layout (names and sizes): a head trained over one
    can read the other's vectors."""

    def layout(stack: Any) -> list[tuple[str, int]]:
        return [(embedding.name, embedding.embedding_length) for embedding in stack.embeddings]

    return hasattr(theirs, "embeddings") and layout(ours) == layout(theirs)


def load_ner_model(reference: str, batch_size: int = 32, quantize: tuple[str, ...] = ()) -> NerModel:
    """Load a SequenceTagger from a local file or a hub id (setting ``NER_MODEL``), with the ``quantize``
    parts converted to int8 once here (setting ``NER_QUANTIZE``), never per request."""
    from flair.models import SequenceTagger

    from service.models.characters import use_batched_characters
    from service.models.viterbi import use_array_decoder

    tagger = load_model("NER_MODEL", reference, SequenceTagger.load)
    tagger.eval()
    use_array_decoder(tagger)
    use_batched_characters(tagger.embeddings)
    quantized = quantize_tagger(tagger, quantize)
    return NerModel(
        tagger,
        model_id=display_reference(reference),
        version=file_version(reference),
        batch_size=batch_size,
        quantized=quantized,
    )
