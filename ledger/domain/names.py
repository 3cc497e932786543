"""People's names that cannot be mistaken for one another.

A name is normalised (Unicode NFKC, trimmed, inner runs of spaces made one) and refused
if it holds a control or invisible character (a zero-width space prints as nothing, so
``bob`` followed by one would be a second person who prints as bob). A new name that
reads like a name already on the roster - the same letters in another case, or a
confusable per Unicode TR 39 (Cyrillic ``о`` for Latin ``o``, ``rn`` for ``m``, ``1`` for
``l``) - is refused with the existing name. The confusables table is the ``confusables``
package's (built from Unicode's confusables.txt), not a hand-kept list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ledger.errors import Invalid

# Cc control, Cf format (zero-width and bidi marks), Co private use, Cs surrogates,
# Cn unassigned, Zl/Zp line and paragraph separators.
HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def person_name(text: str, what: str = "a person's name") -> str:
    """TEXT as a name: NFKC, trimmed, single spaces; Invalid if it hides a character."""
    normal = unicodedata.normalize("NFKC", text)
    for char in normal:
        if unicodedata.category(char) in HIDDEN:
            label = unicodedata.name(char, "CONTROL" if unicodedata.category(char) == "Cc" else "UNNAMED")
            raise Invalid(f"{what} {normal.strip()!r} holds an invisible or control character "
                          f"(U+{ord(char):04X} {label}): type the name without it")
    name = " ".join(normal.split())
    if not name:
        raise Invalid(f"{what} is empty: give a name")
    return name


def mistaken_for(name: str, existing: Iterable[str]) -> str | None:
    """The existing name NAME could be mistaken for (another case, or a TR 39 confusable), or None."""
    import confusables  # its table takes ~40 ms to load: only when a name is checked, not by every command

    folded = name.casefold()
    for other in existing:
        if other == name:
            continue
        if other.casefold() == folded or confusables.is_confusable(name, other):
            return other
    return None
