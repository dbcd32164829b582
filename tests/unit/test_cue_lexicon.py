"""The cue miner keeps the word forms annotators mark as cues almost wherever they stand, and only new ones."""

from __future__ import annotations

from corpus.store import Article
from training.cue_lexicon import OUT, cue_forms, known_cue_words, main


def _article(text: str, cues: list[str]) -> Article:
    quotes = []
    for word in cues:
        start = text.index(word, quotes[-1]["cue"][1] if quotes else 0)
        quotes.append({"cue": [start, start + len(word)]})
    return Article({"id": "a", "quotes": [*quotes, {"cue": None}]}, text)


def test_a_form_is_kept_when_it_is_a_cue_often_enough_and_in_enough_of_its_places():
    text = (
        "X pleit dat. Y pleit dat. Z pleit dat. X oppert dat. Y oppert dat. Z oppert. A oppert. B oppert. "
        "X zegt dat. Y zegt dat."
    )
    articles = [_article(text, ["pleit", "pleit", "pleit", "oppert", "oppert", "zegt", "zegt"])]
    # "pleit": 3 cues of 3 places; "oppert": 2 of 5 (too rarely a cue); "zegt": already a speech verb
    assert cue_forms(articles, known_cue_words(), min_count=2, min_cue_share=0.5) == ["pleit"]
    assert cue_forms(articles, known_cue_words(), min_count=4, min_cue_share=0.5) == []
    assert cue_forms(articles, known_cue_words(), min_count=2, min_cue_share=0.4) == ["pleit", "oppert"]


def test_the_known_forms_are_the_hand_written_quote_lexicons_not_the_mined_one():
    known = known_cue_words()
    assert {"zegt", "vindt", "aldus", "liet"} <= known
    assert "pleit" not in known


def test_the_shipped_cues_are_what_the_miner_writes_from_the_train_articles_it_learned_from(tmp_path):
    """The file was mined when the train split held 1,032 articles; it has grown since, so only
    ``--train-articles 1032`` writes it again, byte for byte."""
    mined = tmp_path / "corpus_speech_verbs.txt"
    assert main(["--train-articles", "1032", "--out", str(mined)]) == 0
    assert mined.read_bytes() == OUT.read_bytes()
