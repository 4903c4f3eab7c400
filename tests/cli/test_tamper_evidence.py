"""The evidence commands: key, digest, checkpoint, verify, chain init (SQLite store).

The time-stamping test runs an RFC 3161 authority on the loopback: `openssl ts -reply`
behind a small HTTP server, with a CA and a TSA certificate made by openssl in tmp_path; the
token is then checked with `openssl ts -verify`, the signature with `openssl pkeyutl`.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.settings import database_url
from tests.tampering import RawStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def raw(env: dict[str, str | None]) -> RawStore:
    return RawStore(env["ARREARS_DATABASE_URL"] or database_url())


@pytest.fixture
def case_id(ok: Callable[..., Any], case: str) -> str:
    ok("pay", case, "--amount", "100.00")
    ok("note", case, "called the debtor")
    return ok("show", case)["case_id"]


def tamper_amount(raw: RawStore, case_id: str) -> None:
    raw.drop_protection()
    state = raw.state(UUID(case_id), 2)
    state["amount"]["_data_"]["amount"] = "1.00"
    raw.set_state(UUID(case_id), 2, state)


class TestVerify:
    def test_a_sound_store_verifies(self, arrears, case_id):
        result = arrears("verify", "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == {"ok": True, "cases": 1, "events": 3, "broken": [],
                                             "unsealed": [], "checkpoint": None,
                                             "checkpoint_problem": None}
        assert "Verifying cases" in result.stderr  # the progress bar goes to stderr
        assert arrears("verify").stdout == "Verified 1 case, 3 events: everything holds.\n"

    def test_a_break_is_named_exits_4_and_the_case_will_not_load(self, arrears, ok, case_id,
                                                                open_case, raw):
        other = open_case()
        tamper_amount(raw, case_id)
        result = arrears("verify")
        assert result.exit_code == 4
        assert result.stdout.splitlines() == [
            f"broken: case {case_id} at version 2: the event does not match its stored hash",
            "Verified 2 cases, 4 events: the evidence does not hold."]
        shown = arrears("show", case_id)
        assert shown.exit_code == 4 and shown.exception is None or \
            isinstance(shown.exception, SystemExit)
        assert shown.stderr.strip() == (f"error: case {case_id}: the chain breaks at version 2 "
                                        "(the event does not match its stored hash)")
        noted = arrears("note", case_id, "more", "--json")
        assert noted.exit_code == 4
        assert json.loads(noted.stdout)["errors"]["command"][0].startswith(f"case {case_id}")
        assert ok("show", other)["version"] == 1

    def test_two_jobs_report_a_break_as_one_process_does(self, arrears, case_id, open_case,
                                                          raw):
        for _ in range(4):
            open_case()
        tamper_amount(raw, case_id)
        alone = arrears("verify", "--jobs", "1")
        shared = arrears("verify", "--jobs", "2")
        assert shared.exit_code == alone.exit_code == 4, shared.stderr
        assert shared.stdout == alone.stdout
        assert shared.stdout.splitlines() == [
            f"broken: case {case_id} at version 2: the event does not match its stored hash",
            "Verified 5 cases, 7 events: the evidence does not hold."]

    def test_jobs_must_be_at_least_one(self, arrears):
        result = arrears("verify", "--jobs", "0")
        assert result.exit_code == 2 and "--jobs" in result.stderr

    def test_history_before_the_chain_exits_5_until_chain_init(self, arrears, ok, case_id,
                                                                raw):
        raw.drop_protection()
        raw.run("DELETE FROM event_hashes")
        raw.run("DELETE FROM chain_seals")
        result = arrears("verify")
        assert result.exit_code == 5
        assert result.stdout.startswith(f"not sealed: case {case_id} (stored before the chain")
        assert arrears("show", case_id).exit_code == 5
        sealed = ok("chain", "init", "--actor", "ops.lead")
        assert (sealed["cases"], sealed["events"], sealed["sealed_by"]) == (1, 3, "ops.lead")
        assert arrears("verify").exit_code == 0
        again = arrears("chain", "init")
        assert again.exit_code == 1
        assert again.stderr.startswith("error: chain: the store was sealed on ")


class TestKeyAndDigest:
    def test_the_key_is_made_once_private_to_its_owner(self, arrears, env, tmp_path):
        public = arrears("key", "--public")
        assert public.exit_code == 0
        assert public.stdout.startswith("-----BEGIN PUBLIC KEY-----\n")
        private = tmp_path / "arrears-signing-key.pem"
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
        assert arrears("key", "--public").stdout == public.stdout
        keyed = arrears("key", "--json")
        assert json.loads(keyed.stdout)["directory"] == str(tmp_path)

    def test_a_key_readable_by_others_is_refused(self, arrears, tmp_path):
        arrears("key")
        (tmp_path / "arrears-signing-key.pem").chmod(0o644)
        result = arrears("key", "--public")
        assert result.exit_code == 2
        assert "is readable by others (mode 0644); make it 0600" in result.stderr

    def test_the_digest_is_the_same_in_another_process(self, arrears, ok, env, case_id):
        here = ok("digest")
        environ = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
        elsewhere = subprocess.run([sys.executable, "-m", "cli.main", "digest", "--json"],
                                   cwd=ROOT, env=environ, capture_output=True, check=True)
        assert json.loads(elsewhere.stdout) == here
        assert (here["size"], here["position"]) == (1, 3)
        ok("note", case_id, "again")
        assert ok("digest")["root"] != here["root"]


class TestCheckpoints:
    def test_later_appends_pass_a_tampering_before_fails(self, arrears, ok, case_id, raw):
        saved = ok("checkpoint")
        assert (saved["checkpoint"], saved["size"], saved["timestamped_at"]) == (1, 1, None)
        ok("note", case_id, "after the checkpoint")
        assert [c["checkpoint"] for c in ok("checkpoint", "--list")] == [1]
        assert arrears("verify", "--against", "1").exit_code == 0
        tamper_amount(raw, case_id)
        failed = arrears("verify", "--against", "1")
        assert failed.exit_code == 4
        assert f"broken: case {case_id} at version 2" in failed.stdout
        refused = arrears("checkpoint")
        assert refused.exit_code == 4
        assert refused.stderr.strip().endswith("not taken: the store does not verify")
        assert len(ok("checkpoint", "--list")) == 1

    def test_an_unknown_checkpoint_is_named(self, arrears, case_id):
        result = arrears("verify", "--against", "9")
        assert (result.exit_code, result.stderr.strip()) == (2, "error: --against: no checkpoint 9")


# -- RFC 3161 ----------------------------------------------------------------------------------

TS_CONFIG = """\
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, check=False)


def make_tsa(directory: Path) -> Path:
    """A test CA and a time-stamping certificate it signed; the `openssl ts` config."""
    directory.mkdir()
    steps = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
         "-days", "2", "-subj", "/CN=Arrears Test CA"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
         "-subj", "/CN=Arrears Test TSA"],
        ["x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf"],
    ]
    (directory / "ext.cnf").write_text("basicConstraints = CA:FALSE\n"
                                       "extendedKeyUsage = critical,timeStamping\n")
    for step in steps:
        done = openssl(*step, cwd=directory)
        assert done.returncode == 0, done.stderr
    (directory / "tsaserial").write_text("01\n")
    config = directory / "ts.cnf"
    config.write_text(TS_CONFIG.format(dir=directory))
    return config


@pytest.fixture
def tsa_url(tmp_path: Path) -> Iterator[str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    config = make_tsa(tmp_path / "tsa")
    lock = threading.Lock()

    class Authority(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            query = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                (config.parent / "query.tsq").write_bytes(query)
                done = openssl("ts", "-reply", "-config", str(config), "-queryfile",
                               "query.tsq", "-out", "reply.tsr", cwd=config.parent)
                reply = (config.parent / "reply.tsr").read_bytes() if not done.returncode \
                    else b""
            self.send_response(200 if reply else 500)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Authority)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_checkpoint_is_time_stamped_and_openssl_checks_it(arrears, ok, env, case_id,
                                                            tsa_url, tmp_path):
    env["ARREARS_TSA_URL"] = tsa_url
    saved = ok("checkpoint")
    assert saved["tsa_url"] == tsa_url and saved["timestamped_at"]
    out = tmp_path / "export"
    ok("checkpoint", "--export", "1", "--out", str(out))
    authority = tmp_path / "tsa"
    checked = openssl("ts", "-verify", "-data", str(out / "checkpoint-1.json"), "-in",
                      str(out / "checkpoint-1.tst"), "-token_in", "-CAfile",
                      str(authority / "ca.pem"), "-untrusted", str(authority / "tsa.pem"),
                      cwd=out)
    assert checked.returncode == 0 and b"Verification: OK" in checked.stdout, checked.stderr
    signed = openssl("pkeyutl", "-verify", "-pubin", "-inkey", "public-key.pem", "-rawin",
                     "-in", "checkpoint-1.json", "-sigfile", "checkpoint-1.sig", cwd=out)
    assert signed.returncode == 0, signed.stderr
    (out / "checkpoint-1.json").write_bytes((out / "checkpoint-1.json").read_bytes() + b" ")
    altered = openssl("ts", "-verify", "-data", str(out / "checkpoint-1.json"), "-in",
                      str(out / "checkpoint-1.tst"), "-token_in", "-CAfile",
                      str(authority / "ca.pem"), "-untrusted", str(authority / "tsa.pem"),
                      cwd=out)
    assert altered.returncode != 0


def test_an_authority_that_does_not_answer_saves_no_checkpoint(arrears, ok, env, case_id):
    env["ARREARS_TSA_URL"] = "http://127.0.0.1:9/"
    result = arrears("checkpoint")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "error: ARREARS_TSA_URL: the time-stamping authority at http://127.0.0.1:9/ did not "
        "answer")
    env["ARREARS_TSA_URL"] = None
    assert ok("checkpoint", "--list") == []


def test_a_checkpoint_checked_with_another_public_key_fails(arrears, ok, case_id, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from application.evidence.keys import public_pem

    ok("checkpoint")
    other = tmp_path / "other.pem"
    other.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    result = arrears("verify", "--against", "1", "--public-key", str(other))
    assert result.exit_code == 4
    assert result.stdout.startswith("broken: checkpoint 1: the signature does not verify")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    refused = arrears("verify", "--against", "1", "--public-key", str(junk))
    assert refused.stderr.strip() == "error: --public-key: is not an Ed25519 public key in PEM"
    mine = tmp_path / "arrears-signing-key.pub.pem"
    assert arrears("verify", "--against", "1", "--public-key", str(mine)).exit_code == 0
