"""The fast path for the high-volume events after a submission: revisions (and the warnings
accepted with them), finalisations, validations, and targets (``Targets.Opened``, ``Targets.TargetSet``).

Each writes exactly the rows its general handler writes (``projectors.ledger._return_changed``,
``projectors.quality._validated`` and ``_warned``, ``projectors.targets._target_set`` and ``_opened``) and the
same ``pl_events`` row that ``projectors.registry.apply`` adds, from the stored JSON and the
page's subjects and open rows (``fastpage.Page``). As in ``fastpath``: every check comes
before the first write, and any shape not exactly known raises ``NotFast``.
"""

from __future__ import annotations

from typing import Any

from ledger.store.port import LogRow
from ledger.values import Status
from projections import schema as t
from projections.catchup.fastpage import (
    RETURNS,
    TARGETS,
    Believed,
    Key,
    NotFast,
    Page,
    data,
    decimal,
    hex_id,
    integer,
    optional_decimal,
    string,
    text,
)
from projections.projectors.ledger import period_columns

_STATUSES = frozenset(s.value for s in Status)
RETURN = {c.name: i for i, c in enumerate(t.return_versions.columns)}
REVISED_KEYS = frozenset({"timestamp", "value", "numerator", "denominator", "status", "commentary", "source",
                          "reason", "actor", "revision"})
FINALISED_KEYS = frozenset({"timestamp", "note", "actor"})
VALIDATED_KEYS = frozenset({"timestamp", "note", "actor", "revision"})
WARNED_KEYS = frozenset({"timestamp", "warnings", "commentary", "actor", "revision"})
OPENED_KEYS = frozenset({"timestamp", "originator_topic", "indicator", "actor"})
TARGET_FIELDS = ("value", "low", "high", "monitoring_level", "monitoring_low", "monitoring_high", "tolerance")
TARGET_SET_KEYS = frozenset({"timestamp", "period", *TARGET_FIELDS, "agreed_with", "consent", "previous",
                             "reason", "actor"})
TARGET_COLUMNS = ("indicator", "period", "from_position", "until_position", "period_start", "period_end",
                  *TARGET_FIELDS, "agreed_with", "consent", "previous", "reason", "actor", "recorded_at")
# These handlers write rows as lists in column order: only while the views have these columns.
SHAPES_KNOWN = tuple(c.name for c in t.targets.columns) == TARGET_COLUMNS


def _shape(state: Any, keys: frozenset[str], what: str) -> dict[str, Any]:
    if type(state) is not dict or state.keys() != keys:
        raise NotFast(what)
    return state


def _return_key(page: Page, row: LogRow, fetch: bool = True) -> Key:
    code, period = page.subject(row, fetch)
    if period is None:
        raise NotFast("not a return")
    return code, period


def _event(page: Page, row: LogRow, actor: str | None, name: str, indicator: str | None, period: str | None,
           reason: str | None, before: str | None, after: str | None, detail: str | None) -> None:
    page.w.insert_values(t.events, (row[0], row[1], actor, name, hex_id(row[2]), row[3], indicator, period,
                                    reason, before, after, detail, None))


def _figure(value: str, numerator: str | None, denominator: str | None) -> str:
    return value if numerator is None else f"{value} ({numerator}/{denominator})"


def revised(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, REVISED_KEYS, "Return.Revised")
    actor, reason, revision = string(s["actor"]), string(s["reason"]), integer(s["revision"])
    status = data(s["status"], "status")
    if status not in _STATUSES:
        raise NotFast("status")
    value, numerator, denominator = decimal(s["value"]), optional_decimal(s["numerator"]), \
        optional_decimal(s["denominator"])
    commentary, source = text(s["commentary"]), text(s["source"])
    hex_id(row[2])
    key = _return_key(page, row)
    current = page.open_row(RETURNS, key)
    old = current.values
    before = _figure(old[RETURN["value"]], old[RETURN["numerator"]], old[RETURN["denominator"]])
    new = _next_version(row, current, actor)
    for column, v in (("value", value), ("numerator", numerator), ("denominator", denominator),
                      ("status", status), ("commentary", commentary), ("source", source), ("reason", reason),
                      ("change", "revised"), ("adjustment", None), ("figure_position", row[0]),
                      ("warnings", None)):
        new[RETURN[column]] = v
    page.close(RETURNS, current, row[0])
    page.add(RETURNS, new)
    _event(page, row, actor, "Return.Revised", key[0], key[1], reason, before,
           _figure(value, numerator, denominator), f"revision {revision}")


def finalised(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, FINALISED_KEYS, "Return.Finalised")
    actor, note = string(s["actor"]), text(s["note"])
    hex_id(row[2])
    key = _return_key(page, row)
    current = page.open_row(RETURNS, key)
    before = current.values[RETURN["status"]]
    new = _next_version(row, current, actor)
    new[RETURN["status"]], new[RETURN["change"]], new[RETURN["reason"]] = "final", "finalised", note
    page.close(RETURNS, current, row[0])
    page.add(RETURNS, new)
    _event(page, row, actor, "Return.Finalised", key[0], key[1], note, before, "final", None)


def _next_version(row: LogRow, current: Any, actor: str) -> list[Any]:
    if not current.pending and len(current.values) != len(RETURN):
        raise NotFast("row")  # pragma: no cover - open return rows are always fetched whole
    new = list(current.values)
    new[RETURN["version"]], new[RETURN["actor"]], new[RETURN["recorded_at"]] = row[3], actor, row[1]
    new[RETURN["from_position"]], new[RETURN["until_position"]] = row[0], None
    return new


def validated(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, VALIDATED_KEYS, "Return.Validated")
    actor, note, revision = string(s["actor"]), text(s["note"]), integer(s["revision"])
    hex_id(row[2])
    code, period = _return_key(page, row)
    current = page.open_row(RETURNS, (code, period)).values
    page.w.insert(t.validations, {
        "position": row[0], "indicator": code, "period": period, "revision": revision,
        "figure_position": current[RETURN["figure_position"]], "note": note, "actor": actor,
        "recorded_at": row[1]})
    _event(page, row, actor, "Return.Validated", code, period, note, None, "validated",
           f"revision {revision} ({current[RETURN['value']]}) validated by {actor}")


def warned(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, WARNED_KEYS, "Return.Warned")
    actor, commentary, found = string(s["actor"]), text(s["commentary"]), s["warnings"]
    integer(s["revision"])
    if type(found) is not list or not all(type(w) is str for w in found):
        raise NotFast("warnings")
    hex_id(row[2])
    code, period = _return_key(page, row)
    warnings = "; ".join(found)
    page.set(RETURNS, page.open_row(RETURNS, (code, period)), "warnings", warnings)
    _event(page, row, actor, "Return.Warned", code, period, commentary, None, "warned", warnings)


def targets_opened(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, OPENED_KEYS, "Targets.Opened")
    indicator, actor = string(s["indicator"]), text(s["actor"])
    if row[3] != 1:
        raise NotFast("Targets.Opened")
    _event(page, row, actor, "Targets.Opened", indicator, None, None, None, None, None)
    page.subjects[row[2]] = (indicator, None)


def target_set(row: LogRow, state: Any, page: Page) -> None:
    s = _shape(state, TARGET_SET_KEYS, "Targets.TargetSet")
    label, start, end, _ = period_columns(string(data(s["period"], "period")))
    figures = {k: optional_decimal(s[k]) for k in TARGET_FIELDS}
    agreed, consent, previous = text(s["agreed_with"]), text(s["consent"]), text(s["previous"])
    reason, actor = string(s["reason"]), string(s["actor"])
    hex_id(row[2])
    code, _ = page.subject(row)
    if code is None:
        raise NotFast("subject")  # pragma: no cover
    try:
        current = page.open_row(TARGETS, (code, label))
    except NotFast:
        current = None  # the first target for this period: nothing to close
    if current is not None:
        page.close(TARGETS, current, row[0])
    page.add(TARGETS, [code, label, row[0], None, start, end, *figures.values(), agreed, consent, previous,
                       reason, actor, row[1]])
    band = f"{figures['low']}..{figures['high']}" if figures["low"] is not None else str(figures["value"])
    extras = [f"monitoring level {figures['monitoring_level']}" if figures["monitoring_level"] is not None
              else "", f"tolerance {figures['tolerance']}%" if figures["tolerance"] is not None else "",
              f"agreed with {agreed}" if agreed else "", f"consent {consent}" if consent else ""]
    _event(page, row, actor, "Targets.TargetSet", code, label, reason, previous,
           "; ".join([band, *[x for x in extras if x]]), None)


def _wants_return(page: Page, row: LogRow, state: Any) -> tuple[Believed, Key] | None:
    return RETURNS, _return_key(page, row, fetch=False)


def _wants_target(page: Page, row: LogRow, state: Any) -> tuple[Believed, Key] | None:
    code, _ = page.subject(row, fetch=False)
    return TARGETS, (code, period_columns(data(state["period"], "period"))[0])


HANDLERS = {"Return.Revised": revised, "Return.Finalised": finalised, "Return.Validated": validated,
            "Return.Warned": warned, "Targets.Opened": targets_opened, "Targets.TargetSet": target_set}
WANTS = {"Return.Revised": _wants_return, "Return.Finalised": _wants_return,
         "Return.Validated": _wants_return, "Return.Warned": _wants_return,
         "Targets.TargetSet": _wants_target}
