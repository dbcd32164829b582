"""Who said what: direct quotes, indirect speech and their speakers in Dutch news text.

Pure text logic over the document, its sentences and the actor mentions found upstream; no models. Three
passes, each linear in the text (every look-around is bounded to a few tokens or one sentence):

1. Direct quotes: the spans inside quote marks (``service.quote_marks``).
2. Indirect speech: at most one reported clause per sentence, found from a cue word ("zei dat", "volgens",
   ", aldus X", "Dat meldt X") and the noun phrase that names the speaker.
3. Speakers for direct quotes: a cue right after the quote (",,…'', aldus Trump"), a colon before it
   ("Rutte: '…'", "Hij reageerde: '…'"), a cue in the enclosing sentence ("noemt het 'complex'"), "Dat
   zegt X" in the next sentence; with none of these, the speaker of the quote right before it (a continued
   quote, at most two sentences away), or the person who opens the sentence before it. A short quote alone
   on its line is a headline, and a quote that is only an unattributed word or two is a scare quote: neither
   is returned.

A speaker's noun phrase resolves to the actor of the mention it overlaps (a person first; an opening possessive
is a determiner, not the speaker: "Zijn partij stelt"); a pronoun that reference resolution left unlinked takes
the speaker of the quote just before (within three sentences); anything else stays an unnamed source
(``speaker`` None, ``speaker_text`` set).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service import lexicon
from service.actors import Actor
from service.models.ner import TaggedSpan
from service.quote_marks import QUOTE_CHARS, SENTENCE_FINAL, DirectQuote, direct_quotes
from service.results import Quote, Span
from service.text import Sentence, Token

# Cue words (service/lexicon/nl/): speech verbs report in every pattern ("X zei dat …", "…, zei X", "Dat zei X",
# "X zei: …"), the hand-written ones and those mined from the annotated corpus (training/cue_lexicon.py);
# opinion verbs only with "dat" or trailing a clause, since "vindt plaats" or "denkt na" report nothing;
# particle verbs only count with their particle ("liet X weten", "legde uit").
_NEGATIONS = lexicon.words("negations")
_RECOGNITION_VERBS = lexicon.tagged("speech_verbs", "recognise")
_SPEECH_VERBS = lexicon.words("speech_verbs") | lexicon.words("corpus_speech_verbs")
_OPINION_VERBS = lexicon.words("opinion_verbs")
_PARTICLE_VERBS = lexicon.entries("particle_speech_verbs")
_AUXILIARIES = lexicon.words("auxiliary_verbs")
# First and second person ("ik", "wij", "volgens mij") name a speaker only inside a quote, never an actor.
_PRONOUNS = lexicon.tagged("pronouns", "subject") | lexicon.tagged("pronouns", "object")
_MASCULINE = lexicon.tagged("pronouns", "masculine")
_FEMININE = lexicon.tagged("pronouns", "feminine")
_PERSON_PRONOUNS = _PRONOUNS & (_MASCULINE | _FEMININE)
_POSSESSIVES = lexicon.tagged("pronouns", "possessive")
_SPOKESPERSONS = lexicon.tagged("roles", "spokesperson")
_DETERMINERS = lexicon.words("determiners")
_NAME_PARTICLES = lexicon.words("name_particles")
_ADVERBS_AFTER_CUE = lexicon.words("adverbs_after_speech_verb")
_NAMING_VERBS = lexicon.words("naming_verbs")
_CONJUNCTIONS = lexicon.words("coordinating_conjunctions")
_CLAUSE_BREAKS = set(",;:") | QUOTE_CHARS
# One word a sentence that introduces a quote may open with before the speaker ("Ook Moorlag is verbijsterd.").
_OPENING_ADVERBS = lexicon.words("sentence_opening_adverbs")
# Words that may stand before "volgens" in the clause it opens ("Maar ook volgens de minister …").
_BEFORE_CLAUSE_CUE = _CONJUNCTIONS | _OPENING_ADVERBS
# Words that end or break a speaker's noun phrase: function words, and the adverbs that stand around a cue.
_STOP = (
    lexicon.words("speaker_stop_words")
    | _AUXILIARIES
    | _CONJUNCTIONS
    | _NEGATIONS
    | _ADVERBS_AFTER_CUE
    | _OPENING_ADVERBS
)
_TIME_WORD = re.compile(r"(?:maan|dins|woens|donder|vrij|zater|zon)dag(?:ochtend|middag|avond|nacht)?$")
_NOT_A_SOURCE = lexicon.words("non_source_nouns")
# Adverbs between a cue and what it reports that belong to the cue ("zei gisteren ook niet te willen stoppen").
_CUE_ADVERBS = _ADVERBS_AFTER_CUE | lexicon.tagged("speaker_stop_words", "time")
# Prepositions and "en" that continue a speaker's noun phrase after a sentence-opening "Volgens".
_NOUN_PHRASE_CONTINUATIONS = lexicon.tagged("speaker_stop_words", "continues") | lexicon.tagged(
    "coordinating_conjunctions", "continues"
)
_MIN_WORDS_UNATTRIBUTED = 5
_HEADLINE_WORDS = 8
_WORD = re.compile(r"\w+")
_CONTINUATION_PARAGRAPHS = 2  # a headline line may stand between the parts
_RECENT_SPEAKER_SENTENCES = 3
_CONTINUATION_SENTENCES = 2
_NOUN_PHRASE_TOKENS = 8
_DAT_SEARCH_TOKENS = 8
# How far back a clause start is sought: keeps a 200,000-character sentence full of cue words linear.
_CLAUSE_TOKENS = 40


@dataclass(slots=True)
class _Attribution:
    cue: Span | None
    speaker_span: tuple[int, int] | None


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    kind: str
    attribution: _Attribution | None
    mark_start: int
    mark_end: int
    opens_sentence: bool = False


class _Document:
    """The text with its tokens, sentences, paragraphs and the actors' mentions indexed for bounded look-ups."""

    def __init__(self, text: str, sentences: list[Sentence], actors: Sequence[Actor]) -> None:
        self.text = text
        self.sentences = sentences
        self.tokens: list[Token] = [token for sentence in sentences for token in sentence.tokens]
        self.token_starts = [token.start for token in self.tokens]
        self.token_sentence: list[int] = []
        self.sentence_first_token: list[int] = []
        for index, sentence in enumerate(sentences):
            self.sentence_first_token.append(len(self.token_sentence))
            self.token_sentence.extend([index] * len(sentence.tokens))
        self.sentence_first_token.append(len(self.token_sentence))
        self.sentence_starts = [sentence.start for sentence in sentences]
        self.paragraph_starts = [0] + [match.end() for match in re.finditer(r"\n\s*", text)]
        self.actors = actors
        # (start, end, index of the actor in ``actors``) of every mention, by start.
        self.mentions = sorted((m.start, m.end, index) for index, actor in enumerate(actors) for m in actor.mentions)
        self.mention_starts = [mention[0] for mention in self.mentions]
        self.longest_mention = max((end - start for start, end, _ in self.mentions), default=0)

    def token_at_or_after(self, offset: int) -> int:
        return bisect.bisect_left(self.token_starts, offset)

    def sentence_end_token(self, token_index: int) -> int:
        return self.sentence_first_token[self.token_sentence[token_index] + 1]

    def sentence_start_token(self, token_index: int) -> int:
        return self.sentence_first_token[self.token_sentence[token_index]]

    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def sentences_between(self, start: int, end: int) -> tuple[int, ...]:
        first = max(bisect.bisect_right(self.sentence_starts, start) - 1, 0)
        last = bisect.bisect_left(self.sentence_starts, end)
        return tuple(i for i in range(first, last) if self.sentences[i].end > start)

    def actor_at(self, start: int, end: int) -> Actor | None:
        """The actor of the last-starting mention overlapping ``[start, end)``, a person first: the head of a
        Dutch noun phrase comes last ("de Russische president Poetin"), but a person's organisation may
        follow it ("woordvoerder Wiebe van Terwisga van Re-Match")."""
        found = None
        index = bisect.bisect_left(self.mention_starts, end) - 1
        while index >= 0 and self.mentions[index][0] >= start - self.longest_mention:
            mention_start, mention_end, actor_index = self.mentions[index]
            if mention_end > start and mention_start < end:
                actor = self.actors[actor_index]
                if actor.type == "PER":
                    return actor
                found = found or actor
            index -= 1
        return found

    def mention_covering(self, start: int, end: int) -> bool:
        """Whether one mention spans all of ``[start, end)``."""
        index = bisect.bisect_right(self.mention_starts, start) - 1
        while index >= 0 and self.mentions[index][0] >= start - self.longest_mention:
            if self.mentions[index][1] >= end:
                return True
            index -= 1
        return False

    def span(self, start: int, end: int) -> Span:
        return Span(self.text[start:end], start, end)


def find_quotes(
    text: str,
    sentences: list[Sentence],
    actors: Sequence[Actor],
    tagged: Sequence[TaggedSpan] | None = None,
    marked: Sequence[DirectQuote] | None = None,
) -> list[Quote]:
    """Direct and indirect quotes of ``text`` with their cue and speaker, ordered by position.

    ``sentences`` are ``split_sentences(text)``; ``actors`` are the actors a speaker may be, each with every
    mention (names, pronouns, descriptions): a quote's ``speaker`` is the id of one of them. ``tagged`` are the
    quote tagger's spans where it runs; ``marked`` are ``direct_quotes(text)`` where the caller has read them (the
    pipeline's layer), else they are read here.
    Offsets of every returned span index ``text``.
    """
    document = _Document(text, sentences, actors)
    directs = [_attribute_direct(document, quote) for quote in (direct_quotes(text) if marked is None else marked)]
    indirects = _indirect_quotes(document)
    if tagged is not None:
        indirects = _add_tagged(document, directs, indirects, _tagged_quotes(document, tagged))
    drafts = _merge(directs, indirects)
    drafts = [draft for draft in _without_quoted_speakers(drafts) if not _is_headline(document, draft)]
    _introduced_speakers(document, drafts)
    _continue_speakers(document, drafts)
    quotes: list[Quote] = []
    for draft in drafts:
        if _is_speech(document, draft):
            quotes.append(_finish(document, draft, quotes[-1] if quotes else None))
    return quotes


# -------------------------------------------------------------------------------------------- noun phrases


def _noun_phrase(document: _Document, first: int, limit: int) -> tuple[int, int] | None:
    """Token range of a speaker noun phrase starting at token ``first``: a pronoun ("hij"), a name with an
    optional role or description ("minister Hoekstra", "de Russische president Poetin", "hoogleraar
    sociologie Godfried Engbersen") or a description ("de minister", "een woordvoerder"). None when the
    tokens there name no one. A quote mark before a name ("aldus 'Matje'") is skipped."""
    tokens = document.tokens
    while first < limit and tokens[first].text in QUOTE_CHARS and not _is_elision(document, first, limit):
        first += 1
    if first >= limit or not (tokens[first].text[0].isalnum() or _is_elision(document, first, limit)):
        return None
    word = tokens[first].text.lower()
    if word in _PRONOUNS:
        after = first + 1
        return (first, after + 1) if after < limit and tokens[after].text.lower() == "zelf" else (first, after)
    has_determiner = word in _DETERMINERS
    description_end = first + 1 if has_determiner else first
    stop = min(limit, first + _NOUN_PHRASE_TOKENS)
    noun_end = None
    while description_end < stop and _is_description_word(document, description_end, has_determiner):
        if noun_end is None and not tokens[description_end].text.lower().endswith("e"):
            noun_end = description_end + 1
        description_end += 1
    name_end = _name_end(document, description_end, stop)
    if name_end > description_end and (not has_determiner or noun_end in (None, description_end)):
        return first, name_end
    if has_determiner and description_end > first + 1:
        end = noun_end or description_end
        if tokens[end - 1].text.lower() not in _NOT_A_SOURCE:
            return first, end
    return None


def _is_elision(document: _Document, index: int, limit: int) -> bool:
    """ "'t" in "Gerard 't Hooft": an apostrophe that belongs to a name."""
    following = index + 1
    return (
        document.tokens[index].text in "'’"
        and following < limit
        and document.tokens[following].text.lower() in ("t", "s")
        and document.tokens[following].start == document.tokens[index].end
    )


def _is_description_word(document: _Document, index: int, has_determiner: bool) -> bool:
    """A lowercase role or adjective ("woordvoerder", "48-jarige"), or a capitalised adjective after a
    determiner ("de Russische president")."""
    text = document.tokens[index].text
    lower = text.lower()
    if lower in _STOP or _TIME_WORD.match(lower) or not any(c.isalpha() for c in text):
        return False
    if text[0].isupper() and index == document.sentence_start_token(index) and not _may_be_name(document, index):
        return True
    if text[0].isupper():
        following = index + 1
        before_noun = following < len(document.tokens) and document.tokens[following].text[0].islower()
        return _is_capitalised_adjective(lower, has_determiner) or (
            has_determiner and lower.endswith("e") and before_noun
        )
    return text[0].isalnum()


def _name_end(document: _Document, index: int, stop: int) -> int:
    """End of the run of capitalised words (with particles such as "van der", "'t") that starts at ``index``."""
    tokens = document.tokens
    end = index
    while end < stop:
        if _is_name_word(document, end):
            end += 1
            continue
        if _is_elision(document, end, stop) and end + 2 < stop and _is_name_word(document, end + 2):
            end += 2
            continue
        particles = end
        while particles < stop and tokens[particles].text.lower() in _NAME_PARTICLES:
            particles += 1
        reaches_name = end < particles < stop and tokens[particles].text[0].isupper()
        if (
            reaches_name
            and (end > index or _may_be_name(document, particles))
            and _particle_in_name(document, max(end - 1, index), particles)
        ):
            end = particles
            continue
        break
    return end


def _particle_in_name(document: _Document, first: int, last: int) -> bool:
    """Whether "van" (or "de", "der") between tokens ``first`` and ``last`` belongs to one name ("Wiebe van
    Terwisga") rather than joining a person to an organisation ("Gjalt Jellesma van BOinK", "de topman van
    Honda"). The tagger decides when it found either side; without its word, the particle joins."""
    start, end = document.tokens[first].start, document.tokens[last].end
    if document.actor_at(start, end) is None:
        return True
    return document.mention_covering(start, end)


def _is_name_word(document: _Document, index: int) -> bool:
    """A capitalised word that is not just a capitalised sentence opener ("Daarnaast", "In")."""
    text = document.tokens[index].text
    if not text[0].isupper():
        return False
    if index != document.sentence_start_token(index):
        return True
    return text.lower() not in _STOP and _may_be_name(document, index)


def _is_capitalised_adjective(lower: str, has_determiner: bool) -> bool:
    """ "Russische" in "de Russische president" describes; it does not name."""
    return has_determiner and lower.endswith(("se", "sche", "ische", "ste"))


def _may_be_name(document: _Document, index: int) -> bool:
    """A sentence-initial capital proves nothing: there a word is a name only when the tagger says so or a
    capitalised word follows."""
    if index != document.sentence_start_token(index):
        return True
    token = document.tokens[index]
    if document.actor_at(token.start, token.end) is not None:
        return True
    following = index + 1
    return following < len(document.tokens) and document.tokens[following].text[0].isupper()


def _clause_start(document: _Document, verb: int) -> int:
    """First token of the clause that holds token ``verb`` (after the last comma, colon or quote mark)."""
    tokens = document.tokens
    clause = verb
    earliest = max(document.sentence_start_token(verb), verb - _CLAUSE_TOKENS)
    while clause > earliest and tokens[clause - 1].text not in _CLAUSE_BREAKS:
        clause -= 1
    if clause < verb and tokens[clause].text.lower() in _CONJUNCTIONS:
        clause += 1
    return clause


def _opening_subject(document: _Document, verb: int) -> tuple[int, int] | None:
    """The subject when the clause opens with it ("Trump zei …", "De Russische leider zelf zei …", "Maar
    Rutte vindt …"), or the apposition before the verb ("De boer, Andrei Savchenko, ontkent …")."""
    clause = _clause_start(document, verb)
    if clause == verb and verb >= 2 and document.tokens[verb - 1].text == ",":
        apposition = _clause_start(document, verb - 1)
        phrase = _noun_phrase(document, apposition, verb - 1)
        if apposition > document.sentence_start_token(verb):
            earlier = _noun_phrase(document, _clause_start(document, apposition - 1), apposition - 1)
            if phrase is None or (not _has_name(document, phrase) and earlier is not None):
                return earlier
        return phrase
    phrase = _noun_phrase(document, clause, verb)
    sentence_start = document.sentence_start_token(verb)
    if phrase is None and clause > sentence_start and document.tokens[clause - 1].text == ",":
        first = sentence_start + (document.tokens[sentence_start].text.lower() in _CONJUNCTIONS)
        phrase = _noun_phrase(document, first, clause - 1)
    return phrase


def _has_name(document: _Document, phrase: tuple[int, int]) -> bool:
    return any(document.tokens[i].text[0].isupper() for i in range(phrase[0] + 1, phrase[1]))


def _subject_before(document: _Document, verb: int) -> tuple[int, int] | None:
    """The opening subject, else the noun phrase right before the verb (past adverbs and auxiliaries)."""
    phrase = _opening_subject(document, verb)
    if phrase is not None:
        return phrase
    clause = _clause_start(document, verb)
    end = _skip_adverbs_back(document, clause, verb)
    return _phrase_ending_at(document, max(clause, end - _NOUN_PHRASE_TOKENS), end)


def _skip_adverbs_back(document: _Document, clause: int, verb: int) -> int:
    """End of the subject before a verb, past adverbs and auxiliaries ("Trump wilde vooral benadrukken")."""
    end = verb
    while end > clause and end > verb - 4 and document.tokens[end - 1].text.lower() in _STOP:
        end -= 1
    return end


def _phrase_ending_at(document: _Document, earliest: int, end: int) -> tuple[int, int] | None:
    """The longest noun phrase that ends right before token ``end``."""
    for start in range(earliest, end):
        phrase = _noun_phrase(document, start, end)
        if phrase is not None and phrase[1] == end:
            return phrase
    return None


def _phrase_after(document: _Document, index: int, limit: int) -> tuple[int, int] | None:
    return _noun_phrase(document, index, limit) if index < limit else None


def _char_span(document: _Document, phrase: tuple[int, int]) -> tuple[int, int]:
    return document.tokens[phrase[0]].start, document.tokens[phrase[1] - 1].end


# ------------------------------------------------------------------------------------------------ cue words


@dataclass(slots=True)
class _Cue:
    """A cue word with what it tells: the speaker, and the reported clause's token range (when it has one)."""

    cue: int
    speaker: tuple[int, int] | None
    clause: tuple[int, int] | None
    negation: int | None = None  # "gelooft niet dat …": the cue runs to its negation (the guideline's cue span)


def _cue_kind(word: str) -> str | None:
    lower = word.lower()
    if lower == "volgens":
        return "volgens"
    if lower in _SPEECH_VERBS:
        return "speech"
    if lower in _OPINION_VERBS:
        return "opinion"
    if lower in _PARTICLE_VERBS:
        return "particle"
    return None


def _read_cue(document: _Document, index: int) -> _Cue | None:
    """What the cue word at token ``index`` reports, by the pattern around it, or None if it reports nothing."""
    kind = _cue_kind(document.tokens[index].text)
    if kind is None:
        return None
    if kind == "volgens":
        return _read_volgens(document, index)
    if _is_own_account(document, index):
        return _read_own_account(document, index)
    return (
        _read_dat_says(document, index, kind) or _read_trailing(document, index) or _read_leading(document, index, kind)
    )


def _after_particle(document: _Document, index: int, verb: int, limit: int) -> int | None:
    """Token after the particle a particle verb needs ("liet Trump weten"); None when it is missing."""
    particles = _PARTICLE_VERBS.get(document.tokens[verb].text.lower())
    if particles is None:
        return index
    for position in range(index, min(limit, index + 3)):
        if document.tokens[position].text.lower() in particles:
            return position + 1
    return None


def _has_particle(document: _Document, verb: int, limit: int) -> bool:
    """Whether a particle verb has its particle before ``limit`` ("maakte Trump duidelijk" reports nothing)."""
    particles = _PARTICLE_VERBS.get(document.tokens[verb].text.lower())
    end = min(limit, verb + _NOUN_PHRASE_TOKENS)
    return particles is None or any(document.tokens[i].text.lower() in particles for i in range(verb + 1, end))


def _read_trailing(document: _Document, index: int) -> _Cue | None:
    """ ", aldus Trump", ", zei hij", ",,…'', vindt de minister": the clause before the comma is reported."""
    tokens = document.tokens
    sentence_start = document.sentence_start_token(index)
    limit = document.sentence_end_token(index)
    before = index - 1
    if before >= sentence_start and tokens[before].text.lower() == "zo":
        before -= 1
    if before < sentence_start or tokens[before].text not in ",”'\"’»":
        return None
    speaker = _phrase_after(document, _past_adverbs(document, index + 1, limit), limit)
    if speaker is None or _after_particle(document, speaker[1], index, limit) is None:
        return None
    if _negated_after(document, speaker[1], limit) or _recognises(document, index, speaker[1], limit):
        return None
    return _Cue(index, speaker, (sentence_start, before))


def _recognises(document: _Document, index: int, speaker_end: int, limit: int) -> bool:
    """ "…, erkennen Guaidó als het wettige staatshoofd": "erkennen" after a comma with more words after its
    noun phrase is "recognise", not "admit"; as a trailing cue ("…, erkende Rutte.") it ends the sentence."""
    if document.tokens[index].text.lower() not in _RECOGNITION_VERBS:
        return False
    return speaker_end < limit and document.tokens[speaker_end].text[0].isalnum()


def _negated_after(document: _Document, index: int, limit: int) -> bool:
    """A negation between the speaker and the next punctuation: ", erkennen Maduro niet meer als president" is
    no attribution of the clause before the comma (a trailing speech cue is never negated)."""
    for token in document.tokens[index:limit]:
        if not token.text[0].isalnum():
            return False
        if token.text.lower() in _NEGATIONS:
            return True
    return False


def _past_adverbs(document: _Document, index: int, limit: int) -> int:
    """Skip "ook", "nog" between a trailing cue and its speaker (", concludeerde ook het SCP")."""
    while index < limit - 1 and document.tokens[index].text.lower() in _ADVERBS_AFTER_CUE:
        index += 1
    return index


def _read_leading(document: _Document, index: int, kind: str) -> _Cue | None:
    """ "Trump zei dat …", "Gisteren zei Trump dat …", "zei te …", "De minister reageerde: …"."""
    if document.tokens[index].text.lower() == "aldus":
        return None
    limit = document.sentence_end_token(index)
    after_subject = _phrase_after(document, index + 1, limit)
    position = _after_particle(document, after_subject[1] if after_subject else index + 1, index, limit)
    if position is None:
        return None
    report = _find_report(
        document, position, limit, allow_colon=kind != "opinion", allow_te=kind in ("speech", "particle")
    )
    if report is None:
        return None
    opening = _opening_subject(document, index)
    speaker = opening or after_subject or _subject_before(document, index)
    if document.tokens[report].text.lower() == "te":
        # Past the subject where it follows the cue ("Gisteren zei Trump …"); a phrase after the cue of a subject
        # before it is the infinitive's ("Het kabinet heeft aangegeven de bonden tegemoet te willen komen").
        start = position if opening is None else _after_particle(document, index + 1, index, limit) or index + 1
        return _Cue(index, speaker, (_infinitive_clause_start(document, start, report), limit))
    negation = next((i for i in range(index + 1, report) if document.tokens[i].text.lower() in _NEGATIONS), None)
    return _Cue(index, speaker, (report + 1, limit), negation)


def _infinitive_clause_start(document: _Document, first: int, te: int) -> int:
    """Where what is said starts when a "te" reports it: at the words the infinitive governs between the cue and
    "te" ("zegt aan te zullen schuiven", "heeft aangegeven de bonden tegemoet te willen komen") or at a negation
    ("zei gisteren niet te willen stoppen"), past the adverbs that belong to the cue, and after an "om" that opens
    the clause; with none, after "te" ("zei te zullen kijken"), as the corpus annotators mark it."""
    words = [token.text.lower() for token in document.tokens[first:te]]
    if "om" in words:  # "riep de boeren op om alleen kaarten te kopen": the clause after "om", without it
        first += len(words) - words[::-1].index("om")
        return first if first < te else te + 1
    for index in range(first, te):
        word = document.tokens[index].text.lower()
        if word not in _CUE_ADVERBS and not _TIME_WORD.fullmatch(word):
            return index
    return te + 1


def _find_report(document: _Document, position: int, limit: int, allow_colon: bool, allow_te: bool) -> int | None:
    """Token index of the "dat" (or colon, or the "te" of "zei te zullen") that opens the reported clause,
    a few tokens after the cue."""
    for index in range(position, min(limit, position + _DAT_SEARCH_TOKENS)):
        text = document.tokens[index].text
        lower = text.lower()
        if lower == "dat" or (allow_colon and text == ":") or (allow_te and lower == "te"):
            return index
        if not text[0].isalnum():
            return None
    return None


def _is_own_account(document: _Document, index: int) -> bool:
    """ "naar eigen zeggen" ("by his own account"), with the cue word "zeggen" at ``index``."""
    tokens = document.tokens
    return (
        index >= 2
        and tokens[index].text.lower() == "zeggen"
        and tokens[index - 1].text.lower() == "eigen"
        and tokens[index - 2].text.lower() == "naar"
    )


def _read_own_account(document: _Document, index: int) -> _Cue | None:
    """ "Om die reden pakte hij naar eigen zeggen de telefoon": the sentence is its subject's account. The
    subject opens the sentence or is the first personal pronoun in it."""
    sentence_start = document.sentence_start_token(index)
    limit = document.sentence_end_token(index)
    first = sentence_start + 1 if document.tokens[sentence_start].text.lower() in _CONJUNCTIONS else sentence_start
    speaker = _noun_phrase(document, first, limit)
    if speaker is None:
        pronoun = next((i for i in range(sentence_start, limit) if document.tokens[i].text.lower() in _PRONOUNS), None)
        speaker = None if pronoun is None else (pronoun, pronoun + 1)
    if speaker is None:
        return None
    return _Cue(index - 2, speaker, (sentence_start, limit))


def _read_volgens(document: _Document, index: int) -> _Cue | None:
    """ "Volgens Rutte is …", "…, volgens de politie": the rest of the sentence is reported."""
    tokens = document.tokens
    sentence_start = document.sentence_start_token(index)
    limit = document.sentence_end_token(index)
    speaker = _phrase_after(document, index + 1, limit)
    if speaker is None:
        speaker = _phrase_to_name(document, index + 1, limit)
    if speaker is None:
        return None
    if _opens_clause(document, sentence_start, index):
        end = _phrase_continued(document, speaker[1], limit)
        after = end + 1 if end < limit and tokens[end].text == "," else end
        return _Cue(index, speaker, (after, limit))
    if speaker[1] >= limit - 1 and tokens[index - 1].text == ",":
        return _Cue(index, speaker, (sentence_start, index - 1))
    return _Cue(index, speaker, (sentence_start, limit))


def _opens_clause(document: _Document, sentence_start: int, index: int) -> bool:
    """Whether "volgens" at token ``index`` opens its clause, so that the rest of it is what is said: at the
    sentence's start, after a conjunction or an opening adverb ("Ook volgens de minister gaat …"), or after a
    comma and a conjunction ("…, maar volgens haar past dat niet meer")."""
    tokens = document.tokens
    first = index
    while first > sentence_start and tokens[first - 1].text.lower() in _BEFORE_CLAUSE_CUE:
        first -= 1
    return first == sentence_start or (first < index and tokens[first - 1].text == ",")


def _phrase_continued(document: _Document, end: int, limit: int) -> int:
    """Where a noun phrase that ends before token ``end`` really ends: past the prepositional phrases and the
    conjoined phrases that continue it ("hoofddirecteur Frits van Bruggen" + "van de ANWB")."""
    while end < limit and document.tokens[end].text.lower() in _NOUN_PHRASE_CONTINUATIONS:
        phrase = _phrase_after(document, end + 1, limit)
        if phrase is None:
            break
        end = phrase[1]
    return end


def _phrase_to_name(document: _Document, first: int, limit: int) -> tuple[int, int] | None:
    """ "volgens lijsttrekker voor de Eerste Kamer Paul Rosenmöller": a description with a prepositional
    phrase, up to the person it names (a name the tagger found, a few tokens on, before any punctuation)."""
    tokens = document.tokens
    for index in range(first, min(limit, first + _NOUN_PHRASE_TOKENS)):
        token = tokens[index]
        if not token.text[0].isalnum():
            return None
        actor = document.actor_at(token.start, token.end)
        if actor is not None and actor.type == "PER" and token.text[0].isupper():
            return first, _name_end(document, index, limit)
    return None


def _read_dat_says(document: _Document, index: int, kind: str) -> _Cue | None:
    """ "Dat zegt minister X." / "Dat heeft de politie laten weten.": the previous sentence is reported."""
    tokens = document.tokens
    sentence_start = document.sentence_start_token(index)
    limit = document.sentence_end_token(index)
    if sentence_start == 0 or tokens[sentence_start].text.lower() not in ("dat", "dit"):
        return None
    second = sentence_start + 1
    if second == index:
        speaker = _phrase_after(document, index + 1, limit)
    elif second + 1 < index and tokens[second].text.lower() in _AUXILIARIES:
        speaker = _phrase_after(document, second + 1, index)
    else:
        return None
    if speaker is None or (kind == "particle" and _after_particle(document, speaker[1], index, limit) is None):
        return None
    previous = document.token_sentence[sentence_start] - 1
    first, end = document.sentence_first_token[previous], document.sentence_first_token[previous + 1]
    return _Cue(index, speaker, (first, end))


# -------------------------------------------------------------------------------------------- indirect speech


def _indirect_quotes(document: _Document) -> list[_Draft]:
    """One reported clause per sentence, from its first cue word that reports something."""
    drafts: list[_Draft] = []
    for sentence_index in range(len(document.sentences)):
        first, end = document.sentence_first_token[sentence_index], document.sentence_first_token[sentence_index + 1]
        for index in range(first, end):
            cue = _read_cue(document, index)
            if cue is None or cue.clause is None:
                continue
            draft = _clause_draft(document, cue)
            if draft is not None:
                drafts.append(draft)
                break
    return drafts


def _clause_draft(document: _Document, cue: _Cue) -> _Draft | None:
    assert cue.clause is not None
    first, end = cue.clause
    while first < end and not _is_content(document.tokens[first].text):
        first += 1
    while end > first and not _is_content(document.tokens[end - 1].text):
        end -= 1
    if end - first < 2 or cue.speaker is None:
        return None
    start, stop = document.tokens[first].start, document.tokens[end - 1].end
    return _Draft(start, stop, "indirect", _attribution(document, cue), start, stop)


def _is_content(token: str) -> bool:
    return token[0].isalnum() or token in "(%€$"


def _attribution(document: _Document, cue: _Cue) -> _Attribution:
    start = document.tokens[cue.cue].start
    end = document.tokens[cue.negation if cue.negation is not None else cue.cue].end
    speaker = _char_span(document, cue.speaker) if cue.speaker else None
    return _Attribution(document.span(start, end), speaker)


# ------------------------------------------------------------------------------------ direct quote speakers


def _attribute_direct(document: _Document, quote: DirectQuote) -> _Draft:
    opens_sentence = _opens_sentence(document, quote)
    attribution = (
        _cue_after(document, quote)
        or _colon_before(document, quote)
        or _said_next_sentence(document, quote)
        or (None if opens_sentence else _cue_in_sentence(document, quote))
    )
    return _Draft(quote.start, quote.end, "direct", attribution, quote.mark_start, quote.mark_end, opens_sentence)


def _opens_sentence(document: _Document, quote: DirectQuote) -> bool:
    """Whether the quote stands as a sentence of its own rather than inside one ("noemt het 'complex'")."""
    index = document.token_at_or_after(quote.mark_start)
    if index >= len(document.tokens) or index == document.sentence_start_token(index):
        return True
    return document.tokens[index - 1].text in SENTENCE_FINAL


def _cue_in_sentence(document: _Document, quote: DirectQuote) -> _Attribution | None:
    """A quote inside a sentence takes the sentence's cue before it ("Baudet noemt het de 'grootste
    zelfmoordbrief'", "De makers vinden het 'net een film'")."""
    tokens = document.tokens
    mark = document.token_at_or_after(quote.mark_start)
    if mark >= len(tokens):
        return None
    sentence_start = document.sentence_start_token(mark)
    for index in range(mark - 1, max(sentence_start, mark - _DAT_SEARCH_TOKENS * 2) - 1, -1):
        lower = tokens[index].text.lower()
        if _cue_kind(lower) in ("speech", "opinion", "particle") or lower in _NAMING_VERBS:
            if not _has_particle(document, index, mark):
                continue
            if index > sentence_start and tokens[index - 1].text == ",":
                return None
            inverted = None if lower in _NAMING_VERBS else _phrase_after(document, index + 1, mark)
            speaker = _opening_subject(document, index) or inverted or _subject_before(document, index)
            if speaker is not None:
                return _Attribution(
                    document.span(tokens[index].start, tokens[index].end), _char_span(document, speaker)
                )
            return None
    return None


def _cue_after(document: _Document, quote: DirectQuote) -> _Attribution | None:
    """ ",,…'', aldus Trump", ",,…,” zegt hij", "'…', liet de politie weten"."""
    index = document.token_at_or_after(quote.mark_end)
    tokens = document.tokens
    if index < len(tokens) and tokens[index].text == ",":
        index += 1
    if index < len(tokens) and tokens[index].text.lower() == "zo":
        index += 1
    if index >= len(tokens) or tokens[index].start - quote.mark_end > 4:
        return None
    kind = _cue_kind(tokens[index].text)
    if kind is None or kind == "volgens":
        return None
    limit = document.sentence_end_token(index)
    speaker = _phrase_after(document, _past_adverbs(document, index + 1, limit), limit)
    if speaker is None or _after_particle(document, speaker[1], index, limit) is None:
        return None
    return _Attribution(document.span(tokens[index].start, tokens[index].end), _char_span(document, speaker))


def _colon_before(document: _Document, quote: DirectQuote) -> _Attribution | None:
    """ "Trump zei: ,,…''", "Rutte: '…'", "Hij reageerde boos: '…'"."""
    colon = document.token_at_or_after(quote.mark_start) - 1
    tokens = document.tokens
    if colon < 0 or tokens[colon].text != ":" or quote.mark_start - tokens[colon].end > 2:
        return None
    sentence_start = document.sentence_start_token(colon)
    for index in range(colon - 1, max(sentence_start, colon - 12) - 1, -1):
        kind = _cue_kind(tokens[index].text)
        if kind in ("speech", "opinion", "particle"):
            speaker = _subject_before(document, index) or _phrase_after(document, index + 1, colon)
            if speaker is not None:
                return _Attribution(
                    document.span(tokens[index].start, tokens[index].end), _char_span(document, speaker)
                )
    colon_span = document.span(tokens[colon].start, tokens[colon].end)
    name_end = _before_parenthesis(document, sentence_start, colon)
    speaker = _noun_phrase(document, sentence_start, name_end)
    if speaker is not None and speaker[1] == name_end:
        return _Attribution(colon_span, _char_span(document, speaker))
    person = _first_person_named(document, sentence_start, colon)
    return _Attribution(colon_span, None if person is None else _char_span(document, person))


def _first_person_named(document: _Document, first: int, end: int) -> tuple[int, int] | None:
    """The first person the tagger found in tokens ``[first, end)`` ("Het was zoals Charles Bukowski ooit
    dichtte: '…'"): a colon introduces new words, so they never continue the previous speaker's quote."""
    for index in range(first, end):
        token = document.tokens[index]
        actor = document.actor_at(token.start, token.end)
        if actor is not None and actor.type == "PER" and token.text[0].isupper():
            return index, max(_name_end(document, index, end), index + 1)
    return None


def _before_parenthesis(document: _Document, first: int, end: int) -> int:
    """Where a name ends before a parenthesis that closes at ``end`` ("Kaag (D66): '…'")."""
    if end - 1 <= first or document.tokens[end - 1].text != ")":
        return end
    for index in range(end - 2, max(first, end - 6) - 1, -1):
        if document.tokens[index].text == "(":
            return index
    return end


def _said_next_sentence(document: _Document, quote: DirectQuote) -> _Attribution | None:
    """ ",,…'' Dat zegt minister X." """
    index = document.token_at_or_after(quote.mark_end)
    if index >= len(document.tokens):
        return None
    sentence_start = document.sentence_start_token(index)
    if sentence_start != index:
        return None
    for position in range(index + 1, min(index + 3, document.sentence_end_token(index))):
        kind = _cue_kind(document.tokens[position].text)
        if kind is not None and kind != "volgens":
            cue = _read_dat_says(document, position, kind)
            if cue is not None:
                return _attribution(document, cue)
    return None


# ---------------------------------------------------------------------------------------------- tagged quotes


def _tagged_quotes(document: _Document, tagged: Sequence[TaggedSpan]) -> list[_Draft]:
    """The tagger's quotes: its content pieces joined where only punctuation or a sentence break lies between
    them, each with the source and cue it marked nearest in the sentences the content spans."""
    contents: list[list[int]] = []
    for span in sorted((s for s in tagged if s.label == "QUOTE"), key=lambda s: s.start):
        if contents and not _WORD.search(document.text, contents[-1][1], span.start):
            contents[-1][1] = max(contents[-1][1], span.end)
        else:
            contents.append([span.start, span.end])
    drafts = []
    for start, end in contents:
        sentences = set(document.sentences_between(start, end))
        source = _nearest(tagged, "SOURCE", sentences, start, end)
        cue = _nearest(tagged, "CUE", sentences, start, end)
        attribution = None
        if source or cue:
            attribution = _Attribution(
                document.span(cue.start, cue.end) if cue else None, (source.start, source.end) if source else None
            )
        kind = "direct" if _in_marks(document.text, start) else "indirect"
        drafts.append(_Draft(start, end, kind, attribution, start, end))
    return drafts


def _in_marks(text: str, start: int) -> bool:
    """Whether a content span opens at a quote mark: the marks are part of a direct quote's content."""
    return text[start] in QUOTE_CHARS or (start > 0 and text[start - 1] in QUOTE_CHARS)


def _nearest(tagged: Sequence[TaggedSpan], label: str, sentences: set[int], start: int, end: int) -> TaggedSpan | None:
    candidates = [s for s in tagged if s.label == label and s.sentence in sentences]
    return min(candidates, key=lambda s: max(start - s.end, s.start - end, 0), default=None)


def _add_tagged(
    document: _Document, directs: list[_Draft], indirects: list[_Draft], tagged: list[_Draft]
) -> list[_Draft]:
    """The rules' quotes stand (on corpus dev they are the more precise where both find one); a tagged quote
    over a direct quote the rules could not attribute lends it the source it marked outside the marks, over a
    quote whose speaker words name no actor it lends a source that does ("volgens voormalig Formule 1-coureur
    Giedo van der Garde", read by the rules as "voormalig Formule"), and a tagged reported clause that no rule
    found is added."""
    for quote in tagged:
        source = quote.attribution.speaker_span if quote.attribution else None
        for direct in directs:
            outside = source is not None and not direct.mark_start <= source[0] < direct.mark_end
            if _overlaps(quote, direct) and direct.attribution is None and outside:
                direct.attribution = quote.attribution
        if source is None or document.actor_at(*source) is None:
            continue
        for found in (*directs, *indirects):
            speaker = found.attribution.speaker_span if found.attribution else None
            unnamed = speaker is not None and document.actor_at(*speaker) is None
            if _overlaps(quote, found) and unnamed and document.text[speaker[0] : speaker[1]].lower() not in _PRONOUNS:
                found.attribution = quote.attribution
    found = [*directs, *indirects]
    added = [quote for quote in tagged if quote.kind == "indirect" and not any(_overlaps(quote, d) for d in found)]
    return sorted([*indirects, *added], key=lambda d: d.start)


def _overlaps(tagged: _Draft, found: _Draft) -> bool:
    """Whether a tagged quote overlaps a found one, its quote marks included."""
    return tagged.start < found.mark_end and found.mark_start < tagged.end


# ----------------------------------------------------------------------------------------------- combining


def _merge(directs: list[_Draft], indirects: list[_Draft]) -> list[_Draft]:
    """Direct and indirect quotes without overlaps.

    An indirect clause that holds a whole direct quote and more words ("Trump zei dat hij ,,geen reden''
    ziet") is one indirect quote; otherwise the direct quote stands and lends the clause's speaker to a
    direct quote that has none.
    """
    directs.sort(key=lambda d: d.start)
    starts = [d.mark_start for d in directs]
    merged: list[_Draft] = []
    swallowed: set[int] = set()
    for indirect in indirects:
        first = bisect.bisect_left(starts, indirect.start - 1)
        while first > 0 and directs[first - 1].mark_end > indirect.start:
            first -= 1
        overlapping = []
        position = first
        while position < len(directs) and directs[position].mark_start < indirect.end:
            overlapping.append(position)
            position += 1
        if not overlapping:
            merged.append(indirect)
            continue
        inside = all(
            indirect.start <= directs[p].mark_start and directs[p].mark_end <= indirect.end + 1 for p in overlapping
        )
        if inside and _has_own_words(indirect, [directs[p] for p in overlapping]):
            swallowed.update(overlapping)
            indirect.start = min(indirect.start, directs[overlapping[0]].mark_start)
            indirect.end = max(indirect.end, directs[overlapping[-1]].mark_end)
            merged.append(indirect)
            continue
        cue = indirect.attribution.cue if indirect.attribution else None
        for p in overlapping:
            outside = cue is not None and not directs[p].mark_start <= cue.start < directs[p].mark_end
            if directs[p].attribution is None and outside:
                directs[p].attribution = indirect.attribution
    merged.extend(d for i, d in enumerate(directs) if i not in swallowed)
    merged.sort(key=lambda d: d.start)
    return merged


def _has_own_words(indirect: _Draft, directs: list[_Draft]) -> bool:
    outside = indirect.end - indirect.start - sum(d.mark_end - d.mark_start for d in directs)
    return outside > 8


def _without_quoted_speakers(drafts: list[_Draft]) -> list[_Draft]:
    """A speaker's nickname in quote marks (",,…”, aldus ’Matje’") is part of the speaker, not a quote."""
    kept: list[_Draft] = []
    for draft in drafts:
        previous = kept[-1].attribution if kept else None
        span = previous.speaker_span if previous else None
        if span is not None and draft.kind == "direct" and draft.start < span[1] and span[0] < draft.end:
            continue
        kept.append(draft)
    return kept


def _continue_speakers(document: _Document, drafts: list[_Draft]) -> None:
    """A direct quote without a cue right after a quote with a speaker continues that quote."""
    for previous, current in itertools.pairwise(drafts):
        if current.attribution is not None or current.kind != "direct" or previous.attribution is None:
            continue
        interrupted = previous.kind == "direct" and document.sentence_of(previous.end) == document.sentence_of(
            current.start
        )
        if not (current.opens_sentence or interrupted):
            continue
        if previous.attribution.speaker_span is None:
            continue
        near = document.sentence_of(current.start) - document.sentence_of(previous.end) <= _CONTINUATION_SENTENCES + 1
        if near and document.paragraph(current.start) - document.paragraph(previous.end) <= _CONTINUATION_PARAGRAPHS:
            current.attribution = _Attribution(None, previous.attribution.speaker_span)


def _is_headline(document: _Document, draft: _Draft) -> bool:
    """A short quote alone on its line without a full stop is a headline ("'Half miljard voor één
    telefoontje'"), which repeats words of the article rather than quoting anew."""
    if draft.kind != "direct" or document.text[draft.end - 1] in SENTENCE_FINAL:
        return False
    text = document.text
    before, after = draft.mark_start - 1, draft.mark_end
    while before >= 0 and text[before] in " \t":
        before -= 1
    while after < len(text) and text[after] in " \t":
        after += 1
    alone = (before < 0 or text[before] == "\n") and (after == len(text) or text[after] in "\r\n")
    return alone and len(_WORD.findall(text, draft.start, draft.end)) <= _HEADLINE_WORDS


def _introduced_speakers(document: _Document, drafts: list[_Draft]) -> None:
    """A quote with no cue that follows a sentence opening with a person takes that person ("Van der Staaij
    sloeg terug met een kwinkslag. 'Als ik …'", "Ook PvdA-Kamerlid Moorlag is verbijsterd. 'Rutte en …'"):
    the usual way to introduce a quote without a verb of saying. It runs before quotes are continued, since
    the person introduced takes over from the speaker of an earlier quote; but a sentence that reports
    speech itself ("Re-Match bouwt …, zegt Terwisga.") is continued by the quote after it."""
    reporting = {document.sentence_of(d.start) for d in drafts if d.attribution is not None}
    for draft in drafts:
        if draft.attribution is not None or draft.kind != "direct" or not draft.opens_sentence:
            continue
        sentence = document.sentence_of(draft.mark_start)
        if sentence < 1 or sentence - 1 in reporting:
            continue
        if document.paragraph(document.sentences[sentence - 1].start) != document.paragraph(draft.mark_start):
            continue
        first = _opening_person(document, sentence - 1)
        if first is not None:
            end = max(_name_end(document, first, document.sentence_first_token[sentence]), first + 1)
            draft.attribution = _Attribution(None, _char_span(document, (first, end)))


def _opening_person(document: _Document, sentence: int) -> int | None:
    """The token of a person's mention opening the sentence, after at most one sentence adverb and one
    role word ("Ook", "Kamerlid": "Ook Kamerlid Moorlag is verbijsterd.")."""
    first, end = document.sentence_first_token[sentence], document.sentence_first_token[sentence + 1]
    if first < end and document.tokens[first].text.casefold() in _OPENING_ADVERBS:
        first += 1
    for index in range(first, min(first + 2, end)):
        token = document.tokens[index]
        actor = document.actor_at(token.start, token.end)
        if actor is not None:
            return index if actor.type == "PER" else None
    return None


def _is_speech(document: _Document, draft: _Draft) -> bool:
    """Unattributed short direct quotes are mostly scare quotes and titles ('krachtige argumenten')."""
    if draft.attribution is not None or draft.kind != "direct":
        return True
    if document.text[draft.end - 1] in SENTENCE_FINAL:
        return True
    return len(_WORD.findall(document.text, draft.start, min(draft.end, draft.start + 200))) >= _MIN_WORDS_UNATTRIBUTED


def _spoken_for(document: _Document, speaker_end: int) -> Actor | None:
    """The actor a spokesperson speaks for: the mention in the "van …" right after the words naming them ("een
    woordvoerder van de zangeres laat weten"), within a few words and the sentence."""
    first = document.token_at_or_after(speaker_end)
    if first >= len(document.tokens) or document.tokens[first].text.lower() != "van":
        return None
    limit = min(document.sentence_end_token(first), first + 1 + _NOUN_PHRASE_TOKENS)
    for token in document.tokens[first + 1 : limit]:
        if not token.text[0].isalnum():
            return None
        if actor := document.actor_at(token.start, token.end):
            return actor
    return None


def _recent_speaker(document: _Document, draft: _Draft, previous: Quote | None) -> str | None:
    if previous is None or previous.speaker is None:
        return None
    near = document.sentence_of(draft.start) - document.sentence_of(previous.end) <= _RECENT_SPEAKER_SENTENCES
    return previous.speaker if near else None


def _naming_words(document: _Document, start: int, end: int) -> tuple[int, int]:
    """The part of a speaker's words ``[start, end)`` whose mentions name the speaker: without an opening
    possessive, which is a determiner ("Zijn partij stelt": the party, not the man "Zijn" stands for), except
    before a spokesperson ("zijn woordvoerder"), who speaks for him."""
    first, last = document.token_at_or_after(start), document.token_at_or_after(end)
    words = [token.text.lower() for token in document.tokens[first:last]]
    if len(words) > 1 and words[0] in _POSSESSIVES and not _SPOKESPERSONS.intersection(words[1:]):
        return document.tokens[first + 1].start, end
    return start, end


def _finish(document: _Document, draft: _Draft, previous: Quote | None) -> Quote:
    """The quote with its speaker resolved: the actor of the speaker's mention; for a pronoun no mention
    covers, the speaker of the quote just before ("zegt hij" after ",,…'', zegt Rutte"). Which actor a pronoun
    stands for is the reference resolution's decision (a mention it linked): where it left the pronoun
    unlinked, the nearest person before it is no better a guess."""
    speaker_id = None
    speaker_text = None
    cue = draft.attribution.cue if draft.attribution else None
    if draft.attribution is not None and draft.attribution.speaker_span is not None:
        start, end = draft.attribution.speaker_span
        speaker_text = document.span(start, end)
        speaker = document.actor_at(*_naming_words(document, start, end))
        if speaker is None and speaker_text.text.split()[-1].lower() in _SPOKESPERSONS:
            speaker = _spoken_for(document, end)
        speaker_id = speaker.id if speaker is not None else None
        if speaker_id is None and speaker_text.text.lower() in _PERSON_PRONOUNS:
            speaker_id = _recent_speaker(document, draft, previous)
    return Quote(
        text=document.text[draft.start : draft.end],
        start=draft.start,
        end=draft.end,
        kind=draft.kind,  # type: ignore[arg-type]
        cue=cue,
        speaker=speaker_id,
        speaker_text=speaker_text,
        sentences=document.sentences_between(draft.start, draft.end),
    )
