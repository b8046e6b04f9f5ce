# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/wrk.py: wrk durations and output, without Docker."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import wrk

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
    assert wrk.parse_duration_ms(text) == pytest.approx(expected)


@pytest.mark.parametrize('text', ['', '4.07', 'ms', '4.07 ms', '-1ms', '1.2ks'])
def test_parse_duration_ms_rejects_what_wrk_does_not_print(text):
    with pytest.raises(ValueError):
        wrk.parse_duration_ms(text)


def test_parse_wrk_microseconds_and_milliseconds():
    result = wrk.parse_wrk(WRK_US)
    assert result.requests_per_second == pytest.approx(2347.43)
    assert (result.p50, result.p90, result.p99) == pytest.approx((0.418, 0.498, 2.47))
    assert result.requests == 2348
    assert (result.non_2xx, result.socket_errors, result.errors) == (0, 0, 0)


def test_parse_wrk_seconds_and_errors():
    result = wrk.parse_wrk(WRK_S)
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
        wrk.parse_wrk(text)


def test_parse_wrk_of_a_failed_run_fails():
    with pytest.raises(ValueError):
        wrk.parse_wrk('unable to connect to 127.0.0.1:5999 Connection refused\n')
