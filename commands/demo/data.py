"""The demo's data: a deterministic, plausible partnership for ``perfledger demo``.

About 30 indicators from the National Indicator set across the themes of a
Local Area Agreement, three financial years of returns with commentary, a few
revisions, targets (some agreed in the LAA, some with Halton-style monitoring
levels), a change to the ledger's amber band, assessed outlooks, milestones and
a closed year. Figures come from SHA-256 of a fixed seed, never ``random``:
the same demo on any machine and any Python. ``commands.demo.timeline`` records them on
a timeline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ledger.app.returns import ReturnInput
from ledger.values import Frequency, Period, PeriodKind, Polarity, Role, Status, Target, Unit

YEARS = (2023, 2024, 2025)
CAST = (
    ("Priya Shah", "Performance Support Group", [Role.PERFORMANCE_SUPPORT]),
    ("Mark Evans", "Performance Support Group", [Role.PERFORMANCE_SUPPORT]),
    ("Tom Okafor", "Halton Borough Council", [Role.IMPROVEMENT_MANAGER]),
    ("Grace Lee", "Primary Care Trust", [Role.IMPROVEMENT_MANAGER]),
    ("Helen Marsh", "Halton Borough Council", [Role.DATA_QUALITY_OFFICER]),
    ("Raj Patel", "Internal Audit", [Role.AUDITOR]),
    ("Cllr Ann Jones", "Scrutiny Committee", [Role.VIEWER]),
)


@dataclass(frozen=True)
class Spec:
    code: str
    title: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    level: str  # typical value
    spread: str  # how far it wanders
    theme: str
    rate_base: str | None = None
    cumulative: bool = False
    tracker: bool = False
    denominator: int | None = None
    tolerance: str | None = None  # the indicator's own amber band, when not the ledger's


P, C, R, RA, D, N = Unit.PERCENT, Unit.COUNT, Unit.RATE, Unit.RATIO, Unit.DAYS, Unit.NUMBER
HI, LO, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE
M, Q, H, A = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY, Frequency.ANNUAL

SPECS = (
    Spec("NI 192", "Household waste sent for reuse, recycling and composting", P, HI, Q, "41.5", "4",
         "Environment", cumulative=True, denominator=72000),
    Spec("NI 191", "Residual household waste per household (kg)", N, LO, Q, "160", "12", "Environment"),
    Spec("NI 195", "Improved street and environmental cleanliness (litter)", P, LO, H, "8", "2",
         "Environment"),
    Spec("NI 186", "Per capita CO2 emissions in the LA area (tonnes)", N, LO, A, "6.9", "0.3",
         "Environment", tracker=True),
    Spec("NI 185", "CO2 reduction from local authority operations", P, HI, A, "4.5", "1.5", "Environment"),
    Spec("NI 16", "Serious acquisitive crime rate", R, LO, M, "1.6", "0.3", "Safer communities",
         rate_base="1000", denominator=118000),
    Spec("NI 20", "Assault with injury crime rate", R, LO, M, "0.7", "0.15", "Safer communities",
         rate_base="1000", denominator=118000),
    Spec("NI 32", "Repeat incidents of domestic violence", P, LO, Q, "27", "4", "Safer communities",
         denominator=400),
    Spec("NI 47", "People killed or seriously injured in road traffic accidents", C, LO, Q, "14", "4",
         "Safer communities"),
    Spec("NI 111", "First time entrants to the Youth Justice System aged 10-17", R, LO, Q, "420", "60",
         "Children and young people", rate_base="100000", denominator=12800),
    Spec("NI 117", "16 to 18 year olds not in education, employment or training", P, LO, M, "8.4", "1.2",
         "Children and young people", denominator=4600),
    Spec("NI 112", "Under 18 conception rate (per 1,000 girls aged 15-17)", R, LO, Q, "42", "6",
         "Children and young people", rate_base="1000", denominator=2300),
    Spec("NI 62", "Stability of placements of looked after children: number of moves", P, LO, Q, "11",
         "3", "Children and young people", denominator=210),
    Spec("NI 55", "Obesity among primary school age children in Reception Year", P, LO, A, "10.2", "1",
         "Healthier communities"),
    Spec("NI 53", "Prevalence of breastfeeding at 6-8 weeks from birth", P, HI, Q, "24", "3",
         "Healthier communities", denominator=520),
    Spec("NI 39", "Rate of hospital admissions per 100,000 for alcohol related harm", R, LO, Q, "2100",
         "150", "Healthier communities", rate_base="100000", denominator=118000, tolerance="3"),
    Spec("NI 40", "Number of drug users recorded as being in effective treatment", C, HI, M, "610", "40",
         "Healthier communities"),
    Spec("NI 123", "Stopping smoking: 4 week quitters per 100,000 population", R, HI, Q, "260", "40",
         "Healthier communities", rate_base="100000", denominator=95000, cumulative=True),
    Spec("NI 130", "Social care clients receiving self directed support", P, HI, Q, "18", "4",
         "Adults and older people", denominator=3100),
    Spec("NI 135", "Carers receiving needs assessment or review and a specific service", P, HI, Q, "21",
         "3", "Adults and older people", denominator=2800),
    Spec("NI 141", "Vulnerable people achieving independent living", P, HI, Q, "68", "5",
         "Adults and older people", denominator=350),
    Spec("NI 152", "Working age people on out of work benefits", P, LO, Q, "17.5", "1",
         "Economy and employment", denominator=78000, tolerance="2"),
    Spec("NI 154", "Net additional homes provided", C, HI, Q, "110", "35", "Economy and employment"),
    Spec("NI 155", "Number of affordable homes delivered (gross)", C, HI, Q, "35", "12",
         "Economy and employment"),
    Spec("NI 157", "Processing of major planning applications within 13 weeks", P, HI, Q, "72", "8",
         "Economy and employment", denominator=40),
    Spec("NI 181", "Time taken to process Housing Benefit new claims and change events", D, LO, M,
         "11", "2.5", "Corporate health", tolerance="15"),
    Spec("LPI 01", "Council tax collected in year", P, HI, M, "96.8", "0.8", "Corporate health",
         cumulative=True, denominator=52000),
    Spec("LPI 02", "Budget variance at year end (percentage points)", N, Polarity.RANGE, Q, "0", "1.5",
         "Corporate health"),
    Spec("NI 5", "Overall satisfaction with the local area (Place Survey)", P, HI, A, "74", "3",
         "Stronger communities"),
    Spec("NI 4", "People who feel they can influence decisions in their locality", P, HI, A, "27", "3",
         "Stronger communities"),
    Spec("LPI 05", "Residents reporting anti-social behaviour is a problem (quarterly panel)", P, LO, Q,
         "19", "3", "Stronger communities", denominator=900),
)
PROXIES = {"LPI 05": "NI 5"}
COMMENTS = (
    "On track; the partnership's action plan is being delivered.",
    "Below profile: a recovery plan was agreed at the thematic partnership.",
    "Seasonal dip expected; monitoring monthly.",
    "Improvement follows the new contract that started this year.",
    "Data from the partner's system; validated against the national return.",
)


def unit_noise(*key: object) -> Decimal:
    """A stable number in [-1, 1) from SHA-256 of the key."""
    digest = hashlib.sha256("|".join(str(k) for k in key).encode()).digest()
    return Decimal(int.from_bytes(digest[:6], "big")) / Decimal(2**47) - 1


def figure(spec: Spec, period: Period) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """A plausible value (and parts) for one period: a gentle trend plus noise; an in-year
    indicator's year follows from its periods, as the year-end validation requires."""
    if period.kind is PeriodKind.YEAR and spec.frequency is not A:
        return _year_figure(spec, [figure(spec, p) for p in own_periods(spec, period.year)[:-1]])
    trend = Decimal(period.year - YEARS[0]) * Decimal(spec.spread) / 4
    direction = -1 if spec.polarity is LO else 1
    raw = Decimal(spec.level) + direction * trend + unit_noise(spec.code, period) * Decimal(spec.spread)
    if spec.unit is C:
        raw = max(raw, Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return raw, None, None
    raw = max(raw, Decimal(0)) if spec.polarity is not Polarity.RANGE else raw
    if spec.denominator is None or spec.unit not in (P, R, RA):
        return raw.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), None, None
    denominator = Decimal(spec.denominator)
    scale = Decimal(100) if spec.unit is P else Decimal(spec.rate_base or 1)
    numerator = (raw * denominator / scale).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    value = (numerator * scale / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value, numerator, denominator


def _year_figure(spec: Spec, parts: list[tuple[Decimal, Decimal | None, Decimal | None]],
                 ) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """Year to date: the last period's; a flow count: the sum; a level: the mean."""
    if spec.cumulative:
        return parts[-1]
    values = [v for v, _, _ in parts]
    if spec.unit is C:
        total = sum(values, Decimal(0))
        if spec.frequency is M:  # a monthly count is a caseload: the year is the average month
            total = (total / len(values)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return total, None, None
    numerators = [n for _, n, _ in parts if n is not None]
    denominator = parts[0][2]
    if denominator is None or len(numerators) != len(parts):
        mean = sum(values, Decimal(0)) / len(values)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), None, None
    numerator = (sum(numerators, Decimal(0)) / len(numerators)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    scale = Decimal(100) if spec.unit is P else Decimal(spec.rate_base or 1)
    value = (numerator * scale / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value, numerator, denominator


def own_periods(spec: Spec, year: int) -> list[Period]:
    fy = Period.year_of(year)
    if spec.frequency is A:
        return [fy]
    kind = {M: PeriodKind.MONTH, Q: PeriodKind.QUARTER, H: PeriodKind.HALF}[spec.frequency]
    return [*fy.children(kind), fy]


def returns() -> Iterator[ReturnInput]:
    last_year = YEARS[-1]
    for spec in SPECS:
        for year in YEARS:
            for period in own_periods(spec, year):
                value, numerator, denominator = figure(spec, period)
                comment = COMMENTS[int((unit_noise("c", spec.code, period) + 1) * 50) % len(COMMENTS)]
                status = Status.PROVISIONAL if year == last_year else Status.FINAL
                yield ReturnInput(spec.code, period, value, numerator, denominator, status,
                                  comment, "partner return" if numerator is not None else "local system")


# How far each target asks beyond the trend, in spreads (positive is better than the
# trend): a few stretching targets, a few comfortable ones, the rest in between.
AMBITION = {"NI 192": "0.5", "NI 16": "-0.6", "NI 20": "0.7", "NI 117": "0.1", "NI 111": "-0.5",
            "NI 39": "0.4", "NI 152": "0.3", "NI 181": "0.2", "NI 5": "0.6", "NI 4": "-0.4"}
MONITORED = ("NI 32", "NI 53", "NI 62", "NI 130", "NI 135", "NI 157", "LPI 02")
AGREED = ("NI 5", "NI 16", "NI 20", "NI 39", "NI 40", "NI 112", "NI 117", "NI 152", "NI 154",
          "NI 155", "NI 192")
LAA = "LAA 2023-26"
OUTLOOKS = (
    ("NI 192", "likely", "Food waste collections roll out borough-wide from October."),
    ("NI 40", "likely", "New treatment contract is performing above profile."),
    ("NI 154", "difficult", "Completions slowed by the housing market; two sites delayed."),
    ("NI 112", "unlikely", "Rate rising for two years; the new teenage pregnancy strategy starts late."),
    ("NI 5", "likely", "Early Place Survey returns are ahead of target, though one milestone is at risk."),
)
MILESTONES = (
    ("Place Survey fieldwork commissioned", date(2025, 9, 30), "done", "Contract let to the survey team."),
    ("Neighbourhood action plans published", date(2026, 2, 27), "at-risk",
     "Two of the seven area forums have not yet signed off their plans."),
)


def _places(value: Decimal, spec: Spec) -> Decimal:
    step = Decimal(1) if spec.unit is C or abs(value) >= 100 else Decimal("0.1")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def target_for(spec: Spec, period: Period) -> Target:
    """A plausible target: the trend of the figures, nudged by the indicator's ambition."""
    agreed = LAA if spec.code in AGREED else None
    if spec.polarity is Polarity.RANGE:
        monitoring = spec.code in MONITORED
        return Target(low=Decimal(-1), high=Decimal(1), agreed_with=agreed,
                      monitoring_low=Decimal(-2) if monitoring else None,
                      monitoring_high=Decimal(2) if monitoring else None)
    direction = -1 if spec.polarity is LO else 1
    spread = Decimal(spec.spread)
    trend = Decimal(period.year - YEARS[0]) * spread / 4
    ambition = Decimal(AMBITION.get(spec.code, "0.2"))
    value = _places(Decimal(spec.level) + direction * (trend + ambition * spread), spec)
    if spec.unit is C:
        value = max(value, Decimal(0))
    level = None
    if spec.code in MONITORED:
        level = _places(value - direction * spread * Decimal("0.6"), spec)
    return Target(value=value, monitoring_level=level, agreed_with=agreed)


def targets(years: tuple[int, ...] = YEARS) -> Iterator[tuple[str, Period, Target, str]]:
    """Every non-tracker indicator's targets for each year: levels take a year target,
    which the quarters inherit; counts take one for each of their own periods, and one for
    the year's outturn, made from them as the year's figure is (a sum, or a caseload's mean)."""
    for spec in SPECS:
        if spec.tracker:
            continue
        for year in years:
            fy = Period.year_of(year)
            periods = own_periods(spec, year)[:-1] if spec.unit is C else [fy]
            reason = f"{LAA} target for {fy}" if spec.code in AGREED else f"service plan target for {fy}"
            for period in periods:
                yield spec.code, period, target_for(spec, period), reason
            if spec.unit is C and len(periods) > 1 and spec.polarity is not Polarity.RANGE:
                parts: list[tuple[Decimal, Decimal | None, Decimal | None]] = [
                    (target_for(spec, p).value or Decimal(0), None, None) for p in periods]
                total = _year_figure(spec, parts)[0]  # the year's target follows as its figure does
                yield spec.code, fy, Target(value=total, agreed_with=target_for(spec, fy).agreed_with), reason
