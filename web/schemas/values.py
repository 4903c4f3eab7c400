"""marshmallow fields that read values through the one parser (`application.parsing`).

Each refusal is the parser's message, so the web form, the JSON API and the CLI say the
same thing about the same input. Limits come from `domain.limits`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from flask import current_app, has_app_context
from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from application import parsing
from application.attachments.policy import Upload
from domain.errors import InvalidValue
from domain.limits import text_limit
from domain.values import check_email, check_tax_id


def today() -> date:
    """The app's today (its clock); the system date outside a request (OpenAPI, tests)."""
    if has_app_context() and "arrears" in current_app.extensions:
        return current_app.extensions["arrears"].clock.today()
    return date.today()


def _parsed(parse: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return parse(*args, **kwargs)
    except InvalidValue as error:
        raise ValidationError(error.message) from None


class Amount(fields.String):
    """An amount as text ("1,200.50") or a JSON number; never rounded (see parse_amount)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "an amount, e.g. \"1200.50\" (',' only to group thousands)")
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        amount = _parsed(parsing.parse_amount, value, attr or "amount")
        if self.metadata.get("positive", True) and amount <= 0:
            raise ValidationError(f"must be more than zero, got {amount}")
        return amount


class Rate(fields.String):
    """An annual rate in percent, e.g. "8.15"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _parsed(parsing.parse_rate, value, attr or "rate")


class Percent(fields.String):
    """A percentage, more than 0 and less than 100, e.g. "2.5"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _parsed(parsing.parse_percent, value, attr or "percent")


class Currency(fields.String):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _parsed(parsing.parse_currency, super()._deserialize(value, attr, data))


class Day(fields.Date):
    """A date YYYY-MM-DD from 1900 to 100 years ahead."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise ValidationError("must be a date (YYYY-MM-DD)")
        return _parsed(parsing.parse_date, value, attr or "date", today())


class Word(fields.String):
    """A word of a domain vocabulary, loaded as its StrEnum member."""

    def __init__(self, kind: type[StrEnum], **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(validate=validate.OneOf([m.value for m in kind]), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data)
        return _parsed(parsing.parse_word, self.kind, text, attr or "word")

    def _validate(self, value: Any) -> None:
        super()._validate(str(value))


class Text(fields.String):
    """A text field with its one limit (length, control characters) from `domain.limits`."""

    def __init__(self, limit_of: str, *, required: bool = False, **kwargs: Any) -> None:
        self.limit_of = limit_of
        self.required_text = required
        length, _ = text_limit(limit_of)
        if not required:
            kwargs.setdefault("load_default", "")
        super().__init__(required=required,
                         validate=validate.Length(min=1 if required else 0, max=length),
                         **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data)
        return _parsed(parsing.parse_text, text, self.limit_of,
                       required_text=self.required_text)

    def _validate(self, value: Any) -> None:
        return  # the parser has checked the length already


class Email(Text):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _parsed(check_email, super()._deserialize(value, attr, data), self.limit_of)


class TaxId(Text):
    """A tax or VAT number (`domain.values.check_tax_id`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return _parsed(check_tax_id, super()._deserialize(value, attr, data), self.limit_of)


class UploadedFile(fields.Field):
    """A file sent as multipart/form-data, loaded as an Upload (its name and its bytes).

    Its size and type are checked by the attachment policy, from the content.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).update(
            type="string", format="binary",
            description="the document, as a file part with its file name; its type is read "
                        "from the content")
        kwargs.setdefault("error_messages", {}).setdefault("required", "choose a file to attach")
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, FileStorage):
            raise ValidationError("must be a file, sent as multipart/form-data")
        content = value.read()
        if not value.filename and not content:  # a form sent with no file chosen
            raise ValidationError("choose a file to attach")
        return Upload(value.filename or "", content)
