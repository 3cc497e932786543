"""Transcodings for the value types events carry (the library knows UUID, Decimal, datetime)."""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from ledger.values import Frequency, Period, Polarity, Role, Status, Unit


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class PeriodAsText(Transcoding):
    type = Period
    name = "period"

    def encode(self, obj: Period) -> str:
        return str(obj)

    def decode(self, data: str) -> Period:
        return Period.parse(data)


def _enum_transcoding(enum_cls: type[Enum], tag: str) -> Transcoding:
    class EnumAsValue(Transcoding):
        type = enum_cls
        name = tag

        def encode(self, obj: Any) -> str:
            return str(obj.value)

        def decode(self, data: str) -> Any:
            return enum_cls(data)

    return EnumAsValue()


class FastJSONTranscoder(JSONTranscoder):
    """The library's JSON transcoder, with a tighter object hook (same stored format).

    The hook runs for every JSON object of every event replayed; this version does one
    dict lookup for the common case (a plain object) instead of a try/except ladder.
    """

    def __init__(self) -> None:
        super().__init__()
        self.decoder = json.JSONDecoder(object_hook=self._fast_decode_obj)

    def _fast_decode_obj(self, d: dict[str, Any]) -> Any:
        if len(d) == 2:
            name = d.get("_type_")
            if name is not None and "_data_" in d:
                try:
                    return self.names[name].decode(d["_data_"])
                except KeyError:
                    return self._decode_obj(d)  # the library's message for an unknown type
        return d


def register_all(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(PeriodAsText())
    for enum_cls, tag in (
        (Unit, "unit"),
        (Polarity, "polarity"),
        (Frequency, "frequency"),
        (Status, "status"),
        (Role, "role"),
    ):
        transcoder.register(_enum_transcoding(enum_cls, tag))
