"""The array Viterbi decoder returns what Flair's own decoder returns, tag for tag and score for score."""

from __future__ import annotations

import pytest
import torch
from flair.data import Sentence as FlairSentence
from flair.models.sequence_tagger_utils.viterbi import ViterbiDecoder

from service.models.quote_tagger import load_quote_tagger
from service.models.viterbi import ArrayViterbiDecoder
from service.text import split_sentences
from tests.helpers import SHIPPED_QUOTES


def _decoder_inputs(tagger, sentences: list[FlairSentence]) -> tuple:
    """What ``SequenceTagger.predict`` hands its decoder for one mini-batch (sorted longest first, as Flair
    sorts it)."""
    batch = sorted(sentences, key=len, reverse=True)
    with torch.no_grad():
        tagger.embeddings.embed(batch)
        sentence_tensor, lengths = tagger._prepare_tensors(batch)
        return tagger.forward(sentence_tensor, lengths), batch


@pytest.fixture(scope="module")
def shipped_taggers(shipped_ner):
    quotes = load_quote_tagger(str(SHIPPED_QUOTES), shipped_ner)
    return {"ner": shipped_ner._tagger, "quotes": quotes.tagger}


@pytest.mark.parametrize("which", ["ner", "quotes"])
@pytest.mark.parametrize("all_classes", [False, True])
def test_array_decoder_gives_flairs_tags_and_confidences(shipped_taggers, sample_text, which, all_classes):
    tagger = shipped_taggers[which]
    token_lists = [[token.text for token in sentence.tokens] for sentence in split_sentences(sample_text)[:24]]
    features, batch = _decoder_inputs(tagger, [FlairSentence(tokens) for tokens in token_lists])
    assert len({len(s) for s in batch}) > 5  # sentences of many lengths end at many steps

    with torch.no_grad():  # as in Flair's predict
        flairs = ViterbiDecoder(tagger.label_dictionary).decode(features, all_classes, batch)
        ours = ArrayViterbiDecoder(tagger.label_dictionary).decode(features, all_classes, batch)

    assert ours[0] == flairs[0]
    assert [[[(label.value, label.score) for label in token] for token in s] for s in ours[1]] == [
        [[(label.value, label.score) for label in token] for token in s] for s in flairs[1]
    ]
    assert any(tag != "O" for sentence in ours[0] for tag, _ in sentence)
    assert len(ours[1]) == (len(batch) if all_classes else 0)


def test_loaded_taggers_decode_with_the_array_decoder(shipped_taggers):
    assert all(isinstance(t.viterbi_decoder, ArrayViterbiDecoder) for t in shipped_taggers.values())


def _dictionary(tags: int):
    from flair.data import Dictionary

    dictionary = Dictionary(add_unk=False)
    for index in range(tags):
        dictionary.add_item(f"T{index}")
    dictionary.add_item("<START>")
    dictionary.add_item("<STOP>")
    return dictionary


@pytest.mark.parametrize("seed", range(4))
def test_array_decoder_breaks_ties_as_flair_does(seed):
    """Scores rounded to whole numbers tie often: every tag and confidence as Flair's decoder gives them, in
    batches of one and more, with sentences of one token and of equal lengths."""
    generator = torch.Generator().manual_seed(seed)
    for _ in range(40):
        tags = int(torch.randint(1, 6, (1,), generator=generator))
        batch = int(torch.randint(1, 5, (1,), generator=generator))
        longest = int(torch.randint(1, 8, (1,), generator=generator))
        others = torch.randint(1, longest + 1, (batch - 1,), generator=generator).tolist()
        lengths = sorted([longest, *others], reverse=True)
        size = tags + 2
        features = torch.randint(-2, 3, (batch, longest, size, size), generator=generator).float()
        transitions = torch.randint(-2, 3, (size, size), generator=generator).float()
        dictionary = _dictionary(tags)
        sentences = [FlairSentence(["w"] * length) for length in lengths]
        inputs = (features, torch.tensor(lengths), transitions)
        flairs = ViterbiDecoder(dictionary).decode(inputs, False, sentences)
        ours = ArrayViterbiDecoder(dictionary).decode(inputs, False, sentences)
        assert ours[0] == flairs[0], (lengths, tags)
