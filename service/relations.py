"""Actor-to-actor stance: the places where two actors meet in a text, and how the actor-stance model's verdicts
on them pool into one stance per (source, target) pair.

Pure logic over the text, its sentences, the actors (with their pronoun and description mentions) and the
quotes; the model call itself is the pipeline's, batched over a whole request. Training builds its examples
with the same function (``training.actor_stance_corpus``), on the annotated corpus's actors and quotes.

Evidence for a stance of actor A (the source) toward actor B (the target), A and B different actors:

- **Quote**: a quote A is the speaker of, with a mention of B inside it (a name, or a pronoun or description
  the actor grouping resolved to B). The model reads the sentence holding B's mention with A marked as the
  words that name the speaker when those are in that sentence ("…, aldus Trump"); else the speaker's own
  "ik"/"wij" in the quote, before B; else the sentence prefixed with the speaker's words and a colon
  ("Trump: „Ik heb duidelijk gemaakt dat Iran …”"), the form an attribution takes in a headline.
- **Sentence**: a sentence that mentions both A and B; the model reads the sentence with the closest pair of
  their mentions marked.

These are the pairs the annotated corpus labels (``corpus.pairs``: every ordered pair of actors in one
sentence, and the stances of speakers toward whom they speak about), so the model learns from the corpus which
of them hold a stance, and no hand rule decides beforehand which sentences may. Per (A, B, sentence) one piece
of evidence is kept, a quote first. Two mentions at the same or overlapping offsets never make a pair, so no
actor gets a stance toward itself. The spans the model marks are trimmed to their word characters (a mention
cut as ") via" by the tagger is marked as "via"; one with no word character gives no evidence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import permutations
from typing import Literal

from service.actors import Actor
from service.models.actor_stance import POSITIONS, PairStance, side_confidence
from service.models.calibration import Calibration
from service.results import Mention, Quote, Span, Stance
from service.text import Sentence

EvidenceKind = Literal["quote", "sentence"]
NEUTRAL = "neutral"

# Actor types a stance can be toward, whatever ``actor_types`` the caller asked for as sources: countries
# and cities stand for their governments in foreign news ("Iran mag niet profiteren").
TARGET_TYPES = frozenset({"PER", "ORG", "LOC"})

_FIRST_PERSON = frozenset({"ik", "wij", "we"})
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence in which the source actor and the target actor meet.

    ``model_text`` is what the actor-stance model reads, ``source_span`` and ``target_span`` index it;
    ``sentence`` is the document's sentence it comes from (the evidence a client sees).
    """

    source: int
    target: int
    kind: EvidenceKind
    sentence: Span
    sentence_index: int
    model_text: str
    source_span: tuple[int, int]
    target_span: tuple[int, int]

    def sentence_spans(self) -> tuple[tuple[int, int] | None, tuple[int, int]]:
        """The source's and the target's characters in ``sentence`` itself: a model text that is the sentence
        prefixed with the speaker's words (a quote whose speaker is named elsewhere) has no source in it."""
        prefix = len(self.model_text) - len(self.sentence.text)
        if prefix == 0:
            return self.source_span, self.target_span
        return None, (self.target_span[0] - prefix, self.target_span[1] - prefix)


def target_actor_ids(actors: Sequence[Actor]) -> set[int]:
    """Indices of the actors a stance may be toward (``TARGET_TYPES``)."""
    return {i for i, actor in enumerate(actors) if actor.type in TARGET_TYPES}


def select_evidence(
    text: str,
    sentences: Sequence[Sentence],
    actors: Sequence[Actor],
    quotes: Sequence[Quote],
    sources: set[int],
    targets: set[int],
) -> list[Evidence]:
    """Every piece of evidence for a stance of an actor in ``sources`` toward another in ``targets``
    (indices into ``actors``), at most one per (source, target, sentence), in document order."""
    index_of = {actor.id: i for i, actor in enumerate(actors)}
    chosen: dict[tuple[int, int, int], Evidence] = {}
    for quote in quotes:
        source = index_of.get(quote.speaker) if quote.speaker is not None else None
        if source is None or source not in sources:
            continue
        for target in targets - {source}:
            for evidence in _quote_evidence(text, sentences, quote, source, target, actors[target].mentions):
                _keep(chosen, evidence)
    for evidence in _sentence_evidence(text, sentences, actors, sources, targets):
        _keep(chosen, evidence)
    return sorted(chosen.values(), key=lambda e: (e.sentence.start, e.source, e.target))


def word_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without leading and trailing non-word characters, or None when no word character is
    left. The model marks the pair around the actors' words; a mention the tagger cut as ") via" would
    otherwise put punctuation inside a mark."""
    words = list(_WORD_CHARACTER.finditer(text, start, end))
    return (words[0].start(), words[-1].end()) if words else None


def _keep(chosen: dict[tuple[int, int, int], Evidence], evidence: Evidence) -> None:
    """Keep ``evidence`` (its spans trimmed to word characters) unless one for its source, target and
    sentence is kept already, or nothing of a span is left."""
    source = word_span(evidence.model_text, *evidence.source_span)
    target = word_span(evidence.model_text, *evidence.target_span)
    if source is None or target is None or _overlaps(source, target):
        return
    trimmed = replace(evidence, source_span=source, target_span=target)
    chosen.setdefault((evidence.source, evidence.target, evidence.sentence_index), trimmed)


def _sentence_evidence(
    text: str, sentences: Sequence[Sentence], actors: Sequence[Actor], sources: set[int], targets: set[int]
) -> list[Evidence]:
    """One piece of evidence per ordered pair of actors that one sentence mentions: the closest two of their
    mentions there."""
    by_sentence: dict[int, dict[int, list[Mention]]] = {}
    for index in sources | targets:
        for mention in actors[index].mentions:
            by_sentence.setdefault(mention.sentence, {}).setdefault(index, []).append(mention)
    found = []
    for sentence_index, present in by_sentence.items():
        sentence = sentences[sentence_index]
        for source, target in permutations(present, 2):
            if source not in sources or target not in targets:
                continue
            pairs = [
                (a, b)
                for a in present[source]
                for b in present[target]
                if not _overlaps((a.start, a.end), (b.start, b.end))
            ]
            if not pairs:
                continue
            a, b = min(pairs, key=lambda pair: _distance(*pair))
            found.append(
                Evidence(
                    source,
                    target,
                    "sentence",
                    Span(text[sentence.start : sentence.end], sentence.start, sentence.end),
                    sentence_index,
                    text[sentence.start : sentence.end],
                    (a.start - sentence.start, a.end - sentence.start),
                    (b.start - sentence.start, b.end - sentence.start),
                )
            )
    return found


def _distance(a: Mention, b: Mention) -> int:
    return max(a.start, b.start) - min(a.end, b.end)


def _quote_evidence(
    text: str, sentences: Sequence[Sentence], quote: Quote, source: int, target: int, target_mentions: list[Mention]
) -> list[Evidence]:
    found = []
    for mention in target_mentions:
        if not (quote.start <= mention.start and mention.end <= quote.end):
            continue
        sentence = sentences[mention.sentence]
        target_span = (mention.start - sentence.start, mention.end - sentence.start)
        model_text, source_span, target_span = _quote_source(text, sentence, quote, mention, target_span)
        if source_span is None:
            continue
        found.append(
            Evidence(
                source,
                target,
                "quote",
                Span(text[sentence.start : sentence.end], sentence.start, sentence.end),
                mention.sentence,
                model_text,
                source_span,
                target_span,
            )
        )
    return found


def _quote_source(
    text: str, sentence: Sentence, quote: Quote, mention: Mention, target_span: tuple[int, int]
) -> tuple[str, tuple[int, int] | None, tuple[int, int]]:
    """The model text and the source's span in it for a quote: the speaker's words in the sentence, else
    the speaker's "ik"/"wij" before the target, else the speaker's words prefixed (see the module docstring)."""
    sentence_text = text[sentence.start : sentence.end]
    speaker = quote.speaker_text
    if speaker is not None and sentence.start <= speaker.start and speaker.end <= sentence.end:
        span = (speaker.start - sentence.start, speaker.end - sentence.start)
        return sentence_text, (span if not _overlaps(span, target_span) else None), target_span
    for token in sentence.tokens:
        if quote.start <= token.start < mention.start and token.text.casefold() in _FIRST_PERSON:
            return sentence_text, (token.start - sentence.start, token.end - sentence.start), target_span
    if speaker is None or not speaker.text.strip():
        return sentence_text, None, target_span
    prefix = f"{speaker.text}: "
    shifted = (target_span[0] + len(prefix), target_span[1] + len(prefix))
    return prefix + sentence_text, (0, len(speaker.text)), shifted


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def aggregate_relations(
    evidence: Sequence[Evidence],
    verdicts: Sequence[PairStance],
    actors: Sequence[Actor],
    calibration: Calibration | None = None,
) -> dict[int, list[Stance]]:
    """One stance per (source, target) pair, per source actor index, the taken sides first.

    The pair takes the side of its most confident non-neutral verdict, with that verdict's scores and sentence:
    one sentence in which A attacks B makes A critical of B, however many other sentences merely name both. A
    pair with no non-neutral verdict is ``neutral``, shown with the sentence that leans most toward a side and
    that sentence's scores, so a lean below the model's threshold stays visible. ``mentions`` counts all of
    the pair's evidence. A side's confidence goes through the model's ``calibration`` (the chance that such a
    side is right); a neutral pair's is the model's neutral score.
    """
    pooled: dict[tuple[int, int], list[tuple[Evidence, PairStance]]] = {}
    for item, verdict in zip(evidence, verdicts, strict=True):
        pooled.setdefault((item.source, item.target), []).append((item, verdict))
    stances: dict[int, list[Stance]] = {}
    for (source, target), found in pooled.items():
        sided = [pair for pair in found if pair[1].position != NEUTRAL]
        if sided:
            best, verdict = max(sided, key=lambda pair: pair[1].confidence)
        else:
            best, verdict = max(found, key=lambda pair: 1.0 - pair[1].scores[NEUTRAL])
        stances.setdefault(source, []).append(
            Stance(
                position=verdict.position,
                confidence=side_confidence(verdict.position, verdict.scores[verdict.position], calibration),
                scores={p: verdict.scores[p] for p in POSITIONS},
                evidence=best.sentence,
                mentions=len(found),
                target=actors[target].id,
                target_name=actors[target].name,
            )
        )
    for found in stances.values():
        found.sort(key=lambda s: (s.position == NEUTRAL, -s.confidence))
    return stances
