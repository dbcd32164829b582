"""A serving process imports none of the packages the image leaves out (``docker/not-served.txt``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from service.config import PROJECT_ROOT
from tests.helpers import SAMPLE_ARTICLE

pytestmark = pytest.mark.slow

NOT_SERVED = PROJECT_ROOT / "docker" / "not-served.txt"
# A worker as gunicorn runs it: every model loaded, one article analysed; then the top-level modules it imported
# that come from the distributions the image uninstalls.
WORKER = """
import json, sys
from importlib import metadata
from service.config import Settings
from service.pipeline import Document
from service.state import build_pipeline

left_out = set(sys.argv[1:])
build_pipeline(Settings.from_env()).analyze([Document(text=open({sample!r}, encoding="utf-8").read())])
owners = metadata.packages_distributions()
print(json.dumps(sorted(
    name for name in sys.modules
    if "." not in name and {{d.lower() for d in owners.get(name, [])}} & left_out
)))
"""


def left_out_distributions() -> list[str]:
    lines = NOT_SERVED.read_text(encoding="utf-8").splitlines()
    return [line.strip().lower() for line in lines if line.strip() and not line.startswith("#")]


def test_the_left_out_packages_are_installed_here_and_named_as_pip_names_them():
    from importlib import metadata

    installed = {dist.metadata["Name"].lower() for dist in metadata.distributions()}
    assert set(left_out_distributions()) <= installed


def test_a_worker_analysing_an_article_imports_none_of_the_left_out_packages():
    script = WORKER.format(sample=str(SAMPLE_ARTICLE))
    result = subprocess.run(
        [sys.executable, "-c", script, *left_out_distributions()],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
