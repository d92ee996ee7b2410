"""The plugin guide (README.md) and the hook specifications (dugnad/hookspecs.py) agree:
every hook has a heading with its exact parameters, says what it returns, and nothing is
documented that does not exist; every name of ``dugnad.sdk`` is in the guide's table."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from dugnad import hookspecs, sdk

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
GUIDE = README.split("## Plugin guide", 1)[1]


def _specs() -> dict[str, str]:
    return {name: f"{name}({', '.join(inspect.signature(fn).parameters)})"
            for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "dugnad_spec")}


def _sections() -> dict[str, str]:
    parts = re.split(r"^#### `([a-z_]+\([a-z_, ]*\))`\s*$", GUIDE, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_hook_is_documented_with_its_parameters_and_nothing_else_is():
    specs, sections = _specs(), _sections()
    assert len(specs) >= 20
    assert sorted(sections) == sorted(specs.values())


def test_every_hook_says_what_it_returns_or_that_it_is_only_called():
    for heading, text in _sections().items():
        body = text.split("\n### ", 1)[0]
        assert re.search(r"\bReturns?\b|\breturns\b|^Called\b", body, flags=re.M), heading
        spec = getattr(hookspecs, heading.split("(", 1)[0])
        assert (spec.__doc__ or "").strip(), heading


def test_every_name_of_the_surface_is_in_the_guide():
    table = GUIDE.split("### The public surface: `dugnad.sdk`", 1)[1].split("\n### ", 1)[0]
    missing = [name for name in sdk.__all__ if f"`{name}`" not in table and f"`{name}(" not in table]
    assert missing == []
