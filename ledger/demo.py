"""A deterministic, plausible partnership for ``perfledger demo``.

About 30 indicators from the National Indicator set across the themes of a
Local Area Agreement, three financial years of returns with commentary, and a
few revisions. Figures come from SHA-256 of a fixed seed, never ``random``:
the same demo on any machine and any Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ledger.domain.indicator import ProForma
from ledger.returns_service import LedgerApp, ReturnInput
from ledger.values import Frequency, Period, PeriodKind, Polarity, Role, Status, Unit

YEARS = (2023, 2024, 2025)
CAST = (
    ("Priya Shah", "Performance Support Group", [Role.PERFORMANCE_SUPPORT]),
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
         "150", "Healthier communities", rate_base="100000", denominator=118000),
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
         "Economy and employment", denominator=78000),
    Spec("NI 154", "Net additional homes provided", C, HI, Q, "110", "35", "Economy and employment"),
    Spec("NI 155", "Number of affordable homes delivered (gross)", C, HI, Q, "35", "12",
         "Economy and employment"),
    Spec("NI 157", "Processing of major planning applications within 13 weeks", P, HI, Q, "72", "8",
         "Economy and employment", denominator=40),
    Spec("NI 181", "Time taken to process Housing Benefit new claims and change events", D, LO, M,
         "11", "2.5", "Corporate health"),
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
    """A plausible value (and parts) for one period: a gentle trend plus noise."""
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


def build(app: LedgerApp, actor: str) -> dict[str, int]:
    """Fill an empty ledger with the demo; the acting user holds every role."""
    app.initialise(actor, actor, Decimal(5), demo=True)
    for role in Role:
        if role is not Role.ADMINISTRATOR:
            app.add_person(actor, actor, [role], "Demo")
    for name, organisation, roles in CAST:
        app.add_person(actor, name, roles, organisation)
    for spec in SPECS:
        app.register_indicator(actor, spec.code, ProForma(
            title=spec.title, unit=spec.unit, polarity=spec.polarity, frequency=spec.frequency,
            definition=f"{spec.title}, as defined in the National Indicator handbook.",
            method="numerator / denominator" if spec.denominator else None,
            source="national" if spec.code.startswith("NI") else "local",
            decimals=0 if spec.unit is C else 2, tracker=spec.tracker, cumulative=spec.cumulative,
            rate_base=Decimal(spec.rate_base) if spec.rate_base else None,
            baseline=figure(spec, Period.year_of(YEARS[0] - 1))[0],
            proxy_for=PROXIES.get(spec.code),
        ))
    items = list(returns())
    app.import_returns(actor, lambda: ((n, item) for n, item in enumerate(items, start=2)))
    # A few revisions, with who and why, as real partnerships make them.
    revised = 0
    for code, period_text, reason in (
        ("NI 192", "2025/26-Q1", "late tonnage data from the waste contractor"),
        ("NI 117", "2025-06", "partner's CCIS extract corrected"),
        ("NI 154", "2024/25-Q3", "completions double-counted in the first return"),
    ):
        spec = next(s for s in SPECS if s.code == code)
        period = Period.parse(period_text)
        value, numerator, denominator = figure(spec, period)
        bump = Decimal(1) if spec.unit is C else Decimal("0.5")
        if numerator is not None and denominator is not None:
            scale = Decimal(100) if spec.unit is P else Decimal(spec.rate_base or 1)
            numerator += (bump * denominator / scale).quantize(Decimal(1))
            value = (numerator * scale / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        else:
            value += bump
        app.submit_return(actor, ReturnInput(code, period, value, numerator, denominator,
                                             Status.PROVISIONAL, COMMENTS[4], "partner return", reason))
        revised += 1
    app.finalise_return(actor, "NI 192", Period.parse("2025/26-Q1"), "validated against WasteDataFlow")
    app.revise_indicator(actor, "NI 181", {"definition": "Average days to process new Housing Benefit "
                                           "claims and change events (DWP SHBE definition)."},
                         "DWP clarified the definition for change events")
    return {"people": len(CAST) + 1, "indicators": len(SPECS), "returns": len(items),
            "revisions": revised}
