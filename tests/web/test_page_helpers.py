"""The case page's kept form fields and the list's helpers render what the macros did."""

from __future__ import annotations

from flask import Flask, render_template_string, url_for
from werkzeug.datastructures import MultiDict

from web.formatting import hold_badge, stage_badge
from web.links import link
from web.pages import fieldcache
from web.pages.forms import COMMAND_FORMS

MACRO = ('{% from "macros/forms.html" import field %}'
         '{% for f in form.fields %}{{ field(f, form.command, values, errors) }}{% endfor %}')


def by_macro(form, values, errors):  # type: ignore[no-untyped-def]
    return render_template_string(MACRO, form=form, values=values, errors=errors)


def squeezed(html: str) -> str:
    return "".join(html.split()).replace('<divclass="provenance">', "").replace("</div>", "")


class TestKeptFields:
    def test_a_form_renders_as_its_fields_one_by_one(self, app: Flask) -> None:
        with app.test_request_context("/"):
            for form in COMMAND_FORMS.values():
                values = MultiDict({"occurred_on": "2026-03-02"})
                kept = fieldcache.form_fields(form, values, {})
                assert squeezed(str(kept)) == squeezed(by_macro(form, values, {}))

    def test_other_values_are_rendered_again(self, app: Flask) -> None:
        form = COMMAND_FORMS["record_payment"]
        with app.test_request_context("/"):
            first = fieldcache.form_fields(form, MultiDict({"occurred_on": "2026-03-02"}), {})
            later = fieldcache.form_fields(form, MultiDict({"occurred_on": "2026-03-03"}), {})
        assert 'value="2026-03-02"' in first and 'value="2026-03-03"' in later

    def test_errors_are_never_kept(self, app: Flask) -> None:
        form = COMMAND_FORMS["record_payment"]
        values = MultiDict({"occurred_on": "2026-03-02", "amount": "x"})
        with app.test_request_context("/"):
            refused = fieldcache.form_fields(form, values, {"amount": ["Not a number."]})
            clean = fieldcache.form_fields(form, values, {})
        assert "Not a number." in refused and "Not a number." not in clean
        assert all("Not a number." not in str(html) for html in fieldcache._kept.values())

    def test_the_kept_sets_are_bounded(self, app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setattr(fieldcache, "KEPT", 3)
        form = COMMAND_FORMS["add_note"]
        with app.test_request_context("/"):
            for day in range(1, 10):
                fieldcache.form_fields(form, MultiDict({"occurred_on": f"2026-03-0{day}"}), {})
        assert len(fieldcache._kept) <= 3


class TestListHelpers:
    def test_a_link_is_the_one_url_for_builds(self, app: Flask) -> None:
        keys = ["name:fern logistics", "email:ana@example.com", "name:café & co/ä?#%+",
                "tax:GB123", "name:a b"]
        with app.test_request_context("/", base_url="http://x/prefix"):
            for key in keys:
                assert link("debtors.show", debtor_key=key) == url_for("debtors.show",
                                                                         debtor_key=key)
            case_id = "0b6f3a52-1d7e-4a55-9b0e-5d7f1c2e3a4b"
            assert link("case.show", case_id=case_id) == url_for("case.show", case_id=case_id)
            assert link("case.show", case_id="a b/c") == url_for("case.show", case_id="a b/c")

    def test_an_endpoint_it_cannot_fill_in_is_left_to_url_for(self, app: Flask) -> None:
        with app.test_request_context("/"):
            # a query string is encoded otherwise than a path segment: the check sees it
            assert link("cases.index", q="a b&c") == url_for("cases.index", q="a b&c")

    def test_badges_escape_what_they_show(self) -> None:
        assert str(stage_badge("with_counsel")) == (
            '<span class="badge stage-with_counsel">with counsel</span>')
        held = hold_badge({"on_hold": True, "hold_reason": '"disputed" <b>'})
        assert 'title="&#34;disputed&#34; &lt;b&gt;"' in held
        assert hold_badge({"on_hold": False, "hold_reason": None}) == ""
