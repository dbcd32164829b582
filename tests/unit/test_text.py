from service.text import split_sentences, tokenize


def test_every_token_and_sentence_slices_the_sample_article(sample_text):
    sentences = split_sentences(sample_text)
    assert len(sentences) > 20
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
