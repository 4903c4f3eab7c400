"""Errors under /api/v1 are JSON {"errors": {field: [messages]}}; elsewhere they are not."""

from __future__ import annotations

import pytest

from tests.api.conftest import API


class TestJsonErrors:
    @pytest.mark.parametrize("path", ["/nothing", "/cases/x/y/z", "", "/"])
    def test_an_unknown_url_is_a_json_404(self, client, path):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404
        assert response.is_json
        assert list(response.json["errors"]) == ["url"]

    @pytest.mark.parametrize(("method", "path", "allowed"), [
        ("delete", "/cases", {"GET", "POST"}),
        ("put", "/audit", {"GET"}),
        ("post", "/dashboard", {"GET"}),
        ("get", "/cases/00000000-0000-0000-0000-000000000000/record_payment", {"POST"}),
    ])
    def test_a_wrong_method_is_a_json_405_saying_what_is_allowed(self, client, method, path,
                                                                 allowed):
        response = getattr(client, method)(f"{API}{path}")
        assert response.status_code == 405
        assert response.is_json
        assert list(response.json["errors"]) == ["method"]
        assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}

    def test_a_failure_is_a_json_500_without_details(self, app, client, monkeypatch):
        app.config["PROPAGATE_EXCEPTIONS"] = False

        def broken() -> None:
            raise RuntimeError("the read model is gone: secret detail")

        monkeypatch.setattr(app.extensions["arrears"].views, "dashboard", broken)
        response = client.get(f"{API}/dashboard")
        assert response.status_code == 500
        assert response.is_json
        assert response.json == {"errors": {"server": ["the server failed; the error is logged"]}}

    def test_an_error_outside_the_api_is_not_json(self, client):
        response = client.get("/no-such-page")
        assert response.status_code == 404
        assert not response.is_json
