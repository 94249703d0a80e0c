"""The Docker assets can't run here (no Docker engine); check them with real parsers.

compose-spec (bindings of the Rust compose_spec crate) validates the compose file against
the Compose Specification; hadolint lints the Dockerfile.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from compose_spec import PyCompose

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def test_compose_file_follows_the_compose_spec() -> None:
    compose = PyCompose.from_yaml((DOCKER / "docker-compose.yml").read_text())
    assert sorted(compose.service_names()) == ["load", "neo4j", "timeline"]


def test_compose_wires_the_service_to_the_official_neo4j_image() -> None:
    services = yaml.safe_load((DOCKER / "docker-compose.yml").read_text())["services"]
    assert services["neo4j"]["image"] == "neo4j:5.26"
    assert "healthcheck" in services["neo4j"] and "healthcheck" in services["timeline"]
    env = services["timeline"]["environment"]
    assert env["TIMELINE_BACKEND"] == "neo4j"
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    depends = services["timeline"]["depends_on"]
    assert depends["load"]["condition"] == "service_completed_successfully"
    assert services["load"]["command"][-1] == "timeline migrate && timeline load seeds"


def test_the_validator_rejects_a_broken_compose_file() -> None:
    broken = "services:\n  a:\n    image: x\n    depends_on: {b: {condition: whenever}}\n"
    with pytest.raises(ValueError, match="condition"):
        PyCompose.from_yaml(broken)


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(__file__).parents[2] / ".venv/bin/hadolint")
    result = subprocess.run(
        [hadolint, str(DOCKER / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
