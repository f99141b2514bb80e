"""Where the rule repository and the schemas live.

The rules and schemas are the repository's data, not package code: the package finds them in
the checkout it is installed from (the Makefile installs it in editable mode), or where
`LBF_RULES_DIR` / `--regler` points.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def rules_dir() -> Path:
    return Path(os.environ.get("LBF_RULES_DIR") or PROJECT_ROOT / "rules")


def schemas_dir() -> Path:
    return PROJECT_ROOT / "schemas"
