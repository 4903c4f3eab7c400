"""What a document is, from its content; what may be attached, from configuration."""

from __future__ import annotations

import hashlib
import re

import pytest

from application.attachments import types
from application.attachments.policy import (
    DEFAULT_MAX_BYTES,
    AttachmentPolicy,
    FileTooLarge,
    TypeNotAllowed,
    Upload,
    file_name,
)
from application.attachments.types import sniff
from application.settings import SettingsError
from application.wording import byte_size
from domain.errors import InvalidValue
from tests import attachment_files as files


class TestTheTypeReadFromTheContent:
    @pytest.mark.parametrize(("content", "media_type"), [
        (files.pdf(), types.PDF), (files.png(), types.PNG), (files.jpeg(), types.JPEG),
        (files.docx(), types.DOCX), (files.xlsx(), types.XLSX), (files.odt(), types.ODT),
        (files.email(), types.EMAIL), (files.text(), types.TEXT),
    ])
    def test_recognises_each_known_type(self, content, media_type):
        assert sniff(content) == media_type

    def test_names_a_type_it_does_not_record(self):
        assert sniff(files.zip_archive()) == "application/zip"
        assert sniff(b"GIF89a" + b"\x00" * 20) == "image/gif"

    def test_knows_nothing_of_random_bytes(self):
        assert sniff(bytes(range(256)) * 4) is None

    def test_text_in_utf_8_with_a_byte_order_mark_and_accents(self):
        assert sniff("\ufeffReçu: 300 € le 2 mars\r\n\tmerci\f".encode()) == types.TEXT

    def test_text_that_starts_like_a_program_is_still_text(self):
        assert sniff(b"MZ Logistics called back.\n") == types.TEXT

    def test_latin_1_text_and_control_characters_are_not_text(self):
        assert sniff("Reçu".encode("latin-1")) is None
        assert sniff(b"bell\x07") is None

    def test_an_email_needs_from_and_date_headers_then_a_blank_line(self):
        assert sniff(b"From: a@b.example\nSubject: x\n\nbody") == types.TEXT
        assert sniff(b"From: a@b.example\nDate: Mon, 2 Mar 2026\nbody only\n") == types.TEXT
        assert sniff(b"From: a@b.example\nDate: Mon, 2 Mar 2026\n\nbody") == types.EMAIL

    def test_an_email_may_start_with_an_mbox_line_and_have_any_body(self):
        content = b"From accounts@debtor.example Mon Mar 2 10:15:00 2026\n" + files.email(
            b"\xff\xfe not utf-8 at all")
        assert sniff(content) == types.EMAIL

    def test_a_pdf_named_like_text_is_a_pdf(self):
        assert sniff(files.pdf("plain words")) == types.PDF

    def test_describes_a_type_as_people_call_it(self):
        assert types.describe(types.PNG) == "a PNG image (image/png)"
        assert types.describe(types.EMAIL) == "an email message (message/rfc822)"
        assert types.describe(types.TEXT) == "plain text (text/plain)"
        assert types.describe("application/zip") == "of type application/zip"


class TestThePolicy:
    def test_accepts_an_allowed_type_and_says_what_it_is(self):
        document = AttachmentPolicy().check(Upload("contract.pdf", files.pdf()))
        assert (document.name, document.media_type, document.size) == (
            "contract.pdf", types.PDF, len(files.pdf()))
        assert document.sha256 == hashlib.sha256(files.pdf()).hexdigest()

    def test_refuses_a_pdf_named_png_when_png_is_not_allowed(self):
        policy = AttachmentPolicy(allowed=(types.PDF,))
        with pytest.raises(TypeNotAllowed) as refused:
            policy.check(Upload("invoice.pdf", files.png()))
        assert refused.value.field == "file"
        assert refused.value.message == (
            "the content of 'invoice.pdf' is a PNG image (image/png), which may not be "
            "attached; allowed: PDF document")

    def test_records_the_type_of_the_content_not_of_the_name(self):
        document = AttachmentPolicy().check(Upload("invoice.pdf", files.png()))
        assert document.media_type == types.PNG

    def test_refuses_content_of_no_known_type(self):
        with pytest.raises(TypeNotAllowed, match="of no type Arrears recognises"):
            AttachmentPolicy().check(Upload("archive.pdf", b"\x00\x01\x02"))

    def test_refuses_a_zip_naming_what_it_is(self):
        with pytest.raises(TypeNotAllowed, match=r"of type application/zip"):
            AttachmentPolicy().check(Upload("bundle.docx", files.zip_archive()))

    def test_refuses_a_file_over_the_limit_with_both_sizes(self):
        policy = AttachmentPolicy(max_bytes=2048)
        with pytest.raises(FileTooLarge) as refused:
            policy.check(Upload("long.txt", b"a" * 2049))
        assert refused.value.field == "file"
        assert refused.value.message == ("'long.txt' is 2 KiB (2,049 bytes); at most 2 KiB "
                                         "(2,048 bytes) may be attached")

    def test_accepts_a_file_of_exactly_the_limit(self):
        assert AttachmentPolicy(max_bytes=5).check(Upload("a.txt", b"abcde")).size == 5

    def test_refuses_an_empty_file(self):
        with pytest.raises(InvalidValue, match="'empty.txt' is empty"):
            AttachmentPolicy().check(Upload("empty.txt", b""))

    def test_default_limit_is_20_mib(self):
        assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
        assert AttachmentPolicy().limit_text == "20 MiB"


class TestTheFileName:
    def test_keeps_only_the_last_part_of_a_path(self):
        assert file_name("../../etc/passwd.pdf") == "passwd.pdf"
        assert file_name("C:\\Users\\ann\\contract.pdf") == "contract.pdf"
        assert file_name("  Vertrag über Miete.pdf ") == "Vertrag über Miete.pdf"

    @pytest.mark.parametrize(("raw", "message"), [
        ("", "the file has no name"), ("folder/", "the file has no name"),
        ("a\nb.pdf", "its name must not contain U+000A"), ("x" * 256 + ".pdf", "at most 255"),
    ])
    def test_refuses_no_name_control_characters_and_long_names(self, raw, message):
        with pytest.raises(InvalidValue, match=re.escape(message)) as refused:
            file_name(raw)
        assert refused.value.field == "file"


class TestConfiguration:
    def test_defaults(self):
        policy = AttachmentPolicy.from_env({})
        assert (policy.max_bytes, policy.allowed) == (DEFAULT_MAX_BYTES, tuple(types.KNOWN))

    def test_reads_the_limit_and_types_by_short_name_or_media_type(self):
        policy = AttachmentPolicy.from_env({"ARREARS_ATTACHMENT_MAX_BYTES": "1048576",
                                            "ARREARS_ATTACHMENT_TYPES": "pdf, message/rfc822,PDF"})
        assert (policy.max_bytes, policy.allowed) == (1_048_576, (types.PDF, types.EMAIL))

    @pytest.mark.parametrize("value", ["20MiB", "0", "-1", "1e6", str(2**31)])
    def test_refuses_a_limit_that_is_not_a_number_of_bytes(self, value):
        with pytest.raises(SettingsError, match="^ARREARS_ATTACHMENT_MAX_BYTES: "):
            AttachmentPolicy.from_env({"ARREARS_ATTACHMENT_MAX_BYTES": value})

    def test_refuses_a_type_it_cannot_recognise(self):
        with pytest.raises(SettingsError, match="^ARREARS_ATTACHMENT_TYPES: 'gif' is not a"):
            AttachmentPolicy.from_env({"ARREARS_ATTACHMENT_TYPES": "pdf,gif"})


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 bytes"), (1, "1 byte"), (1023, "1,023 bytes"), (1024, "1 KiB"), (1536, "1.5 KiB"),
    (20 * 1024 * 1024, "20 MiB"), (5 * 1024**3, "5 GiB"),
])
def test_sizes_for_people(count, text):
    assert byte_size(count) == text
