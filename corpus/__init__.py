"""The annotated corpus of modern Dutch news (issue 21): ids, character offsets and labels, never text.

``corpus.spans`` turns what an annotator writes (surface strings and short anchors) into offsets,
``corpus.annotations`` reads an annotator's answer into a stored record, ``corpus.store`` loads and validates
the versioned JSONL with the article texts joined from ``../shared/data/news2019``, ``corpus.agreement`` and
``corpus.stats`` count and compare. The guideline is ``docs/annotation-guide.md``; the layout ``corpus/README.md``.
"""
