"""The analysis pipeline: text -> sentences -> entities (tagged, then repaired with the whole document) ->
actors -> quotes and stances (on issue topics, and toward the other actors). Knows no HTTP.

Each article travels through the stages as one ``Analysis``, to which each stage adds its layer: the stages read
the layers before theirs from it, and actors are named by their ids (unique in the article) throughout.

All sentences of the documents of a request go to the tagger in one call, all actor windows to the stance model
in one call and all actor-to-actor evidence to the actor-stance model in one call, so a batch request costs far
less than the same documents one by one; a request of more than ``PASS_CHARS`` characters goes through in
several such passes, which bounds the memory the kept token vectors take. The results are typed
(``service.results``); the response schemas turn them into JSON, and round every score there, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from service.actors import Actor, Resolver, group_actors, salience
from service.coref import resolve_references
from service.coref_ranker import CorefRanker
from service.documents import Document
from service.entities import refine_entities
from service.models.actor_stance import ActorStanceModel, side_confidence
from service.models.calibration import Calibration, calibrated
from service.models.language import LanguageGuess, LanguageIdentifier
from service.models.ner import Entity, NerModel, SentenceVectors, TaggedSpan
from service.models.quote_tagger import QuoteTagger
from service.models.stance import StanceModel, TopicStance
from service.models.stance_features import stance_window
from service.quote_marks import DirectQuote, direct_quotes
from service.quotes import find_quotes
from service.relations import (
    TARGET_TYPES,
    Evidence,
    aggregate_relations,
    select_evidence,
    target_actor_ids,
    word_span,
)
from service.results import (
    ActorResult,
    DocumentResult,
    Mention,
    ModelInfo,
    ModelsUsed,
    PairStanceResult,
    Quote,
    Span,
    Stance,
    TargetedStanceResult,
)
from service.text import Sentence, split_sentences

if TYPE_CHECKING:
    from service.models.pair_head import PairTokens

POSITIONS = ("positive", "negative", "neutral")
# At most this much text goes through one pass of the stages: the NER pass's token vectors (about 2.6 kB per token,
# read by the actor-stance heads) stay in memory until the pass's articles are done, so a request of 64 long
# articles must not hold all of them at once. One article of the longest allowed (MAX_TEXT_CHARS' default) fits.
PASS_CHARS = 200_000


@dataclass
class Analysis:
    """One article as it goes through the pipeline; each stage fills its layer.

    ``actors`` holds every actor the grouping found, of the requested types and of the types a stance may be
    toward; ``stances`` maps an actor id to its stances, issue stances (added first) before actor stances.
    ``marked_quotes`` are the direct quotes its quote marks enclose, read once for the stages that ask where a
    quote is (reference resolution, the quote stage). ``token_vectors`` holds each sentence's token vectors
    from the NER pass where the actor-stance heads read them (empty otherwise).
    """

    document: Document
    sentences: list[Sentence]
    marked_quotes: list[DirectQuote]
    entities: list[Entity] = field(default_factory=list)
    quote_spans: list[TaggedSpan] | None = None
    token_vectors: list[SentenceVectors | None] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: dict[str, list[Stance]] = field(default_factory=dict)

    @property
    def requested_actors(self) -> list[Actor]:
        """The actors of the types the caller asked for, in order of first mention."""
        return [actor for actor in self.actors if actor.type in self.document.options.actor_types]


@dataclass(frozen=True)
class _StanceInput:
    """An actor mention waiting for its stance: where it is, and the window the model reads."""

    analysis: Analysis
    actor: str
    mention: Mention
    window: str


class Pipeline:
    """Holds the loaded models (one per process) and runs them on whole batches."""

    def __init__(
        self,
        ner: NerModel,
        stance: StanceModel,
        actor_stance: ActorStanceModel,
        language: LanguageIdentifier,
        quote_tagger: QuoteTagger | None = None,
        coref: CorefRanker | None = None,
    ) -> None:
        self.ner = ner
        self.quote_tagger = quote_tagger
        self.coref = coref
        self.resolve_references: Resolver = coref.resolve if coref is not None else resolve_references
        self.stance_model = stance
        self.actor_stance_model = actor_stance
        self.language = language

    def not_dutch(self, documents: Sequence[Document]) -> dict[int, LanguageGuess]:
        """The documents (by index) that ask for the language check and are clearly not Dutch: the caller
        refuses them before any model runs."""
        guesses = {i: self.language.identify(doc.text) for i, doc in enumerate(documents) if doc.options.check_language}
        return {i: guess for i, guess in guesses.items() if guess.clearly_not_dutch}

    def models_used(self) -> ModelsUsed:
        return ModelsUsed(
            ner=ModelInfo(self.ner.model_id, self.ner.version),
            stance=ModelInfo(self.stance_model.model_id, self.stance_model.version),
            actor_stance=ModelInfo(self.actor_stance_model.model_id, self.actor_stance_model.version),
            quotes=ModelInfo(self.quote_tagger.model_id, self.quote_tagger.version) if self.quote_tagger else None,
            coref=ModelInfo(self.coref.model_id, self.coref.version) if self.coref else None,
        )

    def model_info(self) -> dict:
        """The same as plain data, for log lines and ``/v1/info``."""
        return asdict(self.models_used())

    def analyze(self, documents: Sequence[Document]) -> list[DocumentResult]:
        """Analyse ``documents`` together, in passes of at most ``PASS_CHARS`` characters; results come back in
        input order."""
        return [result for batch in passes(documents, PASS_CHARS) for result in self._analyze_pass(batch)]

    def _analyze_pass(self, documents: Sequence[Document]) -> list[DocumentResult]:
        """One pass: every stage batched over ``documents``."""
        analyses = [Analysis(doc, split_sentences(doc.text), direct_quotes(doc.text)) for doc in documents]
        self._find_entities(analyses)
        for analysis in analyses:
            # Targets of actor stances may be of types the caller did not ask for; the requested actors are the
            # same whichever types are grouped (resolution sees every named actor), so one grouping serves both.
            doc = analysis.document
            analysis.actors = group_actors(
                analysis.entities,
                _grouped_types(doc),
                doc.text,
                analysis.sentences,
                self.resolve_references,
                analysis.marked_quotes,
            )
            analysis.quotes = _quotes(analysis)
        self._issue_stances([a for a in analyses if a.document.options.stances])
        self._actor_stances([a for a in analyses if a.document.options.stances])
        models = self.models_used()
        return [_result(analysis, models) for analysis in analyses]

    def _find_entities(self, analyses: list[Analysis]) -> None:
        """Entities of every article, from one tagger call over all their sentences, repaired per article; the
        quote tagger's spans from the same call, over the same embeddings."""
        heads = [self.quote_tagger] if self.quote_tagger else []
        keep_vectors = self._heads_read_ner_vectors and any(a.document.options.stances for a in analyses)
        layers = self.ner.tag_layers([(a.document.text, a.sentences) for a in analyses], heads, keep_vectors)
        if self.quote_tagger:
            for analysis, spans in zip(analyses, layers.marked[0], strict=True):
                analysis.quote_spans = self.quote_tagger.kept(spans)
        for analysis, vectors in zip(analyses, layers.vectors, strict=True):
            analysis.token_vectors = vectors
        for analysis, found in zip(analyses, layers.entities, strict=True):
            refined = refine_entities(found, analysis.document.text, analysis.sentences)
            analysis.entities = [e for e in refined if e.confidence >= analysis.document.options.min_confidence]

    def _actor_stances(self, analyses: list[Analysis]) -> None:
        """Each requested actor's stances toward the other actors, from one actor-stance model call over the
        evidence of every article (``service.relations``)."""
        evidence: list[list[Evidence]] = []
        for analysis in analyses:
            requested = {actor.id for actor in analysis.requested_actors}
            sources = {i for i, actor in enumerate(analysis.actors) if actor.id in requested}
            targets = target_actor_ids(analysis.actors)
            doc = analysis.document
            evidence.append(
                select_evidence(doc.text, analysis.sentences, analysis.actors, analysis.quotes, sources, targets)
            )
        pairs = [(item.model_text, item.source_span, item.target_span) for found in evidence for item in found]
        tokens = self._pair_tokens(analyses, evidence) if self.actor_stance_model.reads_vectors else None
        verdicts = self.actor_stance_model.predict(pairs, tokens)
        position = 0
        for analysis, found in zip(analyses, evidence, strict=True):
            by_source = aggregate_relations(
                found, verdicts[position : position + len(found)], analysis.actors, self.actor_stance_model.calibration
            )
            position += len(found)
            for source, stances in by_source.items():
                analysis.stances.setdefault(analysis.actors[source].id, []).extend(stances)

    @property
    def _heads_read_ner_vectors(self) -> bool:
        """Whether the actor-stance heads read the NER model's own vectors (the same stack)."""
        return self.actor_stance_model.reads_vectors and self.actor_stance_model.embeddings is self.ner.embeddings

    def _pair_tokens(self, analyses: list[Analysis], evidence: list[list[Evidence]]) -> list[PairTokens]:
        """Each piece of evidence as the actor-stance heads read it: its sentence's token vectors (the NER
        pass's, else embedded here once per sentence in one call) and the pair's flags."""
        from service.models.pair_head import pair_tokens  # torch: loaded with the models, not with this module

        missing = sorted(
            {
                (a, item.sentence_index)
                for a, (analysis, found) in enumerate(zip(analyses, evidence, strict=True))
                for item in found
                if not analysis.token_vectors
            }
        )
        texts = [[token.text for token in analyses[a].sentences[i].tokens] for a, i in missing]
        own = dict(zip(missing, self.actor_stance_model.sentence_vectors(texts) if texts else [], strict=True))
        tokens = []
        for a, (analysis, found) in enumerate(zip(analyses, evidence, strict=True)):
            for item in found:
                sentence = analysis.sentences[item.sentence_index]
                index = item.sentence_index
                vectors = analysis.token_vectors[index].tensor() if analysis.token_vectors else own[(a, index)]
                offsets = [(t.start - sentence.start, t.end - sentence.start) for t in sentence.tokens]
                tokens.append(pair_tokens(vectors, offsets, *item.sentence_spans(), quote=item.kind == "quote"))
        return tokens

    def _issue_stances(self, analyses: list[Analysis]) -> None:
        """Each requested actor's issue stances, from one stance-model call over every name mention's window.

        Only names feed the windows: the stance model was trained on windows around names, and on corpus dev
        adding the pronouns' windows lowered macro-F1 from 0.312 to 0.306, and the descriptions' too to 0.290.
        """
        inputs = [
            _StanceInput(
                analysis,
                actor.id,
                m,
                stance_window(analysis.document.text, analysis.sentences, m.sentence, m.start, m.end),
            )
            for analysis in analyses
            for actor in analysis.requested_actors
            for m in actor.mentions
            if m.kind == "name"
        ]
        if not inputs:
            return
        predictions = self.stance_model.predict_relevant([item.window for item in inputs])
        pooled: dict[tuple[int, str], list[tuple[_StanceInput, list[TopicStance]]]] = {}
        for item, prediction in zip(inputs, predictions, strict=True):
            pooled.setdefault((id(item.analysis), item.actor), []).append((item, prediction))
        for items in pooled.values():
            analysis, actor = items[0][0].analysis, items[0][0].actor
            stances = aggregate_stances(
                items,
                analysis.document.text,
                analysis.sentences,
                self.stance_model.pole_margin,
                self.stance_model.calibration,
            )
            if stances:
                analysis.stances.setdefault(actor, []).extend(stances)

    def stance(
        self,
        text: str,
        start: int,
        end: int,
        topics: Sequence[str] | None,
        target: tuple[int, int] | None = None,
    ) -> TargetedStanceResult:
        """Stance of the actor at ``text[start:end]`` (a span the caller chose) on ``topics``, and toward
        the actor at ``text[target[0]:target[1]]`` when a target span is given."""
        sentences = split_sentences(text)
        index = _sentence_index(sentences, start, end)
        window = stance_window(text, sentences, index, start, end)
        prediction = self.stance_model.predict([window], topics)[0]
        return TargetedStanceResult(
            actor=Span(text[start:end], start, end),
            window=window,
            model=self.models_used().stance,
            stances=tuple(prediction),
            target_stance=None if target is None else self._pair_stance(text, sentences, (start, end), target),
        )

    def _pair_stance(
        self, text: str, sentences: list[Sentence], source: tuple[int, int], target: tuple[int, int]
    ) -> PairStanceResult:
        """The actor-stance model on the sentences from the one holding the earlier span to the one holding
        the later span (the model reads one stretch of text with both actors marked)."""
        first = _sentence_index(sentences, *min(source, target))
        last = _sentence_index(sentences, *max(source, target))
        begin = min(sentences[first].start, source[0], target[0])
        finish = max(sentences[last].end, source[1], target[1])
        stretch = text[begin:finish]
        # The request schema made sure that both spans hold a word character: the model marks the words.
        source_words, target_words = word_span(text, *source), word_span(text, *target)
        [verdict] = self.actor_stance_model.predict(
            [
                (
                    stretch,
                    (source_words[0] - begin, source_words[1] - begin),
                    (target_words[0] - begin, target_words[1] - begin),
                )
            ]
        )
        return PairStanceResult(
            target=Span(text[target[0] : target[1]], *target),
            position=verdict.position,
            confidence=side_confidence(verdict.position, verdict.confidence, self.actor_stance_model.calibration),
            scores=verdict.scores,
            evidence=Span(stretch, begin, finish),
            model=self.models_used().actor_stance,
        )


def passes(documents: Sequence[Document], limit: int) -> list[list[Document]]:
    """Consecutive documents grouped so that no group holds more than ``limit`` characters of text (a longer
    document is a group of its own)."""
    groups: list[list[Document]] = []
    size = 0
    for doc in documents:
        if not groups or size + len(doc.text) > limit:
            groups.append([])
            size = 0
        groups[-1].append(doc)
        size += len(doc.text)
    return groups


def _grouped_types(doc: Document) -> set[str]:
    """The actor types to group: the requested ones, plus every type a stance may be toward."""
    return set(doc.options.actor_types) | (TARGET_TYPES if doc.options.stances else set())


def _quotes(analysis: Analysis) -> list[Quote]:
    """The article's quotes, speakers resolved through every mention (of any kind) of its requested actors."""
    text = analysis.document.text
    return find_quotes(
        text, analysis.sentences, analysis.requested_actors, analysis.quote_spans, analysis.marked_quotes
    )


def _result(analysis: Analysis, models: ModelsUsed) -> DocumentResult:
    doc, actors = analysis.document, analysis.requested_actors
    weights = salience(actors)
    said_by: dict[str, list[Quote]] = {}
    for quote in analysis.quotes:
        if quote.speaker is not None:
            said_by.setdefault(quote.speaker, []).append(quote)
    return DocumentResult(
        id=doc.id,
        title=doc.title,
        published_at=doc.published_at,
        models=models,
        entities=tuple(analysis.entities),
        actors=tuple(
            _actor_result(actor, weights[i], said_by, analysis.stances.get(actor.id, []))
            for i, actor in enumerate(actors)
        ),
        quotes=tuple(analysis.quotes),
    )


def _actor_result(actor: Actor, weight: float, said_by: dict[str, list[Quote]], stances: list[Stance]) -> ActorResult:
    return ActorResult(
        id=actor.id,
        name=actor.name,
        type=actor.type,
        salience=weight,
        mentions=tuple(actor.mentions),
        quotes=tuple(said_by.get(actor.id, ())),
        stances=tuple(stances),
    )


def aggregate_stances(
    items: list[tuple[_StanceInput, list[TopicStance]]],
    text: str,
    sentences: list[Sentence],
    pole_margin: float = 0.0,
    calibration: Calibration | None = None,
) -> list[Stance]:
    """One stance per topic from the actor's on-topic mentions, most relevant first.

    Scores are averaged over the mentions the relevance gate passed; the reported position is the argmax
    of the average, and the evidence is the passed mention that supports that position most strongly.
    Topics no mention is about are left out: silence, not a guessed neutral. A pole whose average beats the
    other pole's by less than ``pole_margin`` is reported ``neutral`` (the model's ``pole_margin``, chosen on
    corpus dev: a near tie between the poles is where the wrong pole comes from). The confidence is the mean
    score of the position through the model's ``calibration`` (the chance such a stance is right).
    """
    by_topic: dict[str, list[tuple[_StanceInput, TopicStance]]] = {}
    for item, prediction in items:
        for topic_stance in prediction:
            if topic_stance.relevant:
                by_topic.setdefault(topic_stance.topic, []).append((item, topic_stance))
    stances = []
    for topic, passed in by_topic.items():
        mean = {p: sum(ts.scores[p] for _, ts in passed) / len(passed) for p in POSITIONS}
        position = max(POSITIONS, key=mean.get)
        if position != "neutral" and abs(mean["positive"] - mean["negative"]) < pole_margin:
            position = "neutral"
        best, _ = max(passed, key=lambda pair: pair[1].scores[position] * pair[1].relevance)
        sentence = sentences[best.mention.sentence]
        stances.append(
            Stance(
                topic=topic,
                position=position,
                confidence=calibrated(calibration, mean[position]),
                scores=mean,
                relevance=max(ts.relevance for _, ts in passed),
                evidence=Span(text[sentence.start : sentence.end], sentence.start, sentence.end),
                mentions=len(passed),
            )
        )
    return sorted(stances, key=lambda s: -s.relevance)


def _sentence_index(sentences: list[Sentence], start: int, end: int) -> int:
    """The sentence that holds the span's start (or the nearest one before it)."""
    index = 0
    for i, sentence in enumerate(sentences):
        if sentence.start <= start:
            index = i
    return index
