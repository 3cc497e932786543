"""Stored ``Return.Submitted`` events for a bulk import, encoded straight from a row's values.

``mapper.to_stored_event(PeriodReturn.submitted(...))`` builds the event object, copies
its ``__dict__`` and encodes it through the transcoder's per-object hook. For a file of
returns that is a fifth of the import. ``SubmittedStates`` writes the same bytes with the
plain C JSON encoder from values already in their transcoded form. It checks itself when
constructed: a sample encoded both ways must give the identical stored event, else (a
field added to the event, another transcoding, a cipher or compressor) it stays off and
the import goes the library's way.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import datetime_now_with_tzinfo
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent, Transcoding
from eventsourcing.utils import get_topic

from ledger.domain.returns import PeriodReturn
from ledger.values import Period, Status


class SubmittedStates:
    def __init__(self, mapper: Mapper[UUID]) -> None:
        self.mapper = mapper
        self.topic = get_topic(PeriodReturn.Submitted)  # type: ignore[attr-defined]
        self.originator_topic = get_topic(PeriodReturn)
        self._encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        transcoder = mapper.transcoder
        self.enabled = False
        if mapper.cipher is None and mapper.compressor is None and isinstance(transcoder, JSONTranscoder):
            try:
                self._time, self._period, self._decimal, self._status = (
                    transcoder.types[datetime], transcoder.types[Period], transcoder.types[Decimal],
                    transcoder.types[Status])
            except KeyError:
                return
            self.enabled = self._agrees()

    def stored(self, indicator: str, period: Period, value: Decimal, numerator: Decimal | None,
               denominator: Decimal | None, status: Status, commentary: str | None, source: str | None,
               actor: str, timestamp: datetime | None = None) -> StoredEvent:
        """The stored event ``PeriodReturn.submitted(...)`` would give (for a return not yet there)."""
        state = {
            "timestamp": _tagged(self._time, timestamp or datetime_now_with_tzinfo()),
            "originator_topic": self.originator_topic,
            "indicator": indicator,
            "period": _tagged(self._period, period),
            "value": _tagged(self._decimal, value),
            "numerator": None if numerator is None else _tagged(self._decimal, numerator),
            "denominator": None if denominator is None else _tagged(self._decimal, denominator),
            "status": _tagged(self._status, status),
            "commentary": commentary,
            "source": source,
            "actor": actor,
        }
        return StoredEvent(originator_id=PeriodReturn.create_id(indicator, period), originator_version=1,
                           topic=self.topic, state=self._encode(state).encode("utf8"))

    def _agrees(self) -> bool:
        samples = [("NI 192", Period.parse("2008/09-Q1"), Decimal("54.30"), Decimal(5430), Decimal(10000),
                    Status.FINAL, "On track; \"quoted\", ünïcode", "partner return", "bob"),
                   ("NI 154", Period.parse("2008-04"), Decimal("1E+3"), None, None, Status.PROVISIONAL,
                    None, None, "alice")]
        for values in samples:
            event = PeriodReturn.submitted(*values)
            expected = self.mapper.to_stored_event(event)
            if self.stored(*values, timestamp=event.timestamp) != expected:
                return False
        return True


def _tagged(transcoding: Transcoding, value: Any) -> dict[str, Any]:
    return {"_type_": transcoding.name, "_data_": transcoding.encode(value)}
