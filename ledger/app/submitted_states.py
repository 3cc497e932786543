"""Stored ``Return.Submitted`` events for a bulk import, encoded straight from a row's values.

``mapper.to_stored_event(PeriodReturn.submitted(...))`` builds the event object, copies
its ``__dict__`` and encodes it through the transcoder's per-object hook. For a file of
returns that is a fifth of the import. ``SubmittedStates`` writes the same bytes directly,
from the registered transcodings and the JSON encoder's own string escaping. It checks itself when
constructed: a sample encoded both ways must give the identical stored event, else (a
field added to the event, another transcoding, a cipher or compressor) it stays off and
the import goes the library's way.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from json.encoder import encode_basestring as _string  # what ensure_ascii=False uses
from uuid import UUID

from eventsourcing.domain import datetime_now_with_tzinfo
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from eventsourcing.utils import get_topic

from ledger.domain.returns import PeriodReturn
from ledger.values import Period, Status


class SubmittedStates:
    def __init__(self, mapper: Mapper[UUID]) -> None:
        self.mapper = mapper
        self.topic = "perfledger/Return.Submitted"  # the stored topic (the event class is made at run time)
        self.originator_topic = get_topic(PeriodReturn)
        transcoder = mapper.transcoder
        self.enabled = False
        if mapper.cipher is None and mapper.compressor is None and isinstance(transcoder, JSONTranscoder):
            try:
                self._time, self._period, self._decimal, self._status = (
                    transcoder.types[datetime], transcoder.types[Period], transcoder.types[Decimal],
                    transcoder.types[Status])
            except KeyError:
                return
            self._tags = {name: f'"_type_":{_string(t.name)},"_data_":' for name, t in (
                ("time", self._time), ("period", self._period), ("decimal", self._decimal),
                ("status", self._status))}
            try:
                self.enabled = self._agrees()
            except (TypeError, ValueError):  # a transcoding that does not encode to text
                self.enabled = False

    def stored(self, indicator: str, period: Period, value: Decimal, numerator: Decimal | None,
               denominator: Decimal | None, status: Status, commentary: str | None, source: str | None,
               actor: str, timestamp: datetime | None = None) -> StoredEvent:
        """The stored event ``PeriodReturn.submitted(...)`` would give (for a return not yet there).

        The JSON is written out as ``json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)``
        writes it: keys in the event's attribute order, strings through the same escaping.
        """
        q, tag = _string, self._tags
        moment = self._time.encode(timestamp or datetime_now_with_tzinfo())
        text = (
            f'{{"timestamp":{{{tag["time"]}{q(moment)}}},"originator_topic":{q(self.originator_topic)},'
            f'"indicator":{q(indicator)},"period":{{{tag["period"]}{q(self._period.encode(period))}}},'
            f'"value":{self._number(value)},"numerator":{self._number(numerator)},'
            f'"denominator":{self._number(denominator)},'
            f'"status":{{{tag["status"]}{q(self._status.encode(status))}}},'
            f'"commentary":{_optional(commentary)},"source":{_optional(source)},"actor":{q(actor)}}}'
        )
        return StoredEvent(originator_id=PeriodReturn.create_id(indicator, period), originator_version=1,
                           topic=self.topic, state=text.encode("utf8"))

    def _number(self, value: Decimal | None) -> str:
        if value is None:
            return "null"
        return f'{{{self._tags["decimal"]}{_string(self._decimal.encode(value))}}}'

    def _agrees(self) -> bool:
        samples = [("NI 192", Period.parse("2008/09-Q1"), Decimal("54.30"), Decimal(5430), Decimal(10000),
                    Status.FINAL, "On track;\n\"quoted\", ünïcode\t\u2028", "partner return", "bob"),
                   ("NI 154", Period.parse("2008-04"), Decimal("1E+3"), None, None, Status.PROVISIONAL,
                    None, None, "alice")]
        for values in samples:
            event = PeriodReturn.submitted(*values)
            expected = self.mapper.to_stored_event(event)
            if self.stored(*values, timestamp=event.timestamp) != expected:
                return False
        return True


def _optional(text: str | None) -> str:
    return "null" if text is None else _string(text)
