"""Money arithmetic: the one rounding rule of the project (half-up to kopecks)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")


def to_kopecks(value: Decimal) -> Decimal:
    """Round an amount in roubles half-up to whole kopecks, as accountants and courts do."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)
