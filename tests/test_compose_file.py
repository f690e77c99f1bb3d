"""compose.yaml against the compose-spec JSON schema (check-jsonschema's vendored copy): no Docker needed.
Installed with the dev extras; where it is missing (a venv set up before it was added) the test skips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("check_jsonschema")


def check(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_compose_file_follows_the_compose_spec(repo_root: Path, tmp_path: Path) -> None:
    compose = repo_root / "compose.yaml"
    done = check(compose)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "compose.yaml"
    broken.write_text(compose.read_text().replace("service_completed_successfully", "finished"))
    assert check(broken).returncode != 0, "the check can fail"
