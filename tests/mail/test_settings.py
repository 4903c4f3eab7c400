"""ARREARS_SMTP_* and ARREARS_MAIL_FROM: checked once, each refusal naming its setting."""

from __future__ import annotations

import pytest

from application.mail import FileOutbox, SmtpMailer, mailer_from_env
from application.mail.settings import OUTBOX, TlsMode, mail_settings
from application.settings import SettingsError


def smtp(**env: str) -> dict[str, str]:
    return {"ARREARS_SMTP_HOST": "mail.example.com",
            "ARREARS_MAIL_FROM": "Accounts <ar@example.com>", **env}


class TestMailSettings:
    def test_without_a_host_mail_goes_to_the_outbox(self):
        settings = mail_settings({})
        assert settings.smtp is None and settings.outbox == OUTBOX
        assert isinstance(mailer_from_env({}), FileOutbox)

    def test_with_a_host_mail_goes_by_smtp_starttls_on_587_by_default(self):
        settings = mail_settings(smtp())
        assert settings.smtp is not None
        assert (settings.smtp.host, settings.smtp.port, settings.smtp.tls) == (
            "mail.example.com", 587, TlsMode.STARTTLS)
        assert (settings.sender, settings.domain) == ("Accounts <ar@example.com>",
                                                      "example.com")
        assert isinstance(mailer_from_env(smtp()), SmtpMailer)

    @pytest.mark.parametrize(("tls", "port"), [("none", 25), ("tls", 465), ("STARTTLS", 587)])
    def test_the_default_port_follows_the_tls_mode(self, tls, port):
        assert mail_settings(smtp(ARREARS_SMTP_TLS=tls)).smtp.port == port

    def test_the_password_is_not_shown(self):
        settings = mail_settings(smtp(ARREARS_SMTP_USER="ann", ARREARS_SMTP_PASSWORD="s3cret"))
        assert "s3cret" not in repr(settings)

    def test_an_international_domain_names_message_ids_in_ascii(self):
        settings = mail_settings({"ARREARS_MAIL_FROM": "konto@exämple.de"})
        assert settings.domain == "xn--exmple-cua.de"

    @pytest.mark.parametrize(("env", "said"), [
        ({"ARREARS_SMTP_HOST": "mail.example.com"},
         "ARREARS_MAIL_FROM: is required when ARREARS_SMTP_HOST is set"),
        (smtp(ARREARS_MAIL_FROM="not an address"), "ARREARS_MAIL_FROM: 'not an address' is "
                                                   "not an email address"),
        (smtp(ARREARS_SMTP_TLS="ssl"), "ARREARS_SMTP_TLS: 'ssl' is not one of: none, "
                                       "starttls, tls"),
        (smtp(ARREARS_SMTP_PORT="smtp"), "ARREARS_SMTP_PORT: 'smtp' is not a port"),
        (smtp(ARREARS_SMTP_PORT="70000"), "ARREARS_SMTP_PORT: '70000' is not a port"),
        (smtp(ARREARS_SMTP_USER="ann", ARREARS_SMTP_TLS="none"),
         "ARREARS_SMTP_TLS: must be starttls or tls when ARREARS_SMTP_USER is set"),
        (smtp(ARREARS_SMTP_PASSWORD="s3cret"),
         "ARREARS_SMTP_USER: is required when ARREARS_SMTP_PASSWORD is set"),
        ({"ARREARS_MAIL_FROM": "a@" + "d" * 50 + ".com"},
         "ARREARS_MAIL_FROM: the domain must be at most 45 characters"),
    ])
    def test_a_setting_that_cannot_be_used_is_refused_by_name(self, env, said):
        with pytest.raises(SettingsError) as refused:
            mail_settings(env)
        assert str(refused.value).startswith(said)
