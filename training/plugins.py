"""Flair trainer plugins: a wall-clock budget, fresh dev embeddings when static ones are cached, weight averaging."""

from __future__ import annotations

import time
from collections.abc import Sequence

import torch
from flair.data import Sentence
from flair.trainers.plugins.base import TrainerPlugin, TrainingInterrupt


class DeadlinePlugin(TrainerPlugin):
    """Stop before the next epoch when the budget cannot fit it (Flair's trainer has no time limit).

    The last epoch's duration predicts the next one; the first epoch is not representative when static
    embeddings are cached, since it alone computes them. The trainer still writes ``final-model.pt`` and
    keeps the best dev checkpoint on interrupt.
    """

    def __init__(self, minutes: float) -> None:
        super().__init__()
        self.budget_s = minutes * 60
        self.started = time.monotonic()
        self.epoch_started: float | None = None

    @TrainerPlugin.hook
    def before_training_epoch(self, epoch: int, **_: object) -> None:
        now = time.monotonic()
        last_epoch_s = now - self.epoch_started if self.epoch_started is not None else 0.0
        if now - self.started + last_epoch_s > self.budget_s:
            raise TrainingInterrupt(f"stopping before epoch {epoch}: the {self.budget_s:.0f} s budget is spent")
        self.epoch_started = now

    @property
    def attach_to_all_processes(self) -> bool:
        return False


class RefreshTrainableEmbeddingsPlugin(TrainerPlugin):
    """Drop the trainable embeddings (characters) of the dev sentences before each evaluation.

    With ``embeddings_storage_mode='cpu'`` Flair keeps the static embeddings (the character LMs, word
    vectors) between epochs, which saves recomputing the LMs every epoch. During evaluation it cannot tell
    trainable embeddings apart (nothing requires grad under ``no_grad``) and caches them too, so every later
    dev score would use the character embeddings of the first epoch and pick the wrong best model
    (../shared/notes/flair-offline.md). Clearing them here makes each evaluation compute them afresh.
    """

    def __init__(self, dev_sentences: Sequence[Sentence], trainable_names: list[str]) -> None:
        super().__init__()
        self.dev_sentences = dev_sentences
        self.trainable_names = trainable_names

    @TrainerPlugin.hook
    def after_training_epoch(self, **_: object) -> None:
        for sentence in self.dev_sentences:
            sentence.clear_embeddings(self.trainable_names)

    @property
    def attach_to_all_processes(self) -> bool:
        return False


class WeightAveragePlugin(TrainerPlugin):
    """Keep the running mean of the model's weights over the epochs (stochastic weight averaging).

    At a constant, low learning rate SGD wanders around a minimum; the mean of those epochs' weights often
    generalises better than any one of them, and it is still one ordinary model. The caller compares it with
    the best single epoch on dev and keeps whichever scores higher there.
    """

    def __init__(self) -> None:
        super().__init__()
        self.mean: dict[str, torch.Tensor] | None = None
        self.epochs = 0

    @TrainerPlugin.hook
    def after_training_epoch(self, **_: object) -> None:
        state = {name: value.detach().clone() for name, value in self.model.state_dict().items()}
        self.epochs += 1
        if self.mean is None:
            self.mean = state
            return
        for name, value in state.items():
            if value.is_floating_point():
                self.mean[name] += (value - self.mean[name]) / self.epochs
            else:  # counters and other integer buffers are not averaged
                self.mean[name] = value

    def averaged_state(self) -> dict[str, torch.Tensor]:
        if self.mean is None:
            raise RuntimeError("no epoch finished, nothing to average")
        return self.mean

    @property
    def attach_to_all_processes(self) -> bool:
        return False
