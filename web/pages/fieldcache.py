"""A command form's fields rendered once per set of values (the case page has ~25 forms).

The case page offers every command the case accepts, each as a form of its fields: ~90
fields, and rendering them through the `field` macro was most of the page's time. A form's
fields are a pure function of the form, the values filled in and the errors beside them:
nothing in them depends on the case, the user or the request (the CSRF field, the one-time
token and the form's action are rendered around them, fresh every time). So the fields of
a form with no errors are rendered once per (form, values) and kept, a bounded number.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from flask import current_app
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from web.pages.forms import Form

KEPT = 512  # rendered field sets kept (forms × the value sets they were shown with)
_lock = Lock()
_kept: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()


def form_fields(form: Form, values: MultiDict[str, str], errors: dict[str, Any]) -> Markup:
    """The form's fields as the `fields` macro renders them; kept when without errors."""
    if errors:
        return _render(form, values, errors)
    key = (current_app.jinja_env, form, tuple(sorted(values.items(multi=True))))
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = _render(form, values, errors)
    with _lock:
        _kept[key] = found
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return found


def _render(form: Form, values: MultiDict[str, str], errors: dict[str, Any]) -> Markup:
    module = current_app.jinja_env.get_template("macros/forms.html").module
    return Markup(module.fields(form, values, errors))  # type: ignore[attr-defined]
