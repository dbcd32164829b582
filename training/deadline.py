"""A Flair trainer plugin that ends training before an epoch would overrun a wall-clock budget."""

from __future__ import annotations

import time

from flair.trainers.plugins.base import TrainerPlugin, TrainingInterrupt


class DeadlinePlugin(TrainerPlugin):
    """Stop before the next epoch when the budget cannot fit it (Flair's trainer has no time limit).

    The trainer still writes ``final-model.pt`` and keeps the best dev checkpoint on interrupt.
    """

    def __init__(self, minutes: float) -> None:
        super().__init__()
        self.budget_s = minutes * 60
        self.started = time.monotonic()
        self.epoch_started: float | None = None
        self.longest_epoch_s = 0.0

    @TrainerPlugin.hook
    def before_training_epoch(self, epoch: int, **_: object) -> None:
        now = time.monotonic()
        if self.epoch_started is not None:
            self.longest_epoch_s = max(self.longest_epoch_s, now - self.epoch_started)
        if now - self.started + self.longest_epoch_s > self.budget_s:
            raise TrainingInterrupt(f"stopping before epoch {epoch}: the {self.budget_s:.0f} s budget is spent")
        self.epoch_started = now

    @property
    def attach_to_all_processes(self) -> bool:
        return False
