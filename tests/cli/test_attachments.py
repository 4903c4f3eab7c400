"""`arrears attach CASE FILE` and `arrears show/timeline CASE --as-of DATETIME`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests import attachment_files as files


@pytest.fixture
def blobs(env) -> Path:
    return Path(env["ARREARS_BLOB_DIR"])


@pytest.fixture
def write(tmp_path: Path):
    def made(name: str, content: bytes) -> str:
        path = tmp_path / "documents" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        return str(path)
    return made


def stored(blobs: Path) -> list[Path]:
    return [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []


class TestAttach:
    def test_stores_the_file_and_records_its_name_type_size_and_hash(
            self, ok, case, write, blobs, last_event):
        result = ok("attach", case, write("contract.pdf", files.pdf()), "--kind", "contract",
                    "--description", "Signed by both", "--on", "2026-02-10")
        sha = hashlib.sha256(files.pdf()).hexdigest()
        assert result["attachment"] == {"name": "contract.pdf", "media_type": "application/pdf",
                                        "size": len(files.pdf()), "sha256": sha,
                                        "kind": "contract"}
        assert (blobs / sha[:2] / sha[2:]).read_bytes() == files.pdf()
        event = last_event(case)
        assert (event["type"], event["occurred_on"], event["data"]["description"]) == (
            "AttachmentAdded", "2026-02-10", "Signed by both")

    def test_says_what_it_recorded_for_people(self, arrears, case, write):
        result = arrears("attach", case, write("notes.txt", files.text()))
        assert result.exit_code == 0, result.stderr
        assert "Document attached: notes.txt (other; plain text" in result.stdout
        assert hashlib.sha256(files.text()).hexdigest() in result.stdout

    def test_a_closed_case_takes_a_document(self, ok, open_case, write, show, last_event):
        case = open_case(amount="10.00")
        ok("pay", case, "--amount", "10", "--on", "2026-01-31")  # on time: no interest
        assert show(case)["stage"] == "paid"
        ok("attach", case, write("receipt.pdf", files.pdf()))
        assert last_event(case)["type"] == "AttachmentAdded"

    def test_the_same_content_twice_is_refused_as_a_rule(self, ok, arrears, case, write):
        ok("attach", case, write("contract.pdf", files.pdf()))
        result = arrears("attach", case, write("copy.pdf", files.pdf()))
        assert result.exit_code == 1
        assert result.stderr == ("error: file: this content is already attached to the case "
                                 "as 'contract.pdf'\n")


class TestNothingIsStoredWhenRefused:
    def test_a_pdf_named_png_when_png_is_not_allowed(self, arrears, case, write, env, blobs,
                                                     timeline):
        env["ARREARS_ATTACHMENT_TYPES"] = "pdf,eml"
        result = arrears("attach", case, write("invoice.pdf", files.png()), "--json")
        assert result.exit_code == 2
        assert json.loads(result.stdout) == {"errors": {"file": [
            "the content of 'invoice.pdf' is a PNG image (image/png), which may not be "
            "attached; allowed: PDF document, email message"]}}
        assert [e["type"] for e in timeline(case)] == ["CaseOpened"]
        assert stored(blobs) == []

    def test_a_file_over_the_limit(self, arrears, case, write, env, blobs, timeline):
        env["ARREARS_ATTACHMENT_MAX_BYTES"] = "100"
        result = arrears("attach", case, write("long.txt", b"a" * 101))
        assert result.exit_code == 2
        assert result.stderr == ("error: file: 'long.txt' is 101 bytes; at most 100 bytes "
                                 "may be attached\n")
        assert [e["type"] for e in timeline(case)] == ["CaseOpened"]
        assert stored(blobs) == []

    def test_content_of_a_type_not_allowed(self, arrears, case, write, blobs):
        result = arrears("attach", case, write("data.pdf", bytes(range(256))))
        assert result.exit_code == 2
        assert "of no type Arrears recognises" in result.stderr
        assert stored(blobs) == []

    def test_a_file_that_is_not_there(self, arrears, case, tmp_path):
        result = arrears("attach", case, str(tmp_path / "missing.pdf"))
        assert result.exit_code == 2
        assert result.stderr.startswith("error: file: ")

    def test_an_unknown_kind(self, arrears, case, write):
        result = arrears("attach", case, write("c.pdf", files.pdf()), "--kind", "photo")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --kind: ")

    def test_a_setting_it_cannot_use(self, arrears, case, write, env):
        env["ARREARS_ATTACHMENT_TYPES"] = "gif"
        result = arrears("attach", case, write("c.pdf", files.pdf()))
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ARREARS_ATTACHMENT_TYPES: 'gif' is not a type")


@pytest.fixture
def history(ok, env):
    """A case opened on 2026-02-01, paid 400 on 2026-02-10, paid 100 on 2026-02-20 (each
    recorded on that day at 09:00 UTC)."""
    def on(day: str, *args: str):
        env["ARREARS_TODAY"] = day
        return ok(*args)
    on("2026-02-01", "open", "INV-ASOF", "--debtor", "Dee Ltd", "--amount", "1000",
       "--issue-date", "2026-01-01", "--due-date", "2026-01-31", "--on", "2026-01-01")
    on("2026-02-10", "pay", "INV-ASOF", "--amount", "400")
    on("2026-02-20", "pay", "INV-ASOF", "--amount", "100")
    env["ARREARS_TODAY"] = "2026-03-01"
    return "INV-ASOF"


class TestShowAsOf:
    def test_hides_what_was_recorded_later_and_shows_the_balance_then(self, ok, history):
        record = ok("show", history, "--as-of", "2026-02-15")
        assert record["balance"]["paid"] == "400.00"
        assert record["balance"]["outstanding"] == "600.00"
        assert (record["as_of"], record["events_known"], record["events_later"]) == (
            "2026-02-15T23:59:59.999999+00:00", 2, 1)
        assert record["days_overdue"] == 15  # seen on the day of the as-of time
        assert ok("show", history)["balance"]["outstanding"] == "500.00"

    def test_a_time_with_an_offset(self, ok, history):
        assert ok("show", history, "--as-of", "2026-02-10T08:59:59Z")["events_known"] == 1
        assert ok("show", history, "--as-of", "2026-02-10T10:00:00+01:00")[
            "events_known"] == 2

    def test_seen_on_another_day(self, ok, history):
        record = ok("show", history, "--as-of", "2026-02-15", "--on", "2026-03-01")
        assert (record["days_overdue"], record["balance"]["paid"]) == (29, "400.00")

    def test_is_labelled_for_people(self, arrears, history):
        result = arrears("show", history, "--as-of", "2026-02-15")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0] == (
            "As known on 2026-02-15 23:59:59 UTC: 2 events recorded by then; 1 event "
            "recorded later left out.")
        assert "= outstanding GBP       600.00" in result.stdout

    def test_the_timeline_is_cut_at_that_time(self, ok, arrears, history):
        events = ok("timeline", history, "--as-of", "2026-02-15")
        assert [e["type"] for e in events] == ["CaseOpened", "PaymentReceived"]
        text = arrears("timeline", history, "--as-of", "2026-02-15").stdout
        assert text.startswith("As known on 2026-02-15 23:59:59 UTC")
        assert "Payment of GBP 100.00" not in text

    @pytest.mark.parametrize(("as_of", "message"), [
        ("2026-02-30", "'2026-02-30' is not a real calendar date"),
        ("2026-02-15T10:00", "has no UTC offset"),
        ("15/02/2026", "is not a date or a date-time"),
    ])
    def test_refuses_a_time_it_cannot_read(self, arrears, history, as_of, message):
        result = arrears("show", history, "--as-of", as_of)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --as-of: ")
        assert message in result.stderr

    def test_refuses_a_time_before_the_case_was_recorded(self, arrears, history):
        result = arrears("show", history, "--as-of", "2026-01-31")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --as-of: the case was first recorded at "
                                        "2026-02-01T09:00:00+00:00")
