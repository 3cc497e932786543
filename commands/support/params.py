"""click parameter types that refuse bad values with one line.

The rule (docs/cli-reference.md, exit codes): a word that is not of the option's kind (not a
number, a period, a date, one of the listed words) is a usage error, exit 2, as click has it; a
well-formed value outside what the option allows (``--decimals 12``, a date outside 1900-2199) is
a bad value, refused like the ledger's own refusals of values (``--tolerance 150``): exit 1."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import click

from commands.support.output import Failed
from ledger.values import Period, parse_decimal, parse_enum, parse_when


def out_of_range(message: str, param: click.Parameter | None) -> Failed:
    """A well-formed value its option does not allow: one line, exit 1 (a bad value, not a usage error)."""
    name = (param.opts[0] if param.opts and param.param_type_name == "option" else
            param.human_readable_name) if param is not None else "the value"
    return Failed(f"{name} {message}")


class Bounded(click.IntRange):
    """A whole number between MIN and MAX: not a whole number is a usage error (exit 2); out of
    range, a bad value (exit 1)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.INT.convert(value, param, ctx)
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            why = (f"is outside {self.min}-{self.max}" if self.min is not None and self.max is not None else
                   f"is less than {self.min}" if self.min is not None else f"is more than {self.max}")
            raise out_of_range(f"{number} {why}", param)
        return number


class DecimalType(click.ParamType[Decimal, Any]):
    name = "decimal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), what=param.name if param and param.name else "value")
        except ValueError as error:
            if str(value).strip().lstrip("+-").replace(".", "", 1).isdigit():  # well formed, too large
                raise Failed(str(error)) from None
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
            raise out_of_range(f"{value} is outside the years {self.FIRST}-{self.LAST}: give a date the "
                               "ledger could have recorded", param)
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
