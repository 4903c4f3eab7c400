"""The five reminder levels: which day each fits, and what each says (text and HTML)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from application.mail.levels import ReminderLevel, check_level, level_for
from application.mail.message import MAX_DOMAIN_LENGTH, ReminderId
from application.mail.render import render
from domain.errors import RuleBroken
from domain.limits import REFERENCE
from tests.mail.test_smtp import ACCOUNT, CASE, gbp

DUE = ACCOUNT.due_date  # 2026-01-31


def rendered(level: ReminderLevel, account=ACCOUNT, day: date = date(2026, 3, 1)):
    pay_by = date(2026, 3, 8) if level.pay_within_days else None
    return render(level, account=account, today=day, pay_by=pay_by)


class TestLevels:
    @pytest.mark.parametrize(("day", "level"), [
        (date(2026, 1, 30), ReminderLevel.BEFORE_DUE), (DUE, ReminderLevel.ON_DUE),
        (date(2026, 2, 1), ReminderLevel.AFTER_DUE)])
    def test_the_default_level_follows_the_due_date(self, day, level):
        assert level_for(DUE, day) is level

    @pytest.mark.parametrize(("level", "day", "said"), [
        (ReminderLevel.BEFORE_DUE, DUE, "a before_due reminder is sent before the due date"),
        (ReminderLevel.ON_DUE, date(2026, 2, 1), "an on_due reminder is sent on the due date"),
        (ReminderLevel.AFTER_DUE, DUE, "a after_due reminder is sent after the due date"),
        (ReminderLevel.FINAL, date(2026, 1, 2), "a final reminder is sent after the due date"),
    ])
    def test_a_level_whose_words_do_not_fit_the_day_is_refused(self, level, day, said):
        with pytest.raises(RuleBroken, match=said) as refused:
            check_level(level, DUE, day)
        assert refused.value.field == "level"

    def test_only_the_firm_and_final_levels_give_a_date_to_pay_by(self):
        assert {lv for lv in ReminderLevel if lv.pay_within_days} == {ReminderLevel.FIRM,
                                                                     ReminderLevel.FINAL}

    def test_the_longest_message_id_fits_a_message_reference(self):
        reminder = ReminderId(CASE, ReminderLevel.BEFORE_DUE, date(2026, 3, 1))
        assert len(reminder.message_id("d" * MAX_DOMAIN_LENGTH)) == REFERENCE


class TestWording:
    @pytest.mark.parametrize(("level", "subject"), [
        (ReminderLevel.BEFORE_DUE, "Invoice INV-77 falls due on 31 January 2026"),
        (ReminderLevel.ON_DUE, "Invoice INV-77 is due for payment today"),
        (ReminderLevel.AFTER_DUE, "Overdue: invoice INV-77, GBP 1,040.00 outstanding"),
        (ReminderLevel.FIRM, "Second reminder: invoice INV-77 is 29 days overdue"),
        (ReminderLevel.FINAL, "Final reminder: invoice INV-77, please pay by 8 March 2026"),
    ])
    def test_each_level_has_its_subject_and_states_the_account_in_both_parts(
            self, level, subject):
        mail = rendered(level)
        assert mail.subject == subject
        for part in (mail.text, mail.html):
            assert "Harbour Lights Cafe Ltd" in part
            for label, figure in (("Amount", "GBP 1,200.00"), ("Paid", "GBP 200.00"),
                                  ("Outstanding", "GBP 1,040.00")):
                assert label in part and figure in part

    def test_the_final_reminder_says_what_may_follow(self):
        text = rendered(ReminderLevel.FINAL).text
        assert "further steps to recover the debt without further notice" in text
        assert "statutory interest and compensation" in text

    def test_figures_that_are_nil_are_left_out(self):
        account = replace(ACCOUNT, penalties=gbp("0"), days_overdue=0)
        text = rendered(ReminderLevel.AFTER_DUE, account).text
        assert "Interest and fees" not in text and "Days overdue" not in text
        credited = replace(ACCOUNT, credited=gbp("50.00"))
        assert "Credited            GBP 50.00" in rendered(ReminderLevel.FIRM, credited).text

    def test_without_payment_methods_the_debtor_is_asked_to_reply(self):
        text = rendered(ReminderLevel.FIRM, replace(ACCOUNT, payment_methods=())).text
        assert "Please reply to this email to arrange payment." in text

    def test_the_html_escapes_what_the_case_holds_and_the_text_does_not(self):
        account = replace(ACCOUNT, debtor_name="Bob <b>& Co</b>")
        mail = rendered(ReminderLevel.FIRM, account)
        assert "Dear Bob &lt;b&gt;&amp; Co&lt;/b&gt;," in mail.html
        assert "<b>" not in mail.html.replace("<body", "")
        assert "Dear Bob <b>& Co</b>," in mail.text

    def test_the_text_is_wrapped_for_mail_readers(self):
        text = rendered(ReminderLevel.FINAL).text
        assert max(len(line) for line in text.splitlines()) <= 76
