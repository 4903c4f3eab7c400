"""`arrears letter CASE --version N --out FILE.pdf`: the letter an event rests on, as kept,
its hash checked; `letter_sha256` in `arrears timeline CASE --json`."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.pdf import require_pdf


@pytest.fixture(autouse=True)
def pdf_here(pytestconfig: pytest.Config) -> None:
    require_pdf(pytestconfig)


@pytest.fixture
def demanded(ok, case) -> tuple[str, dict]:
    """The case (GBP 1,200.00, a business) with a formal demand issued today, 2026-03-01."""
    ok("demand", case, "--deadline", "2026-03-15", "--consequences", "County Court claim")
    return case, ok("timeline", case)[-1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestTheLetterCommand:
    def test_writes_the_demand_whose_hash_the_timeline_records(self, ok, demanded, tmp_path):
        case, event = demanded
        out = tmp_path / "demand.pdf"
        got = ok("letter", case, "--version", str(event["version"]), "--out", str(out))
        recorded = event["data"]["letter_sha256"]
        assert event["type"] == "DemandIssued" and len(recorded) == 64
        assert sha256(out) == recorded == got["letter_sha256"]
        assert got["bytes"] == out.stat().st_size and got["type"] == "DemandIssued"
        text = " ".join(PdfReader(out).pages[0].extract_text().split())
        assert "Formal demand for payment" in text and "GBP 1,200.00" in text
        assert "The deadline for payment is 15 March 2026." in text

    def test_the_text_output_names_the_file_and_the_hash(self, arrears, demanded, tmp_path):
        case, event = demanded
        out = tmp_path / "demand.pdf"
        result = arrears("letter", case, "--version", str(event["version"]), "--out", str(out))
        assert result.exit_code == 0, result.stderr
        assert f"wrote {out}: the letter of event {event['version']} (DemandIssued), " \
               f"SHA-256 {event['data']['letter_sha256']}" in result.stdout

    def test_a_reminder_by_post_has_its_letter_one_by_email_has_none(self, ok, arrears, case,
                                                                     tmp_path):
        ok("remind", case, "--channel", "letter")
        by_post = ok("timeline", case)[-1]
        ok("remind", case, "--channel", "email")
        by_email = ok("timeline", case)[-1]
        out = tmp_path / "reminder.pdf"
        ok("letter", case, "--version", str(by_post["version"]), "--out", str(out))
        assert sha256(out) == by_post["data"]["letter_sha256"]
        assert by_email["data"]["letter_sha256"] == ""
        result = arrears("letter", case, "--version", str(by_email["version"]), "--out",
                         str(tmp_path / "none.pdf"))
        assert result.exit_code == 2
        assert f"error: --version: event {by_email['version']} (ReminderSent) has no letter" \
            in result.stderr
        assert not (tmp_path / "none.pdf").exists()

    def test_no_such_event(self, arrears, demanded, tmp_path):
        case, _ = demanded
        result = arrears("letter", case, "--version", "99", "--out", str(tmp_path / "x.pdf"),
                         "--json")
        assert result.exit_code == 2
        assert json.loads(result.stdout) == {"errors": {"--version": [
            "the case has no event 99"]}}

    def test_a_stored_letter_changed_since_is_not_written(self, arrears, demanded, tmp_path):
        case, event = demanded
        recorded = event["data"]["letter_sha256"]
        stored = tmp_path / "letters" / recorded[:2] / recorded[2:]
        os.chmod(stored, 0o640)
        stored.write_bytes(stored.read_bytes() + b"%tampered\n")
        out = tmp_path / "demand.pdf"
        result = arrears("letter", case, "--version", str(event["version"]), "--out", str(out))
        assert result.exit_code == 4
        assert f"the letter of event {event['version']} cannot be read" in result.stderr
        assert "no longer matches that hash" in result.stderr
        assert not out.exists()


class TestTheDemandCommand:
    def test_a_letter_of_claim_needs_30_days(self, ok, arrears, open_case):
        case = open_case("--debtor-kind", "individual")
        result = arrears("demand", case, "--deadline", "2026-03-30", "--consequences", "court")
        assert result.exit_code == 2
        assert "error: --deadline: a letter of claim (an individual debtor in England and " \
               "Wales) gives 30 days to reply: the deadline must be on or after 2026-03-31" \
            in result.stderr
        ok("demand", case, "--deadline", "2026-03-31", "--consequences", "court")
        assert ok("timeline", case)[-1]["data"]["letter_reference"].endswith("/LOC/2026-03-01")
