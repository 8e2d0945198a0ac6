"""Schemathesis against a real `kg serve`: no 5xx, and the OpenAPI description says what the server enforces.

Every check runs (server errors, status codes, content types, response schemas; schema-valid requests
accepted, ST202; schema-violating ones refused, ST201), within a fixed time and seed so that the run is
bounded and repeatable. tests/security/schemathesis.toml lists the few refusals JSON Schema cannot express.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SCHEMATHESIS = Path(sys.executable).parent / "st"
CONFIG = Path(__file__).parent / "schemathesis.toml"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(server, tmp_path):
    result = subprocess.run(
        [str(SCHEMATHESIS), "--no-color", "--config-file", str(CONFIG), "run", f"{server.url}/openapi.json",
         "--checks", "all", "--workers", "1", "--phases", "examples,coverage,fuzzing", "--max-examples", "25",
         "--max-time", "60", "--seed", "20261204", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its cache goes there, not in the checkout
    report = result.stdout[-6000:]
    assert result.returncode == 0, report
    assert "Test cases:" in report and "failure" not in report.split("Test cases:")[1].split("\n")[1], report
