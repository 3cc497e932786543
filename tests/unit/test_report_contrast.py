"""The performance report's ratings are readable: each badge's text meets WCAG 2.2 AA contrast
(4.5:1) against its background, as the template's stylesheet sets them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parents[2] / "projections" / "reports" / "templates" / "performance.html"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("rating", ["red", "amber", "green", "missing", "none"])
def test_every_rating_badge_meets_aa_contrast(rating: str) -> None:
    css = TEMPLATE.read_text(encoding="utf-8")
    found = re.search(rf"\.rag-{rating} \{{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{6}}); \}}", css)
    assert found, f"no colours for .rag-{rating}"
    assert contrast(found.group(1), found.group(2)) >= 4.5


def test_the_contrast_formula_knows_black_on_white() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
