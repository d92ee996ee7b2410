"""Run every benchmark in ops/bench (``make bench``)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["dashboard.py"]

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHES:
        print(f"=== {name}")
        runpy.run_path(str(HERE / name), run_name="__main__")
