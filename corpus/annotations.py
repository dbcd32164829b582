"""An annotator's answer (surface strings, actor names like "A1") into a stored record (offsets, integer ids).

The answer format is in ``docs/annotation-guide.md`` ("Writing the answer"). Every problem is collected, not only
the first, so an annotator fixes an article in one round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from corpus.labels import ACTOR_STANCES, ACTOR_TYPES, ENTITY_TYPES, ISSUE_POSITIONS, QUOTE_KINDS
from corpus.spans import SpanError, resolve_all, resolve_one

Span = tuple[int, int]


class AnswerError(ValueError):
    """An answer that cannot be stored; ``problems`` lists every reason, each naming the item."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _overlaps(span: Span, taken: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _spec_length(spec: Mapping[str, Any]) -> int:
    return len(str(spec.get("text") or ""))


def _is_repeated(spec: Mapping[str, Any]) -> bool:
    """A bare ``{"text": ...}`` names every occurrence; ``near``, ``occurrence`` or ``from`` name one."""
    return not any(key in spec for key in ("near", "occurrence", "from"))


class _Converter:
    def __init__(self, text: str, answer: Mapping[str, Any], topics: Sequence[str]) -> None:
        self.text = text
        self.answer = answer
        self.topics = topics
        self.problems: list[str] = []
        self.actor_ids: dict[str, int] = {}

    def one(self, spec: Any, where: str) -> Span | None:
        try:
            return resolve_one(self.text, spec)
        except SpanError as error:
            self.problems.append(f"{where}: {error}")
            return None

    def items(self, key: str) -> list[Mapping[str, Any]]:
        value = self.answer.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            self.problems.append(f"{key}: must be a list of objects")
            return []
        return value

    def entities(self) -> list[list]:
        """Single occurrences first, then repeated names longest first; a repeated name is not tagged again
        inside a longer entity ("Trump" inside "Donald Trump")."""
        items = self.items("entities")
        taken: list[tuple[int, int, str]] = []
        for number, item in enumerate(items, 1):
            if item.get("type") not in ENTITY_TYPES:
                self.problems.append(f"entities[{number}]: type {item.get('type')!r} is not one of {ENTITY_TYPES}")
            elif not _is_repeated(item) and (span := self.one(item, f"entities[{number}]")):
                if _overlaps(span, [(s, e) for s, e, _ in taken]):
                    self.problems.append(f"entities[{number}] {item.get('text')!r} overlaps another entity")
                else:
                    taken.append((*span, item["type"]))
        repeated = sorted((i for i in enumerate(items, 1) if _is_repeated(i[1])), key=lambda i: -_spec_length(i[1]))
        for number, item in repeated:
            if item.get("type") not in ENTITY_TYPES:
                continue
            try:
                spans = resolve_all(self.text, item)
            except SpanError as error:
                self.problems.append(f"entities[{number}]: {error}")
                continue
            for span in spans:
                same = [kind for start, end, kind in taken if (start, end) == span]
                if same and same[0] != item["type"]:
                    self.problems.append(f"entities[{number}] {item['text']!r} at {span[0]} is also typed {same[0]}")
                elif not _overlaps(span, [(s, e) for s, e, _ in taken]):
                    taken.append((*span, item["type"]))
        return [list(entity) for entity in sorted(taken)]

    def actors(self, entities: list[list]) -> list[dict]:
        """Actors numbered 1.. by first mention. Single mentions are kept as given (a description may hold another
        actor's name); repeated names skip occurrences inside a longer repeated name of any actor or inside a longer
        entity ("RTL" in "RTL Late Night")."""
        entity_spans = {(s, e) for s, e, kind in entities if kind != "MISC"}
        items = self.items("actors")
        mentions: dict[str, list[Span]] = {}
        kinds: dict[str, str] = {}
        owner: dict[Span, str] = {}
        repeated: list[tuple[int, str, Mapping[str, Any]]] = []
        for number, item in enumerate(items, 1):
            name = item.get("actor")
            if not isinstance(name, str) or name in mentions:
                self.problems.append(f"actors[{number}]: 'actor' must be a new name like 'A{number}', got {name!r}")
                continue
            if item.get("type") not in ACTOR_TYPES:
                self.problems.append(f"actor {name}: type {item.get('type')!r} is not one of {ACTOR_TYPES}")
            mentions[name] = []
            kinds[name] = str(item.get("type"))
            for spec in item.get("mentions") or []:
                if isinstance(spec, Mapping) and _is_repeated(spec):
                    repeated.append((number, name, spec))
                elif span := self.one(spec, f"actor {name} mention"):
                    self._claim(span, name, owner, mentions)
        long_names: list[Span] = []
        for _, name, spec in sorted(repeated, key=lambda r: -_spec_length(r[2])):
            try:
                spans = resolve_all(self.text, spec)
            except SpanError as error:
                self.problems.append(f"actor {name} mention: {error}")
                continue
            for span in spans:
                inside_longer = _overlaps(span, [other for other in long_names if other != span]) or any(
                    start <= span[0] and span[1] <= end and (start, end) != span for start, end, _ in entities
                )
                if not inside_longer and owner.get(span) != name:
                    self._claim(span, name, owner, mentions)
            long_names.extend(spans)
        records = []
        for name, found in mentions.items():
            spans = sorted(set(found))
            if not entity_spans.intersection(spans):
                self.problems.append(f"actor {name}: no mention is a PER/ORG/LOC entity span; actors are named")
            records.append((spans[0] if spans else (len(self.text), 0), name, kinds[name], spans))
        records.sort()
        mentioned = set(owner)
        for start, end in sorted(entity_spans - mentioned):
            self.problems.append(f"entity {self.text[start:end]!r} at {start} belongs to no actor; every PER, ORG and "
                                 "LOC entity is a mention of one actor")  # fmt: skip
        for number, (_, name, _, _) in enumerate(records, 1):
            self.actor_ids[name] = number
        return [{"id": self.actor_ids[name], "type": kind, "mentions": [list(s) for s in spans]}
                for _, name, kind, spans in records]  # fmt: skip

    def _claim(self, span: Span, name: str, owner: dict[Span, str], mentions: dict[str, list[Span]]) -> None:
        if span in owner and owner[span] != name:
            self.problems.append(f"mention {self.text[span[0]:span[1]]!r} at {span[0]} given to both {owner[span]} "
                                 f"and {name}; give the shorter name's mentions one by one with 'near'")  # fmt: skip
            return
        owner[span] = name
        mentions[name].append(span)

    def actor(self, value: Any, where: str, required: bool = True) -> int | None:
        if value is None and not required:
            return None
        if value not in self.actor_ids:
            self.problems.append(f"{where}: {value!r} is not an actor of this answer")
            return None
        return self.actor_ids[value]

    def label(self, value: Any, allowed: Sequence[str], where: str) -> Any:
        if value not in allowed:
            self.problems.append(f"{where}: {value!r} is not one of {tuple(allowed)}")
        return value

    def optional(self, spec: Any, where: str) -> list[int] | None:
        span = None if spec is None else self.one(spec, where)
        return None if span is None else list(span)

    def quotes(self) -> list[dict]:
        records = []
        for number, item in enumerate(self.items("quotes"), 1):
            where = f"quotes[{number}]"
            content = self.one(item.get("content"), f"{where} content")
            records.append({
                "kind": self.label(item.get("kind"), QUOTE_KINDS, f"{where} kind"),
                "content": list(content) if content else None,
                "cue": self.optional(item.get("cue"), f"{where} cue"),
                "speaker": self.actor(item.get("speaker"), f"{where} speaker", required=False),
                "speaker_mention": self.optional(item.get("speaker_mention"), f"{where} speaker_mention"),
            })  # fmt: skip
        return records

    def actor_stances(self) -> list[dict]:
        records = []
        for number, item in enumerate(self.items("actor_stances"), 1):
            where = f"actor_stances[{number}]"
            source = self.actor(item.get("source"), f"{where} source")
            target = self.actor(item.get("target"), f"{where} target")
            if source is not None and source == target:
                self.problems.append(f"{where}: source and target are the same actor")
            evidence = self.one(item.get("evidence"), f"{where} evidence")
            records.append({
                "source": source, "target": target,
                "stance": self.label(item.get("stance"), ACTOR_STANCES, f"{where} stance"),
                "evidence": list(evidence) if evidence else None,
            })  # fmt: skip
        return records

    def issue_positions(self) -> list[dict]:
        records = []
        for number, item in enumerate(self.items("issue_positions"), 1):
            where = f"issue_positions[{number}]"
            evidence = self.one(item.get("evidence"), f"{where} evidence")
            records.append({
                "actor": self.actor(item.get("actor"), f"{where} actor"),
                "topic": self.label(item.get("topic"), self.topics, f"{where} topic"),
                "position": self.label(item.get("position"), ISSUE_POSITIONS, f"{where} position"),
                "evidence": list(evidence) if evidence else None,
            })  # fmt: skip
        return records


def convert_answer(answer: Mapping[str, Any], text: str, topics: Sequence[str]) -> dict[str, Any]:
    """The layers of a stored record from one annotator's answer for the article ``text``.

    Raises ``AnswerError`` listing every span that is not found exactly once, every unknown label and every
    reference to an actor the answer does not define.
    """
    converter = _Converter(text, answer, topics)
    entities = converter.entities()
    layers = {
        "entities": entities,
        "actors": converter.actors(entities),
        "quotes": converter.quotes(),
        "actor_stances": converter.actor_stances(),
        "issue_positions": converter.issue_positions(),
    }
    if converter.problems:
        raise AnswerError(converter.problems)
    return layers
