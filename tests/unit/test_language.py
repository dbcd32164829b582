"""The language check on the real py3langid model: other languages are recognised, Dutch stays Dutch even when it
quotes English at length or introduces an English changelog, and short texts are never judged."""

import pytest

from service.models.language import LanguageGuess

DUTCH = "Premier Mark Rutte heeft donderdag in Den Haag gezegd dat het kabinet de plannen voor de zomer afrondt."
ENGLISH = "President Trump said on Monday that the talks with China were going very well and that a deal was close."
GERMAN = "Der Bundeskanzler sagte am Montag in Berlin, dass die Verhandlungen mit den Ländern gut vorankommen."


@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (GERMAN, "de")])
def test_an_article_in_another_language_is_clearly_not_dutch(language_identifier, text, language):
    guess = language_identifier.identify(text)
    assert (guess.language, guess.clearly_not_dutch) == (language, True)
    assert guess.confidence >= 0.95


def test_dutch_is_dutch(language_identifier):
    guess = language_identifier.identify(DUTCH)
    assert (guess.language, guess.clearly_not_dutch) == ("nl", False)


def test_a_dutch_article_quoting_english_at_length_stays_dutch(language_identifier):
    text = (
        'Trump was niet mals. "I am the greatest president ever, believe me, nobody has done more for this '
        'country, and we are winning, winning like never before," zei hij. Het Witte Huis reageerde niet.'
    )
    assert language_identifier.identify(text).language == "nl"


def test_a_dutch_lead_before_an_english_changelog_is_not_refused(language_identifier):
    changelog = " ".join(["Fixed a crash when the window is resized.", "Improved performance of the renderer."] * 6)
    text = f"Microsoft heeft een nieuwe versie van zijn ontwikkelomgeving uitgebracht. Dit is de changelog: {changelog}"
    assert not language_identifier.identify(text).clearly_not_dutch
    assert language_identifier.identify(f"{ENGLISH} {changelog}").clearly_not_dutch


def test_a_text_too_short_to_judge_is_never_refused(language_identifier):
    assert language_identifier.identify("Monday") == LanguageGuess(None, 0.0)
    assert not language_identifier.identify("Ajax - PSV 2-1").clearly_not_dutch
