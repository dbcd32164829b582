"""The int8 LSTM that names torch's packed-input overload computes what torch's own int8 LSTM does."""

from __future__ import annotations

import copy
import warnings

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from service.models.quantized_lstm import PackedInputLSTM, use_packed_input_overload


def int8_lstm() -> torch.nn.Module:
    torch.manual_seed(5)
    holder = torch.nn.Sequential(torch.nn.LSTM(12, 6, batch_first=True, bidirectional=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(holder, {torch.nn.LSTM}, dtype=torch.qint8)


def test_packed_and_padded_batches_give_torchs_outputs_bit_for_bit() -> None:
    torchs = int8_lstm()
    ours = copy.deepcopy(torchs)
    use_packed_input_overload(ours)
    assert type(ours[0]) is PackedInputLSTM and type(torchs[0]) is not PackedInputLSTM
    batch = torch.randn(3, 7, 12)
    packed = pack_padded_sequence(batch, [7, 5, 2], batch_first=True, enforce_sorted=False)
    with torch.no_grad():
        (expected, (h, c)), (found, (h2, c2)) = torchs(packed), ours(packed)
        assert torch.equal(pad_packed_sequence(expected)[0], pad_packed_sequence(found)[0])
        assert torch.equal(h, h2) and torch.equal(c, c2)
        assert torch.equal(torchs(batch)[0], ours(batch)[0])


def test_only_int8_lstms_change_class() -> None:
    model = torch.nn.Sequential(torch.nn.LSTM(4, 2), torch.nn.Linear(2, 2))
    use_packed_input_overload(model)
    assert type(model[0]) is torch.nn.LSTM and type(model[1]) is torch.nn.Linear
