"""Where the rules and the schemas are read from.

Rules are found the way git finds its repository, so that a lawyer with two clones, or a CI job
with one shared install of the tool, always works on the rules in front of them:

1. `--regler MAPPE` on the command line, else the environment variable `LBF_RULES_DIR`
   (something the user asked for explicitly wins, as `--git-dir`/`GIT_DIR` do in git);
2. else the rule repository you stand in: the nearest folder, from the working directory upward,
   that holds `rules/regelsaet.yaml`;
3. else the rules packaged with the installed tool (`lbf_rules/data/rules` in the wheel,
   found beside the package module; in an editable install or a checkout, `rules/` beside the package).

`lint`, `test` and `impact` work on a rule repository, never on the packaged rules: outside one
(and without 1.) they refuse with exit status 2. A repository found by searching upward must be
owned by the user running the command (git's "dubious ownership" rule): otherwise anyone who can
write to a parent folder (/tmp) could plant the rules another user's decisions are made with.

The schemas belong to the tool (its code interprets what they describe), so they are always the
packaged ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MARKER = Path("rules") / "regelsaet.yaml"
ENV = "LBF_RULES_DIR"
REPOSITORY, OPTION, ENVIRONMENT, PACKAGE = "repositorium", "--regler", ENV, "pakken"


@dataclass(frozen=True)
class RuleSource:
    """A rule folder and why it was chosen."""

    rules: Path
    origin: str  # REPOSITORY | OPTION | ENVIRONMENT | PACKAGE

    def where(self) -> str:
        """Danish: where the rules came from, e.g. for `--version`."""
        return {
            REPOSITORY: f"{self.rules} (regelrepositoriet, du står i)",
            OPTION: f"{self.rules} (fra --regler)",
            ENVIRONMENT: f"{self.rules} (fra {ENV})",
            PACKAGE: f"{self.rules} (de regler, der følger med lbf-rules {package_version()}; du står ikke i et regelrepositorium)",
        }[self.origin]

    def note(self) -> str | None:
        """One line for the text output when the rules are not the repository you stand in."""
        return None if self.origin == REPOSITORY else f"Regler: {self.where()}"

    def cases(self) -> Path:
        """The repository's own cases (`cases/` beside `rules/`), the default for test and impact."""
        folder = self.rules.parent / "cases"
        if not folder.is_dir():
            raise UsageError(f"der er ingen mappe med sager ved siden af reglerne ({folder}); angiv sagerne som argumenter")
        return folder


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError  # imported when needed: start-up time
    from importlib.metadata import version as dist_version

    try:
        return dist_version("lbf-rules")
    except PackageNotFoundError:  # run from a checkout without installing
        return "ukendt version"


def packaged(name: str) -> Path:
    """`rules` or `schemas` as shipped with the tool: inside the installed wheel, else (editable
    install, checkout) the folder of that name beside the package. Found beside this module, as
    importlib.resources would find it for a package on disk, without its 5 ms of imports."""
    data = Path(__file__).resolve().parent / "data" / name
    if data.is_dir():
        return data
    if (PROJECT_ROOT / name).is_dir():
        return PROJECT_ROOT / name
    raise UsageError(f"lbf-rules er installeret uden sine {name} (ingen lbf_rules/data/{name}); installér pakken igen fra et hjul (wheel)")


def schemas_dir() -> Path:
    return packaged("schemas")


def find_repository(start: Path) -> Path | None:
    """The rule folder of the nearest repository from `start` upward, checked for ownership."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        marker = folder / MARKER
        if marker.is_file():
            _check_owner(marker.parent, marker)
            return marker.parent
    return None


def _check_owner(*paths: Path) -> None:
    if not hasattr(os, "geteuid"):  # no owners to compare on this platform
        return
    me = os.geteuid()
    if me == 0 and os.environ.get("SUDO_UID", "").isdigit():  # as git: sudo acts for the user
        me = int(os.environ["SUDO_UID"])
    for path in paths:
        owner = path.stat().st_uid
        if owner != me:
            raise UsageError(
                f"{path} tilhører en anden bruger (uid {owner}), så lbf-rules bruger ikke de regler, "
                f"den fandt ved at søge opad fra arbejdsmappen; angiv dem med --regler {path if path.is_dir() else path.parent}, "
                "hvis du stoler på dem"
            )


def discover(explicit: Path | None = None, command: str | None = None, cwd: Path | None = None) -> RuleSource:
    """The rules a command works on (see the module docstring for the order).

    `command` names a command that needs a rule repository (lint, test, impact): it never falls
    back to the packaged rules.
    """
    if explicit is not None:
        return RuleSource(Path(explicit), OPTION)
    if os.environ.get(ENV):
        return RuleSource(Path(os.environ[ENV]), ENVIRONMENT)
    here = Path.cwd() if cwd is None else cwd
    found = find_repository(here)
    if found is not None:
        return RuleSource(found, REPOSITORY)
    if command:
        raise UsageError(
            f"'lbf-rules {command}' skal køres i et regelrepositorium: der er ingen {MARKER.as_posix()} i "
            f"{here.resolve()} eller mapperne over den. Gå til din klon af reglerne, eller angiv mappen med "
            f"--regler / {ENV}; de regler, der følger med pakken, bruges ikke til {command}"
        )
    return RuleSource(packaged("rules"), PACKAGE)
