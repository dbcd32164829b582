"""Which language an article is written in, so that a text that is clearly not Dutch is refused instead of
analysed into confident nonsense (an English article's "Monday" as a person with a stance).

The model is py3langid's (langid.py's naive Bayes over byte n-grams, 97 languages, BSD-3), shipped inside its
wheel and loaded once per worker. The article's language is the journalist's, not its sources': text between
quote marks is left out before classifying, so a Dutch article quoting Trump in English stays Dutch. A text too
short to judge, or one the model is not sure of, is never refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.quote_marks import direct_quotes

_LETTER = re.compile(r"[^\W\d_]")
# Fewer letters than this outside quotes: classify the whole text; fewer in the whole text: do not judge.
MIN_LETTERS = 40
# "Clearly": the model's normalised probability for its best language. With this bound the check refused 11 of
# 45,524 news2019 items, each a notice in another language, and none of 1,270 dpgMedia articles
# (bench/results/language_check.json); the English, German and French texts of the tests score 0.99 and more.
CLEAR_CONFIDENCE = 0.95
# The lead a refusal must also hold for: about the first two sentences of a news item.
LEAD_CHARS = 300
# Languages the model confuses with Dutch on short or dialect-coloured text; never a reason to refuse.
DUTCH_LIKE = frozenset({"nl", "af", "fy", "li"})


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The model's best language (ISO 639-1) for a text and its probability; ``None`` when too short to judge."""

    language: str | None
    confidence: float

    @property
    def clearly_not_dutch(self) -> bool:
        return self.language is not None and self.language not in DUTCH_LIKE and self.confidence >= CLEAR_CONFIDENCE


class LanguageIdentifier:
    """py3langid's model with normalised probabilities; ``identify`` is thread-safe (it only reads the model)."""

    def __init__(self, model) -> None:
        self._model = model

    def identify(self, text: str) -> LanguageGuess:
        """The language of the text outside quotes; a text is judged not Dutch only when its opening, the
        journalist's lead, is not Dutch either (a Dutch item introducing an English changelog stays Dutch)."""
        whole = self._guess(text)
        if not whole.clearly_not_dutch:
            return whole
        lead = self._guess(text[:LEAD_CHARS])
        return whole if lead.language is None or lead.clearly_not_dutch else lead

    def _guess(self, text: str) -> LanguageGuess:
        outside_quotes = _outside_quotes(text)
        sample = outside_quotes if len(_LETTER.findall(outside_quotes)) >= MIN_LETTERS else text
        if len(_LETTER.findall(sample)) < MIN_LETTERS:
            return LanguageGuess(None, 0.0)
        language, confidence = self._model.classify(sample)
        return LanguageGuess(language, float(confidence))


def _outside_quotes(text: str) -> str:
    """The text with its direct quotes, marks included, replaced by a space (the quote stage's reader of quote
    marks: every Dutch style, apostrophes in "z'n" or "Trump's" left alone)."""
    pieces, last = [], 0
    for quote in direct_quotes(text):
        pieces += [text[last : quote.mark_start], " "]
        last = quote.mark_end
    return "".join(pieces) + text[last:]


def load_language_identifier() -> LanguageIdentifier:
    """The model file inside the py3langid wheel (no download); about half a second."""
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier as Py3LangId

    return LanguageIdentifier(Py3LangId.from_model_file(MODEL_FILE, norm_probs=True))
