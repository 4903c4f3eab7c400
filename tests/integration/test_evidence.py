"""Digests, checkpoints, snapshots and sealing against a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.errors import ChainBroken, ChainUnsealed
from application.evidence import checkpoints, digest
from application.evidence.chain import START, ZERO, links
from application.evidence.keys import verifies
from application.evidence.sealing import AlreadySealed, seal_history
from application.evidence.verify import Break, verify_store
from application.service import CaseService
from tests.commands import execute
from tests.integration.test_case_service import open_one
from tests.integration.test_tampering import change_amount, five_events
from tests.tampering import RawStore

ON = date(2025, 2, 1)


@pytest.fixture
def raw(database_url: str) -> RawStore:
    return RawStore(database_url)


def note(service: CaseService, case_id: UUID, text: str = "a note") -> None:
    execute(service, case_id, "add_note", actor="priya", occurred_on=ON, text=text)


def check(service: CaseService, checkpoint: checkpoints.Checkpoint | None = None):
    recorder = service.chain_recorder
    return verify_store(recorder, recorder.canonical, checkpoint=checkpoint,
                        public=service.signing_key().public)


class TestTheChainAsStored:
    def test_the_first_hash_is_sha256_of_zeros_and_the_canonical_event(self, service, raw):
        case_id = open_one(service)
        recorder = service.chain_recorder
        row = recorder.select_chain(case_id, 1)[0]
        canonical = recorder.canonical.bytes_of(row.event)
        assert row.stored_hash == hashlib.sha256(ZERO + canonical).digest()
        document = json.loads(canonical)
        assert (document["topic"], document["originator_id"], document["originator_version"]) \
            == ("domain.events:CaseOpened", str(case_id), 1)
        assert document["actor"] == "priya" and document["timestamp"].endswith("+00:00")


class TestTheDigest:
    def test_is_the_same_from_another_process_and_changes_with_any_case(self, service,
                                                                       make_service):
        first, second = open_one(service), open_one(service)
        key = service.signing_key()
        signed = digest.current(service.chain_recorder).signed(key)
        again = digest.current(make_service().chain_recorder).signed(
            make_service().signing_key())
        assert signed == again and signed["size"] == 2
        for case_id in (first, second):
            note(service, case_id)
            moved = digest.current(service.chain_recorder).signed(key)
            assert moved["root"] != signed["root"] and moved["position"] > signed["position"]
            signed = moved

    def test_signature_verifies_with_the_public_key_and_not_another(self, service):
        open_one(service)
        signed = digest.current(service.chain_recorder).signed(service.signing_key())
        statement = signed["statement"].encode()
        signature = base64.b64decode(signed["signature"])
        assert json.loads(statement) == {"kind": "arrears-digest/v1", "position": 1,
                                         "root": signed["root"], "size": 1}
        assert verifies(service.signing_key().public, signature, statement)
        assert not verifies(Ed25519PrivateKey.generate().public_key(), signature, statement)
        assert not verifies(service.signing_key().public, signature, statement + b" ")

    def test_a_case_head_is_proved_included(self, service):
        from application.evidence import merkle

        ids = [open_one(service) for _ in range(5)]
        tree = digest.current(service.chain_recorder)
        proof = tree.proof(ids[3])
        leaf = next(h for h in tree.heads if h.case_id == ids[3]).leaf()
        assert merkle.verify_inclusion(merkle.leaf_hash(leaf), proof["leaf_index"], 5,
                                       [bytes.fromhex(p) for p in proof["path"]], tree.root)


class TestCheckpoints:
    def save(self, service: CaseService) -> checkpoints.Checkpoint:
        return checkpoints.save(service.chain_recorder, digest.current(service.chain_recorder),
                                service.signing_key(), service.clock.now())

    def test_later_appends_still_verify_against_it(self, service, make_service):
        old, moving = five_events(service), five_events(service)
        saved = self.save(service)
        note(service, moving)
        newer = open_one(service)
        note(service, newer)
        listed = checkpoints.load(make_service().chain_recorder)
        assert [c.checkpoint_id for c in listed] == [saved.checkpoint_id]
        report = check(service, listed[0])
        assert report.ok and report.cases == 3 and report.checkpoint == saved.checkpoint_id
        assert old

    def test_a_change_before_it_fails_even_with_the_hashes_rewritten(self, service, raw):
        case_id = five_events(service)
        saved = self.save(service)
        note(service, case_id)
        raw.drop_protection()
        change_amount(raw, case_id)
        assert check(service, saved).broken == [
            Break(case_id, 2, "the event does not match its stored hash")]
        self.rewrite_hashes(service, raw, case_id)
        assert check(service).ok  # consistent again: only the checkpoint can tell
        assert check(service, saved).broken == [
            Break(case_id, 5, "the history no longer passes through the checkpoint's head")]

    def test_a_checkpoint_signed_by_another_key_or_with_other_heads_fails(self, service,
                                                                         make_service,
                                                                         tmp_path):
        open_one(service)
        saved = self.save(service)
        other = make_service(key_directory=tmp_path / "other-key")
        report = check(other, saved)
        assert not report.ok and "the signature does not verify" in report.checkpoint_problem
        forged = checkpoints.Checkpoint(**{**saved.__dict__, "leaves": saved.leaves[::-1]})
        assert "do not hash to its signed root" in check(service, forged).checkpoint_problem

    @staticmethod
    def rewrite_hashes(service: CaseService, raw: RawStore, case_id: UUID) -> None:
        recorder = service.chain_recorder
        events = [row.event for row in recorder.select_chain(case_id, 1)]
        for link in links(START, events, recorder.canonical.bytes_of):
            raw.run("UPDATE event_hashes SET hash = ? WHERE originator_id = ? "
                    "AND originator_version = ?", (link.hash, raw.key(case_id), link.version))


class TestSnapshots:
    @pytest.fixture
    def long_case(self, service: CaseService) -> UUID:
        case_id = open_one(service)
        for n in range(104):
            note(service, case_id, f"note {n}")
        return case_id

    def snapshots(self, raw: RawStore) -> str:
        return "arrears_snapshots" if raw.postgres else "stored_snapshots"

    def test_a_sealed_snapshot_is_used_and_a_changed_one_refuses_the_load(
            self, long_case, make_service, raw):
        assert make_service().load(long_case).version == 105
        table = self.snapshots(raw)
        [(state,)] = raw.run(f"SELECT state FROM {table} WHERE originator_id = ?",
                             (raw.key(long_case),))
        altered = bytes(state).replace(b'"1200.00"', b'"12.00"')
        assert altered != bytes(state)
        raw.run(f"UPDATE {table} SET state = ? WHERE originator_id = ?",
                (altered, raw.key(long_case)))
        with pytest.raises(ChainBroken) as refused:
            make_service().load(long_case)
        assert refused.value.version == 100 and "snapshot" in refused.value.reason
        service = make_service()
        recorder = service.chain_recorder
        assert verify_store(recorder, recorder.canonical, snapshots=service.snapshot_check()
                            ).broken == [Break(long_case, 100, "the snapshot at this version "
                                                              "does not match its seal")]

    def test_verify_checks_a_sound_snapshot(self, long_case, service):
        recorder = service.chain_recorder
        assert verify_store(recorder, recorder.canonical,
                            snapshots=service.snapshot_check()).ok

    def test_a_snapshot_sealed_under_another_key_is_passed_over(self, long_case, make_service,
                                                                tmp_path):
        elsewhere = make_service(key_directory=tmp_path / "another-key")
        case = elsewhere.load(long_case)
        assert case.version == 105 and case.outstanding.amount == 1200


class TestHistoryBeforeTheChain:
    def unseal(self, service: CaseService, raw: RawStore) -> UUID:
        """Make the store look like one written before the chain: no hashes, no seal."""
        case_id = five_events(service)
        raw.drop_protection()
        raw.run("DELETE FROM event_hashes")
        raw.run("DELETE FROM chain_seals")
        return case_id

    def test_unsealed_cases_say_so_until_chain_init_seals_them(self, service, make_service,
                                                               raw):
        case_id = self.unseal(service, raw)
        fresh = make_service()
        with pytest.raises(ChainUnsealed, match="arrears chain init"):
            fresh.load(case_id)
        report = check(fresh)
        assert (report.unsealed, report.broken) == ([case_id], [])

        sealing = seal_history(fresh.chain_recorder, fresh.chain_recorder.canonical,
                               fresh.clock.now(), "ops.lead")

        assert (sealing.seal.cases, sealing.seal.events, sealing.gaps) == (1, 5, [])
        [seal] = fresh.chain_recorder.seals()
        assert (seal.kind, seal.sealed_by, seal.position) == ("existing history", "ops.lead", 5)
        assert make_service().load(case_id).version == 5 and check(fresh).ok
        with pytest.raises(AlreadySealed):
            seal_history(fresh.chain_recorder, fresh.chain_recorder.canonical,
                         fresh.clock.now(), "ops.lead")

    def test_a_case_without_hashes_in_a_sealed_store_is_broken(self, service, make_service,
                                                               raw):
        case_id = five_events(service)
        raw.drop_protection()
        raw.run("DELETE FROM event_hashes WHERE originator_id = ?", (raw.key(case_id),))
        with pytest.raises(ChainBroken) as refused:
            make_service().load(case_id)
        assert refused.value.version == 1
        assert check(service).broken == [Break(case_id, 1, "no hash is stored for the event")]


def test_a_cases_chain_is_its_canonical_events_and_their_hashes(service):
    case_id = five_events(service)
    chain = service.case_chain(case_id)
    assert [e.version for e in chain] == [1, 2, 3, 4, 5]
    previous = ZERO
    for event in chain:
        assert event.hash == hashlib.sha256(previous + event.canonical).digest()
        previous = event.hash
    head = next(h for h in digest.current(service.chain_recorder).heads if h.case_id == case_id)
    assert (head.version, head.hash) == (5, chain[-1].hash)
