"""An export's event line, made by `event_line` for speed, is the line `ExportedEvent`
describes, byte for byte (the format of ADR 0027)."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from application.transfer.format import ExportedEvent, dumps, event_line

CASE = UUID("2d4c71ee-d4ae-54ed-8f07-510b53fa99f7")


@pytest.mark.parametrize(("topic", "state", "digest", "previous"), [
    ("domain.events:NoteAdded", b'{"text":"caf\xc3\xa9 \\"q\\""}', bytes(range(32)), bytes(32)),
    ('odd "topic" \u00e9\n', b"\x00\xff" * 40, None, b"\x01" * 32),
    ("domain.events:CaseOpened", b"", b"\xaa" * 32, b"\xbb" * 32),
])
def test_an_event_line_is_the_documented_line(topic, state, digest, previous):
    expected = dumps(ExportedEvent(41, StoredEvent(CASE, 7, topic, state), digest,
                                   previous).line()) + "\n"
    assert event_line(41, str(CASE), 7, topic, state, digest, previous) == expected
    back = ExportedEvent.of(json.loads(expected))
    assert (back.stored.state, back.hash, back.previous) == (state, digest, previous)
