"""The README inside a bundle tells a lawyer how to check it with openssl and sha256sum: run
exactly the commands it gives, in the unzipped folder, on a good bundle and on altered ones."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from application.bundles import layout
from tests.bundles.zips import flip_byte, unzip
from tests.pdf import OPENSSL


@pytest.fixture
def folder(bundle: Path, tmp_path: Path, pytestconfig: pytest.Config) -> Path:
    """The bundle unzipped, as the README's first step says."""
    for tool in ("openssl", "sha256sum", "grep"):
        if shutil.which(tool) is None:
            OPENSSL.skip(pytestconfig, f"no {tool} on PATH",
                         f"NO {tool.upper()}: the README's commands were NOT run")
    return unzip(bundle, tmp_path / "bundle")


def commands(folder: Path) -> list[str]:
    """The README's commands, each on a line of its own, indented by seven spaces."""
    readme = (folder / layout.README).read_text()
    return [line.strip() for line in readme.splitlines()
            if line.startswith("       ") and line.split()[0] in ("openssl", "sha256sum", "grep")]


def run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True,
                          timeout=60, check=False)


def by_tool(folder: Path) -> dict[str, str]:
    found = commands(folder)
    return {"verify": next(c for c in found if c.startswith("openssl pkeyutl -verify")),
            "fingerprint": next(c for c in found if c.startswith("openssl pkey ")),
            "sums": f"sha256sum {layout.SUMS}", "grep": next(c for c in found
                                                           if c.startswith("grep")),
            "check": f"sha256sum -c {layout.SUMS}"}


class TestOnAGoodBundle:
    def test_the_readme_gives_five_commands(self, folder):
        assert len(commands(folder)) == 5
        assert set(by_tool(folder).values()) == set(commands(folder))

    def test_openssl_verifies_the_manifest_signature(self, folder):
        done = run(by_tool(folder)["verify"], folder)
        assert done.returncode == 0, done.stderr
        assert "Signature Verified Successfully" in done.stdout

    def test_the_fingerprint_is_the_key_id_the_readme_and_manifest_give(self, folder):
        done = run(by_tool(folder)["fingerprint"], folder)
        assert done.returncode == 0, done.stderr
        fingerprint = done.stdout.split()[0]
        manifest = json.loads((folder / layout.MANIFEST).read_text())
        assert manifest["key_id"] == f"sha256:{fingerprint}"
        assert f"\n   {fingerprint}\n" in (folder / layout.README).read_text()

    def test_sha256sums_is_the_list_the_manifest_signed(self, folder):
        tools = by_tool(folder)
        printed = run(tools["sums"], folder).stdout.split()[0]
        grepped = run(tools["grep"], folder).stdout
        assert re.fullmatch(rf'\s*"{layout.SUMS}": "{printed}",?\s*', grepped)

    def test_sha256sum_checks_every_file(self, folder):
        done = run(by_tool(folder)["check"], folder)
        assert done.returncode == 0, done.stdout + done.stderr
        checked = dict(line.rsplit(": ", 1) for line in done.stdout.splitlines())
        listed = json.loads((folder / layout.MANIFEST).read_text())["files"]
        assert checked == {name: "OK" for name in listed if name != layout.SUMS}


class TestOnAnAlteredBundle:
    def test_sha256sum_names_the_file_changed_by_one_byte(self, folder):
        flip_byte(folder / layout.EVENTS, 100)
        done = run(by_tool(folder)["check"], folder)
        assert done.returncode != 0
        assert f"{layout.EVENTS}: FAILED" in done.stdout
        assert f"{layout.PDF}: OK" in done.stdout

    def test_openssl_refuses_a_changed_manifest(self, folder):
        flip_byte(folder / layout.MANIFEST, 50)
        done = run(by_tool(folder)["verify"], folder)
        assert done.returncode != 0
        assert "Signature Verification Failure" in done.stdout + done.stderr

    def test_openssl_refuses_a_signature_by_another_key(self, folder, tmp_path):
        other = tmp_path / "other.pem"
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(other)],
                       check=True, capture_output=True, timeout=60)
        subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(other), "-rawin", "-in",
                        layout.MANIFEST, "-out", layout.SIGNATURE], cwd=folder, check=True,
                       capture_output=True, timeout=60)
        done = run(by_tool(folder)["verify"], folder)
        assert done.returncode != 0
