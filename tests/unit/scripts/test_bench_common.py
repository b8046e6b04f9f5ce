# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/common.py: wrk output, PLAY RECAP, medians, ratios, tables and settings, without Docker."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import common

# wrk 4.1.0 (Debian 12) in a converged container, 1 connection: microseconds
WRK_US = """Running 1s test @ http://127.0.0.1:8080/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   479.64us  594.72us  10.15ms   97.88%
    Req/Sec     2.36k   309.09     2.93k    80.00%
  Latency Distribution
     50%  418.00us
     75%  457.00us
     90%  498.00us
     99%    2.47ms
  2348 requests in 1.00s, 713.10KB read
Requests/sec:   2347.43
Transfer/sec:    712.93KB
"""

# a saturated stack: seconds, socket errors and non-2xx answers
WRK_S = """Running 8s test @ http://127.0.0.1:8081/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.31ms  402.11ms   4.98s    91.02%
    Req/Sec   412.18    120.55   700.00     70.11%
  Latency Distribution
     50%   15.43ms
     75%   40.02ms
     90%  677.00ms
     99%    1.94s
  6543 requests in 8.01s, 1.16MB read
  Socket errors: connect 0, read 12, write 1, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    816.85
Transfer/sec:    148.20KB
"""


@pytest.mark.parametrize('text, expected', [
    ('418.00us', 0.418),
    ('4.07ms', 4.07),
    ('1.94s', 1940.0),
    ('2.00m', 120000.0),
    ('1.00h', 3600000.0),
    (' 12ms ', 12.0),
])
def test_parse_duration_ms(text, expected):
    assert common.parse_duration_ms(text) == pytest.approx(expected)


@pytest.mark.parametrize('text', ['', '4.07', 'ms', '4.07 ms', '-1ms', '1.2ks'])
def test_parse_duration_ms_rejects_what_wrk_does_not_print(text):
    with pytest.raises(ValueError):
        common.parse_duration_ms(text)


def test_parse_wrk_microseconds_and_milliseconds():
    result = common.parse_wrk(WRK_US)
    assert result.requests_per_second == pytest.approx(2347.43)
    assert (result.p50, result.p90, result.p99) == pytest.approx((0.418, 0.498, 2.47))
    assert result.requests == 2348
    assert (result.non_2xx, result.socket_errors, result.errors) == (0, 0, 0)


def test_parse_wrk_seconds_and_errors():
    result = common.parse_wrk(WRK_S)
    assert result.requests_per_second == pytest.approx(816.85)
    assert (result.p50, result.p90, result.p99) == pytest.approx((15.43, 677.0, 1940.0))
    assert result.requests == 6543
    assert result.socket_errors == 16
    assert result.non_2xx == 7
    assert result.errors == 23


def test_parse_wrk_without_latency_distribution_fails():
    text = '\n'.join(line for line in WRK_US.splitlines() if '%  ' not in line or 'Latency' in line)
    assert '50%' not in text
    with pytest.raises(ValueError, match='50%'):
        common.parse_wrk(text)


def test_parse_wrk_of_a_failed_run_fails():
    with pytest.raises(ValueError):
        common.parse_wrk('unable to connect to 127.0.0.1:5999 Connection refused\n')


RECAP = """PLAY [Web stack] ***************************************************************

TASK [Check] *******************************************************************
ok: [app1]

PLAY RECAP *********************************************************************
app1                       : ok=66   changed=24   unreachable=0    failed=0    skipped=40   rescued=0    ignored=0
app2                       : ok=66   changed=24   unreachable=0    failed=0    skipped=41   rescued=0    ignored=0
lb1                        : ok=31   changed=13   unreachable=0    failed=0    skipped=20   rescued=0    ignored=0

"""


def test_parse_recap():
    recap = common.parse_recap(RECAP)
    assert list(recap) == ['app1', 'app2', 'lb1']
    assert recap['app1'] == {'ok': 66, 'changed': 24, 'unreachable': 0, 'failed': 0, 'skipped': 40, 'rescued': 0,
                             'ignored': 0}
    assert recap['lb1']['changed'] == 13


def test_parse_recap_takes_the_last_recap_and_ignores_later_lines():
    text = RECAP.replace('ok=66   changed=24', 'ok=1   changed=1', 1) + RECAP + 'Some warning after the recap\n'
    assert common.parse_recap(text)['app1']['ok'] == 66


def test_parse_recap_without_recap():
    assert not common.parse_recap('ERROR! the playbook could not be found\n')


def test_format_recap_groups_hosts_with_the_same_counts():
    assert common.format_recap(common.parse_recap(RECAP)) == 'app1, app2 ok=66 changed=24, lb1 ok=31 changed=13'


def test_format_recap_shows_failures():
    recap = {'single': {'ok': 5, 'changed': 1, 'failed': 1, 'unreachable': 0}}
    assert common.format_recap(recap) == 'single ok=5 changed=1, single failed=1 unreachable=0'


@pytest.mark.parametrize('values, expected', [
    ([3, 1, 2], 2),
    ([4, 1, 3, 2], 2.5),
    ([7.5], 7.5),
    ([None, 2, 4], 3),
    ([], None),
])
def test_median(values, expected):
    assert common.median(values) == expected


def test_median_round_is_a_real_round_the_lower_middle_one_for_an_even_count():
    rounds = [{'rps': 10, 'p99': 1}, {'rps': 30, 'p99': 3}, {'rps': 20, 'p99': 2}]
    assert common.median_round(rounds, lambda r: r['rps']) == {'rps': 20, 'p99': 2}
    rounds.append({'rps': 25, 'p99': 9})
    assert common.median_round(rounds, lambda r: r['rps']) == {'rps': 20, 'p99': 2}
    assert common.median_round([], lambda r: r['rps']) is None


@pytest.mark.parametrize('numerator, denominator, expected', [
    (7674, 5790, 1.3254),
    (1, 0, None),
    (None, 3, None),
    (3, None, None),
])
def test_ratio(numerator, denominator, expected):
    if expected is None:
        assert common.ratio(numerator, denominator) is None
    else:
        assert common.ratio(numerator, denominator) == pytest.approx(expected, abs=1e-4)


def test_formats():
    assert common.fmt_ratio(1.3254) == '1.33×'
    assert common.fmt_ratio(None) == '-'
    assert common.fmt_range([1.53, 1.26, None, 1.4]) == '1.26× to 1.53×'
    assert common.fmt_range([1.261, 1.259]) == '1.26×'
    assert common.fmt_range([]) == '-'
    assert common.fmt_ms(4.0712) == '4.07 ms'
    assert common.fmt_ms(None) == '-'
    assert common.fmt_rps(7673.6) == '7674'


def test_markdown_table():
    lines = common.markdown_table(['stack', 'requests/s', 'p99'], [['(1) a|b', 7674, '8.36 ms'], ['(2)', 5790, '-']],
                                  'lrr')
    assert lines == [
        '| stack | requests/s | p99 |',
        '| --- | ---: | ---: |',
        '| (1) a\\|b | 7674 | 8.36 ms |',
        '| (2) | 5790 | - |',
    ]


def test_markdown_table_default_alignment_and_no_rows():
    assert common.markdown_table(['a', 'b'], []) == ['| a | b |', '| --- | --- |']


@pytest.mark.parametrize('rows, align', [([['only one']], 'll'), ([['a', 'b']], 'l')])
def test_markdown_table_rejects_ragged_rows(rows, align):
    with pytest.raises(ValueError):
        common.markdown_table(['a', 'b'], rows, align)


def test_tls_server_names_of_the_first_ssl_server():
    conf = """server {
    listen 80;
    server_name plain.example.org;
}

server {
    listen 443 ssl http2;
    server_name www.example.org example.org;
    ssl_certificate /etc/ssl/site/webstack-lb/fullchain.pem;
}
"""
    assert common.tls_server_names(conf) == ['www.example.org', 'example.org']
    assert not common.tls_server_names('server {\n    listen 8080 default_server;\n    server_name single;\n}\n')


def test_slug():
    assert common.slug('site.yml, no-op re-run-1 (Debian 12)') == 'site-yml-no-op-re-run-1-Debian-12'


def test_settings_defaults():
    settings = common.Settings.from_env({})
    assert settings.sections == ['nginx_role', 'single', 'throughput', 'fleet', 'rollout', 'fleet_ssh']
    assert (settings.threads, settings.connections, settings.seconds, settings.warmup) == (2, 32, 8, 2)
    assert settings.rounds == 5
    assert settings.stacks == ['collection', 'seed', 'alone', 'reference', 'control', 'fullpath']
    assert (settings.prefix, settings.fleet_prefix, settings.keep) == ('webstack-bench', 'webstack-benchfleet', False)
    assert (settings.whatif, settings.rollout_connections, settings.rollout_max_seconds) == ('auto', 4, 300)
    assert (settings.ssh_prefix, settings.ssh_sizes) == ('webstack-benchssh', [1, 4, 9])


def test_settings_from_environment():
    settings = common.Settings.from_env({
        'BENCH_SECTIONS': 'throughput rollout', 'BENCH_SECONDS': '3', 'BENCH_WARMUP': '0', 'BENCH_ROUNDS': '2',
        'BENCH_KEEP': '1', 'BENCH_PREFIX': 'webstack-bench-x', 'BENCH_STACKS': 'seed reference',
        'BENCH_WHATIF': '0', 'BENCH_ROLLOUT_CONNECTIONS': '8', 'BENCH_SSH_SIZES': '1, 2',
        'BENCH_SSH_PREFIX': 'webstack-benchssh-x'})
    assert settings.sections == ['throughput', 'rollout']
    assert (settings.seconds, settings.warmup, settings.rounds, settings.keep) == (3, 0, 2, True)
    assert settings.prefix == 'webstack-bench-x'
    assert settings.stacks == ['seed', 'reference']
    assert (settings.whatif, settings.rollout_connections) == ('0', 8)
    assert 'wrk -t2 -c32, 3 s after 0 s of warm-up, 2 round(s)' in settings.describe()
    assert (settings.ssh_sizes, settings.ssh_prefix) == ([1, 2], 'webstack-benchssh-x')
    assert 'app hosts over SSH: 1,2' in settings.describe()


@pytest.mark.parametrize('env, message', [
    ({'BENCH_SECTIONS': 'single speed'}, 'unknown speed'),
    ({'BENCH_STACKS': 'nginx'}, 'unknown nginx'),
    ({'BENCH_SECONDS': 'ten'}, 'whole number'),
    ({'BENCH_SECONDS': '0'}, 'between 1 and 300'),
    ({'BENCH_ROUNDS': '1000'}, 'between 1 and 50'),
    ({'BENCH_WHATIF': 'yes'}, 'auto, 1 or 0'),
    ({'BENCH_PREFIX': 'molecule-nginx'}, 'must start with webstack-bench'),
    ({'BENCH_FLEET_PREFIX': 'webstack-demo'}, 'must start with webstack-bench'),
    ({'BENCH_SSH_PREFIX': 'ssh'}, 'must start with webstack-bench'),
    ({'BENCH_SSH_SIZES': '1 4'}, 'separated by commas'),
    ({'BENCH_SSH_SIZES': '0,4'}, 'between 1 and 50'),
    ({'BENCH_SSH_SIZES': '4,4'}, 'none twice'),
])
def test_settings_rejected(env, message):
    with pytest.raises(common.BenchError, match=message):
        common.Settings.from_env(env)
