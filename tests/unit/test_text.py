from service.text import split_sentences, tokenize


def test_every_token_and_sentence_slices_the_sample_article(sample_text):
    sentences = split_sentences(sample_text)
    assert len(sentences) == 50
    for sentence in sentences:
        assert sample_text[sentence.start : sentence.end].strip() == sample_text[sentence.start : sentence.end]
        for token in sentence.tokens:
            assert sample_text[token.start : token.end] == token.text
            assert sentence.start <= token.start < token.end <= sentence.end


def test_dutch_quotes_become_separate_tokens_with_exact_offsets(sample_text):
    start = sample_text.index(",,We hebben")
    tokens = tokenize(sample_text[start : start + 45], offset=start)
    assert [t.text for t in tokens[:3]] == [",", ",", "We"]
    closing = next(t for t in tokens if t.text == "”")
    assert sample_text[closing.start] == "”"


def test_apostrophes_stay_inside_words_and_quotes_outside():
    text = "Hij zei: 'z’n PVV-stemmers' kwamen om 12.30 uur."
    assert [t.text for t in tokenize(text)] == [
        "Hij",
        "zei",
        ":",
        "'",
        "z’n",
        "PVV-stemmers",
        "'",
        "kwamen",
        "om",
        "12.30",
        "uur",
        ".",
    ]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Dhr. Jansen sprak met J. de Vries. Daarna o.a. over geld. Het was 3 uur."
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    assert sentences == ["Dhr. Jansen sprak met J. de Vries.", "Daarna o.a. over geld.", "Het was 3 uur."]


def test_paragraphs_split_and_offsets_survive_crlf_and_tabs():
    text = "Eerste zin\tzonder punt\r\n\r\nTweede alinea. Nog een zin!"
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == ["Eerste zin\tzonder punt", "Tweede alinea.", "Nog een zin!"]


def test_lowercase_after_full_stop_continues_the_sentence():
    text = "Het kost 5 mln. euro per jaar. Dat is veel."
    assert len(split_sentences(text)) == 2


def test_whitespace_only_text_has_no_sentences():
    assert split_sentences(" \n\t ") == []


def sentence_texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_no_sentence_ends_inside_a_name_or_after_an_abbreviation():
    text = (
        "De aanslag in St. Petersburg werd verijdeld. Mr. Visser sprak met dr. Jansen en prof.dr. Bakker. "
        "Het z.g. Torentje bleef dicht, aldus J.P. Balkenende. Zij zag o.a. Rutte en J. de Vries."
    )
    assert sentence_texts(text) == [
        "De aanslag in St. Petersburg werd verijdeld.",
        "Mr. Visser sprak met dr. Jansen en prof.dr. Bakker.",
        "Het z.g. Torentje bleef dicht, aldus J.P. Balkenende.",
        "Zij zag o.a. Rutte en J. de Vries.",
    ]


def test_abbreviations_initials_and_ages_keep_their_stop_in_one_token_as_in_conll():
    text = "In St. Petersburg zag de 48-jarige J.P. Balkenende o.a. dr. Jansen en prof.dr. Bakker."
    assert [t.text for t in tokenize(text)] == [
        "In",
        "St.",
        "Petersburg",
        "zag",
        "de",
        "48-jarige",
        "J.P.",
        "Balkenende",
        "o.a.",
        "dr.",
        "Jansen",
        "en",
        "prof.dr.",
        "Bakker",
        ".",
    ]


def test_a_sentence_final_word_that_merely_starts_like_an_abbreviation_keeps_its_own_stop():
    assert [t.text for t in tokenize("Hij woont in de stad.")][-2:] == ["stad", "."]
    assert sentence_texts("Hij woont in de stad. Zij niet.") == ["Hij woont in de stad.", "Zij niet."]


def test_a_heading_line_without_punctuation_is_not_glued_to_the_next_sentence():
    text = "Lange traditie\nDonald Trump\nRusland en de Verenigde Staten zijn rivalen.\n,,We praten”, zei hij."
    assert sentence_texts(text) == [
        "Lange traditie",
        "Donald Trump",
        "Rusland en de Verenigde Staten zijn rivalen.",
        ",,We praten”, zei hij.",
    ]


def test_a_hard_wrapped_line_that_continues_in_lower_case_stays_one_sentence():
    text = "De premier sprak met de\nburgemeester over de plannen,\nDaarna niet meer."
    assert sentence_texts(text) == ["De premier sprak met de\nburgemeester over de plannen,\nDaarna niet meer."]


def test_long_texts_full_of_stops_split_in_one_pass():
    """Each stop is judged by its neighbours and a capped look-back, never by rescanning the text: 20,000
    sentences split, and a 40,000-character word full of stops is too long to be an abbreviation."""
    assert len(split_sentences("Zin. " * 20_000)) == 20_000
    word = "a." * 20_000
    text = f"{word} {word} Einde."
    sentences = split_sentences(text)
    assert [(s.start, s.end) for s in sentences] == [(0, 2 * len(word) + 1), (len(text) - 6, len(text))]


def test_an_acronym_in_capitals_is_a_name_not_an_abbreviation():
    text = "Hij werkt bij ING. Daarna ging hij naar huis."
    assert sentence_texts(text) == ["Hij werkt bij ING.", "Daarna ging hij naar huis."]
    assert [t.text for t in tokenize(text)][3:5] == ["ING", "."]
