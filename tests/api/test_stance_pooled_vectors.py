"""The shipped stance model through the real app: the app loads it once and scores with it, without gensim.

Since stance-nl-compact 2.0.0 (trained on the corpus, ``training.stance_corpus``) the shipped classifier has no
pooled fastText member; the pooled vectors stay available to ``training.stance`` (``tests/unit``)."""

from __future__ import annotations

import json
import subprocess
import sys

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


def test_serving_the_model_needs_no_gensim() -> None:
    """Loading the shipped model in a fresh process imports no gensim."""
    script = (
        "import sys; from service.models.stance import load_stance_model; "
        f"load_stance_model({str(SHIPPED_STANCE)!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'gensim'))"
    )
    root = SHIPPED_STANCE.parents[1]
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root)
    assert result.stdout.strip() == "[]"
