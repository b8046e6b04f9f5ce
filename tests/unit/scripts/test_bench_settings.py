# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/settings.py: the BENCH_* settings, their defaults and what they reject."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench.settings import BenchError, Settings


def test_settings_defaults():
    settings = Settings.from_env({})
    assert settings.sections == ['nginx_role', 'single', 'throughput', 'fleet', 'rollout', 'fleet_ssh']
    assert (settings.threads, settings.connections, settings.seconds, settings.warmup) == (2, 32, 8, 2)
    assert settings.rounds == 5
    assert settings.stacks == ['collection', 'seed', 'alone', 'reference', 'control', 'fullpath']
    assert (settings.prefix, settings.fleet_prefix, settings.keep) == ('webstack-bench', 'webstack-benchfleet', False)
    assert (settings.whatif, settings.rollout_connections, settings.rollout_max_seconds) == ('auto', 4, 300)
    assert (settings.ssh_prefix, settings.ssh_sizes) == ('webstack-benchssh', [1, 4, 9])
    assert (settings.scale_prefix, settings.scale_hosts, settings.scale_base) == ('webstack-bench-scale', 50, 1)
    assert 'scale' not in settings.sections  # only when asked for (make bench-scale)


def test_settings_scale():
    settings = Settings.from_env({'BENCH_SECTIONS': 'scale', 'BENCH_SCALE_HOSTS': '4', 'BENCH_SCALE_BASE': '2',
                                  'BENCH_SCALE_PREFIX': 'webstack-bench-scale2'})
    assert settings.sections == ['scale']
    assert (settings.scale_prefix, settings.scale_hosts, settings.scale_base) == ('webstack-bench-scale2', 4, 2)
    assert 'scale: 4 app hosts against 2' in settings.describe()


def test_settings_from_environment():
    settings = Settings.from_env({
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
    ({'BENCH_SCALE_PREFIX': 'scale'}, 'must start with webstack-bench'),
    ({'BENCH_SCALE_HOSTS': '1'}, 'between 2 and 200'),
    ({'BENCH_SCALE_HOSTS': '4', 'BENCH_SCALE_BASE': '4'}, 'between 1 and 3'),
])
def test_settings_rejected(env, message):
    with pytest.raises(BenchError, match=message):
        Settings.from_env(env)
