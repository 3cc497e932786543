"""click parameter types that refuse bad values with one line (exit 2 for usage)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import click

from ledger.values import Period, parse_decimal, parse_enum, parse_when


class DecimalType(click.ParamType[Decimal, Any]):
    name = "decimal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), what=param.name if param and param.name else "value")
        except ValueError as error:
            self.fail(str(error), param, ctx)


class PeriodType(click.ParamType[Period, Any]):
    name = "period"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return Period.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class WhenType(click.ParamType[Any, Any]):
    """ISO date (a Europe/London day) or datetime with offset."""

    name = "when"

    def __init__(self, end_of_day: bool) -> None:
        self.end_of_day = end_of_day

    FIRST, LAST = 1900, 2199  # the years a WHEN may name: the framework's periods live between

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            moment = parse_when(str(value), end_of_day=self.end_of_day)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if not self.FIRST <= moment.year <= self.LAST:
            self.fail(f"{value} is outside the years {self.FIRST}-{self.LAST}: give a date the ledger could "
                      "have recorded", param, ctx)
        return moment


class EnumType(click.ParamType[Any, Any]):
    def __init__(self, enum_cls: type[Enum]) -> None:
        self.enum_cls = enum_cls
        self.name = enum_cls.__name__.lower()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self.enum_cls):
            return value
        try:
            return parse_enum(self.enum_cls, str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "|".join(str(m.value) for m in self.enum_cls)


DECIMAL = DecimalType()
PERIOD = PeriodType()
AS_AT = WhenType(end_of_day=True)
SINCE = WhenType(end_of_day=False)
