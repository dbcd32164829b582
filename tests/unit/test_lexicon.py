"""The lexicon (service/lexicon/nl/): each concept defined once, every file loaded, every entry well formed."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

from service import lexicon

SERVICE = Path(lexicon.__file__).resolve().parents[1]
LEXICON = SERVICE / "lexicon"
FILES = sorted(LEXICON.rglob("*.txt"))
CONCEPTS = sorted(path.stem for path in (LEXICON / lexicon.LANGUAGE).glob("*.txt"))

# Files whose entries are matched as written (names), not lower-cased.
MATCHED_AS_WRITTEN = {"corpus_names"}
# Two files define one concept twice when more than half of the smaller one is also in the other. These pairs
# share function words on purpose: the words around "zijn" that make it the verb are of every class.
ALLOWED_OVERLAPS = {
    frozenset({"verb_zijn_context", "adverbs_after_speech_verb"}),
    frozenset({"verb_zijn_context", "determiners"}),
}
# Word lists still in code (file relative to service/, assigned name): closed sets that are no Dutch words.
NOT_WORDS = {
    ("config.py", "positive"),  # setting names
    ("metrics.py", "LATENCY"),  # a metric's help text
    ("metrics.py", "ANALYSES_IN_PROGRESS"),  # a metric's help text
    ("models/actor_stance.py", "required"),  # the keys of a model file
}
MIN_LIST = 5
_WORDS = re.compile(r"^\s*[\w'’.-]+(\s+[\w'’.-]+){4,}\s*$")
_TAG = re.compile(r"^# Tag (\S+):")
_LOADERS = {"words", "tagged", "entries"}
_CONTAINERS = {"frozenset", "set", "tuple"}


def _entry_lines(path: Path) -> list[str]:
    """The entry lines of a lexicon file, as written (comments and blank lines left out)."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and line[0] != "#"]


def _header(path: Path) -> list[str]:
    return list(itertools.takewhile(lambda line: line.startswith("#"), path.read_text(encoding="utf-8").splitlines()))


def _word_lists(tree: ast.AST) -> list[tuple[str, int]]:
    """Names assigned a hand-typed word list: a literal list, set or tuple of at least ``MIN_LIST`` strings,
    or a string of at least ``MIN_LIST`` words that is split or passed to a call (as the project's
    count_word_lists tool counts them)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        name = target.id if isinstance(target, ast.Name) else ast.unparse(target)
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") in _CONTAINERS and value.args:
            value = value.args[0]
        words = 0
        for sub in ast.walk(value):
            if not isinstance(sub, ast.Call):
                continue
            split = sub.func
            if isinstance(split, ast.Attribute) and split.attr == "split" and isinstance(split.value, ast.Constant):
                words = max(words, len(str(split.value.value).split()))
            for arg in sub.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _WORDS.match(arg.value):
                    words = max(words, len(arg.value.split()))
        if isinstance(value, ast.Set | ast.List | ast.Tuple):
            strings = [e for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            words = max(words, len(strings))
        if words >= MIN_LIST:
            found.append((name, node.lineno))
    return found


def _service_modules() -> dict[str, ast.Module]:
    return {
        path.relative_to(SERVICE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(SERVICE.rglob("*.py"))
    }


def _loaded_concepts(trees: dict[str, ast.Module]) -> set[str]:
    """Concepts named in a ``lexicon.words/tagged/entries("...")`` call anywhere in service code."""
    loaded = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _LOADERS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "lexicon"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                loaded.add(node.args[0].value)
    return loaded


def test_a_concept_has_one_file():
    names = [path.name for path in FILES]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def test_no_two_files_define_one_concept():
    entries = {concept: {word.lower() for word in lexicon.words(concept)} for concept in CONCEPTS}
    twice = []
    for first, second in itertools.combinations(CONCEPTS, 2):
        shared = entries[first] & entries[second]
        if 2 * len(shared) > min(len(entries[first]), len(entries[second])) and {first, second} not in ALLOWED_OVERLAPS:
            twice.append((first, second, sorted(shared)))
    assert twice == []


def test_no_word_list_is_left_in_service_code():
    in_code = [
        f"service/{module}:{line} {name}"
        for module, tree in _service_modules().items()
        for name, line in _word_lists(tree)
        if (module, name) not in NOT_WORDS
    ]
    assert in_code == []


def test_the_list_counter_sees_word_lists():
    """The check above would pass on any code if it found nothing: it must see each kind of list."""
    code = """
A = frozenset(["een", "twee", "drie", "vier", "vijf"])
B = word_set("een twee drie vier vijf")
C = frozenset("een twee drie vier vijf".split())
D = ("een", "twee", "drie", "vier")
"""
    assert [name for name, _ in _word_lists(ast.parse(code))] == ["A", "B", "C"]


def test_every_file_is_loaded_by_service_code():
    assert sorted(set(CONCEPTS) - _loaded_concepts(_service_modules())) == []


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_file_says_what_it_is_and_where_it_came_from(path: Path):
    header = _header(path)
    assert len(header) >= 2, "a header comment: what the concept is, and a '# Source:' line"
    assert any(line.startswith("# Source:") for line in header)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_entries_are_well_formed(path: Path):
    lines = _entry_lines(path)
    assert lines, "a file without entries"
    entries = [line.partition(":")[0] for line in lines]
    duplicates = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert duplicates == []
    for line in lines:
        assert line == line.strip() and "\t" not in line and "  " not in line, f"stray whitespace: {line!r}"
        assert "#" not in line, f"a comment after an entry: {line!r}"
        entry, colon, tags = line.partition(":")
        assert entry and (not colon or (tags.startswith(" ") and tags.strip())), f"malformed tags: {line!r}"
        if path.stem not in MATCHED_AS_WRITTEN:
            assert entry == entry.lower(), f"matched lower-cased, so written lower case: {line!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_tags_are_declared_and_used(path: Path):
    declared = {match.group(1) for line in _header(path) if (match := _TAG.match(line))}
    used = {tag for line in _entry_lines(path) for tag in line.partition(":")[2].split()}
    assert sorted(used - declared) == [], "tags without a '# Tag name:' line in the header"
    assert sorted(declared - used) == [], "tags declared but on no entry"


def test_tags_select_entries():
    assert lexicon.tagged("pronouns", "possessive") == {"zijn", "z'n", "z’n", "diens", "haar"}
    assert lexicon.entries("particle_speech_verbs")["gaf"] == {"aan", "toe"}
    assert "koningin" in lexicon.words("roles")
    assert lexicon.entries("roles") is lexicon.entries("roles"), "each file is read once"
