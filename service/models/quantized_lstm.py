"""Int8 LSTMs that call torch's operator for packed input by the name of its overload.

``torch.ao.nn.quantized.dynamic.LSTM`` hands a packed batch (the taggers' and the pair heads' BiLSTMs read
packed batches) to ``torch.quantized_lstm`` without naming the overload. torch tries the padded-input overload
first, and the failed match formats an error message that prints the batch-sizes tensor before the packed one is
tried. The message costs the more the larger the batch: on the NER tagger's BiLSTM (662 inputs, 256 hidden) over
a packed batch of 32 sentences of 30 tokens a call took 7.9 ms instead of 7.3 ms here; 0.136 s of a 40-article
profile went to it. ``PackedInputLSTM`` calls the ``data`` overload itself, with the arguments torch's own
``forward_impl`` passes, so the outputs are the same bit for bit (tests/unit/test_quantized_lstm.py). It runs
eagerly only: ``torch.jit.script`` does not compile the subclass.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.ao.nn.quantized.dynamic import LSTM


class PackedInputLSTM(LSTM):
    """A dynamic int8 LSTM whose packed-input calls name their overload (``use_packed_input_overload``)."""

    def forward_impl(
        self,
        input: Tensor,
        hx: tuple[Tensor, Tensor] | None,
        batch_sizes: Tensor | None,
        max_batch_size: int,
        sorted_indices: Tensor | None,
    ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        if batch_sizes is None:
            return super().forward_impl(input, hx, batch_sizes, max_batch_size, sorted_indices)
        if hx is None:
            directions = 2 if self.bidirectional else 1
            zeros = torch.zeros(
                self.num_layers * directions, max_batch_size, self.hidden_size, dtype=input.dtype, device=input.device
            )
            hx = (zeros, zeros)
        else:
            hx = self.permute_hidden(hx, sorted_indices)
        self.check_forward_args(input, hx, batch_sizes)
        output, *hidden = torch.ops.aten.quantized_lstm.data(
            input,
            batch_sizes,
            hx,
            [weights.param for weights in self._all_weight_values],
            self.bias,
            self.num_layers,
            float(self.dropout),
            self.training,
            self.bidirectional,
            dtype=self.dtype,
            use_dynamic=True,
        )
        return output, (hidden[0], hidden[1])


def use_packed_input_overload(module: torch.nn.Module) -> None:
    """Turn every dynamic int8 LSTM inside ``module`` into a ``PackedInputLSTM`` (in place; the weights stay)."""
    for child in module.modules():
        if type(child) is LSTM:
            child.__class__ = PackedInputLSTM
