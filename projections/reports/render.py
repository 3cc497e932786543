"""The one renderer every report shares: one Jinja environment for HTML, one CSV writer, one JSON form.

Pure functions of the data: the same data always renders to the same bytes, which is
what lets an issued report be regenerated and proven.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def environment() -> Environment:
    """The Jinja environment for the templates in ``projections/reports/templates`` (built once)."""
    return Environment(loader=PackageLoader("projections.reports", "templates"),
                       autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV with a header: the given columns in order (other keys ignored; None is empty)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(data: Any) -> str:
    """Indented JSON and a final newline (values JSON does not know are written as text)."""
    return json.dumps(data, indent=2, default=str) + "\n"
