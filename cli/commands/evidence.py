"""Tamper evidence: the signing key, the store digest, checkpoints, verify, chain init."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from cryptography.exceptions import UnsupportedAlgorithm

from application.evidence import checkpoints, digest, tsa
from application.evidence.checkpoints import Checkpoint
from application.evidence.keys import load_public
from application.evidence.sealing import refuse_if_sealed, seal_history
from application.evidence.verify import Report, verify_store
from application.service import CaseService
from application.settings import tsa_url
from application.wording import plural
from cli import output
from cli.base import ArrearsCommand
from cli.failures import CHAIN_BROKEN, INVALID_INPUT, NOT_SEALED, Failure
from cli.options import actor_option, json_option
from cli.runtime import service


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields the function that advances it."""
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


def _cases(svc: CaseService) -> int:
    return svc.chain_recorder.case_count()


# -- key ---------------------------------------------------------------------------------------

@click.option("--public", "public", is_flag=True, help="Print the public key alone, in PEM.")
def show_key(public: bool, as_json: bool) -> None:
    """Show the installation's signing key (made on first use).

    The Ed25519 key that signs digests and checkpoints lives in ARREARS_KEY_DIR
    (default: beside the SQLite file, else var/), the private half readable by its
    owner only. --public prints the public half in PEM, for whoever checks a digest.
    """
    key = service().signing_key()
    if as_json:
        output.emit_json({"key_id": key.key_id, "directory": str(key.directory),
                          "public_key": key.public_pem})
    elif public:
        click.echo(key.public_pem, nl=False)
    else:
        click.echo(f"Signing key {key.key_id} in {key.directory}")


# -- digest ------------------------------------------------------------------------------------

def show_digest(as_json: bool) -> None:
    """Print the signed store digest.

    An RFC 6962 Merkle tree over every case's chain head (case id, version, hash;
    sorted by case id), with the notification position it covers, signed with the
    installation's key. The same store gives the same digest in any process.
    """
    svc = service()
    signed = digest.current(svc.chain_recorder).signed(svc.signing_key())
    if as_json:
        output.emit_json(signed)
        return
    click.echo(f"Store digest: {plural(signed['size'], 'case')} up to notification "
               f"{signed['position']}")
    click.echo(f"  root       {signed['root']}")
    click.echo(f"  key        {signed['key_id']}")
    click.echo(f"  signature  {signed['signature']}")


# -- checkpoint --------------------------------------------------------------------------------

@click.option("--list", "listing", is_flag=True, help="List the saved checkpoints.")
@click.option("--export", "export", type=int, metavar="N",
              help="Write checkpoint N's statement, signature, time stamp and the public key "
                   "to --out, for checking with openssl.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The directory --export writes to.")
def checkpoint(listing: bool, export: int | None, out: Path | None, as_json: bool) -> int:
    """Save a signed checkpoint of the store (or --list them).

    The store is verified first; a checkpoint is only taken of a store whose chains
    hold. It records the digest (size, position, root), the time and the heads,
    signed with the installation's key, and, when ARREARS_TSA_URL names an RFC 3161
    time-stamping authority, the authority's time stamp of the statement.
    """
    svc = service()
    if listing:
        return _list(svc, as_json)
    if export is not None:
        return _export(svc, export, out, as_json)
    report = _verified(svc, None, as_json)
    if not report.ok:
        _report(report, as_json)
        raise Failure("checkpoint", "not taken: the store does not verify", CHAIN_BROKEN)
    try:
        saved = checkpoints.save(svc.chain_recorder, digest.current(svc.chain_recorder),
                                 svc.signing_key(), svc.clock.now(), tsa_url())
    except tsa.TimestampError as error:
        raise Failure("ARREARS_TSA_URL", f"{error}; no checkpoint was saved",
                      INVALID_INPUT) from None
    if as_json:
        output.emit_json(saved.as_dict())
    else:
        _line(saved)
    return 0


def _line(saved: Checkpoint) -> None:
    stamped = f", time-stamped {saved.as_dict()['timestamped_at']}" if saved.tsa_token else ""
    click.echo(f"Checkpoint {saved.checkpoint_id}: {plural(saved.size, 'case')} up to "
               f"notification {saved.position}, root {saved.root}, "
               f"{saved.created_at.isoformat()}{stamped}")


def _list(svc: CaseService, as_json: bool) -> int:
    saved = checkpoints.load(svc.chain_recorder)
    if as_json:
        output.emit_json([c.as_dict() for c in saved])
    elif not saved:
        click.echo("No checkpoints yet (arrears checkpoint saves one).")
    for one in [] if as_json else saved:
        _line(one)
    return 0


def _one(svc: CaseService, number: int) -> Checkpoint:
    found = checkpoints.load(svc.chain_recorder, number)
    if not found:
        raise Failure("--against" if number else "--export", f"no checkpoint {number}")
    return found[0]


def _export(svc: CaseService, number: int, out: Path | None, as_json: bool) -> int:
    if out is None:
        raise Failure("--out", "is required with --export")
    saved = _one(svc, number)
    out.mkdir(parents=True, exist_ok=True)
    files = {f"checkpoint-{number}.json": saved.statement,
             f"checkpoint-{number}.sig": saved.signature,
             "public-key.pem": svc.signing_key().public_pem.encode()}
    if saved.tsa_token:
        files[f"checkpoint-{number}.tst"] = saved.tsa_token
    for name, data in files.items():
        (out / name).write_bytes(data)
    if as_json:
        output.emit_json({"written": sorted(str(out / name) for name in files)})
    else:
        click.echo(f"Wrote {', '.join(sorted(files))} to {out}")
    return 0


# -- verify ------------------------------------------------------------------------------------

@click.option("--against", type=int, metavar="N",
              help="Also prove the history up to checkpoint N is unchanged.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes to check with (default: one per core, up to 4, for a store of "
                   "100,000 events or more; 1 reads the whole store in one transaction).")
@click.option("--public-key", "public_key", type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path),
              help="The public key (PEM) to check the checkpoint with; default the "
                   "installation's.")
def verify(against: int | None, public_key: Path | None, jobs: int | None,
           as_json: bool) -> int:
    """Check every case's chain (and, --against N, the history up to checkpoint N).

    Prints, for every broken case, the first version where its events and their
    stored hashes part. Exit 0 when everything holds, 4 on any break (or a
    checkpoint that does not hold), 5 when the only problem is history stored
    before the chain and not sealed (arrears chain init). Progress on stderr.
    """
    svc = service()
    chosen = None if against is None else _one(svc, against)
    report = _verified(svc, chosen, as_json, public_key, jobs)
    _report(report, as_json)
    if report.broken or report.checkpoint_problem:
        return CHAIN_BROKEN
    return NOT_SEALED if report.unsealed else 0


def _verified(svc: CaseService, chosen: Checkpoint | None, as_json: bool,
              public_key: Path | None = None, jobs: int | None = None) -> Report:
    try:
        public = (load_public(public_key.read_bytes()) if public_key
                  else svc.signing_key().public)
    except (ValueError, UnsupportedAlgorithm):
        raise Failure("--public-key", "is not an Ed25519 public key in PEM") from None
    with progress(_cases(svc), "Verifying cases") as advance:
        return verify_store(svc.chain_recorder, svc.chain_recorder.canonical, checkpoint=chosen,
                            public=public, snapshots=svc.snapshot_check(), progress=advance,
                            ranges=svc.verify_ranges(jobs))


def _report(report: Report, as_json: bool) -> None:
    if as_json:
        output.emit_json(report.as_dict())
        return
    for problem in report.broken:
        click.echo(f"broken: case {problem.case_id} at version {problem.version}: "
                   f"{problem.reason}")
    for case_id in report.unsealed:
        click.echo(f"not sealed: case {case_id} (stored before the chain; arrears chain init)")
    if report.checkpoint_problem:
        click.echo(f"broken: {report.checkpoint_problem}")
    against = f" against checkpoint {report.checkpoint}" if report.checkpoint else ""
    verdict = "everything holds" if report.ok else "the evidence does not hold"
    click.echo(f"Verified {plural(report.cases, 'case')}, {plural(report.events, 'event')}"
               f"{against}: {verdict}.")


# -- chain init --------------------------------------------------------------------------------

def chain_init(actor: str, as_json: bool) -> None:
    """Seal the history stored before tamper evidence (once, on record).

    Hashes every case that has no chain yet and records when, by whom (--actor) and
    up to which notification it did so; the chain vouches for that history from then
    on. Refused on a store already sealed (a new store is sealed at birth).
    """
    svc = service()
    refuse_if_sealed(svc.chain_recorder)
    with progress(_cases(svc), "Sealing cases") as advance:
        done = seal_history(svc.chain_recorder, svc.chain_recorder.canonical, svc.clock.now(),
                            actor, advance)
    seal = done.seal
    if as_json:
        output.emit_json({"sealed_at": seal.sealed_at.isoformat(), "position": seal.position,
                          "cases": seal.cases, "events": seal.events, "sealed_by": seal.sealed_by,
                          "gaps": [str(c) for c in done.gaps]})
        return
    click.echo(f"Sealed {plural(seal.cases, 'case')} ({plural(seal.events, 'event')}) up to "
               f"notification {seal.position}, {seal.sealed_at.isoformat()}, by "
               f"{seal.sealed_by}.")
    for case_id in done.gaps:
        click.echo(f"not sealed: case {case_id} has versions missing", err=True)


def _command(name: str, function: Callable[..., Any], *extra: click.Parameter
             ) -> ArrearsCommand:
    own = list(reversed(getattr(function, "__click_params__", [])))
    return ArrearsCommand(name, callback=function, help=inspect.getdoc(function),
                          params=[*own, *extra, json_option()])


chain = click.Group("chain", help="The hash chain of the events (chain init).",
                    commands=[_command("init", chain_init, actor_option())])
chain.command_class = ArrearsCommand

COMMANDS = [_command("key", show_key), _command("digest", show_digest),
            _command("checkpoint", checkpoint), _command("verify", verify), chain]
