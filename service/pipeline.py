"""The analysis pipeline: text -> sentences -> entities -> actors -> stances. Knows no HTTP.

All sentences of all documents of a request go to the tagger in one call, and all actor windows to the
stance model in one call, so a batch request costs far less than the same documents one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.actors import Actor, group_actors, salience
from service.models.ner import Entity, NerModel
from service.models.stance import StanceModel, TopicStance, stance_window
from service.text import Sentence, split_sentences

POSITIONS = ("positive", "negative", "neutral")
SCORE_DIGITS = 4  # every score a response shows is rounded here, once


@dataclass(frozen=True)
class Options:
    actor_types: frozenset[str] = frozenset({"PER", "ORG"})
    min_confidence: float = 0.0
    stances: bool = True


@dataclass(frozen=True)
class Document:
    text: str
    options: Options = Options()
    id: str | None = None
    title: str | None = None
    published_at: object = None


@dataclass(frozen=True)
class _Mention:
    """An actor mention waiting for its stance: where it is, and the window the model reads."""

    document: int
    actor: int
    entity: Entity
    window: str


class Pipeline:
    """Holds the loaded models (one per process) and runs them on whole batches."""

    def __init__(self, ner: NerModel, stance: StanceModel) -> None:
        self.ner = ner
        self.stance_model = stance

    def model_info(self) -> dict:
        return {
            "ner": {"id": self.ner.model_id, "version": self.ner.version},
            "stance": {"id": self.stance_model.model_id, "version": self.stance_model.version},
        }

    def analyze(self, documents: Sequence[Document]) -> list[dict]:
        """Analyse ``documents`` together; results come back in input order."""
        sentences = [split_sentences(doc.text) for doc in documents]
        tagged = self.ner.tag([(doc.text, sents) for doc, sents in zip(documents, sentences)])
        entities = [
            [e for e in found if e.confidence >= doc.options.min_confidence] for doc, found in zip(documents, tagged)
        ]
        actors = [group_actors(found, set(doc.options.actor_types)) for doc, found in zip(documents, entities)]
        stances = self._actor_stances(documents, sentences, actors)
        return [
            self._result(doc, entities[i], actors[i], stances.get(i, {}), sentences[i])
            for i, doc in enumerate(documents)
        ]

    def _actor_stances(
        self, documents: Sequence[Document], sentences: list[list[Sentence]], actors: list[list[Actor]]
    ) -> dict[int, dict[int, list[dict]]]:
        """Stances per document and actor, from one stance-model call over every mention window."""
        mentions = [
            _Mention(d, a, m, stance_window(doc.text, sentences[d], m.sentence, m.start, m.end))
            for d, doc in enumerate(documents)
            if doc.options.stances
            for a, actor in enumerate(actors[d])
            for m in actor.mentions
        ]
        if not mentions:
            return {}
        predictions = self.stance_model.predict_relevant([m.window for m in mentions])
        pooled: dict[int, dict[int, list[tuple[_Mention, list[TopicStance]]]]] = {}
        for mention, prediction in zip(mentions, predictions):
            pooled.setdefault(mention.document, {}).setdefault(mention.actor, []).append((mention, prediction))
        return {
            d: {a: aggregate_stances(items, documents[d].text, sentences[d]) for a, items in by_actor.items()}
            for d, by_actor in pooled.items()
        }

    def _result(
        self, doc: Document, entities: list[Entity], actors: list[Actor], stances: dict, sentences: list[Sentence]
    ) -> dict:
        weights = salience(actors)
        return {
            "id": doc.id,
            "title": doc.title,
            "published_at": doc.published_at,
            "models": self.model_info(),
            "entities": [_entity_dict(e) for e in entities],
            "actors": [
                {
                    "id": actor.id,
                    "name": actor.name,
                    "type": actor.type,
                    "salience": weights[i],
                    "mentions": [{**_entity_dict(m), "sentence": m.sentence} for m in actor.mentions],
                    "stances": stances.get(i, []),
                }
                for i, actor in enumerate(actors)
            ],
        }

    def stance(self, text: str, start: int, end: int, topics: Sequence[str] | None) -> dict:
        """Stance of the actor at ``text[start:end]`` (a span the caller chose) on ``topics``."""
        sentences = split_sentences(text)
        index = _sentence_index(sentences, start, end)
        window = stance_window(text, sentences, index, start, end)
        prediction = self.stance_model.predict([window], topics)[0]
        return {
            "actor": {"start": start, "end": end},
            "text": text[start:end],
            "window": window,
            "model": {"id": self.stance_model.model_id, "version": self.stance_model.version},
            "stances": [
                {
                    "topic": s.topic,
                    "position": s.position,
                    "scores": _rounded(s.scores),
                    "relevance": round(s.relevance, SCORE_DIGITS),
                    "relevant": s.relevant,
                }
                for s in prediction
            ],
        }


def aggregate_stances(
    items: list[tuple[_Mention, list[TopicStance]]], text: str, sentences: list[Sentence]
) -> list[dict]:
    """One stance per topic from the actor's on-topic mentions.

    Scores are averaged over the mentions the relevance gate passed; the reported position is the argmax
    of the average, and the evidence is the passed mention that supports that position most strongly.
    Topics no mention is about are left out: silence, not a guessed neutral.
    """
    by_topic: dict[str, list[tuple[_Mention, TopicStance]]] = {}
    for mention, prediction in items:
        for topic_stance in prediction:
            if topic_stance.relevant:
                by_topic.setdefault(topic_stance.topic, []).append((mention, topic_stance))
    stances = []
    for topic, passed in by_topic.items():
        mean = {p: sum(ts.scores[p] for _, ts in passed) / len(passed) for p in POSITIONS}
        position = max(POSITIONS, key=mean.get)
        best_mention, _ = max(passed, key=lambda pair: pair[1].scores[position] * pair[1].relevance)
        sentence = sentences[best_mention.entity.sentence]
        stances.append(
            {
                "topic": topic,
                "position": position,
                "confidence": round(mean[position], SCORE_DIGITS),
                "scores": _rounded(mean),
                "relevance": round(max(ts.relevance for _, ts in passed), SCORE_DIGITS),
                "evidence": {"text": text[sentence.start : sentence.end], "start": sentence.start, "end": sentence.end},
                "mentions": len(passed),
            }
        )
    return sorted(stances, key=lambda s: -s["relevance"])


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {position: round(value, SCORE_DIGITS) for position, value in scores.items()}


def _entity_dict(entity: Entity) -> dict:
    return {
        "text": entity.text,
        "type": entity.type,
        "start": entity.start,
        "end": entity.end,
        "confidence": entity.confidence,
    }


def _sentence_index(sentences: list[Sentence], start: int, end: int) -> int:
    """The sentence that holds the span's start (or the nearest one before it)."""
    index = 0
    for i, sentence in enumerate(sentences):
        if sentence.start <= start:
            index = i
    return index
