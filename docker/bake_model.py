"""Build-time check that the image holds loadable models; fetches a hub NER model into the image.

Runs once in the Dockerfile. A local ``NER_MODEL`` path must exist and load; a hub id (``flair/ner-dutch``) is
downloaded now, with the hub allowed, into ``FLAIR_CACHE_ROOT`` and then loaded again with ``HF_HUB_OFFLINE=1``,
exactly as the running container will load it, so an image that builds never needs the hub at run time.
A missing or broken model fails the build with the loader's message instead of a container that never
becomes ready.
"""

from __future__ import annotations

import os
import subprocess
import sys

from service.config import Settings
from service.models.loading import is_hub_id
from service.models.ner import load_ner_model
from service.models.stance import load_stance_model
from service.state import load_actor_stance, load_coref, load_quotes

CA_BUNDLE_SECRET = "/run/secrets/ca_bundle"
FETCH_FLAG = "--fetch-only"


def fetch_from_hub(reference: str) -> None:
    """Download a hub model in a child process: the hub-offline switch is read once, at import time."""
    env = {**os.environ, "HF_HUB_OFFLINE": "0"}
    if os.path.isfile(CA_BUNDLE_SECRET) and os.path.getsize(CA_BUNDLE_SECRET) > 0:
        env.update(REQUESTS_CA_BUNDLE=CA_BUNDLE_SECRET, SSL_CERT_FILE=CA_BUNDLE_SECRET, CURL_CA_BUNDLE=CA_BUNDLE_SECRET)
    if subprocess.run([sys.executable, __file__, FETCH_FLAG], env=env).returncode != 0:
        sys.exit(f"NER_MODEL={reference!r}: fetching it from the model hub at build time failed (error above)")


def main() -> None:
    settings = Settings.from_env()
    if FETCH_FLAG in sys.argv:
        load_ner_model(settings.ner_model)
        return
    if is_hub_id(settings.ner_model):
        fetch_from_hub(settings.ner_model)
    ner = load_ner_model(settings.ner_model)
    stance = load_stance_model(settings.stance_model)
    print(f"baked NER_MODEL={settings.ner_model} labels={list(ner.labels)}; STANCE_MODEL topics={stance.topics}")
    if quotes := load_quotes(settings, ner):
        reads = "the NER model's vectors" if quotes.shares_embeddings else "its own embeddings (a second pass)"
        print(f"QUOTE_MODEL={settings.quote_model} reads {reads}")
    actor_stance = load_actor_stance(settings.actor_stance_model, ner, settings.ner_quantize)
    if actor_stance.reads_vectors:
        shared = actor_stance.embeddings is ner.embeddings
        reads = "the NER model's vectors" if shared else "its own embeddings (a second pass over its evidence)"
        print(f"ACTOR_STANCE_MODEL={settings.actor_stance_model} heads read {reads}")
    if coref := load_coref(settings.coref_model):
        print(f"COREF_MODEL={settings.coref_model} version {coref.version}, {len(coref.weights)} weights")


if __name__ == "__main__":
    main()
