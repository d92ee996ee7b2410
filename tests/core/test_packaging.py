"""Installing the project prints no warnings of our own making (``make demo`` installs it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_installing_prints_no_setuptools_deprecation():
    # pip's dry run builds the project's metadata with the real build backend, as `make demo` does
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
                           "-e", str(ROOT)], capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "BuildBackendWarning" not in output and "deprecated" not in output, output
