"""The dependency files agree with each other and with the environment the tests run in.

requirements*.txt are the hand-edited direct lists, requirements*.lock what `make lock` resolves from them and
what every install uses (`pip install --require-hashes`). A direct pin edited without `make lock`, a lock entry
without a hash, a CUDA package, or a venv that was not installed from the lock fails here.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from service.config import PROJECT_ROOT

# A lock entry: "name==version \" or "name[extras]==version \" followed by its "--hash=sha256:..." lines.
LOCK_ENTRY = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^]]*\])?==(?P<version>\S+)(?P<rest>(?:\s*\\\n\s+--hash=\S+)*)",
    re.MULTILINE,
)


def direct_requirements(name: str) -> dict[str, Requirement]:
    """The requirements listed in ``name`` itself (not those it includes with -r), by canonical name."""
    lines = (PROJECT_ROOT / name).read_text(encoding="utf-8").splitlines()
    requirements = [Requirement(line) for line in lines if line.strip() and not line.startswith(("#", "-"))]
    return {canonicalize_name(requirement.name): requirement for requirement in requirements}


def locked(name: str) -> dict[str, tuple[str, int]]:
    """Each locked package's version and how many hashes it carries, by canonical name."""
    text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
    return {
        canonicalize_name(match["name"]): (match["version"], match["rest"].count("--hash=sha256:"))
        for match in LOCK_ENTRY.finditer(text)
    }


def pinned_version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==", f"{requirement} is not an exact pin"
    return specifier.version


def test_pyproject_lists_the_same_runtime_requirements_as_requirements_txt():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [str(Requirement(line)) for line in project["dependencies"]] == [
        str(requirement) for requirement in direct_requirements("requirements.txt").values()
    ]


@pytest.mark.parametrize(
    ("direct", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_direct_pin_is_locked_at_the_same_version(direct, lock):
    versions = {name: version for name, (version, _) in locked(lock).items()}
    for name, requirement in direct_requirements(direct).items():
        assert versions.get(name) == pinned_version(requirement), f"{requirement} vs {lock}: run `make lock`"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_a_hash_and_none_is_a_cuda_build(lock):
    entries = locked(lock)
    assert "flair" in entries
    assert [name for name, (_, hashes) in entries.items() if hashes == 0] == []
    assert [name for name in entries if name.startswith(("nvidia-", "triton", "cuda-"))] == []
    assert entries["torch"][0].endswith("+cpu")


def test_the_runtime_lock_is_the_dev_lock_restricted_to_the_runtime_packages():
    """Tests run against the same versions the service is deployed with."""
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    assert {name: dev.get(name, ("missing", 0))[0] for name in runtime} == {
        name: version for name, (version, _) in runtime.items()
    }


def test_this_environment_was_installed_from_the_dev_lock():
    """A venv that drifted from the lock (an upgrade by hand, an install from the plain lists) shows here."""
    drift = {}
    for name, (version, _) in locked("requirements-dev.lock").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            drift[name] = (version, installed)
    assert drift == {}, f"locked vs installed: {drift}; run `make install-dev`"
