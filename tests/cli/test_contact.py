"""Contact commands: deliver, remind, log-call, note, acknowledge, withdraw-service."""

from __future__ import annotations


class TestContact:
    def test_deliver_records_how_the_invoice_arrived(self, ok, case, last_event):
        ok("deliver", case, "--method", "post", "--proof", "Royal Mail RR123", "--on",
           "2026-01-02")
        event = last_event(case)
        assert event["type"] == "InvoiceDelivered"
        assert event["data"] == {"method": "post", "proof": "Royal Mail RR123"}
        assert event["occurred_on"] == "2026-01-02"

    def test_remind_defaults_to_email_to_the_debtor(self, ok, open_case, last_event, show):
        case = open_case("--debtor-email", "ap@cafe.example")
        result = ok("remind", case)
        assert result["version"] == 2
        assert last_event(case)["data"] == {"channel": "email", "timing": "after_due",
                                            "recipient": "ap@cafe.example",
                                            "message_reference": "", "letter_sha256": ""}
        assert show(case)["stage"] == "reminded"

    def test_remind_before_the_due_date_is_timed_so(self, ok, case, last_event):
        ok("remind", case, "--channel", "SMS", "--recipient", "+44 7700 900 001", "--on",
           "2026-01-20", "--message-reference", "sms-9")
        assert last_event(case)["data"]["timing"] == "before_due"
        assert last_event(case)["data"]["channel"] == "sms"

    def test_log_call_records_direction_person_and_outcome(self, ok, case, last_event):
        ok("log-call", case, "--outcome", "no_answer", "--person", "Ms Reed", "--notes",
           "voicemail", "--direction", "inbound", "--actor", "tom.baker")
        event = last_event(case)
        assert event["data"] == {"direction": "inbound", "person": "Ms Reed",
                                 "outcome": "no_answer", "notes": "voicemail"}
        assert event["actor"] == "tom.baker"

    def test_note_takes_its_text_as_an_argument(self, ok, case, last_event):
        ok("note", case, "Director on holiday until Monday.")
        assert last_event(case)["summary"] == "Note: Director on holiday until Monday."

    def test_acknowledge_restarts_the_limitation_period(self, ok, case, show, last_event):
        ok("acknowledge", case, "--document", "Email of 10 Feb", "--amount", "1200",
           "--on", "2026-02-10")
        assert last_event(case)["data"] == {
            "amount": {"amount": "1200.00", "currency": "GBP"}, "document": "Email of 10 Feb"}
        assert show(case)["limitation_date"] == "2032-02-10"

    def test_withdraw_service_is_recorded(self, ok, case, last_event):
        ok("withdraw-service", case, "--service", "Hosting suspended")
        assert last_event(case)["summary"] == "Service withdrawn: Hosting suspended"
