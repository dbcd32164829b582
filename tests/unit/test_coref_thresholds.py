"""The rule by which ``training.coref_thresholds`` keeps a threshold among those run through the service."""

import pytest

from training.coref_thresholds import choose, main


def _comparison(links: float, precision_ci: tuple[float, float], recall_ci: tuple[float, float] = (0.0, 0.0)):
    """A ``bench.corpus_compare`` result against the reference, reduced to the figures the rule reads."""
    return {
        "links_f1": {"b": links, "ci95": [0.0, 0.0]},
        "named_speaker_precision": {"b": 0.9, "ci95": list(precision_ci)},
        "named_speaker_recall": {"b": 0.66, "ci95": list(recall_ci)},
    }


def test_the_best_links_among_thresholds_whose_quotes_are_not_significantly_worse():
    comparisons = {
        0.75: _comparison(0.62, (0.0, 0.0)),  # the reference
        0.65: _comparison(0.66, (-0.013, 0.002)),  # lower precision, within the noise
        0.55: _comparison(0.67, (-0.026, -0.001)),  # better links, but significantly fewer right speakers
    }
    assert choose(comparisons) == 0.65


def test_a_significant_loss_of_recall_also_rules_a_threshold_out():
    comparisons = {0.5: _comparison(0.62, (0.0, 0.0)), 0.25: _comparison(0.64, (-0.01, 0.01), (-0.03, -0.006))}
    assert choose(comparisons) == 0.5


def test_on_equal_links_the_higher_threshold_is_kept():
    comparisons = {
        0.7: _comparison(0.6, (0.0, 0.0)),
        0.5: _comparison(0.61, (-0.01, 0.01)),
        0.6: _comparison(0.61, (-0.01, 0.01)),
    }
    assert choose(comparisons) == 0.6


@pytest.mark.parametrize(
    "choose",
    [["pronoun"], ["pronoun", "0.5", "pronoun", "0.6"], ["pronoun", "hoog"], ["pronomen", "0.5"], ["nominal", "1.5"]],
)
def test_a_bad_choice_is_refused_before_any_model_loads(choose, capsys):
    arguments = ["--ranker", "missing/ranker.json", "--out", "unused"]
    for start in range(0, len(choose), 2):
        arguments += ["--choose", *choose[start : start + 2]]
    with pytest.raises(SystemExit):
        main(arguments)
    assert "--choose" in capsys.readouterr().err
