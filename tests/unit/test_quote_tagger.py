"""The quote tagger's two ends: the corpus records it learns from (tokens labelled QUOTE, CUE, SOURCE as the
service tokenises) and the quotes the service makes of the spans it marks, on sentences written for these tests."""

from __future__ import annotations

import pytest

from service.models.loading import ModelLoadError
from service.models.ner import TaggedSpan, load_ner_model
from service.models.quote_tagger import load_quote_tagger
from service.quotes import find_quotes
from service.text import split_sentences
from tests.helpers import SHIPPED_QUOTES
from tests.unit.marked_text import actors_of
from training.quote_tagger import quote_tagged_sentences


def span_of(text: str, words: str) -> list[int]:
    start = text.index(words)
    return [start, start + len(words)]


def marked(text: str, label: str, words: str, occurrence: int = 0) -> TaggedSpan:
    """A span the tagger would mark: ``words`` (its ``occurrence``-th time) under ``label``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    sentence = next(i for i, s in enumerate(split_sentences(text)) if s.start <= start < s.end)
    return TaggedSpan(label, start, start + len(words), 0.9, sentence)


def test_training_sentences_label_content_cue_and_source_with_the_cue_splitting_the_content() -> None:
    text = '"Dit is onzin," zegt Jansen, "en dat blijft het." Het weer was goed.'
    record = {
        "quotes": [
            {
                "content": span_of(text, '"Dit is onzin," zegt Jansen, "en dat blijft het."'),
                "cue": span_of(text, "zegt"),
                "speaker_mention": span_of(text, "Jansen"),
            }
        ]
    }
    first, second = quote_tagged_sentences(text, record)
    tags = dict(first)
    assert tags["zegt"] == "B-CUE"
    assert tags["Jansen"] == "B-SOURCE"
    assert [tag for _, tag in first].count("B-QUOTE") == 2  # before and after the interruption
    assert first[0] == ('"', "B-QUOTE")
    assert {tag for _, tag in second} == {"O"}


def test_training_content_over_two_sentences_opens_anew_in_each() -> None:
    text = "Jansen zei dat het plan mislukt. Het geld is op. Verder niets."
    record = {
        "quotes": [
            {
                "content": span_of(text, "het plan mislukt. Het geld is op"),
                "cue": span_of(text, "zei"),
                "speaker_mention": None,
            }
        ]
    }
    first, second, third = quote_tagged_sentences(text, record)
    assert [tag for _, tag in first] == ["O", "B-CUE", "O", "B-QUOTE", "I-QUOTE", "I-QUOTE", "I-QUOTE"]
    assert [tag for _, tag in second][:2] == ["B-QUOTE", "I-QUOTE"]
    assert {tag for _, tag in third} == {"O"}


def test_a_tagged_reported_clause_no_rule_finds_becomes_an_indirect_quote_of_the_actor_its_source_names() -> None:
    text = "De PvdA keert zich af van het leenstelsel en wil weer een basisbeurs invoeren. Het regent."
    pvda = actors_of(text, [(*span_of(text, "PvdA"), "org:pvda")])
    assert find_quotes(text, split_sentences(text), pvda) == []
    tagged = [
        marked(text, "SOURCE", "PvdA"),
        marked(text, "CUE", "wil"),
        marked(text, "QUOTE", "weer een basisbeurs invoeren"),
    ]
    [quote] = find_quotes(text, split_sentences(text), pvda, tagged)
    assert quote.kind == "indirect"
    assert quote.text == "weer een basisbeurs invoeren"
    assert quote.speaker == "org:pvda"
    assert quote.cue is not None and quote.cue.text == "wil"


def test_tagged_pieces_with_only_a_sentence_break_between_them_are_one_quote() -> None:
    text = "Jansen hamert erop dat het plan mislukt. Het geld is op. Het regent."
    tagged = [
        marked(text, "SOURCE", "Jansen"),
        marked(text, "CUE", "hamert erop"),
        marked(text, "QUOTE", "dat het plan mislukt."),
        marked(text, "QUOTE", "Het geld is op."),
    ]
    [quote] = find_quotes(
        text, split_sentences(text), actors_of(text, [(*span_of(text, "Jansen"), "per:jansen")]), tagged
    )
    assert quote.text == "dat het plan mislukt. Het geld is op."
    assert quote.speaker == "per:jansen"


def test_a_source_in_another_sentence_does_not_speak_the_tagged_quote() -> None:
    text = "Jansen kwam binnen. Het college moet meer woningen bouwen, en snel ook."
    tagged = [marked(text, "SOURCE", "Jansen"), marked(text, "QUOTE", "Het college moet meer woningen bouwen")]
    [quote] = find_quotes(
        text, split_sentences(text), actors_of(text, [(*span_of(text, "Jansen"), "per:jansen")]), tagged
    )
    assert quote.speaker is None


def test_the_rules_quote_stands_where_the_tagger_marks_an_overlapping_one() -> None:
    text = "Jansen denkt dat het plan mislukt. Het regent."
    jansen = actors_of(text, [(*span_of(text, "Jansen"), "per:jansen")])
    tagged = [marked(text, "QUOTE", "Jansen denkt dat het plan mislukt.")]
    [quote] = find_quotes(text, split_sentences(text), jansen, tagged)
    assert quote.text == "het plan mislukt"
    assert quote.speaker == "per:jansen"


def test_a_direct_quote_the_rules_cannot_attribute_takes_the_source_the_tagger_marks_beside_it() -> None:
    text = "Het kabinet is verdeeld. „Dit plan gaat niet door”, moppert Jansen boos. Het regent."
    jansen = actors_of(text, [(*span_of(text, "Jansen"), "per:jansen")])
    [unattributed] = find_quotes(text, split_sentences(text), jansen)
    assert unattributed.speaker is None
    tagged = [
        marked(text, "QUOTE", "„Dit plan gaat niet door”"),
        marked(text, "CUE", "moppert"),
        marked(text, "SOURCE", "Jansen"),
    ]
    [quote] = find_quotes(text, split_sentences(text), jansen, tagged)
    assert quote.kind == "direct"
    assert quote.text == "Dit plan gaat niet door"
    assert quote.speaker == "per:jansen"


@pytest.mark.slow
def test_a_tagged_source_that_names_an_actor_speaks_where_the_rules_read_speaker_words_that_name_none() -> None:
    text = "Volgens voormalig Formule 1-coureur Giedo van der Garde is er een plausibele verklaring. Het regent."
    giedo = actors_of(text, [(*span_of(text, "Giedo van der Garde"), "per:giedo-van-der-garde")])
    [by_rules] = find_quotes(text, split_sentences(text), giedo)
    assert (by_rules.speaker, by_rules.speaker_text.text) == (None, "voormalig Formule")
    tagged = [
        marked(text, "CUE", "Volgens"),
        marked(text, "SOURCE", "Giedo van der Garde"),
        marked(text, "QUOTE", "is er een plausibele verklaring"),
    ]
    [quote] = find_quotes(text, split_sentences(text), giedo, tagged)
    assert quote.speaker == "per:giedo-van-der-garde"
    assert quote.speaker_text is not None and quote.speaker_text.text == "Giedo van der Garde"


def test_a_missing_quote_model_is_an_error_naming_its_setting(shipped_ner, tmp_path) -> None:
    missing = str(tmp_path / "no-quote-model.pt")
    with pytest.raises(ModelLoadError, match=r"^QUOTE_MODEL='.*no-quote-model.pt' cannot be loaded: no such file"):
        load_quote_tagger(missing, shipped_ner)


@pytest.mark.slow
def test_the_shipped_quote_tagger_reads_the_shipped_ner_embeddings_and_keeps_its_own_beside_another_tagger(
    shipped_ner, tiny_tagger_path
) -> None:
    shared = load_quote_tagger(str(SHIPPED_QUOTES), shipped_ner)
    assert shared.shares_embeddings and shared.tagger.embeddings is shipped_ner.embeddings
    tiny = load_ner_model(str(tiny_tagger_path))
    separate = load_quote_tagger(str(SHIPPED_QUOTES), tiny)
    assert not separate.shares_embeddings and separate.tagger.embeddings is not tiny.embeddings
    text = "De PvdA keert zich af van het leenstelsel en wil weer een basisbeurs invoeren."
    sentences = split_sentences(text)
    # The same marks whether the head reads the vectors NER left or embeds the sentences itself.
    [[with_shipped]] = shipped_ner.tag_layers([(text, sentences)], [shared]).marked
    [[with_tiny]] = tiny.tag_layers([(text, sentences)], [separate]).marked
    assert with_shipped == with_tiny
    assert any(span.label == "QUOTE" for span in with_shipped)
