# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/report.py: medians, ratios, formats and markdown tables."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import report


@pytest.mark.parametrize('values, expected', [
    ([3, 1, 2], 2),
    ([4, 1, 3, 2], 2.5),
    ([7.5], 7.5),
    ([None, 2, 4], 3),
    ([], None),
])
def test_median(values, expected):
    assert report.median(values) == expected


def test_median_round_is_a_real_round_the_lower_middle_one_for_an_even_count():
    rounds = [{'rps': 10, 'p99': 1}, {'rps': 30, 'p99': 3}, {'rps': 20, 'p99': 2}]
    assert report.median_round(rounds, lambda r: r['rps']) == {'rps': 20, 'p99': 2}
    rounds.append({'rps': 25, 'p99': 9})
    assert report.median_round(rounds, lambda r: r['rps']) == {'rps': 20, 'p99': 2}
    assert report.median_round([], lambda r: r['rps']) is None


@pytest.mark.parametrize('numerator, denominator, expected', [
    (7674, 5790, 1.3254),
    (1, 0, None),
    (None, 3, None),
    (3, None, None),
])
def test_ratio(numerator, denominator, expected):
    if expected is None:
        assert report.ratio(numerator, denominator) is None
    else:
        assert report.ratio(numerator, denominator) == pytest.approx(expected, abs=1e-4)


def test_formats():
    assert report.fmt_ratio(1.3254) == '1.33×'
    assert report.fmt_ratio(None) == '-'
    assert report.fmt_range([1.53, 1.26, None, 1.4]) == '1.26× to 1.53×'
    assert report.fmt_range([1.261, 1.259]) == '1.26×'
    assert report.fmt_range([]) == '-'
    assert report.fmt_ms(4.0712) == '4.07 ms'
    assert report.fmt_ms(None) == '-'
    assert report.fmt_rps(7673.6) == '7674'


def test_markdown_table():
    lines = report.markdown_table(['stack', 'requests/s', 'p99'], [['(1) a|b', 7674, '8.36 ms'], ['(2)', 5790, '-']],
                                  'lrr')
    assert lines == [
        '| stack | requests/s | p99 |',
        '| --- | ---: | ---: |',
        '| (1) a\\|b | 7674 | 8.36 ms |',
        '| (2) | 5790 | - |',
    ]


def test_markdown_table_default_alignment_and_no_rows():
    assert report.markdown_table(['a', 'b'], []) == ['| a | b |', '| --- | --- |']


@pytest.mark.parametrize('rows, align', [([['only one']], 'll'), ([['a', 'b']], 'l')])
def test_markdown_table_rejects_ragged_rows(rows, align):
    with pytest.raises(ValueError):
        report.markdown_table(['a', 'b'], rows, align)
