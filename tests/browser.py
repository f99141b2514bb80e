"""Which browser the site tests drive: one setting, else what is installed.

`LBF_BROWSER` names the executable (on GitHub's Ubuntu runners: /usr/bin/google-chrome, since
Ubuntu's own chromium is a snap). Without it: Debian's `chromium`, then Google Chrome. Playwright
drives the executable it is given and never downloads a browser.

`python -m tests.browser` prints the executable, or exits 1 when there is none (the Makefile then
installs Debian's chromium).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SETTING = "LBF_BROWSER"
INSTALLED = ("chromium", "google-chrome", "google-chrome-stable")


def executable() -> str | None:
    explicit = os.environ.get(SETTING)
    if explicit:
        return explicit if Path(explicit).is_file() and os.access(explicit, os.X_OK) else None
    return next((found for name in INSTALLED if (found := shutil.which(name))), None)


def missing() -> str:
    explicit = os.environ.get(SETTING)
    if explicit:
        return f"{SETTING}={explicit} is not an executable file"
    return f"no browser found ({', '.join(INSTALLED)}); set {SETTING} or run 'make test', which installs Debian's chromium"


if __name__ == "__main__":
    found = executable()
    print(found or missing())
    sys.exit(0 if found else 1)
