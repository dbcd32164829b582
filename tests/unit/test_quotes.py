"""Quote attribution on Dutch news sentences written for these tests: every quote style, every cue family,
speakers through mentions (names, pronouns, descriptions), continued quotes, unnamed sources, and hostile
inputs."""

from __future__ import annotations

import pytest

from service.quotes import find_quotes
from service.results import Quote
from service.text import split_sentences
from tests.unit.marked_text import actors_of


def mention(text: str, words: str, actor: str, occurrence: int = 0) -> tuple[int, int, str]:
    """The ``occurrence``-th mention of ``words`` in ``text``, for actor ``actor``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words), actor


def quotes_of(text: str, mentions: list[tuple[int, int, str]] | None = None) -> list[Quote]:
    found = find_quotes(text, split_sentences(text), actors_of(text, mentions or []))
    for quote in found:
        assert text[quote.start : quote.end] == quote.text
        for span in (quote.cue, quote.speaker_text):
            if span is not None:
                assert text[span.start : span.end] == span.text
    return found


def only(found: list[Quote]) -> Quote:
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("„We gaan door met het overleg”, zei Rutte.", "We gaan door met het overleg"),
        (",,We gaan door met het overleg'', zei Rutte.", "We gaan door met het overleg"),
        (",,We gaan door met het overleg”, zei Rutte.", "We gaan door met het overleg"),
        ("“We gaan door met het overleg”, zei Rutte.", "We gaan door met het overleg"),
        ('"We gaan door met het overleg", zei Rutte.', "We gaan door met het overleg"),
        ("'We gaan door met het overleg', zei Rutte.", "We gaan door met het overleg"),
        ("’We gaan door met het overleg’, zei Rutte.", "We gaan door met het overleg"),
        ("«We gaan door met het overleg», zei Rutte.", "We gaan door met het overleg"),
    ],
)
def test_every_quote_style_gives_the_text_inside_the_marks_and_its_speaker(text: str, inner: str) -> None:
    quote = only(quotes_of(text, [mention(text, "Rutte", "per:mark-rutte")]))
    assert (quote.text, quote.kind, quote.speaker) == (inner, "direct", "per:mark-rutte")
    assert quote.cue is not None and quote.cue.text == "zei"
    assert quote.speaker_text is not None and quote.speaker_text.text == "Rutte"
    assert quote.sentences == (0,)


def test_apostrophes_do_not_open_or_close_quotes() -> None:
    text = (
        "Rutte's kabinet wil z'n plannen 's avonds bespreken, en de auto's van Wilders' partij staan in de "
        "jaren '90 nog buiten. 'Dat is geen goed idee', zei Rutte."
    )
    quote = only(quotes_of(text, [mention(text, "Rutte", "per:mark-rutte", 1)]))
    assert quote.text == "Dat is geen goed idee"
    assert quote.speaker == "per:mark-rutte"


def test_a_quote_over_several_sentences_and_paragraphs_is_one_quote() -> None:
    text = (
        ",,We hebben lang gepraat. Het was een zware avond.\n\n"
        ",,Maar we zijn eruit. Morgen gaan we verder'', aldus Kaag."
    )
    quote = only(quotes_of(text, [mention(text, "Kaag", "per:sigrid-kaag")]))
    assert quote.text.startswith("We hebben lang gepraat.")
    assert quote.text.endswith("Morgen gaan we verder")
    assert quote.speaker == "per:sigrid-kaag"
    assert quote.sentences == (0, 1, 2, 3)


@pytest.mark.parametrize(
    ("text", "reported", "cue", "speaker"),
    [
        ("Trump zei dat hij de handelsdeal niet zal tekenen.", "hij de handelsdeal niet zal tekenen", "zei", "Trump"),
        ("Gisteren zei Trump dat de deal van tafel is.", "de deal van tafel is", "zei", "Trump"),
        ("Trump zegt te zullen kijken naar een nieuwe deal.", "zullen kijken naar een nieuwe deal", "zegt", "Trump"),
        # what the infinitive governs is said too; an adverb of the cue is not
        ("Trump zegt gisteren aan te zullen schuiven.", "aan te zullen schuiven", "zegt", "Trump"),
        (
            "Trump heeft aangegeven de boeren tegemoet te willen komen.",
            "de boeren tegemoet te willen komen",
            "aangegeven",
            "Trump",
        ),
        ("Gisteren zei Trump de boeren niet te vertrouwen.", "de boeren niet te vertrouwen", "zei", "Trump"),
        ("Trump riep de boeren op om alleen kaarten te kopen.", "alleen kaarten te kopen", "riep", "Trump"),
        ("Volgens Trump is China bewust traag.", "is China bewust traag", "volgens", "Trump"),
        # the speaker reaches over its prepositional phrases up to the verb
        (
            "Volgens president Trump van de VS in Washington is China traag.",
            "is China traag",
            "volgens",
            "president Trump",
        ),
        ("China is bewust traag, volgens Trump.", "China is bewust traag", "volgens", "Trump"),
        # "volgens" opening a clause after an adverb or after a comma and a conjunction reports the rest of it
        ("Ook volgens Trump gaat het kabinet te ver.", "gaat het kabinet te ver", "volgens", "Trump"),
        ("Het regent, maar volgens Trump is het droog.", "is het droog", "volgens", "Trump"),
        ("Het kabinet heeft volgens Trump geen plan.", "Het kabinet heeft volgens Trump geen plan", "volgens", "Trump"),
        ("China is bewust traag, aldus Trump.", "China is bewust traag", "aldus", "Trump"),
        ("Trump stelt dat China vals speelt.", "China vals speelt", "stelt", "Trump"),
        ("Trump benadrukt dat de economie groeit.", "de economie groeit", "benadrukt", "Trump"),
        ("Trump vertelde dat hij de koning had gebeld.", "hij de koning had gebeld", "vertelde", "Trump"),
        ("Trump liet weten dat hij niet komt.", "hij niet komt", "liet", "Trump"),
        ("Gisteren liet Trump weten dat hij niet komt.", "hij niet komt", "liet", "Trump"),
        ("Trump meldt dat de gesprekken zijn vastgelopen.", "de gesprekken zijn vastgelopen", "meldt", "Trump"),
        ("Trump schrijft dat de Democraten liegen.", "de Democraten liegen", "schrijft", "Trump"),
        ("Trump twitterde dat hij de verkiezingen wint.", "hij de verkiezingen wint", "twitterde", "Trump"),
        ("Trump reageerde dat hij er niets van wist.", "hij er niets van wist", "reageerde", "Trump"),
        ("Trump vindt dat Europa te weinig betaalt.", "Europa te weinig betaalt", "vindt", "Trump"),
        ("Trump verklaarde dat de muur er komt.", "de muur er komt", "verklaarde", "Trump"),
        ("Trump waarschuwt dat de heffingen omhooggaan.", "de heffingen omhooggaan", "waarschuwt", "Trump"),
        ("De heffingen gaan omhoog. Dat zegt Trump.", "De heffingen gaan omhoog", "zegt", "Trump"),
        ("Trump reageerde boos: de deal is van tafel.", "de deal is van tafel", "reageerde", "Trump"),
    ],
)
def test_every_cue_family_reports_a_clause_with_its_speaker(text: str, reported: str, cue: str, speaker: str) -> None:
    quote = only(quotes_of(text, [mention(text, "Trump", "per:donald-trump")]))
    assert quote.kind == "indirect"
    assert quote.text == reported
    assert quote.cue is not None and quote.cue.text.lower() == cue
    assert quote.speaker_text is not None and quote.speaker_text.text == speaker
    assert quote.speaker == "per:donald-trump"


@pytest.mark.parametrize(
    ("text", "reported", "cue"),
    [
        ("Trump pleit ervoor dat Europa meer betaalt.", "Europa meer betaalt", "pleit"),
        ("Europa moet meer betalen, eiste Trump.", "Europa moet meer betalen", "eiste"),
        ("Trump adviseert dat de bondgenoten meer uitgeven.", "de bondgenoten meer uitgeven", "adviseert"),
    ],
)
def test_speech_verbs_mined_from_the_corpus_report_like_the_written_ones(text: str, reported: str, cue: str) -> None:
    quote = only(quotes_of(text, [mention(text, "Trump", "per:donald-trump")]))
    assert (quote.text, quote.cue is not None and quote.cue.text, quote.speaker) == (reported, cue, "per:donald-trump")


def test_words_that_look_like_cues_report_nothing() -> None:
    text = (
        "De wedstrijd vindt plaats in Rotterdam. Trump maakte duidelijk geen haast te hebben. "
        "Volgens plan begint het om acht uur."
    )
    assert quotes_of(text, [mention(text, "Trump", "per:donald-trump")]) == []


def test_a_negated_speech_verb_after_a_comma_is_no_trailing_attribution() -> None:
    text = "Veel landen, zoals Nederland, erkennen Maduro niet meer als president."
    assert quotes_of(text, [mention(text, "Maduro", "per:nicolas-maduro")]) == []
    recognised = "De meeste landen, zoals Nederland, erkennen Guaidó als het wettige staatshoofd."
    assert quotes_of(recognised, [mention(recognised, "Guaidó", "per:juan-guaido")]) == []
    attributed = "Het overleg was nuttig, erkende Maduro."
    assert only(quotes_of(attributed, [mention(attributed, "Maduro", "per:nicolas-maduro")])).speaker == (
        "per:nicolas-maduro"
    )


def test_colon_quotes_take_the_name_or_the_cue_before_the_colon() -> None:
    text = "Wilders: ,,Dit kabinet moet weg.'' Rutte reageerde kalm: ,,Dat zien we dan wel.''"
    mentions = [mention(text, "Wilders", "per:geert-wilders"), mention(text, "Rutte", "per:mark-rutte")]
    first, second = quotes_of(text, mentions)
    assert (first.text, first.speaker, first.cue.text if first.cue else None) == (
        "Dit kabinet moet weg.",
        "per:geert-wilders",
        ":",
    )
    assert (second.text, second.speaker, second.cue.text if second.cue else None) == (
        "Dat zien we dan wel.",
        "per:mark-rutte",
        "reageerde",
    )


def test_pronoun_and_description_speakers_resolve_through_their_mentions() -> None:
    text = (
        "Premier Rutte sprak maandag met de pers. ,,We gaan het doen'', zei hij. "
        "De Russische president Poetin reageerde later. ,,Dat is een vergissing'', zegt de Russische leider."
    )
    mentions = [
        mention(text, "Rutte", "per:mark-rutte"),
        mention(text, "hij", "per:mark-rutte"),
        mention(text, "Poetin", "per:vladimir-poetin"),
        mention(text, "de Russische leider", "per:vladimir-poetin"),
    ]
    first, second = quotes_of(text, mentions)
    assert (first.speaker_text.text if first.speaker_text else None, first.speaker) == ("hij", "per:mark-rutte")
    assert (second.speaker_text.text if second.speaker_text else None, second.speaker) == (
        "de Russische leider",
        "per:vladimir-poetin",
    )


def test_a_pronoun_reference_resolution_left_unlinked_stays_an_unnamed_speaker() -> None:
    """Which person "hij" is, is the reference ranker's decision: where it linked no one, the person named
    just before is not taken instead ("Flink en Gorillas … Hij wijst erop" is neither company)."""
    text = "Jan Jansen woont al twintig jaar in de wijk. ,,Het is hier altijd rustig geweest'', zegt hij."
    quote = only(quotes_of(text, [mention(text, "Jan Jansen", "per:jan-jansen")]))
    assert quote.speaker_text is not None and quote.speaker_text.text == "hij"
    assert quote.speaker is None


def test_an_unlinked_pronoun_takes_the_speaker_of_the_quote_just_before() -> None:
    text = ",,We gaan door'', zegt Jan Jansen. Het regende. ,,Het is hier altijd rustig geweest'', zegt hij."
    first, second = quotes_of(text, [mention(text, "Jan Jansen", "per:jan-jansen")])
    assert first.speaker == "per:jan-jansen"
    assert second.speaker_text is not None and second.speaker_text.text == "hij"
    assert second.speaker == "per:jan-jansen"


def test_an_unlinked_pronoun_does_not_take_a_speaker_from_paragraphs_before() -> None:
    text = (
        ",,We gaan door'', zegt Jan Jansen. Het regende. De zaal was vol. Er waren veel journalisten. "
        "Niemand wist waarom. ,,Het is hier altijd rustig geweest'', zei hij."
    )
    first, second = quotes_of(text, [mention(text, "Jan Jansen", "per:jan-jansen")])
    assert first.speaker == "per:jan-jansen"
    assert second.speaker is None


def test_a_quote_right_after_one_by_the_same_speaker_continues_it() -> None:
    text = (
        ",,De onderhandelingen zijn zwaar'', aldus Hoekstra. ,,Maar we komen eruit.''\n\n"
        ",,Iedereen wil een akkoord.'' De Tweede Kamer debatteert donderdag."
    )
    mentions = [mention(text, "Hoekstra", "per:wopke-hoekstra")]
    first, second, third = quotes_of(text, mentions)
    assert first.cue is not None and first.cue.text == "aldus"
    for continued in (second, third):
        assert continued.cue is None
        assert continued.speaker == "per:wopke-hoekstra"
        assert continued.speaker_text == first.speaker_text


def test_an_interrupted_quote_keeps_its_speaker() -> None:
    text = ",,Wij zijn'', zegt Jetten, ,,niet van plan om toe te geven.''"
    first, second = quotes_of(text, [mention(text, "Jetten", "per:rob-jetten")])
    assert (first.text, second.text) == ("Wij zijn", "niet van plan om toe te geven.")
    assert first.speaker == second.speaker == "per:rob-jetten"


def test_unnamed_sources_have_speaker_text_but_no_speaker() -> None:
    text = (
        ",,We onderzoeken de zaak'', zegt een woordvoerder van de gemeente. "
        "Volgens de politie is de verdachte voortvluchtig."
    )
    first, second = quotes_of(text)
    assert (first.speaker, first.speaker_text.text if first.speaker_text else None) == (None, "een woordvoerder")
    assert (second.speaker, second.speaker_text.text if second.speaker_text else None) == (None, "de politie")
    assert second.text == "is de verdachte voortvluchtig"


def test_an_organisation_speaks_when_it_is_an_actor() -> None:
    text = "Volgens de politie is de verdachte voortvluchtig."
    quote = only(quotes_of(text, [mention(text, "politie", "org:politie")]))
    assert quote.speaker == "org:politie"


def test_scare_quotes_are_not_quotes_but_attributed_short_quotes_are() -> None:
    text = "De 'koning van de weide' is bedreigd. Baudet noemt het akkoord de 'grootste zelfmoordbrief'."
    quote = only(quotes_of(text, [mention(text, "Baudet", "per:thierry-baudet")]))
    assert (quote.text, quote.speaker) == ("grootste zelfmoordbrief", "per:thierry-baudet")


def test_a_clause_mixing_reported_words_and_a_direct_quote_is_one_indirect_quote() -> None:
    text = "De schade is 'enorm en verschrikkelijk', aldus een zegsman van het Rode Kruis."
    quote = only(quotes_of(text))
    assert (quote.kind, quote.text) == ("indirect", "De schade is 'enorm en verschrikkelijk'")


def test_quotes_nested_in_a_quote_stay_inside_the_outer_quote() -> None:
    text = ",,Ze riepen 'weg ermee' en 'nu stoppen' en liepen weg'', zei de agent."
    quote = only(quotes_of(text))
    assert quote.text == "Ze riepen 'weg ermee' en 'nu stoppen' en liepen weg"
    assert quote.speaker_text is not None and quote.speaker_text.text == "de agent"


def test_unbalanced_quote_marks_invent_no_long_quotes() -> None:
    text = 'Hij zei " niets. En toen " ging het verder.\n\nDe " volgende alinea is gewoon tekst. "Ok'
    assert quotes_of(text) == []
    bounded = only(quotes_of(",,Dit citaat sluit nooit, zegt de man en gaat door.\n\nNieuwe alinea zonder citaat."))
    assert bounded.text == "Dit citaat sluit nooit, zegt de man en gaat door."


def test_ten_thousand_quote_marks_and_a_huge_quote_are_handled() -> None:
    marks = '" ' * 5_000 + "' " * 5_000
    assert isinstance(quotes_of(marks), list)
    alternating = ('"Ja." ' + ",,Nee.'' ") * 2_500
    found = quotes_of(alternating)
    assert len(found) == 5_000
    long_words = ("woord " * 34_000).strip()
    huge = f',,{long_words}", zei Rutte.'
    assert len(huge) > 200_000
    quote = only(quotes_of(huge, [mention(huge, "Rutte", "per:mark-rutte")]))
    assert quote.speaker == "per:mark-rutte"
    assert quote.text == long_words


def test_the_sample_articles_aldus_and_zei_quotes_go_to_the_right_actor() -> None:
    text = (
        '"We moeten ons laten leiden door feiten, niet door geruchten", aldus Poetin.\n\n'
        ",,We hebben open en diepgaand gesproken”, aldus de Amerikaanse president.\n\n"
        "Er was gesproken over terrorisme en cyberveiligheid, aldus Poetin. "
        ",,We zijn beiden verantwoordelijk”, zei Trump nu. ,,Deze dialoog had eerder gevoerd moeten worden.”"
    )
    mentions = [
        mention(text, "Poetin", "per:vladimir-poetin"),
        mention(text, "de Amerikaanse president", "per:donald-trump"),
        mention(text, "Poetin", "per:vladimir-poetin", 1),
        mention(text, "Trump", "per:donald-trump"),
    ]
    speakers = [(q.text[:20], q.speaker) for q in quotes_of(text, mentions)]
    assert speakers == [
        ("We moeten ons laten ", "per:vladimir-poetin"),
        ("We hebben open en di", "per:donald-trump"),
        ("Er was gesproken ove", "per:vladimir-poetin"),
        ("We zijn beiden veran", "per:donald-trump"),
        ("Deze dialoog had eer", "per:donald-trump"),
    ]


def test_a_huge_sentence_full_of_cue_words_gives_one_bounded_quote() -> None:
    text = "Trump zei dat " * 15_000
    found = quotes_of(text, [mention(text, "Trump", "per:donald-trump")])
    assert len(found) == 1
    assert found[0].end <= len(text)
    assert quotes_of("„Dit gaat maar door\n\n" * 3_000) == []
    assert quotes_of("") == quotes_of('"') == quotes_of(",,") == []


def test_a_short_quote_alone_on_its_line_is_a_headline_not_a_quote() -> None:
    text = "„We steunen jullie”, zei Trump.\n'Half miljard voor één telefoontje'\n„Jullie zijn rijk.”"
    found = quotes_of(text, [mention(text, "Trump", "per:donald-trump")])
    assert [q.text for q in found] == ["We steunen jullie", "Jullie zijn rijk."]
    assert found[1].speaker == "per:donald-trump"


def test_a_person_opening_the_sentence_before_speaks_an_uncued_quote() -> None:
    text = "Van der Staaij sloeg terug met een kwinkslag. „Als ik naar het debat kijk, ga ik twijfelen.”"
    quote = only(quotes_of(text, [mention(text, "Van der Staaij", "per:kees-van-der-staaij")]))
    assert quote.cue is None
    assert quote.speaker == "per:kees-van-der-staaij"


def test_a_person_introduced_after_an_earlier_quote_takes_over_from_its_speaker() -> None:
    text = (
        '"Dit ruikt naar kiezersbedrog," zegt Tom van der Lee. "Dit is niet genoeg." '
        'Ook Kamerlid William Moorlag is verbijsterd. "Rutte en Wiebes doen dit op deze manier."'
    )
    mentions = [mention(text, "Tom van der Lee", "per:van-der-lee"), mention(text, "William Moorlag", "per:moorlag")]
    speakers = [quote.speaker for quote in quotes_of(text, mentions)]
    assert speakers == ["per:van-der-lee", "per:van-der-lee", "per:moorlag"]


def test_a_sentence_reporting_speech_is_continued_by_the_quote_after_it() -> None:
    text = "Re-Match bouwt nog 23 fabrieken, zegt Terwisga. ,,Deze is de eerste in Nederland.''"
    mentions = [mention(text, "Re-Match", "per:re-match"), mention(text, "Terwisga", "per:terwisga")]
    assert quotes_of(text, mentions)[-1].speaker == "per:terwisga"


def test_a_colon_introduces_new_words_instead_of_continuing_the_previous_speaker() -> None:
    text = (
        "'Ingewikkeld allemaal', zei Rutte. Het was zoals Charles Bukowski ooit dichtte: "
        "'If you're doing it for money or fame, don't do it.'"
    )
    mentions = [mention(text, "Rutte", "per:mark-rutte"), mention(text, "Charles Bukowski", "per:charles-bukowski")]
    first, second = quotes_of(text, mentions)
    assert first.speaker == "per:mark-rutte"
    assert second.text == "If you're doing it for money or fame, don't do it."
    assert (second.speaker, second.cue.text if second.cue else None) == ("per:charles-bukowski", ":")


def test_van_joins_a_name_only_inside_one_mention_not_a_person_to_an_organisation() -> None:
    text = ",,Ik ben blij'', zegt Gjalt Jellesma van BOinK. ,,Dit helpt'', zegt woordvoerder Wiebe van Terwisga."
    mentions = [
        mention(text, "Gjalt Jellesma", "per:gjalt-jellesma"),
        mention(text, "BOinK", "per:boink"),
        mention(text, "Wiebe van Terwisga", "per:wiebe-van-terwisga"),
    ]
    first, second = quotes_of(text, mentions)
    assert (first.speaker_text.text if first.speaker_text else None, first.speaker) == (
        "Gjalt Jellesma",
        "per:gjalt-jellesma",
    )
    assert (second.speaker_text.text if second.speaker_text else None, second.speaker) == (
        "woordvoerder Wiebe van Terwisga",
        "per:wiebe-van-terwisga",
    )


def test_a_negation_before_the_reported_clause_stays_with_the_quote() -> None:
    """ "gelooft niet dat …" reports the opposite of "gelooft dat …": the negation belongs to the cue (the
    annotation guideline's cue span); before "te" it is part of what is said."""
    text = "Jansen gelooft niet dat het plan werkt. Pietersen zei gisteren niet te willen stoppen."
    jansen, pietersen = mention(text, "Jansen", "per:jansen"), mention(text, "Pietersen", "per:pietersen")
    believes, stops = quotes_of(text, [jansen, pietersen])
    assert (believes.text, believes.cue.text, believes.speaker) == ("het plan werkt", "gelooft niet", "per:jansen")
    assert (stops.text, stops.cue.text, stops.speaker) == ("niet te willen stoppen", "zei", "per:pietersen")


def test_a_spokesperson_speaks_for_the_actor_after_van_and_for_no_one_without_it() -> None:
    """The guideline's rule: "een woordvoerder van Shell" says what Shell says; of an unnamed one, no actor."""
    text = (
        "Een woordvoerder van Shell zegt dat het bedrijf in beroep gaat. "
        "Een woordvoerder van de politie zegt dat er niemand is aangehouden."
    )
    shell, police = quotes_of(text, [mention(text, "Shell", "org:shell")])
    assert (shell.speaker, shell.speaker_text.text) == ("org:shell", "Een woordvoerder")
    assert police.speaker is None and police.speaker_text.text == "Een woordvoerder"


def test_an_opening_possessive_does_not_name_the_speaker_except_before_a_spokesperson() -> None:
    """ "Zijn partij" speaks for the party, not for the man "Zijn" stands for; "zijn woordvoerder" speaks for him."""
    text = (
        "Wilders kondigde het plan maandag aan. Zijn partij stelt dat de grenzen dicht moeten. "
        "Zijn woordvoerder zegt dat het voorstel deze week komt."
    )
    possessives = [mention(text, "Zijn", "per:geert-wilders", occurrence) for occurrence in (0, 1)]
    party, spokesperson = quotes_of(text, [mention(text, "Wilders", "per:geert-wilders"), *possessives])
    assert (party.speaker, party.speaker_text.text) == (None, "Zijn partij")
    assert (spokesperson.speaker, spokesperson.speaker_text.text) == ("per:geert-wilders", "Zijn woordvoerder")
