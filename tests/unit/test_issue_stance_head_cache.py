"""The issue-stance head trainer's caches are read only for the examples they were written for."""

from __future__ import annotations

import pytest
import torch

from training.issue_stance_head import read_cache


def test_a_cache_is_read_for_its_own_examples_and_refused_for_others(tmp_path) -> None:
    path = tmp_path / "inputs.pt"
    key = {"examples": {"train": 12, "dev": 3}}
    assert read_cache(path, key) is None
    assert read_cache(None, key) is None
    torch.save({"key": key, "items": [1, 2]}, path)
    assert read_cache(path, key)["items"] == [1, 2]
    with pytest.raises(SystemExit, match="remove it or name another file"):
        read_cache(path, {"examples": {"train": 20, "dev": 3}})  # another --train-articles
