"""Mine the word forms that the annotated corpus's train split marks as quote cues almost wherever they stand, into
``service/lexicon/nl/corpus_speech_verbs.txt`` (the quote rules of ``service.quotes`` read it beside the
hand-written ``speech_verbs``):

    python -m training.cue_lexicon [--min-count 3] [--min-cue-share 0.5] [--train-articles N]

A form is kept when it lies in the cue of at least ``min_count`` train quotes and those quotes number at least
``min_cue_share`` of the form's occurrences as a word in the train texts ("pleit": 23 cues of 24 occurrences;
"wil": 395 of 653, too often no cue), and no quote lexicon has it yet (the speech, opinion, naming and particle
verbs, and the words a speaker phrase stops at). The thresholds were chosen on corpus dev (the quote tagger's
card). Only word forms are written (no text); the dev and test splits are never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from corpus.articles import load_texts, news2019_path
from corpus.store import TRAIN_ARTICLES_HELP, Article, all_ids, load_split
from service import lexicon

CONCEPT = "corpus_speech_verbs"
OUT = Path(__file__).resolve().parent.parent / "service" / "lexicon" / "nl" / f"{CONCEPT}.txt"
# The lexicons whose forms the quote rules already read as cues or as the end of a speaker phrase.
QUOTE_CONCEPTS = ("speech_verbs", "opinion_verbs", "naming_verbs", "speaker_stop_words", "particle_speech_verbs")
HEADER = """# Speech verbs mined from the annotated corpus (corpus/v1 train split): word forms in the cue of at least
# {count} annotated quotes, where those quotes number at least {share:.0%} of the form's occurrences as a word, and in
# no other quote lexicon. Read by the quote rules like speech_verbs.txt ("X pleit ervoor dat …", "…, eiste X").
# Source: mined by training/cue_lexicon.py from the project's own annotations (word forms only).
"""
_WORD = re.compile(r"\w+")


def cue_forms(articles: Iterable[Article], known: set[str], min_count: int, min_cue_share: float) -> list[str]:
    """The lower-cased forms kept (see the module docstring), the most frequent cue first."""
    in_cues: Counter[str] = Counter()
    standing: Counter[str] = Counter()
    for article in articles:
        standing.update(word.lower() for word in _WORD.findall(article.text))
        for quote in article.record["quotes"]:
            if quote["cue"] is not None:
                in_cues.update({word.lower() for word in _WORD.findall(article.cut(quote["cue"]))})
    kept = [
        form
        for form, count in in_cues.items()
        if count >= min_count and count / standing[form] >= min_cue_share and form.isalpha() and form not in known
    ]
    return sorted(kept, key=lambda form: (-in_cues[form], form))


def known_cue_words() -> set[str]:
    """Every form the hand-written quote lexicons hold (not the mined file itself, which this script writes)."""
    return {word for concept in QUOTE_CONCEPTS for word in lexicon.entries(concept)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-cue-share", type=float, default=0.5)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    args = parser.parse_args(argv)
    articles = load_split("train", load_texts(all_ids(), news2019_path()), train_articles=args.train_articles)
    forms = cue_forms(articles, known_cue_words(), args.min_count, args.min_cue_share)
    header = HEADER.format(count=args.min_count, share=args.min_cue_share)
    args.out.write_text(header + "\n" + "\n".join(forms) + "\n", encoding="utf-8")
    print(f"wrote {len(forms)} forms to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
