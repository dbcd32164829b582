"""The quote tagger: a Flair SequenceTagger head that marks what is said (``QUOTE``), the words that report it
(``CUE``) and who says it (``SOURCE``) in each sentence (``training/quote_tagger.py``).

It was trained over the compact NER tagger's embeddings. With that tagger as ``NER_MODEL`` its own copy of the
stack is replaced by the NER model's at load, so one stack is in memory and ``NerModel.tag_layers`` embeds every
sentence once for both; with another NER model (a hub model) it keeps its own stack and embeds the sentences
again. ``service.quotes`` turns the marked spans into quotes with speakers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.models.loading import display_reference, load_model
from service.models.ner import NerModel, TaggedSpan, file_version, quantize_tagger, same_stack

LABEL_TYPE = "quote"
# The head's own layers (its BiLSTM and the projection into it) as int8: on corpus dev the same quotes as fp32,
# and NER plus the head took 1.22× the time of NER alone against 1.31× in fp32 (see the model card).
QUANTIZED_PARTS = ("tagger", "linear")


@dataclass
class QuoteTagger:
    """A loaded quote tagger head (a ``TaggerHead`` of ``NerModel.tag_layers``)."""

    tagger: Any
    model_id: str
    version: str
    shares_embeddings: bool
    min_quote_confidence: float = 0.0
    label_type: str = LABEL_TYPE

    def kept(self, spans: list[TaggedSpan]) -> list[TaggedSpan]:
        """The spans to build quotes from: quote contents below ``min_quote_confidence`` (``QUOTE_MIN_CONFIDENCE``)
        are left out; sources and cues stay, since they only ever attach to a content that is kept."""
        return [span for span in spans if span.label != "QUOTE" or span.confidence >= self.min_quote_confidence]


def load_quote_tagger(
    reference: str, ner: NerModel, min_quote_confidence: float = 0.0, quantize: bool = True
) -> QuoteTagger:
    """Load the head (setting ``QUOTE_MODEL``, a local file), its own layers int8 where ``quantize``; it reads
    ``ner``'s embeddings where they are the ones it was trained over (the same stack: same names and sizes)."""
    from flair.models import SequenceTagger

    from service.models.characters import use_batched_characters
    from service.models.viterbi import use_array_decoder

    tagger = load_model("QUOTE_MODEL", reference, SequenceTagger.load, hub_ids=False)
    tagger.eval()
    use_array_decoder(tagger)
    use_batched_characters(tagger.embeddings)
    if quantize:
        quantize_tagger(tagger, QUANTIZED_PARTS)
    shared = same_stack(tagger.embeddings, ner.embeddings)
    if shared:
        tagger.embeddings = ner.embeddings
    return QuoteTagger(
        tagger,
        display_reference(reference),
        file_version(reference),
        shares_embeddings=shared,
        min_quote_confidence=min_quote_confidence,
    )
