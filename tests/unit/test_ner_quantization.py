"""int8 dynamic quantization of a real (tiny) tagger at load time: which modules convert, and that it still tags."""

import torch

from service.models.ner import load_ner_model
from service.models.quantized_lstm import PackedInputLSTM
from tests.tiny_models import tagged_sentences

QUANTIZED_LSTM = torch.ao.nn.quantized.dynamic.LSTM


def labelled_spans(model, token_lists):
    return [{(first, end, kind) for first, end, kind, _ in spans} for spans in model.predict_spans(token_lists)]


def test_the_chosen_lstms_become_int8_and_the_tags_stay(tiny_tagger_path):
    token_lists = [[token for token, _ in sentence] for sentence in tagged_sentences(count=10, seed=3)]
    fp32 = load_ner_model(str(tiny_tagger_path))
    int8 = load_ner_model(str(tiny_tagger_path), quantize=("tagger", "char", "linear"))
    assert int8.quantized == ("embeddings.list_embedding_0.char_rnn", "embedding2nn", "rnn")
    assert isinstance(int8._tagger.rnn, QUANTIZED_LSTM)
    assert type(int8._tagger.rnn) is PackedInputLSTM  # packed batches call torch's operator by its overload
    assert isinstance(int8._tagger.embedding2nn, torch.ao.nn.quantized.dynamic.Linear)
    assert isinstance(int8._tagger.linear, torch.nn.Linear)  # the output layer stays fp32 (see _part_of)
    assert isinstance(int8._tagger.embeddings.list_embedding_0.char_rnn, QUANTIZED_LSTM)
    assert fp32.quantized == () and isinstance(fp32._tagger.rnn, torch.nn.LSTM)
    assert labelled_spans(int8, token_lists) == labelled_spans(fp32, token_lists)


def test_a_part_the_tagger_lacks_converts_nothing(tiny_tagger_path):
    # The tiny tagger has no Flair language models.
    model = load_ner_model(str(tiny_tagger_path), quantize=("lm",))
    assert model.quantized == ()
    assert isinstance(model._tagger.rnn, torch.nn.LSTM)
