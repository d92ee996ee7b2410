"""The import contracts ``make lint`` checks (ops/lint/imports.py): the real tree keeps them,
and each one fails on a violation planted in a small tree of the same shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.lint.imports import check, cycles, main, package_graph, imports

ROOT = Path(__file__).resolve().parents[2]

CLEAN = {
    "platform/dugnad/__init__.py": "",
    "platform/dugnad/sdk.py": "from dugnad.tenancy.context import current_tenant_id\nfrom dugnad.jobs import enqueue\n",
    "platform/dugnad/tenancy/__init__.py": "",
    "platform/dugnad/tenancy/context.py": "def current_tenant_id():\n    return 1\n",
    "platform/dugnad/jobs/__init__.py": "import rq\n\nfrom dugnad.tenancy.context import current_tenant_id\n\n"
                                        "def enqueue():\n    return rq\n",
    "platform/dugnad/web/__init__.py": "",
    "platform/dugnad/web/templating.py": "from dugnad.tenancy import context\n",
    "platform/dugnad/accounts/__init__.py": "",
    "platform/dugnad/accounts/views.py": "from dugnad.web.templating import context\n\n"
                                         "def later():\n    from dugnad.region import service\n",
    "platform/dugnad/region/__init__.py": "",
    "platform/dugnad/region/service.py": "from dugnad.accounts import views\n",
    "plugins/first/__init__.py": "from dugnad.sdk import current_tenant_id\nfrom first import models\n",
    "plugins/first/models.py": "from . import helpers\n",
    "plugins/first/helpers.py": "import json\n",
    "plugins/second/__init__.py": "from dugnad.sdk import enqueue\n",
}

PLANTED = {
    "core-imports-no-plugin": ("platform/dugnad/accounts/extra.py", "def f():\n    import first\n"),
    "plugins-are-independent": ("plugins/second/extra.py", "from first.models import helpers\n"),
    "plugins-use-the-surface": ("plugins/first/extra.py", "from dugnad.tenancy.context import current_tenant_id\n"),
    "tenancy-not-web": ("platform/dugnad/tenancy/extra.py", "def f():\n    from dugnad.web import templating\n"),
    "rq-only-in-jobs": ("platform/dugnad/accounts/extra.py", "from rq import Queue\n"),
    "no-core-cycles": ("platform/dugnad/web/extra.py", "from dugnad.region.service import views\n"),
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_project_keeps_every_contract():
    assert [str(v) for v in check(ROOT)] == []


def test_the_clean_sample_keeps_every_contract(tmp_path):
    assert check(_tree(tmp_path, CLEAN)) == []


@pytest.mark.parametrize("contract", sorted(PLANTED))
def test_a_planted_violation_breaks_its_contract_and_only_it(tmp_path, contract, capsys):
    name, text = PLANTED[contract]
    root = _tree(tmp_path, {**CLEAN, name: text})
    found = check(root)
    assert {v.contract for v in found} == {contract}
    assert main([str(root)]) == 1  # what make lint runs fails
    assert contract in capsys.readouterr().out


def test_a_cycle_through_an_import_in_a_function_is_no_module_level_cycle(tmp_path):
    root = _tree(tmp_path, CLEAN)  # accounts.views imports region inside a function; region imports accounts
    assert cycles(package_graph(imports(root))) == []
    assert cycles(package_graph(imports(root), deferred=True)) == [["dugnad.accounts", "dugnad.region"]]


def test_the_core_packages_form_no_cycle_at_module_level():
    assert cycles(package_graph(imports(ROOT))) == []
