# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmark prints: progress lines, medians and ratios, figures and markdown tables.

``say`` and ``warn`` print as the run goes; ``median``, ``median_round``,
``ratio``, the ``fmt_*`` formats and ``markdown_table`` take values and return
values or text, so that tests/unit/scripts/test_bench_report.py checks them.
"""

from __future__ import annotations

import statistics
import sys


def say(text):
    print(text, flush=True)


def warn(text):
    print(text, file=sys.stderr, flush=True)


def median(values):
    """The median of numbers (the mean of the two middle ones for an even count); None when empty."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def median_round(rounds, key):
    """The round whose key is the median one (the lower of the two middle ones for an even count).

    Reporting one real round keeps its figures consistent with each other
    (the req/s and the p99 of the same run), as the benchmark always did.
    """
    ordered = sorted(rounds, key=key)
    return ordered[(len(ordered) - 1) // 2] if ordered else None


def ratio(numerator, denominator):
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def fmt_ratio(value) -> str:
    return '-' if value is None else '%.2f×' % value


def fmt_range(values) -> str:
    """"1.26× to 1.53×" (or one value) for per-round ratios."""
    values = [v for v in values if v is not None]
    if not values:
        return '-'
    low, high = min(values), max(values)
    return fmt_ratio(low) if '%.2f' % low == '%.2f' % high else '%s to %s' % (fmt_ratio(low), fmt_ratio(high))


def fmt_ms(value) -> str:
    return '-' if value is None else '%.2f ms' % value


def fmt_rps(value) -> str:
    return '-' if value is None else '%.0f' % value


def markdown_table(header, rows, align=None) -> list:
    """Lines of a markdown table; align is one letter per column, "l" or "r" (default: all "l")."""
    align = align or 'l' * len(header)
    if len(align) != len(header) or any(len(row) != len(header) for row in rows):
        raise ValueError('every row and the alignment need %d columns' % len(header))

    def line(cells):
        return '| ' + ' | '.join(str(cell).replace('|', '\\|') for cell in cells) + ' |'

    rule = '| ' + ' | '.join('---:' if letter == 'r' else '---' for letter in align) + ' |'
    return [line(header), rule] + [line(row) for row in rows]
