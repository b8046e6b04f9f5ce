# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/scale.py: specs, merged inventories, docker stats, per-host figures, the estimate and tables."""

from __future__ import annotations

import pytest

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import converge, report, scale
from ansible_collections.webstack.nginx_uwsgi.scripts.bench.settings import BenchError

KEY = 'ansible_user=root ansible_ssh_private_key_file=/tmp/k/id_ed25519'
# as scripts/fleet.sh writes them, one call per host
LB = ('[webstack_loadbalancers]\nlb1 ansible_connection=ssh ansible_host=172.30.0.2 %s\n\n[webstack_appservers]\n\n'
      % KEY)
APP = '[webstack_loadbalancers]\n\n[webstack_appservers]\napp%d ansible_connection=ssh ansible_host=172.30.0.%d %s\n'


def test_app_specs_all_debian_12():
    assert scale.app_specs(3) == ['app1:12', 'app2:12', 'app3:12']


def test_merge_inventories_keeps_groups_and_order():
    text = scale.merge_inventories([LB, APP % (1, 3, KEY), APP % (2, 4, KEY)])
    assert text == ('[webstack_loadbalancers]\nlb1 ansible_connection=ssh ansible_host=172.30.0.2 %s\n\n'
                    '[webstack_appservers]\napp1 ansible_connection=ssh ansible_host=172.30.0.3 %s\n'
                    'app2 ansible_connection=ssh ansible_host=172.30.0.4 %s\n' % (KEY, KEY, KEY))
    hosts = converge.inventory_hosts(text)
    assert [(name, group) for name, (group, _vars) in hosts.items()] == [
        ('lb1', 'webstack_loadbalancers'), ('app1', 'webstack_appservers'), ('app2', 'webstack_appservers')]


# memory.stat of a container's cgroup (v1: the hierarchy's totals; v2: its own counters)
STAT_V1 = 'cache 151552\nrss 18333696\nrss_huge 0\ntotal_cache 130449408\ntotal_rss 32215040\ntotal_swap 0\n'
STAT_V2 = 'anon 32215040\nfile 130449408\nkernel 4096\n'


def test_parse_memory_stat():
    assert scale.parse_memory_stat(STAT_V1 + 'odd line here\n')['total_rss'] == 32215040


def test_cgroup_memory_v1_and_v2():
    assert scale.cgroup_memory(STAT_V1, '175165440\n') == (32215040, 175165440)
    assert scale.cgroup_memory(STAT_V2, '162664448\n') == (32215040, 162664448)


@pytest.mark.parametrize('stat, usage', [('cache 1\n', '10\n'), (STAT_V1, ''), (STAT_V2, 'max')])
def test_cgroup_memory_rejects(stat, usage):
    with pytest.raises(BenchError, match='no anonymous memory or usage'):
        scale.cgroup_memory(stat, usage)


def test_inotify_shortfall():
    # 21 containers of others (150 in use) and 51 more at 8 each: 558 instances, 430 more than the default 128
    assert scale.inotify_shortfall(128, 150, 51) == 430
    assert scale.inotify_shortfall(1024, 150, 51) == 0
    assert scale.inotify_shortfall(128, 100, 3, each=7) == 0


def test_per_host_and_extrapolate():
    # 1 app host: 14.8 s, 4 app hosts: 31.9 s -> 5.7 s per app host, 500 app hosts: 14.8 + 499 x 5.7
    each = scale.per_host(31.9, 14.8, 4, 1)
    assert each == pytest.approx(5.7)
    assert scale.extrapolate(14.8, each, 1) == pytest.approx(14.8 + 499 * 5.7)
    assert scale.extrapolate(14.8, each, 1, target=4) == pytest.approx(31.9)
    assert scale.per_host(100.0, 40.0, 50, 2) == pytest.approx(1.25)
    assert scale.extrapolate(40.0, 1.25, 2, target=50) == pytest.approx(100.0)


def _run(seconds, cpu, trips, rss):
    return {'seconds': seconds, 'cpu': cpu, 'masters': cpu / 10, 'trips': trips, 'rss': rss, 'pss': rss // 2,
            'tasks': 300, 'load': '3.00 2.00 1.00'}


MIB = 1048576
BASE = {'forks': 2, 'fresh': _run(60.0, 15.0, 120, 400 * MIB), 'noop': _run(15.0, 7.0, 40, 300 * MIB)}
FLEET = {'forks': 51, 'fresh': _run(900.0, 260.0, 2080, 3400 * MIB), 'noop': _run(200.0, 105.0, 530, 2800 * MIB),
         'release': _run(400.0, 150.0, 1000, 3000 * MIB)}


def test_run_rows():
    rows = scale.run_rows({50: FLEET, 1: BASE})
    assert [row[:3] for row in rows] == [['fresh converge', '1', '2'], ['no-op re-run', '1', '2'],
                                         ['fresh converge', '50', '51'], ['no-op re-run', '50', '51'],
                                         ['rolling release', '50', '51']]
    assert rows[2] == ['fresh converge', '50', '51', '900.0 s', '260.0 s', '26.0 s', '2080', '3.32 GiB', '1.66 GiB',
                       '300', '3.00 2.00 1.00']
    report.markdown_table(scale.RUN_HEADER, rows, 'lrrrrrrrrrl')


def test_per_host_rows_only_for_runs_of_both_fleets():
    rows = scale.per_host_rows(BASE, FLEET, 1, 50)
    assert [row[0] for row in rows] == ['fresh converge', 'no-op re-run']
    # (260 - 15) / 49 = 5.00 s per app host; 500 app hosts: 15 + 499 x 5 = 2510 s
    assert rows[0][:4] == ['fresh converge', '5.00 s', '0.50 s', '40.0']
    assert rows[0][4:] == ['61 MiB', '31 MiB', '2510 s (41.8 min)', '251 s', '20080', '30.23 GiB', '15.11 GiB']
    assert len(rows[0]) == len(scale.per_host_header())
    assert scale.per_host_header(200)[6] == '200 app hosts: CPU'


def test_memory_line():
    usage = {'webstack-bench-scale-n50-lb1': (60 * MIB, 160 * MIB),
             'webstack-bench-scale-n50-app1': (90 * MIB, 200 * MIB),
             'webstack-bench-scale-n50-app2': (110 * MIB, 900 * MIB)}
    assert scale.memory_line(usage, 20 * 1024 * MIB) == (
        'load balancer 60 MiB, app hosts 100 MiB on average (at most 110 MiB); 3 containers 260 MiB in all, '
        '1.23 GiB with their page cache; the machine has 20.00 GiB available')


PROFILE = """PLAY RECAP *********************************************************************
app1                       : ok=93   changed=24   unreachable=0    failed=0    skipped=40   rescued=0    ignored=0

TASKS RECAP ********************************************************************
Monday 07 December 2026  07:03:35 +0000 (0:00:00.389)       0:03:56.389 *******
===============================================================================
webstack.nginx_uwsgi.nginx : Install nginx ----------------------------- 45.23s
webstack.nginx_uwsgi.uwsgi_app : Build the wheelhouse - on one host ----- 20.50s
Gathering Facts --------------------------------------------------------- 1.00s
webstack.nginx_uwsgi.webstack : A name long enough to push the time past the width of the line --- 0.75s
Gathering Facts --------------------------------------------------------- 2.00s
webstack.nginx_uwsgi.uwsgi_app : Wait for hello to serve release 1bcebba38ed0 -------------------- 2.50s
"""


def test_task_times_of_the_profile_summary():
    assert scale.task_times(PROFILE) == {
        'webstack.nginx_uwsgi.nginx : Install nginx': 45.23,
        'webstack.nginx_uwsgi.uwsgi_app : Build the wheelhouse - on one host': 20.5,
        'Gathering Facts': 3.0,
        'webstack.nginx_uwsgi.webstack : A name long enough to push the time past the width of the line': 0.75,
        'webstack.nginx_uwsgi.uwsgi_app : Wait for hello to serve release <release>': 2.5}
    assert scale.task_times('PLAY RECAP ***\nInstall nginx ---- 1.00s\n') == {}  # no TASKS RECAP


def test_slowest_rows_beside_the_base():
    base = {'fresh': {'task_times': {'Install nginx': 10.0, 'Gathering Facts': 1.0}}}
    fleet = {'fresh': {'task_times': {'Install nginx': 59.0, 'Build': 30.0, 'Gathering Facts': 2.0}},
             'noop': {'task_times': {}}}
    rows = scale.slowest_rows(base, fleet, 1, 50, count=2)
    assert rows == [['fresh converge', 'Install nginx', '59.0 s', '10.0 s', '1.00 s'],
                    ['fresh converge', 'Build', '30.0 s', '-', '-']]


def test_play_lines_give_a_table_per_run_that_both_fleets_account_for():
    rows_1 = [['Check', 't', 1.0], ['Deploy', 'u', 0.5]]
    rows_3 = [['Check', 't', 3.0], ['Deploy', 'u', 1.5]]
    results = {1: {'noop': {'cpu_rows': rows_1}, 'fresh': {}}, 3: {'noop': {'cpu_rows': rows_3}, 'fresh': {}}}
    lines = scale.play_lines(results, 1, 3)
    assert any(line.startswith('Controller CPU per play, no-op re-run') for line in lines)
    assert not any('fresh converge' in line for line in lines)
    assert any(line.startswith('| Check') and '1.000 s' in line for line in lines)
    assert scale.play_lines(results, 1, 1) == []


def test_group_vars_trust_the_image_apt_lists_with_the_roles_own_variables(tmp_path):
    import os

    import yaml

    scale._group_vars(str(tmp_path), '/tmp/wheels')  # pylint: disable=protected-access
    every = yaml.safe_load((tmp_path / 'all.yml').read_text())
    week = 7 * 24 * 3600
    assert {name: every[name] for name in scale.APT_CACHE_VARIABLES} == dict.fromkeys(scale.APT_CACHE_VARIABLES, week)
    apps = yaml.safe_load((tmp_path / 'webstack_appservers.yml').read_text())
    assert apps['uwsgi_app_wheelhouse'] is True and apps['uwsgi_app_wheelhouse_dir'] == '/tmp/wheels'
    roles = os.path.join(os.path.dirname(scale.__file__), '..', '..', 'roles')
    for name in scale.APT_CACHE_VARIABLES:  # each is a variable its role declares
        with open(os.path.join(roles, name.split('_apt_', maxsplit=1)[0], 'meta', 'argument_specs.yml'), encoding='utf-8') as handle:
            assert name in handle.read(), name
