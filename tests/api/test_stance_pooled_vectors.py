"""The shipped stance model through the real app: the app loads it once and scores with it.

Since stance-nl-compact 2.0.0 (trained on the corpus, ``training.stance_corpus``) the shipped classifier has no
pooled fastText member (nor gensim: ``tests/api/test_served_imports.py``); the pooled vectors stay available to
``training.stance`` (``tests/unit``)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import SHIPPED_STANCE

TEXT = "De Tweede Kamer sprak over migratie. Wilders wil de asielinstroom drastisch beperken."


def test_stance_endpoint_scores_with_the_loaded_model(client, stance_model) -> None:
    start = TEXT.index("Wilders")
    response = client.post("/v1/stance", json={"text": TEXT, "actor": {"start": start, "end": start + 7}})
    assert response.status_code == 200
    body = response.get_json()
    metadata = json.loads((SHIPPED_STANCE / "metadata.json").read_text(encoding="utf-8"))
    assert client.get("/v1/info").get_json()["stance"]["version"] == metadata["version"]
    immigration = next(s for s in body["stances"] if s["topic"] == "immigration")
    ((expected,),) = stance_model.predict([body["window"]], ["immigration"])
    assert immigration["relevant"] is True
    assert immigration["position"] == expected.position == "negative"
    assert immigration["scores"] == pytest.approx(expected.scores, abs=1e-4)  # the API rounds to 4 decimals
