"""What pyproject.toml cannot say: the built wheel carries the project's top-level
``templates/`` folder (as ``dugnad/templates``) and every translation catalogue compiled
(``.mo``, which git does not keep), so ``pip install .`` — not only an editable install
from a checkout — serves every page, translated. And it leaves out what only tests and
benchmarks use (``dugnad/scratch.py``: scratch PostgreSQL databases)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DEVELOPMENT_ONLY = {("dugnad", "scratch")}


class BuildWithTemplatesAndCatalogues(build_py):
    def find_package_modules(self, package, package_dir):
        return [m for m in super().find_package_modules(package, package_dir) if (m[0], m[1]) not in DEVELOPMENT_ONLY]

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout itself
            return
        build = Path(self.build_lib)
        for source in sorted((ROOT / "templates").rglob("*")):
            if source.is_file():
                target = build / "dugnad" / "templates" / source.relative_to(ROOT / "templates")
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))
        for base in (ROOT / "platform", ROOT / "plugins"):
            for po in sorted(base.glob("*/translations/*/LC_MESSAGES/*.po")):
                self._compile(po, build / po.relative_to(base).with_suffix(".mo"))

    @staticmethod
    def _compile(po: Path, mo: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parents[1].name)
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=True)


setup(cmdclass={"build_py": BuildWithTemplatesAndCatalogues})
