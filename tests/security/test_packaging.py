"""A non-editable install carries its ontology: `pip install .` then a first build, away from the checkout."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


def test_an_installed_wheel_builds_with_its_packaged_ontology(tmp_path: Path):
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("newskg-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True,
                   capture_output=True)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    script = ("import kg, kg.settings, sys; from kg.cli import main; "
              "assert kg.__file__.startswith(sys.argv[1]), kg.__file__; "
              "assert kg.settings.ONTOLOGY_DIR.is_relative_to(sys.argv[1]), kg.settings.ONTOLOGY_DIR; "
              "main(['build', sys.argv[2], '--store', 'store', '--quiet'])")
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", script, str(target), str(seed)], cwd=elsewhere,
                            env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "1 built" in result.stdout
