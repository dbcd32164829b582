"""Which news2019 articles the corpus annotates, drawn reproducibly (``python -m corpus.select``).

- dev and test: articles of at least 600 characters from the two parts of news2019 that the in-domain character LMs
  held out (``training.ner.held_out_article_ids``), so no model here has read them; the first 20 test articles in
  draw order are annotated twice.
- train: articles of 800–4,000 characters from the rest: for each of the 13 issue topics the articles whose text
  names the topic most often beside a political actor word (the thin topics need chosen articles to reach 100
  units), and a subject-spread share (sport, crime, business, foreign, domestic politics, anything), interleaved
  so that any prefix of the list is balanced; then a second round of topic articles, rounds for the topics
  still thin after that (``EXTRA_ROUNDS``), subject-spread rounds (``TRAIN_SPREAD_ROUNDS``), and last rounds of
  articles dense in actor-to-actor stances (``STANCE_ROUNDS``).
- dev_topics and test_topics: three topic articles per topic for each (see ``_draw_blind_topics``), annotated
  blind and stored in the dev and test splits.
- No article of ``bench/data`` is drawn, and no train article shares a paragraph of 80 characters or more with a
  dev or test article (news repeats itself across items).

The keyword patterns below only rank candidates for drawing; they are no part of any model or label.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

from corpus.articles import DEFAULT_SHARED, iter_news2019, news2019_path
from service.text import tokenize
from training.actor_stance_silver import predicates_in, read_predicates
from training.corpora import news_paragraphs
from training.ner import LM_HELD_OUT_CHARS, held_out_article_ids

SEED = 2126
CORPUS_DIR = Path(__file__).resolve().parent / "v1"
BENCH_DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
HELD_OUT_SPLIT_SIZE = 62
DOUBLE_ANNOTATED = 20
BLIND_PER_TOPIC = 3
DEV_SECOND_PER_TOPIC = 4
TRAIN_PER_TOPIC = 25
TRAIN_PER_TOPIC_SECOND = 15
TRAIN_PER_SUBJECT = 35
# The last train rounds: a subject spread drawn after every topic round, each round appended to the ones before.
# The topic rounds favour articles where politicians take positions; quotes, speakers and the pronouns and
# descriptions that name them come from all news.
TRAIN_PER_SUBJECT_SPREAD = 20
TRAIN_SPREAD_ROUNDS = 2
# The stance rounds: articles where actors most often praise, support, criticise or accuse one another by name,
# the few sided pairs of the corpus (1,996 in 1,032 articles, against 21,500 neutral ones). Each round: (articles,
# the fewest stance predicates an article holds); a round continues the ranking of the one before. The second and
# third (added the same day) go down to two predicates and to one: only about 40 articles outside the corpus hold
# three or more, about 430 two.
STANCE_ROUNDS = ((96, 3), (160, 2), (192, 1))
MIN_BLIND_CHARS, MIN_TRAIN_CHARS, MAX_TRAIN_CHARS = 600, 800, 4000
SHARED_PARAGRAPH_CHARS = 80

POLITICAL = re.compile(
    r"\b(minister|kabinet|Kamer|partij|coalitie|wethouder|gemeenteraad|premier|president|regering|VVD|CDA|D66|PVV|"
    r"PvdA|SP|GroenLinks|ChristenUnie|FvD|Forum voor Democratie|SGP|PvdD|DENK|50PLUS|Rutte|Brussel)\b"
)
TOPIC_WORDS = {
    "Defense": r"NAVO|defensie|leger|krijgsmacht|militair\w*|oorlog|wapen\w*|ontwikkelingshulp|mensenrechten",
    "Health": r"zorg|ziekenhui\w+|eigen risico|zorgverzeker\w+|huisarts\w*|patiënt\w*|gezondheid\w*|GGD|medicijn\w*",
    "Agriculture": r"boer\w*|landbouw\w*|stikstof\w*|veestapel|melkvee\w*|LTO|Schouten|platteland|varkens\w*",
    "Government": r"referendum|democratie|grondwet\w*|kiesstelsel|burgemeester\w*|gekozen|bestuurlijk\w*|integriteit",
    "Economic": r"belasting\w*|minimumloon|uitkering\w*|armoede|pensioen\w*|koopkracht|ondernemer\w*|werkloos\w*",
    "Infrastructure": r"Schiphol|luchtvaart|snelweg\w*|spoor|ProRail|NS|openbaar vervoer|Lelystad|fileprobleem|A\d+",
    "Immigration": r"asiel\w*|migrant\w*|vluchteling\w*|immigratie|migratie|IND|kinderpardon|statushouder\w*",
    "Education": r"onderwijs|school|scholen|leraren|leraar|docent\w*|universiteit\w*|studenten|wetenschap",
    "CivilRights": r"discriminatie|racisme|abortus|euthanasie|homo\w*|lhbt\w*|privacy|vrijheid van meningsuiting",
    "Environment": r"klimaat\w*|CO2|uitstoot|duurzaam\w*|energietransitie|windmolen\w*|aardgas|Urgenda|milieu\w*",
    "Housing": r"woning\w*|huur\w*|huizenmarkt|corporatie\w*|woningbouw|sociale huur|hypothe\w+|dakloz\w+",
    "Order": r"politie|criminaliteit|straf\w*|gevangeni\w+|terroris\w+|ondermijning|drugs\w*|agenten|OM",
    "EU": r"EU|Europese Unie|Brussel|brexit|Brexit|eurozone|handelsoorlog|importheffing\w*|handelsakkoord|Europees",
}
# Rounds for topics still thin after the two above: (word pattern, minimum hits, articles, whether a political
# word is required) per topic. After two
# rounds Government had a third of the units of the others (20 in the first 239 articles): its first list found
# articles about mayors and elections, where actors rarely take a side on how the state is run; these words name
# the reforms and institutions its poles are about. After that round Government (78) and Housing (83) were still
# under 100 units and all train 33 units short of 3,000, hence the last two rounds.
_GOVERNMENT_WORDS = (
    r"referendum|correctief|kiesstelsel|kiesrecht|gekozen burgemeester|staatscommissie|Grondwet|"
    r"grondwetswijziging|democratie|democratisch|bestuurlijke vernieuwing|herindeling|Eerste Kamer|"
    r"parlementaire enquête|parlementair stelsel|transparantie|vertrouwen in de politiek"
)
_HOUSING_WORDS = (
    r"huurders|huurder|huurprijs\w*|huurverhoging\w*|woningcorporatie\w*|sociale huur\w*|woningtekort|"
    r"woningnood|starters|koopwoning\w*|middenhuur|Woonbond|Aedes|Ollongren|verhuurder\w*"
)
# The first Housing list ranked articles naming minister Ollongren and "starters" first: her other portfolio
# (elections, the burqa ban) filled that round with no Housing unit, so the last round names housing only.
_HOUSING_ONLY_WORDS = (
    r"huurders|huurder|huurprijs\w*|huurverhoging\w*|huurwoning\w*|woningcorporatie\w*|corporaties|"
    r"sociale huur\w*|woningtekort|woningnood|middenhuur|Woonbond|Aedes|verhuurder\w*|woningbouw|"
    r"nieuwbouwwoning\w*|woningmarkt|betaalbare woning\w*"
)
EXTRA_ROUNDS = (
    {"Government": (_GOVERNMENT_WORDS, 3, 40, True)},
    {"Government": (_GOVERNMENT_WORDS, 2, 20, True), "Housing": (_HOUSING_WORDS, 2, 15, True)},
    # Housing news quotes tenants' unions, housing associations and landlords more than politicians, so this
    # round does not ask for a political word (no remaining article with three housing words had two).
    {"Housing": (_HOUSING_ONLY_WORDS, 3, 15, False)},
)
SUBJECT_WORDS = {
    "sport": r"wedstrijd|doelpunt\w*|Eredivisie|trainer|coach|kampioen\w*|seizoen|Oranje|finale|WK|EK",
    "crime": r"verdachte\w*|politie|rechtbank|aangehouden|officier van justitie|celstraf|moord|overval",
    "business": r"bedrijf|omzet|winst|aandeelhouder\w*|beurs|miljoen euro|topman|directeur|concern",
    "foreign": r"Trump|Poetin|China|Rusland|Iran|Verenigde Staten|Israël|Turkije|VN|Venezuela|Brexit",
    "politics": POLITICAL.pattern,
    "any": r"\w+",
}


def _count(pattern: str, text: str) -> int:
    return len(re.findall(rf"\b(?:{pattern})\b", text))


def bench_ids(folder: Path = BENCH_DATA) -> set[str]:
    """The article ids of every annotated set under ``bench/data`` (kept out of the corpus)."""
    ids = set()
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                ids.add(str(record["id"]) if "id" in record else record["doc"].split(":", 1)[1])
    return ids


def _paragraph_keys(text: str) -> set[str]:
    return {p.strip() for p in text.split("\n") if len(p.strip()) >= SHARED_PARAGRAPH_CHARS}


def _shuffled_held_out(ids: Iterable[str], texts: dict[str, str], excluded: set[str], rng: random.Random) -> list[str]:
    """The held-out articles long enough to annotate, in draw order (a split takes the first
    ``HELD_OUT_SPLIT_SIZE``; a later dev round the rest)."""
    pool = sorted(i for i in ids if i not in excluded and len(texts.get(i, "")) >= MIN_BLIND_CHARS)
    rng.shuffle(pool)
    return pool


def _interleave(buckets: list[list[tuple[str, str]]]) -> list[dict[str, str]]:
    drawn = []
    for rank in range(max(map(len, buckets), default=0)):
        drawn.extend({"id": b[rank][0], "drawn_for": b[rank][1]} for b in buckets if rank < len(b))
    return drawn


def _draw_train(texts: dict[str, str], blocked: set[str], rng: random.Random) -> list[dict[str, str]]:
    """Topic and subject buckets, each ranked (topics by keyword count, subjects at random among matches), then
    interleaved round-robin; then a second round of topic articles (the issue-unit yield of the first round per
    article fell short of 3,000 units for 500 articles), appended so the first round keeps its order."""
    pool = sorted(i for i, t in texts.items() if i not in blocked and MIN_TRAIN_CHARS <= len(t) <= MAX_TRAIN_CHARS)
    rng.shuffle(pool)
    political = [i for i in pool if len(POLITICAL.findall(texts[i])) >= 2]
    ranked = {
        topic: sorted(political, key=lambda i, w=words: -_count(w, texts[i])) for topic, words in TOPIC_WORDS.items()
    }
    chosen: set[str] = set()

    def take(candidates: list[str], words: str, hits: int, count: int, label: str) -> list[tuple[str, str]]:
        picked = [i for i in candidates if i not in chosen and _count(words, texts[i]) >= hits][:count]
        chosen.update(picked)
        return [(i, label) for i in picked]

    first = [take(ranked[t], w, 3, TRAIN_PER_TOPIC, f"topic:{t}") for t, w in TOPIC_WORDS.items()]
    first += [take(pool, w, 3, TRAIN_PER_SUBJECT, f"subject:{s}") for s, w in SUBJECT_WORDS.items()]
    second = [take(ranked[t], w, 2, TRAIN_PER_TOPIC_SECOND, f"topic:{t}") for t, w in TOPIC_WORDS.items()]
    return _interleave(first) + _interleave(second)


def _draw_extra_rounds(texts: dict[str, str], blocked: set[str], rng: random.Random) -> list[dict[str, str]]:
    """More train articles for the topics still thin after two rounds (``EXTRA_ROUNDS``), then subject-spread
    rounds (``TRAIN_PER_SUBJECT_SPREAD`` per subject each), drawn after the blind topic articles (so those stay
    as they were drawn) from what neither train nor the blind sets hold; each round is appended, so the rounds
    before keep their order."""
    pool = sorted(i for i, t in texts.items() if i not in blocked and MIN_TRAIN_CHARS <= len(t) <= MAX_TRAIN_CHARS)
    rng.shuffle(pool)
    political = [i for i in pool if len(POLITICAL.findall(texts[i])) >= 2]
    chosen: set[str] = set()
    drawn: list[dict[str, str]] = []
    for extra_round in EXTRA_ROUNDS:
        buckets = []
        for topic, (words, hits, count, political_only) in extra_round.items():
            candidates = political if political_only else pool
            ranked = sorted(candidates, key=lambda i, w=words: -_count(w, texts[i]))
            picked = [i for i in ranked if i not in chosen and _count(words, texts[i]) >= hits][:count]
            chosen.update(picked)
            buckets.append([(i, f"topic:{topic}") for i in picked])
        drawn += _interleave(buckets)
    for _ in range(TRAIN_SPREAD_ROUNDS):
        spread = []
        for subject, words in SUBJECT_WORDS.items():
            picked = [i for i in pool if i not in chosen and _count(words, texts[i]) >= 3][:TRAIN_PER_SUBJECT_SPREAD]
            chosen.update(picked)
            spread.append([(i, f"subject:{subject}") for i in picked])
        drawn += _interleave(spread)
    return drawn


def select(shared: Path) -> dict:
    texts = {item["id"]: item["text"] for item in iter_news2019(news2019_path(shared))}
    valid_ids, test_ids = held_out_article_ids(list(news_paragraphs(news2019_path(shared))), LM_HELD_OUT_CHARS)
    excluded = bench_ids()
    rng = random.Random(SEED)
    dev_pool = _shuffled_held_out(valid_ids, texts, excluded, rng)
    dev = dev_pool[:HELD_OUT_SPLIT_SIZE]
    test = _shuffled_held_out(test_ids, texts, excluded, rng)[:HELD_OUT_SPLIT_SIZE]
    held_paragraphs = set().union(*(_paragraph_keys(texts[i]) for i in dev + test))
    blocked = excluded | valid_ids | test_ids
    blocked |= {i for i, t in texts.items() if _paragraph_keys(t) & held_paragraphs}
    train = _draw_train(texts, blocked, rng)
    train_paragraphs = set().union(*(_paragraph_keys(texts[t["id"]]) for t in train))
    blocked |= {t["id"] for t in train} | {i for i, t in texts.items() if _paragraph_keys(t) & train_paragraphs}
    dev_topics, test_topics = _draw_blind_topics(texts, blocked, rng)
    blind_paragraphs = set().union(*(_paragraph_keys(texts[t["id"]]) for t in dev_topics + test_topics))
    blocked |= {t["id"] for t in dev_topics + test_topics}
    blocked |= {i for i, t in texts.items() if _paragraph_keys(t) & blind_paragraphs}
    train += _draw_extra_rounds(texts, blocked, rng)
    drawn = dev + test + [t["id"] for t in train + dev_topics + test_topics]
    taken = set().union(*(_paragraph_keys(texts[i]) for i in drawn))
    blocked |= set(drawn) | {i for i, t in texts.items() if _paragraph_keys(t) & taken}
    dev_second = _draw_dev_round(dev_pool[HELD_OUT_SPLIT_SIZE:], texts, blocked, taken, rng)
    taken |= set().union(*(_paragraph_keys(texts[t["id"]]) for t in dev_second))
    blocked |= {t["id"] for t in dev_second} | {i for i, t in texts.items() if _paragraph_keys(t) & taken}
    train += _draw_stance_rounds(texts, blocked, rng)
    return {
        "seed": SEED,
        "dev": dev,
        "test": test,
        "test_double": test[:DOUBLE_ANNOTATED],
        "train": train,
        "dev_topics": dev_topics,
        "test_topics": test_topics,
        "dev_second": dev_second,
    }


def _draw_blind_topics(texts: dict[str, str], blocked: set[str], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """A few topic articles for dev and for test each, dealt alternately from each topic's ranking: the random
    held-out articles hold too few issue positions to score 13 topics. They come from news2019 outside the LM
    held-out parts (the LMs read their text, never labels), and share no paragraph with train or each other."""
    pool = sorted(i for i, t in texts.items() if i not in blocked and MIN_TRAIN_CHARS <= len(t) <= MAX_TRAIN_CHARS)
    rng.shuffle(pool)
    political = [i for i in pool if len(POLITICAL.findall(texts[i])) >= 2]
    chosen: set[str] = set()
    taken_paragraphs: set[str] = set()
    dealt: tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]] = ([], [])
    for topic, words in TOPIC_WORDS.items():
        picked = _pick_topic_articles(political, texts, words, 2 * BLIND_PER_TOPIC, 3, chosen, taken_paragraphs)
        for index, split in enumerate(dealt):
            split.append([(i, f"topic:{topic}") for i in picked[index::2]])
    return _interleave(dealt[0]), _interleave(dealt[1])


def _draw_dev_round(
    held_out_rest: list[str], texts: dict[str, str], blocked: set[str], taken: set[str], rng: random.Random
) -> list[dict[str, str]]:
    """A second dev round (added 2026-12-07, when train had grown to 1,032 articles): with 153 stance pairs and
    461 named quotes on dev, one pair or quote more or less moved a dev score by as much as the choices it was
    meant to decide. First the rest of the held-out dev articles (``held_out_rest``, in draw order) that share
    no paragraph with an article drawn before (``taken``: their paragraphs), then ``DEV_SECOND_PER_TOPIC``
    topic articles per topic drawn as the blind topic articles were but with two topic words instead of three
    (the earlier rounds used up the rest), from what no split holds (``blocked``; Civil rights and Housing have
    none left); appended, so every earlier draw keeps its place."""
    held_out = [i for i in held_out_rest if not _paragraph_keys(texts[i]) & taken]
    taken = taken | set().union(*(_paragraph_keys(texts[i]) for i in held_out))
    pool = sorted(i for i, t in texts.items() if i not in blocked and MIN_TRAIN_CHARS <= len(t) <= MAX_TRAIN_CHARS)
    rng.shuffle(pool)
    political = [i for i in pool if len(POLITICAL.findall(texts[i])) >= 2]
    chosen: set[str] = set()
    buckets = []
    for topic, words in TOPIC_WORDS.items():
        picked = _pick_topic_articles(political, texts, words, DEV_SECOND_PER_TOPIC, 2, chosen, taken)
        buckets.append([(i, f"topic:{topic}") for i in picked])
    return [{"id": i, "drawn_for": "held_out"} for i in held_out] + _interleave(buckets)


def _draw_stance_rounds(texts: dict[str, str], blocked: set[str], rng: random.Random) -> list[dict[str, str]]:
    """Train rounds (added 2026-12-07) of the articles that hold the most stance predicates
    (``training/data/stance_predicates.txt``: "bekritiseert", "haalt uit naar", "feliciteerde"), ``STANCE_ROUNDS``
    in turn, from what no split holds (``blocked``), none sharing a paragraph with another; appended after every
    earlier draw: the earlier rounds drew for topics and subjects, which hold few sided actor pairs."""
    pool = sorted(i for i, t in texts.items() if i not in blocked and MIN_TRAIN_CHARS <= len(t) <= MAX_TRAIN_CHARS)
    rng.shuffle(pool)
    predicates = read_predicates()
    hits = {i: len(predicates_in([token.text for token in tokenize(texts[i])], predicates)) for i in pool}
    ranked = sorted(pool, key=lambda i: -hits[i])
    drawn: list[dict[str, str]] = []
    taken: set[str] = set()
    position = 0
    for count, fewest in STANCE_ROUNDS:
        wanted = len(drawn) + count
        while len(drawn) < wanted and position < len(ranked) and hits[ranked[position]] >= fewest:
            article = ranked[position]
            position += 1
            if not _paragraph_keys(texts[article]) & taken:
                drawn.append({"id": article, "drawn_for": "stance"})
                taken |= _paragraph_keys(texts[article])
    return drawn


def _pick_topic_articles(
    political: list[str],
    texts: dict[str, str],
    words: str,
    count: int,
    min_hits: int,
    chosen: set[str],
    taken: set[str],
) -> list[str]:
    """The first ``count`` articles of ``political`` ranked by how often they name the topic ``words`` (at least
    ``min_hits`` times), none in ``chosen`` and none sharing a paragraph with ``taken``; both grow by the picks."""
    picked = []
    for article in sorted(political, key=lambda i: -_count(words, texts[i])):
        if len(picked) == count or _count(words, texts[article]) < min_hits:
            break
        if article not in chosen and not _paragraph_keys(texts[article]) & taken:
            picked.append(article)
            chosen.add(article)
            taken |= _paragraph_keys(texts[article])
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=CORPUS_DIR / "selection.json")
    args = parser.parse_args()
    selection = select(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(selection, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: len(v) for k, v in selection.items() if isinstance(v, list)}))


if __name__ == "__main__":
    main()
