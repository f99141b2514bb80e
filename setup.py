"""Build step: the wheel carries the repository's rules/ and schemas/ inside the package.

The rule repository and the schemas stay at the top of the repository (one source of truth, edited
by legal staff); a built wheel has a copy of them as `lbf_rules/data/rules` and
`lbf_rules/data/schemas`, found beside the package module (lbf_rules/paths.py). A copy rather than
setuptools' package-dir mapping, because rule folders such as `61a` are not Python package names
and would otherwise be installed as "data packages", which setuptools deprecates.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Every file of the rule folder, because its revision is a hash of every file in it: the packaged
# rules must have the same revision as the repository's. Only the schema files of schemas/.
DATA = {"rules": "*", "schemas": "*.schema.json"}


class BuildWithRules(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads rules/ in the checkout
            return
        for folder, pattern in DATA.items():
            target = Path(self.build_lib) / "lbf_rules" / "data" / folder
            shutil.rmtree(target, ignore_errors=True)
            for source in sorted(p for p in (HERE / folder).rglob(pattern) if p.is_file()):
                dest = target / source.relative_to(HERE / folder)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)


setup(cmdclass={"build_py": BuildWithRules})
