"""Looking at a page as a person would: headless Chromium (Debian's `chromium`) renders it to a PNG
or a PDF; the tests measure what came out (ink on the page, pages printed)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions"]


def screenshot(page: Path, png: Path, *, width: int = 1000, height: int = 1400) -> Path:
    subprocess.run([*CHROMIUM, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return png


def pdf_pages(page: Path, pdf: Path) -> int:
    """The number of A4 pages Chromium prints PAGE on."""
    subprocess.run([*CHROMIUM, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def ink(png: Path) -> float:
    """The share of the picture's pixels that are not (nearly) white."""
    with Image.open(png) as picture:
        grey = picture.convert("L")
        histogram = grey.histogram()
    total = sum(histogram)
    return sum(histogram[:245]) / total if total else 0.0
