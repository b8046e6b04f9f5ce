# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/throughput.py: rounds, ratios, targets and the tables of the summary."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import throughput, wrk

STACKS = [
    throughput.Stack('collection', '(1)', 'collection', 'http://127.0.0.1:8080/', ('a.socket', 'a.service')),
    throughput.Stack('seed', '(2)', 'seed', 'http://127.0.0.1:8081/', ('seed.service',)),
    throughput.Stack('alone', '(3)', 'alone', 'http://127.0.0.1:5002/', ('alone.service',)),
    throughput.Stack('reference', '(4)', 'hand-tuned', 'http://127.0.0.1:8084/', ('ref.service', 'ref-nginx.service')),
]


def rnd(number, rps, p99, errors=0):
    return throughput.Round(number, wrk.WrkResult(rps, p99 / 2, p99 * 0.8, p99, int(rps * 8), errors, 0), '1.00')


RESULTS = {
    'collection': [rnd(1, 7000, 9.0), rnd(2, 7600, 8.0), rnd(3, 7800, 30.0)],
    'seed': [rnd(1, 5000, 16.0), rnd(2, 6000, 14.0), rnd(3, 5500, 15.0, errors=2)],
    'alone': [rnd(1, 6400, 9.0), rnd(2, 6500, 8.5), rnd(3, 6300, 9.5)],
    'reference': [rnd(1, 8000, 7.0), rnd(2, 8400, 6.0), rnd(3, 8200, 6.5)],
}


def test_rotated_starts_each_round_one_stack_later():
    assert throughput.rotated([1, 2, 3], 0) == [1, 2, 3]
    assert throughput.rotated([1, 2, 3], 1) == [2, 3, 1]
    assert throughput.rotated([1, 2, 3], 4) == [2, 3, 1]
    assert not throughput.rotated([], 2)


def test_round_order_keeps_collection_and_reference_side_by_side_in_turn():
    keys = ['collection', 'seed', 'alone', 'reference', 'fullpath']
    orders = [throughput.round_order(keys, number) for number in range(1, 6)]
    assert orders[0] == ['collection', 'reference', 'seed', 'alone', 'fullpath']
    assert orders[1] == ['seed', 'alone', 'reference', 'collection', 'fullpath']
    assert orders[2] == ['alone', 'collection', 'reference', 'fullpath', 'seed']
    for number, order in enumerate(orders, 1):
        assert sorted(order) == sorted(keys)
        at = order.index('collection')
        assert order[at + 1 if number % 2 else at - 1] == 'reference'
    assert [order[0] for order in orders] == ['collection', 'seed', 'alone', 'reference', 'fullpath']


def test_round_order_puts_the_control_beside_the_reference():
    keys = ['collection', 'seed', 'alone', 'reference', 'control', 'fullpath']
    assert throughput.round_order(keys, 1) == ['collection', 'reference', 'control', 'seed', 'alone', 'fullpath']
    assert throughput.round_order(keys, 2) == ['seed', 'alone', 'control', 'reference', 'collection', 'fullpath']
    assert throughput.round_order(keys, 4) == ['control', 'reference', 'collection', 'fullpath', 'seed', 'alone']
    assert throughput.round_order(['reference', 'control', 'seed'], 1) == ['reference', 'control', 'seed']
    assert throughput.round_order(['reference', 'control', 'seed'], 2) == ['control', 'reference', 'seed']


def test_round_order_without_the_pair_is_the_rotation():
    assert throughput.round_order(['via', 'alone'], 2) == ['alone', 'via']
    assert throughput.round_order(['collection', 'seed'], 3) == ['collection', 'seed']
    assert throughput.round_order(['reference', 'collection'], 1) == ['collection', 'reference']
    assert throughput.round_order(['reference', 'collection'], 2) == ['reference', 'collection']


def test_median_round_and_worst_p99():
    assert throughput.median_of(RESULTS['collection']).number == 2
    assert throughput.worst_p99(RESULTS['collection']) == 30.0
    assert throughput.worst_p99([]) is None


def test_compare_pairs_rounds_by_number():
    cmp = throughput.compare(RESULTS['collection'], RESULTS['seed'])
    assert cmp['rps'] == pytest.approx(7600 / 5500)
    assert cmp['per_round'] == pytest.approx([7000 / 5000, 7600 / 6000, 7800 / 5500])
    assert cmp['p99'] == (8.0, 15.0)
    assert cmp['worst_p99'] == (30.0, 16.0)
    assert not throughput.compare(RESULTS['collection'], [])


def test_targets_met_and_missed():
    met, cells = throughput.targets(RESULTS['collection'], RESULTS['seed'], RESULTS['alone'])
    assert met is True
    assert cells == ['1.38×', 'yes', '8.00 ms / 15.00 ms', 'yes', '1.19×', 'yes']
    met, cells = throughput.targets(RESULTS['collection'], RESULTS['reference'], RESULTS['alone'])
    assert met is False
    assert cells[:4] == ['0.93×', '**no**', '8.00 ms / 6.50 ms', '**no**']


def test_targets_without_the_seed():
    met, cells = throughput.targets(RESULTS['collection'], [], RESULTS['alone'])
    assert met is True and cells[:4] == ['-'] * 4


def test_medians_table_has_the_worst_round_p99_and_all_errors():
    lines = throughput.medians_table(STACKS, RESULTS)
    assert lines[0] == '| stack | requests/s | p50 | p90 | p99 | worst round p99 | errors (all rounds) |'
    assert lines[2] == '| (1) collection | 7600 | 4.00 ms | 6.40 ms | 8.00 ms | 30.00 ms | 0 |'
    assert lines[3] == '| (2) seed | 5500 | 7.50 ms | 12.00 ms | 15.00 ms | 16.00 ms | 2 |'
    assert len(lines) == 2 + 4


def test_rounds_table_has_every_round_of_every_stack():
    lines = throughput.rounds_table(STACKS, RESULTS)
    assert len(lines) == 2 + 12
    assert lines[2] == '| (1) | 1 | 7000 | 4.50 ms | 7.20 ms | 9.00 ms | 0 | 1.00 |'
    assert lines[-1].startswith('| (4) | 3 | 8200 |')


def test_comparisons_table_and_findings():
    lines = throughput.comparisons_table(STACKS, RESULTS)
    assert len(lines) == 2 + 3  # no full-path stack measured
    assert lines[2].startswith('| (1) ÷ (2) | 1.38× | 1.27× to 1.42× | 8.00 ms / 15.00 ms | 30.00 ms / 16.00 ms |')
    assert lines[4].startswith('| (1) ÷ (4) | 0.93× | 0.88× to 0.95× | 8.00 ms / 6.50 ms | 30.00 ms / 7.00 ms |')
    sentences = throughput.findings(STACKS, RESULTS)
    assert sentences[2].startswith('(1) serves 0.93× the requests/s of (4) (per round 0.88× to 0.95×), p99 8.00 ms vs '
                                   '6.50 ms')


def test_spike_is_the_worst_round_p99_over_the_median_round():
    assert throughput.spike(RESULTS['collection']) == pytest.approx(30.0 / 8.0)
    assert throughput.spike(RESULTS['reference']) == pytest.approx(7.0 / 6.5)
    assert throughput.spike([]) is None


def test_goals_show_a_regression_against_the_reference_as_a_ratio():
    rows = throughput.goals(STACKS, RESULTS)
    by_goal = dict((goal, (value, met)) for goal, value, met in rows)
    assert by_goal['(1) ÷ (4) req/s >= 0.95× in every round'] == ('0.88× to 0.95× (median 0.93×)', False)
    value, met = by_goal['(1) p99 <= (4) p99 in every round']
    assert value.startswith('1.29× to 4.62×') and met is False
    assert by_goal["(1) no stall: worst round p99 <= 2× the median round's"] == ('3.75×', False)
    assert by_goal["(4) no stall: worst round p99 <= 2× the median round's"] == ('1.08×', True)
    lines = throughput.goals_table(STACKS, RESULTS)
    assert lines[0] == '| goal | measured | met |'
    assert len(lines) == 2 + 2 + 4  # no full-path stack measured


def test_goals_show_what_equal_stacks_score_with_the_control():
    stacks = STACKS + [throughput.Stack('control', "(4')", 'again', 'http://127.0.0.1:8084/', ('ref.service',))]
    results = dict(RESULTS, control=[rnd(1, 7500, 7.2), rnd(2, 8600, 5.9), rnd(3, 8300, 6.6)])
    by_goal = dict((goal, (value, met)) for goal, value, met in throughput.goals(stacks, results))
    assert by_goal["(4') ÷ (4) and (4) ÷ (4') req/s >= 0.95× in every round (equal stacks)"] == (
        '0.94× to 1.02× and 0.98× to 1.07×', False)
    assert by_goal["(4') p99 <= (4) p99 and (4) p99 <= (4') p99 in every round (equal stacks)"] == (
        "(4') ÷ (4) 0.98× to 1.03×", False)
    close = dict(results, control=[rnd(1, 8100, 7.0), rnd(2, 8300, 6.0), rnd(3, 8000, 6.5)])
    assert [met for goal, value, met in throughput.control_goals(close)] == [True, True]
    assert "(4') no stall: worst round p99 <= 2× the median round's" in by_goal
    lines = throughput.comparisons_table(stacks, results)
    assert any(line.startswith("| (4') ÷ (4) | 1.01× | 0.94× to 1.02× |") for line in lines)
    assert throughput.control_goals(RESULTS) == []


def test_goals_met_and_the_full_path():
    stacks = STACKS + [throughput.Stack('fullpath', '(5)', 'full path', 'https://x/', ('a.service',))]
    results = dict(RESULTS, collection=[rnd(1, 8000, 6.0), rnd(2, 8100, 6.0), rnd(3, 8300, 6.4)],
                   fullpath=[rnd(1, 7000, 7.0), rnd(2, 7100, 7.2), rnd(3, 6500, 7.5)])
    rows = throughput.goals(stacks, results)
    assert [met for goal, value, met in rows if goal.startswith('(1) ')] == [True, True, True]
    assert ['(5) ÷ (1) req/s >= 0.85×', '0.86×', True] in rows
