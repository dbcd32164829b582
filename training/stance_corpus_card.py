"""MODEL_CARD.md of the corpus-trained stance model, from its ``training_report.json``, ``metadata.json`` and the
end-to-end corpus dev bench (``bench.corpus_accuracy --split dev``) of the written model.

    python -m training.stance_corpus_card --model models/stance-nl-compact \
        --dev-bench bench/results/corpus_dev_issue_stance.json \
        [--before bench/results/corpus_dev_issue_stance_before.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from service.models.stance import POSITIONS

VARIANTS_TABLE = Path(__file__).resolve().parents[1] / "bench" / "results" / "corpus_dev_issue_stance_variants.md"


def variants_tried() -> list[str]:
    """The table of variants measured on corpus dev (macro-F1 / returned / opposite pole / no gold position)."""
    return [line for line in VARIANTS_TABLE.read_text(encoding="utf-8").splitlines() if line.startswith("|")]


def _f(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _issue_table(issue: dict[str, Any], before: dict[str, Any] | None) -> list[str]:
    head = "| topic | gold | returned | correct | precision | recall | F1 |" + (" F1 before |" if before else "")
    lines = [head, "|" + "---|" * (7 + bool(before))]
    for topic, row in issue["per_topic"].items():
        cells = [topic, row["gold"], row["predicted"], int(row["correct"]), row["precision"], row["recall"], row["f1"]]
        if before:
            cells.append(before["per_topic"].get(topic, {}).get("f1"))
        lines.append("| " + " | ".join(_f(c) for c in cells) + " |")
    return lines


def _summary(issue: dict[str, Any]) -> str:
    return (
        f"macro-F1 {_f(issue['macro_f1'])} over {issue['topics_scored']} topics, {issue['returned']} stances "
        f"returned, opposite pole {_f(issue['opposite_pole_rate'])}, no gold position "
        f"{_f(issue['no_position_rate'])}"
    )


def model_card(report: dict[str, Any], metadata: dict[str, Any], bench: dict[str, Any], before: dict | None) -> str:
    issue = bench["issue_stance"]
    stance = report["dev_stance_gold_windows"]
    confusion = stance["confusion"]["matrix"]
    sizes = ", ".join(f"`{name}` {size / 1e6:.1f} MB" for name, size in report["file_sizes"].items())
    topic_units = ", ".join(f"{t} {n}" for t, n in report["train_topic_units"].items())
    gate_rows = [
        f"| {t} | {g['positives']} | {_f(g['average_precision'])} | {_f(g['precision'])} | {_f(g['recall'])} |"
        for t, g in report["dev_gate"].items()
    ]
    lines = [
        f"# {metadata['model_id']} {metadata['version']}",
        "",
        f"Stance of an actor on the 13 issue topics of issuepositions `topics.yml` ({', '.join(metadata['topics'])}) "
        "from the three-sentence window around each of its name mentions (the mention wrapped in `**…**`), plus a "
        "relevance gate that says whether the marked actor takes a position on each topic there.",
        "",
        "Positions: `positive` = the topic's positive pole in `topics.yml`, `negative` = its negative pole, "
        "`neutral` = the actor addresses the topic without taking a side. Report a stance only where `relevant` "
        f"is true (gate probability ≥ {metadata['thresholds'][metadata['topics'][0]]} for every topic). The service "
        "pools an actor's mentions per topic (`service.pipeline.aggregate_stances`): mean position scores over the "
        f"mentions the gate passed; a pole that beats the other pole by less than `pole_margin` = "
        f"{metadata.get('pole_margin', 0.0)} is reported `neutral`.",
        "",
        "## Data",
        "",
        "- The annotated corpus `corpus/v1` (guideline 1, `docs/annotation-guide.md` section 6), train split only: "
        f"{report['train_windows']} name-mention windows of gold actors, {report['train_windows_labelled']} of them "
        "labelled with the actor's issue units whose evidence is the mention's sentence "
        '(`training/stance_corpus_data.py`); all other windows are "not relevant" for every topic (the corpus is '
        f"annotated exhaustively). Stance units per topic: {topic_units}.",
        "- Texts: news2019 (publishers' copyright), read from `../shared/data` at training time and never shipped; "
        "the model files hold weights, vocabularies and TF-IDF statistics only. Labels: this repository.",
        "- issuepositions `units.csv` (MIT) and the net2021 units (MIT) were tried beside the corpus windows for the "
        "classifier and measured worse on corpus dev (see below); the shipped model does not use them "
        f"(classifier units: {report['classifier_units']['corpus']} corpus, "
        f"{report['classifier_units']['units_csv_and_net2021']} units.csv / net2021).",
        "- Selection on corpus dev only (91 articles); corpus test was not read.",
        "",
        "## Models",
        "",
        f"- Stance classifier (`classifier.joblib`): {report['classifier']} (`training.stance_classifier`), "
        "agreement weight 1 for corpus units.",
        "- Relevance gate (`gate.joblib`): two stages (`service.models.stance_relevance.TwoStageRelevance`) over "
        "word 1-2 + char_wb 3-5 TF-IDF of the unmarked window, word TF-IDF of the marked actor's clause (±10 "
        'words) and the actor\'s own words: a logistic regression for "the actor takes an issue position here" '
        "on all windows, times one-vs-rest topic probabilities (normalised per window) fitted on the labelled "
        "windows. One threshold for all topics, chosen end to end on corpus dev.",
        "",
        "## Corpus dev, end to end (`bench.corpus_accuracy --split dev`, the whole service)",
        "",
        "Per (actor, topic): gold = the most frequent position of that actor's units on the topic; a returned "
        "stance is correct when its position equals it. F1 per topic, macro over the topics with gold or returned "
        "stances.",
        "",
        f"**This model**: {_summary(issue)}.",
        "",
    ]
    if before:
        lines += [f"**Before (stance-nl-compact 1.2.0, 12 topics)**: {_summary(before)}.", ""]
    lines += _issue_table(issue, before)
    lines += [
        "",
        "Dev has no Housing or Infrastructure units, and 2 Health units: those rows say little. The dev bench file "
        "is `bench/results/corpus_dev_issue_stance.json`.",
        "",
        "Reliability of the returned stances by their `confidence` (the pooled score of the returned position): "
        "share right (gold position of that actor and topic) and share on the other pole.",
        "",
        "| confidence | returned | right | other pole |",
        "|---|---|---|---|",
        *(
            f"| {row['confidence'][0]:.1f}–{row['confidence'][1]:.1f} | {row['returned']} | {row['correct']:.3f} | "
            f"{row['opposite']:.3f} |"
            for row in issue.get("reliability", [])
        ),
        "",
        "## Corpus dev windows (gold mentions, no service in between)",
        "",
        f"Classifier on the {stance['n']} dev windows with a unit (its own topic): accuracy {stance['accuracy']:.3f}, "
        f"macro-F1 {stance['macro_f1']:.3f}; F1 positive {stance['f1']['positive']:.3f}, negative "
        f"{stance['f1']['negative']:.3f}, neutral {stance['f1']['neutral']:.3f}.",
        "",
        "| gold \\ predicted | positive | negative | neutral |",
        "|---|---|---|---|",
        *(f"| {p} | {' | '.join(str(n) for n in row)} |" for p, row in zip(POSITIONS, confusion)),
        "",
        f"Gate per topic over the {report['dev_windows']} dev name windows (at the shipped threshold):",
        "",
        "| topic | positive windows | average precision | precision | recall |",
        "|---|---|---|---|---|",
        *gate_rows,
        "",
        "## Variants tried (corpus dev, end to end through the captured service actors; macro-F1 / returned / "
        "opposite pole / no gold position)",
        "",
        *variants_tried(),
        "",
        "The shipped margin 0.2 gives up about 0.01 macro-F1 on dev against margin 0.1 to bring the opposite-pole "
        "rate under the 5 % the issue asks for (5 of 124 dev stances; margin 0.1: 7). The real bench on the "
        "written model gives the shipped row exactly (`bench/results/corpus_dev_issue_stance.json`). With 122 gold "
        "pairs on dev one stance is worth about 0.01-0.05 of a topic's F1: differences under a few hundredths "
        "between rows are noise, and picking the best of these rows flatters dev.",
        "",
        "## Speed and size",
        "",
        f"- {report['windows_per_second']:.0f} windows/s on all 13 topics (gate + classifier, batches of 64, "
        "1 thread, shared CPU: a lower bound).",
        f"- {sizes}.",
        "",
        "## Reproduce",
        "",
        "```",
        report["command"],
        "```",
        "",
        f"Wall time {report['wall_time_s']:.0f} s (1 thread, shared CPU). Trained {report['trained_at']}. Then "
        "`python -m bench.corpus_accuracy --split dev --out bench/results/corpus_dev_issue_stance.json` and "
        "`python -m training.stance_corpus_card --model models/stance-nl-compact --dev-bench "
        "bench/results/corpus_dev_issue_stance.json --before bench/results/corpus_dev_issue_stance_before.json`.",
        "",
        "## Limits",
        "",
        "Far from the target of the issue (macro-F1 ≥ 0.70). Where it is lost, on the service's dev windows: stage "
        "one of the gate (does this actor take a position here) has average precision 0.55 (AUC 0.91; stage one "
        "alone at 0.1 passes 85 % of the windows with a unit, and 30 % of what it passes has one); "
        "stage two names the unit's topic first for 65 % of the windows with a unit; of the 124 dev stances, 39 "
        "are for an actor that does take a position, on another topic, and 19 for an actor without positions in "
        "an article that has some. With a perfect gate the first (two-member) classifier reached macro-F1 0.52; with "
        "a perfect gate and classifier the service's actors and name mentions allow 0.81. The TF-IDF classifier "
        "confuses the "
        "poles (about one in five dev windows with "
        "a unit is given the other pole before pooling; the pole margin trades some correct poles for neutral to keep "
        "opposite-pole answers down). Trained on 2019 news; dev is small (122 gold actor-topic pairs), so the "
        "per-topic figures are noisy. Only name mentions are read; pronoun mentions did not help on dev.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=Path("models/stance-nl-compact"))
    parser.add_argument("--dev-bench", type=Path, required=True)
    parser.add_argument("--before", type=Path)
    args = parser.parse_args(argv)
    report = json.loads((args.model / "training_report.json").read_text(encoding="utf-8"))
    metadata = json.loads((args.model / "metadata.json").read_text(encoding="utf-8"))
    bench = json.loads(args.dev_bench.read_text(encoding="utf-8"))
    before = json.loads(args.before.read_text(encoding="utf-8"))["issue_stance"] if args.before else None
    (args.model / "MODEL_CARD.md").write_text(model_card(report, metadata, bench, before), encoding="utf-8")


if __name__ == "__main__":
    main()
