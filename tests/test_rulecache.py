"""The cache of validated rule documents: same decisions, invalidated by any change, and never able
to change a decision, whatever is planted in the cache folder."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import stat
import subprocess

import pytest

from lbf_rules import rulecache
from lbf_rules.evaluator import evaluate
from lbf_rules.ruleset import Sink, load_ruleset
from lbf_rules.ruletree import scan
from tests.conftest import CASES, RULES, console_script

CASE = {"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1200, "afgraenset_2010": True, "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65, "andel_doemte_pct": 0.5, "indkomst_ift_region_pct": 80}}
AGERVANG = CASES / "reelle" / "agervang-2014.yaml"
GHETTO = "almenboligloven/61a/parallelsamfund.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LBF_CACHE_DIR", str(folder))
    return folder


def entry(folder):
    (found,) = folder.glob("regler-*.json")
    return found


def agervang_ghetto(cache_folder) -> tuple[int, str]:
    """Agervang 2014 checked by the real command with this cache folder: (exit status, ghetto line)."""
    done = subprocess.run([console_script(), "check", str(AGERVANG)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LBF_CACHE_DIR": str(cache_folder)})
    line = next((x for x in done.stdout.splitlines() if x.startswith(("✓ Ghetto", "✗ Ghetto", "? Ghetto"))), done.stderr)
    return done.returncode, line


def test_a_warm_load_gives_the_same_decisions(cache):
    cold = load_ruleset(RULES)
    assert rulecache.load(scan(RULES, Sink())) is not None
    warm = load_ruleset(RULES)
    assert evaluate(warm, CASE) == evaluate(cold, CASE)
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache / "noegle").st_mode) == 0o600


def test_a_changed_rule_file_is_never_served_from_the_cache(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    before = evaluate(load_ruleset(rules), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"]
    path = rules / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("overstiger: 40\n", "overstiger: 50\n", 1), encoding="utf-8")
    after = evaluate(load_ruleset(rules), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"]
    assert (before, after) == (True, False)


def _forge(path, key: bytes | None):
    """Raise the 2013 ghetto bar to 'mindst 5' inside the cached document (Agervang would turn
    undecided), keeping the revision; sign it with `key` when given."""
    header, payload = path.read_bytes().split(b"\n", 1)
    data = json.loads(payload)
    text = json.dumps(data["dokumenter"][GHETTO])
    assert '"mindst": 3' in text
    data["dokumenter"][GHETTO] = json.loads(text.replace('"mindst": 3', '"mindst": 5'))
    payload = json.dumps(data).encode()
    mac = hmac.new(key, payload, hashlib.sha256).hexdigest() if key else json.loads(header)["mac"]
    path.write_bytes(json.dumps({"format": rulecache.FORMAT, "mac": mac}).encode() + b"\n" + payload)


def test_a_forged_entry_for_the_current_revision_does_not_change_the_decision(cache):
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    _forge(entry(cache), key=None)  # the old MAC no longer fits the changed content
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    _forge(entry(cache), key=b"k" * 32)  # signed, but with another key than the user's
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    assert rulecache.load(scan(RULES, Sink())) is not None  # a miss rewrote a good entry


def test_an_entry_is_bound_to_the_hashes_of_the_files_just_read(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    tree = scan(rules, Sink())
    load_ruleset(rules)
    key = (cache / "noegle").read_bytes()
    header, payload = entry(cache).read_bytes().split(b"\n", 1)
    data = json.loads(payload)
    data["filer"][GHETTO] = "0" * 64  # a correctly signed entry made from other content
    payload = json.dumps(data).encode()
    entry(cache).write_bytes(json.dumps({"format": rulecache.FORMAT, "mac": hmac.new(key, payload, hashlib.sha256).hexdigest()}).encode() + b"\n" + payload)
    assert rulecache.load(tree) is None


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": 2, "mac": "00"}\n{}', b"\xff\xfe\x00", b'{"format": 2}\n' + b"[" * 100_000])
def test_a_damaged_entry_is_a_silent_miss(cache, content):
    load_ruleset(RULES)
    entry(cache).write_bytes(content)
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")


def test_a_fifo_or_a_link_to_a_device_in_place_of_an_entry_neither_hangs_nor_is_read(cache):
    load_ruleset(RULES)
    path = entry(cache)
    path.unlink()
    os.mkfifo(path)
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    path.unlink()
    path.symlink_to("/dev/zero")
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    (cache / "noegle").unlink()
    (cache / "noegle").symlink_to("/dev/zero")
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")


def test_a_folder_others_can_write_to_is_not_used(cache):
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    assert agervang_ghetto(cache) == (0, "✓ Ghettoområde: JA")
    assert list(cache.iterdir()) == []  # nothing written, so nothing can be read back either


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give the folder to another user")
def test_a_folder_of_another_user_is_not_used(cache):
    load_ruleset(RULES)
    os.chown(cache, 12345, 12345)
    assert rulecache.trusted_dir(create=True) is None
    assert rulecache.load(scan(RULES, Sink())) is None


def test_an_unwritable_cache_and_no_cache_both_work(tmp_path, monkeypatch, run_cli):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    monkeypatch.setenv("LBF_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert evaluate(load_ruleset(RULES), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"] is True
    result = run_cli("check", AGERVANG, env={"LBF_NO_CACHE": "1"})
    assert result.returncode == 0 and "Ghettoområde: JA" in result.stdout
