"""Run every benchmark in ops/bench (``make bench``), or the ones named."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"run.py", "harness.py", "bare.py", "__init__.py"}
BENCHES = sorted(p.name for p in HERE.glob("*.py") if p.name not in HELPERS)

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHES:
        print(f"=== {name}")
        runpy.run_path(str(HERE / name), run_name="__main__")
