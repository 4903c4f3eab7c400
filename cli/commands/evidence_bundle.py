"""Evidence bundles: `evidence` writes a case's bundle; `verify-bundle` checks one offline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from application.bundles.produce import BundleRefused, Produced, deliver
from application.bundles.verdict import Verdict
from application.bundles.verify import verify_bundle
from application.bundles.wiring import bundle_sources, chain_rules
from application.wording import plural
from cli import output
from cli.casecommand import command
from cli.failures import NOT_VERIFIED, REFUSED, Failure
from cli.options import actor_option, case_argument, creditor_option, json_option
from cli.runtime import service
from domain.bundles import Interface


@click.option("--out", "out", required=True, metavar="FILE.zip",
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the bundle (a zip); an existing file is replaced.")
def write_evidence(case: str, out: Path, actor: str, creditor: str, as_json: bool) -> None:
    """Write a case's evidence bundle (a zip) to --out.

    In it: the chronology as PDF and HTML, the case's events as JSON lines with their
    chain hashes, its attachments, the public key, SHA256SUMS, a README telling how to
    check it with sha256sum and openssl, and a manifest of SHA-256 hashes signed with the
    installation's Ed25519 key (ARREARS_SIGNING_KEY, default var/signing-key.pem). Each
    bundle written is recorded on the case (who, the zip's SHA-256), closed cases too.
    """
    svc = service()
    case_id = svc.resolve(case, creditor)
    try:
        partial = tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.",
                                              suffix=".partial", delete=False)
    except OSError as error:
        raise Failure("--out", f"cannot write there ({error.strerror or error})") from None
    try:
        with partial:
            produced, recorded = deliver(svc, bundle_sources(svc), case_id, partial,
                                         actor=actor, interface=Interface.CLI)
        os.replace(partial.name, out)
    except BundleRefused as error:
        raise Failure("case", str(error), REFUSED) from None
    finally:
        Path(partial.name).unlink(missing_ok=True)
    _written(produced, out, recorded.version, as_json)


def _written(produced: Produced, out: Path, version: int, as_json: bool) -> None:
    if as_json:
        output.emit_json({"case_id": str(produced.case_id), "file": str(out),
                          "sha256": produced.sha256, "files": produced.files,
                          "size": produced.size, "covers_version": produced.covers_version,
                          "version": version})
        return
    click.echo(f"Wrote {out}: the evidence bundle of invoice {produced.invoice_number}, "
               f"events 1 to {produced.covers_version}, {plural(produced.files, 'file')}.")
    click.echo(f"  SHA-256 {produced.sha256}")
    click.echo(f"  recorded on the case as version {version}")


def _expected_key(path: Path | None) -> Ed25519PublicKey | None:
    if path is None:
        return None
    try:
        key = load_pem_public_key(path.read_bytes())
    except (OSError, ValueError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise Failure("--key", f"{path} is not an Ed25519 public key in PEM")
    return key


@click.argument("bundle", metavar="FILE.zip",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key", metavar="PEM", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The public key that must have signed it (the creditor's, as PEM); "
                   "a bundle signed by any other key is refused.")
def check_bundle(bundle: Path, key: Path | None, as_json: bool) -> None:
    """Check an evidence bundle offline: only the zip, no database.

    Checks that manifest.sig is the signature of manifest.json by the key in
    public-key.pem (which must be --key, when given), that every file's SHA-256 is the
    one in the manifest, and that the events in events.jsonl, hashed again one by one,
    end at the manifest's chain head. Names every file and event that does not match.
    Exit 0 when it verifies; 4 when anything does not match.
    """
    expected = _expected_key(key)
    verdict = verify_bundle(bundle, chain_rules(), expected)
    if as_json:
        output.emit_json(verdict.as_dict())
    else:
        _report(verdict, pinned=expected is not None)
    if not verdict.verified:
        failure = Failure(str(bundle), f"does not verify: "
                                       f"{plural(len(verdict.problems), 'problem')}",
                          NOT_VERIFIED)
        click.echo(failure.line(), err=True)
        click.get_current_context().exit(failure.exit_code)


def _report(verdict: Verdict, pinned: bool) -> None:
    if not verdict.verified:
        click.echo(f"NOT VERIFIED: {verdict.bundle}")
        for problem in verdict.problems:
            click.echo(f"  {problem.line()}")
        return
    manifest = verdict.manifest or {}
    case, chain = manifest["case"], manifest["chain"]
    checkpoint = manifest.get("checkpoint")
    click.echo(f"Verified: {verdict.bundle}, the evidence bundle of invoice "
               f"{case['invoice_number']} (case {case['id']}), events 1 to {chain['events']}")
    click.echo(f"  chain head  {chain['head']}")
    click.echo(f"  checkpoint  {checkpoint['id'] if checkpoint else 'none yet'}")
    click.echo(f"  created at  {manifest['created_at']}")
    click.echo(f"  signed by   {verdict.signed_by}"
               + ("" if pinned else " (the bundle's own key: compare it with the creditor's, "
                                    "or give --key)"))
    click.echo(f"  {plural(len(manifest['files']), 'file')} match the signed manifest")


evidence = command("evidence", write_evidence, write_evidence, before=[case_argument()],
                   after=[actor_option(), creditor_option(), json_option()])
verify_bundle_command = command("verify-bundle", check_bundle, check_bundle,
                                after=[json_option()])

COMMANDS = [evidence, verify_bundle_command]
