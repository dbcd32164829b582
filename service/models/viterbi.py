"""Flair's Viterbi decoding for the CRF taggers, stepped through with numpy arrays.

Flair's ``ViterbiDecoder.decode`` walks a mini-batch token by token, and at every step compares each sentence's
length tensor with the step and collects the sentences that end there by iterating over that tensor; it then reads
every token's tag and confidence back one 0-d tensor at a time. On the CPU that bookkeeping cost about as much as
the decoding itself (a tenth of the NER tagger's time on news articles). ``ArrayViterbiDecoder`` performs the same
additions and maxima in the same order on numpy arrays, whose small per-step operations cost a fraction of a torch
call's dispatch (the decoding of 40 articles took half the time of the same steps in torch), reads the lengths once
per mini-batch as a list, and returns the tags and confidences as lists. Each addition rounds as IEEE arithmetic
does in torch too, a maximum is one of its inputs, and numpy's ``argmax``, as torch's ``max``, picks the first of
equal scores; the softmax and the confidences stay torch's own. So on the CPU the tags and confidences are Flair's
bit for bit, ties included (tests/unit/test_viterbi.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from flair.models.sequence_tagger_utils.viterbi import ViterbiDecoder
from torch.nn.functional import softmax


class ArrayViterbiDecoder(ViterbiDecoder):
    """A drop-in ``tagger.viterbi_decoder`` (see ``use_array_decoder``)."""

    def decode(
        self, features_tuple: tuple, probabilities_for_all_classes: bool, sentences: list[Any]
    ) -> tuple[list[list[tuple[str, float]]], list[Any]]:
        features, lengths, transitions = features_tuple
        lengths_list = [int(length) for length in lengths]
        # features[b, t, i, j]: the score of tag i at step t after tag j (emission plus transition).
        step_scores = features.detach().cpu().numpy()
        to_stop = transitions[self.stop_tag].detach().cpu().numpy()
        batch_size, seq_len = step_scores.shape[0], step_scores.shape[1]
        scores_upto_t = np.zeros((batch_size, seq_len + 1, self.tagset_size), dtype=step_scores.dtype)
        backpointers = np.full((batch_size, seq_len + 1, self.tagset_size), self.stop_tag, dtype=np.int64)
        for t in range(seq_len):
            # Flair sorts a mini-batch longest first: the sentences still running are a prefix.
            running = sum(length > t for length in lengths_list)
            if t == 0:
                scores_upto_t[:running, t] = step_scores[:running, t, :, self.start_tag]
                backpointers[:running, t, :] = self.start_tag
            else:
                _best_previous(
                    step_scores[:running, t] + scores_upto_t[:running, t - 1][:, None, :],
                    scores_upto_t[:running, t],
                    backpointers[:running, t],
                )
            ending = [i for i, length in enumerate(lengths_list) if length == t + 1]
            if ending:
                # Indexing by a list copies: the best scores and tags are written back below.
                best, previous = scores_upto_t[ending, t + 1], backpointers[ending, t + 1]
                _best_previous(scores_upto_t[ending, t][:, None, :] + to_stop[None, :], best, previous)
                scores_upto_t[ending, t + 1], backpointers[ending, t + 1] = best, previous
        decoded = np.zeros((batch_size, seq_len + 1), dtype=np.int64)
        pointer = np.full(batch_size, self.stop_tag, dtype=np.int64)
        rows = np.arange(batch_size)
        for t in reversed(range(seq_len + 1)):
            decoded[:, t] = pointer = backpointers[rows, t, pointer]
        scores = softmax(torch.from_numpy(scores_upto_t[:, :-1, :]), dim=2)
        confidences = torch.max(scores, dim=2).values.tolist()
        decoded = decoded[:, 1:]
        names = [self.tag_dictionary.get_item_for_index(i) for i in range(self.tagset_size)]
        tags = [
            [(names[tag], confidence) for tag, confidence in zip(tag_row[:length], confidence_row[:length])]
            for tag_row, confidence_row, length in zip(decoded.tolist(), confidences, lengths_list)
        ]
        all_tags = (
            self._all_scores_for_token(scores, torch.from_numpy(decoded), lengths, sentences)
            if probabilities_for_all_classes
            else []
        )
        return tags, all_tags


def _best_previous(candidates: np.ndarray, best: np.ndarray, previous: np.ndarray) -> None:
    """Per sentence and tag, the best score over the previous tags (``candidates[b, i, j]``) into ``best`` and
    the first previous tag that reaches it into ``previous``."""
    previous[...] = candidates.argmax(2)
    best[...] = np.take_along_axis(candidates, previous[..., None], 2)[..., 0]


def use_array_decoder(tagger: Any) -> None:
    """Give a loaded Flair ``SequenceTagger`` with a CRF the array decoder (same output, less time)."""
    if getattr(tagger, "use_crf", False):
        tagger.viterbi_decoder = ArrayViterbiDecoder(tagger.label_dictionary)
