"""The ratio benchmarks' own logic: Frog's timer phrases, and which results the README tables show."""

import pytest

from bench.ner_vs_frog import parse_frog_duration
from bench.summary import render


def test_frog_timer_phrases_become_seconds():
    assert parse_frog_duration(" 0 seconds, 31 milliseconds and 691 microseconds") == pytest.approx(0.031691)
    assert parse_frog_duration(" 2 minutes, 3 seconds, 0 milliseconds and 5 microseconds") == pytest.approx(123.000005)


def test_a_phrase_without_a_duration_is_refused():
    with pytest.raises(ValueError):
        parse_frog_duration("Frog finished")


def _result(ner_version: str, cpu: str = "AMD EPYC", contaminated: bool = False, **fields) -> dict:
    return {
        "started_utc": "2026-11-28T23:50:00Z",
        "duration_s": 60.0,
        "git": "abc1234",
        "machine": {"cpu": cpu, "cpus_usable": 2, "memory_gib": 8, "python": "3.11", "torch": "2", "flair": "0.15"},
        "models": {"ner_version": ner_version},
        "contention": {"contaminated": contaminated, "other_processes_cpu_share": 0.8 if contaminated else 0.0},
        **fields,
    }


def test_ratios_name_their_cpu_and_results_of_other_weights_are_left_out():
    results = {
        "ner_vs_frog": _result(
            "sha256:shipped", tokens=13000, data="ned.testb, first 1000 sentences", tagger_over_frog_speed=1.234
        ),
        "overhead": _result(
            "sha256:shipped",
            contaminated=True,
            articles=40,
            overhead_ratio=1.0712,
            median_added_ms=9.5,
            median_per_article_ratio=1.08,
            median_healthz_round_trip_ms=2.25,
            goal_met=False,
        ),
        "batching": _result(
            "sha256:older",
            cpu="Intel Xeon",
            documents=64,
            speedup=1.45,
            single_requests_s=[10.0],
            batch_request_s=[6.9],
            goal_met=False,
        ),
    }
    text = render(results, "sha256:shipped")
    assert "| 1.23× |" in text
    assert (
        "1.071 (median per article 1.080; +9.5 ms median per request, of which a bare `GET /healthz` round trip "
        "2.2 ms) | ≤ 1.05 (**not met**)"
    ) in text
    assert "AMD EPYC × 2, other processes 80% of the CPUs" in text
    assert "1.45×" not in text
    assert "Not shown: batching (last measured 2026-11-28, Intel Xeon × 2)" in text


def test_the_time_split_names_each_stage_and_what_a_batch_saves():
    profile = _result(
        "sha256:shipped",
        articles=12,
        app_over_pipeline_ratio=1.01,
        pipeline_stages={"total_s": 6.0, "ner_s": 5.0, "rest_s": 1.0, "ner_share": 0.833, "rest_share": 0.167},
        one_at_a_time_over_one_batch={"total": 1.3, "ner": 1.25, "rest": 1.6},
    )
    text = render({"profile_request": profile}, "sha256:shipped")
    assert "inside `Pipeline.analyze`, ner 83%, rest 17%." in text
    assert "by stage: total 1.30×, ner 1.25×, rest 1.60×." in text
    assert "NER tagger alone" not in text  # a run from before that measurement


def test_the_time_split_gives_a_full_analysis_against_ner_alone_where_the_run_measured_it():
    profile = _result(
        "sha256:shipped",
        articles=12,
        app_over_pipeline_ratio=1.01,
        full_analysis_over_ner_alone={"ner_alone_s": 2.0, "full_analysis_s": 3.0, "ratio": 1.5},
        pipeline_stages={"total_s": 6.0, "ner_s": 5.0, "rest_s": 1.0, "ner_share": 0.833, "rest_share": 0.167},
        one_at_a_time_over_one_batch={"total": 1.3, "ner": 1.25, "rest": 1.6},
    )
    text = render({"profile_request": profile}, "sha256:shipped")
    assert "rest 17%. A full analysis takes 1.50× the NER tagger alone, side by side." in text


def test_the_time_split_gives_the_back_to_back_reading_beside_the_side_by_side_one():
    versus_ner = {
        "ner_alone_s": 2.0,
        "full_analysis_s": 3.0,
        "ratio": 1.5,
        "per_round_ratios": [1.4, 1.6],
        "back_to_back_ratio": 1.66,
        "back_to_back_per_round_ratios": [1.64, 1.68],
    }
    profile = _result(
        "sha256:shipped",
        articles=12,
        app_over_pipeline_ratio=1.01,
        full_analysis_over_ner_alone=versus_ner,
        pipeline_stages={"total_s": 6.0, "ner_s": 5.0, "rest_s": 1.0, "ner_share": 0.833, "rest_share": 0.167},
        one_at_a_time_over_one_batch={"total": 1.3, "ner": 1.25, "rest": 1.6},
    )
    text = render({"profile_request": profile}, "sha256:shipped")
    assert (
        "A full analysis takes 1.50× (rounds 1.40–1.60) the NER tagger alone, side by side; back to back (one kind "
        "over every article, then the other) 1.66× (rounds 1.64–1.68)."
    ) in text


def test_the_full_over_ner_reading_times_each_call_side_by_side_and_back_to_back(monkeypatch):
    """Each pass reads side by side (alternating per article), then back to back (one kind over every article
    before the other, the first kind alternating per pass); each reading sums its own times."""
    from types import SimpleNamespace

    from bench import profile_request

    calls: list[tuple[str, str]] = []
    pipeline = SimpleNamespace(
        ner=SimpleNamespace(tag=lambda documents: calls.append(("ner", documents[0][0]))),
        analyze=lambda documents: calls.append(("full", documents[0].text)),
    )
    monkeypatch.setattr(profile_request, "split_sentences", lambda text: [])
    # a call's time by its kind and by whether it is one of the 4 side-by-side calls of its pass or not
    seconds = {("ner", True): 1.0, ("full", True): 2.0, ("ner", False): 1.0, ("full", False): 3.0}

    def timed(call):
        call()
        return seconds[(calls[-1][0], len(calls) % 8 in (1, 2, 3, 4))]

    monkeypatch.setattr(profile_request, "_timed", timed)
    reading = profile_request.full_over_ner_alone(pipeline, ["a", "b"], rounds=2)
    side_by_side = [("ner", "a"), ("full", "a"), ("full", "b"), ("ner", "b")]
    ner_first = [("ner", "a"), ("ner", "b"), ("full", "a"), ("full", "b")]
    assert calls == [*side_by_side, *ner_first, *side_by_side, *ner_first[2:], *ner_first[:2]]
    assert reading == {
        "ner_alone_s": 4.0,
        "full_analysis_s": 8.0,
        "ratio": 2.0,
        "per_round_ratios": [2.0, 2.0],
        "back_to_back_ratio": 3.0,
        "back_to_back_per_round_ratios": [3.0, 3.0],
    }


def test_the_batch_row_shows_the_spread_of_its_rounds():
    batching = _result(
        "sha256:shipped",
        documents=64,
        speedup=1.45,
        single_requests_s=[14.0, 15.0],
        batch_request_s=[10.0, 10.0],
        goal_met=False,
    )
    text = render({"batching": batching}, "sha256:shipped")
    assert "| 1.45× (rounds 1.40–1.50) | ≥ 2× (**not met**) |" in text


def test_a_goal_met_on_a_busy_machine_is_not_claimed_as_met():
    batching = _result(
        "sha256:shipped",
        contaminated=True,
        documents=64,
        speedup=2.1,
        single_requests_s=[21.0],
        batch_request_s=[10.0],
        goal_met=True,
    )
    text = render({"batching": batching}, "sha256:shipped")
    assert "≥ 2× (met on a busy machine: to confirm on an idle one)" in text
