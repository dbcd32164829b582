"""The benchmark scripts' arithmetic: percentiles, text cutting and the linear fit (no timing here)."""

from bench.harness import clip, load_articles, side_by_side, summarise_latencies
from bench.scaling import linear_fit, text_of_length


def test_percentiles_are_observed_values_by_nearest_rank():
    latencies = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    summary = summarise_latencies(list(reversed(latencies)))
    assert (summary["p50_ms"], summary["p95_ms"], summary["p99_ms"], summary["max_ms"]) == (50, 95, 99, 100)
    assert summary["mean_ms"] == 50.5


def test_clip_cuts_at_a_sentence_end_and_never_lengthens():
    text = "Rutte sprak in Den Haag. Trump antwoordde niet. Poetin zweeg."
    assert clip(text, 0) == text
    assert clip(text, 30) == "Rutte sprak in Den Haag."
    assert clip("een twee drie vier", 12) == "een twee"


def test_texts_of_each_length_are_real_articles_within_the_length():
    articles = load_articles(50)
    assert all(text.strip() for text in articles)
    for length in (1_000, 10_000):
        text = text_of_length(articles, length)
        assert length * 0.8 <= len(text) <= length
        assert text.startswith(articles[0][:100])


def test_linear_fit_recovers_a_line():
    lengths = [1_000, 2_000, 5_000, 10_000]
    fit = linear_fit(lengths, [0.02 + 0.0001 * n for n in lengths])
    assert fit["ms_per_1k_chars"] == 100
    assert fit["intercept_ms"] == 20
    assert fit["r_squared"] == 1


def test_side_by_side_alternates_which_side_runs_first_and_returns_both_in_order():
    calls: list[str] = []

    def side(name: str):
        return lambda: calls.append(name) or name

    assert side_by_side(0, side("a"), side("b")) == ("a", "b")
    assert side_by_side(1, side("a"), side("b")) == ("a", "b")
    assert calls == ["a", "b", "b", "a"]
