"""A command on a case whose chain breaks: refused with the chain's message, never 409 or 500."""

from __future__ import annotations

from uuid import UUID

from tests.api.conftest import API, invoice
from tests.tampering import RawStore


def test_a_command_on_a_tampered_case_is_refused_naming_the_break(client, app, tmp_path):
    case_id = client.post(f"{API}/cases", json=invoice()).json["case_id"]
    paid = client.post(f"{API}/cases/{case_id}/record_payment",
                       json={"amount": "100", "method": "bank_transfer"})
    assert paid.status_code == 201
    raw = RawStore(f"sqlite:///{tmp_path / 'events.db'}")
    raw.drop_protection()
    state = raw.state(UUID(case_id), 2)
    state["amount"]["_data_"]["amount"] = "999.00"
    raw.set_state(UUID(case_id), 2, state)
    app.extensions["arrears"].service.repository.cache.get(UUID(case_id), evict=True)

    response = client.post(f"{API}/cases/{case_id}/add_note", json={"text": "more"})

    assert response.status_code == 422
    assert response.json == {"errors": {"case": [
        f"case {case_id}: the chain breaks at version 2 (the event does not match its stored "
        "hash)"]}}
