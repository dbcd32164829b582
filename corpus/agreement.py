"""Agreement between two independent annotations of the same articles: the ceiling models are judged against.

Actors are aligned first (an actor of the second annotation is the actor of the first that shares most of its
mention offsets), then each layer is compared: entities by exact span and type (F1, so neither annotation is the
reference), quotes by overlapping content (detection F1, and among matched quotes the share with the same
speaker, "no named speaker" included), actor pairs and issue units by Cohen's kappa over the union of both
annotations' units (a unit one annotation lacks counts as ``neutral`` for pairs and as ``none`` for issues).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sklearn.metrics import cohen_kappa_score

from corpus.pairs import NEUTRAL, actor_pairs, issue_units
from corpus.store import Article

NO_UNIT = "none"


def _overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align_actors(first: Article, second: Article) -> dict[int, int]:
    """Second-annotation actor id -> first-annotation actor id, for actors sharing at least one mention."""
    mapping = {}
    for actor in second.record["actors"]:
        shared = Counter()
        for mention in actor["mentions"]:
            for other in first.record["actors"]:
                if any(_overlap(mention, m) for m in other["mentions"]):
                    shared[other["id"]] += 1
        if shared:
            mapping[actor["id"]] = shared.most_common(1)[0][0]
    return mapping


def _f1(matched: int, first: int, second: int) -> float | None:
    return None if first + second == 0 else round(2 * matched / (first + second), 4)


def _match_quotes(first: list[dict], second: list[dict]) -> list[tuple[dict, dict]]:
    """Greedy one-to-one matching of quotes whose contents overlap most."""
    candidates = sorted(
        ((_overlap(a["content"], b["content"]), i, j) for i, a in enumerate(first) for j, b in enumerate(second)),
        reverse=True,
    )
    used_first, used_second, pairs = set(), set(), []
    for overlap, i, j in candidates:
        if overlap and i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            pairs.append((first[i], second[j]))
    return pairs


def _kappa(first: list[str], second: list[str]) -> float | None:
    if not first or len(set(first) | set(second)) < 2:
        return None
    return round(float(cohen_kappa_score(first, second)), 4)


def agreement(pairs: Sequence[tuple[Article, Article]]) -> dict:
    """Per-layer agreement over ``(first annotation, second annotation)`` pairs of the same article."""
    entity_counts = Counter()
    quote_counts = Counter()
    stance_labels: tuple[list[str], list[str]] = ([], [])
    issue_labels: tuple[list[str], list[str]] = ([], [])
    for first, second in pairs:
        mapping = align_actors(first, second)
        entities = [{tuple(e) for e in a.record["entities"]} for a in (first, second)]
        entity_counts.update(matched=len(entities[0] & entities[1]), first=len(entities[0]), second=len(entities[1]))
        matched = _match_quotes(first.record["quotes"], second.record["quotes"])
        quote_counts.update(
            matched=len(matched), first=len(first.record["quotes"]), second=len(second.record["quotes"])
        )
        quote_counts["same_speaker"] += sum(a["speaker"] == mapping.get(b["speaker"]) for a, b in matched)
        _collect(actor_pairs(first), _mapped_pairs(actor_pairs(second), mapping), NEUTRAL, stance_labels)
        _collect(issue_units(first), _mapped_units(issue_units(second), mapping), NO_UNIT, issue_labels)
    return {
        "articles": len(pairs),
        "entities_f1": _f1(entity_counts["matched"], entity_counts["first"], entity_counts["second"]),
        "quote_speaker": round(quote_counts["same_speaker"] / quote_counts["matched"], 4)
        if quote_counts["matched"]
        else None,
        "actor_stance_kappa": _kappa(*stance_labels),
        "issue_kappa": _kappa(*issue_labels),
        "quotes_matched_f1": _f1(quote_counts["matched"], quote_counts["first"], quote_counts["second"]),
        "actor_pairs_compared": len(stance_labels[0]),
        "issue_units_compared": len(issue_labels[0]),
    }


def _mapped_pairs(pairs: dict[tuple[int, int], str], mapping: dict[int, int]) -> dict[tuple, str]:
    return {(mapping.get(s, f"only-second-{s}"), mapping.get(t, f"only-second-{t}")): v for (s, t), v in pairs.items()}


def _mapped_units(units: dict[tuple[int, str, int], str], mapping: dict[int, int]) -> dict[tuple, str]:
    return {(mapping.get(a, f"only-second-{a}"), topic, sentence): v for (a, topic, sentence), v in units.items()}


def _collect(first: dict, second: dict, missing: str, labels: tuple[list[str], list[str]]) -> None:
    for key in sorted(set(first) | set(second), key=str):
        labels[0].append(first.get(key, missing))
        labels[1].append(second.get(key, missing))
