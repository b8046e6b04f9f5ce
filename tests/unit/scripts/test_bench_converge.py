# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""scripts/bench/converge.py, section fleet_ssh: inventory, task and round trip counts, recap by kind, tables."""

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.scripts.bench import converge, playbooks, report

# as scripts/fleet.sh writes it with FLEET_SSH_KEY
INVENTORY = """[webstack_loadbalancers]
lb1 ansible_connection=ssh ansible_host=172.30.0.2 ansible_user=root ansible_ssh_private_key_file=/tmp/k/id_ed25519

[webstack_appservers]
app1 ansible_connection=ssh ansible_host=172.30.0.3 ansible_user=root ansible_ssh_private_key_file=/tmp/k/id_ed25519
app2 ansible_connection=ssh ansible_host=172.30.0.30 ansible_user=root ansible_ssh_private_key_file=/tmp/k/id_ed25519
"""

LOG = """PLAY [Check every host of the fleet before changing any] ***********************

TASK [webstack.nginx_uwsgi.webstack : Check the input] *************************
ok: [lb1]

TASK [Deploy the apps] *********************************************************
skipping: [app1]

RUNNING HANDLER [webstack.nginx_uwsgi.nginx : Reload nginx] ********************
changed: [lb1]

PLAY RECAP *********************************************************************
app1                       : ok=40   changed=0    unreachable=0    failed=0    skipped=30   rescued=0    ignored=0
"""

# lines of the ssh/sftp/scp wrapper: "TOOL ARGS"
TRIPS = [
    "ssh -o ControlMaster=auto -o ControlPersist=120s -o User=\"root\" 172.30.0.2 /bin/sh -c 'python3 && sleep 0'",
    "ssh -o ControlMaster=auto -o User=\"root\" 172.30.0.3 /bin/sh -c 'python3 && sleep 0'",
    "ssh -o ControlMaster=auto -o User=\"root\" 172.30.0.30 /bin/sh -c 'python3 && sleep 0'",
    "ssh -o ControlPath=/tmp/cp/abc -O check 172.30.0.3",
    "sftp -b - -o ControlMaster=auto -o User=\"root\" [172.30.0.30]",
    "scp -o User=\"root\" /tmp/file [172.30.0.3]:/root/.ansible/tmp/x/file",
    "",
]


def test_ssh_specs_one_load_balancer_and_both_debian_versions():
    assert converge.ssh_specs(1) == ['lb1:12', 'app1:13']
    assert converge.ssh_specs(4) == ['lb1:12', 'app1:13', 'app2:12', 'app3:13', 'app4:12']


def test_inventory_hosts():
    hosts = converge.inventory_hosts(INVENTORY)
    assert list(hosts) == ['lb1', 'app1', 'app2']
    assert hosts['lb1'][0] == 'webstack_loadbalancers'
    assert hosts['app2'] == ('webstack_appservers', {
        'ansible_connection': 'ssh', 'ansible_host': '172.30.0.30', 'ansible_user': 'root',
        'ansible_ssh_private_key_file': '/tmp/k/id_ed25519'})


def test_count_tasks_counts_task_and_handler_headers_only():
    assert converge.count_tasks(LOG) == 3
    assert converge.count_tasks('') == 0


def test_count_round_trips_by_kind_without_control_commands():
    kinds = {'172.30.0.2': 'lb', '172.30.0.3': 'app', '172.30.0.30': 'app'}
    # 172.30.0.3 must not match inside 172.30.0.30
    assert converge.count_round_trips(TRIPS, kinds) == {'lb': 1, 'app': 4}
    assert converge.count_round_trips(['ssh 10.9.9.9 true'], kinds) == {'?': 1}


def test_recap_by_kind_and_its_format():
    recap = playbooks.parse_recap(
        'PLAY RECAP ***\n'
        'app1 : ok=66 changed=24 unreachable=0 failed=0 skipped=30 rescued=0 ignored=0\n'
        'app2 : ok=67 changed=24 unreachable=0 failed=0 skipped=29 rescued=0 ignored=0\n'
        'lb1  : ok=31 changed=13 unreachable=0 failed=0 skipped=40 rescued=0 ignored=0\n')
    kinds = converge.recap_by_kind(recap, {'app1': 'app', 'app2': 'app', 'lb1': 'lb'})
    assert kinds == {'app': {'ok': (66, 67), 'changed': (24, 24), 'skipped': (29, 30)},
                     'lb': {'ok': (31, 31), 'changed': (13, 13), 'skipped': (40, 40)}}
    assert converge.format_kind_recap(kinds['app']) == 'ok=66-67 changed=24 skipped=29-30'
    assert converge.format_kind_recap(kinds['lb']) == 'ok=31 changed=13 skipped=40'
    assert converge.format_kind_recap({}) == ''


def _result(size, fresh, noop):
    return {'size': size, 'hosts': size + 1, 'forks': size + 1, 'fresh': fresh, 'noop': noop, 'load': '1.00',
            'fresh_cpu': fresh / 4, 'noop_cpu': noop / 2, 'fresh_masters': 1.25, 'noop_masters': 0.5,
            'fresh_rss': 700 * 1048576, 'noop_rss': 1500 * 1048576,
            'fresh_tasks': 200, 'noop_tasks': 150, 'fresh_trips': {'lb': 40, 'app': 60 * size},
            'noop_trips': {'lb': 20, 'app': 30 * size},
            'fresh_recap': {'lb': {'ok': (31, 31)}, 'app': {'ok': (66, 66)}}, 'noop_recap': {'app': {'ok': (42, 42)}}}


def test_scaling_rows_ratios_against_the_first_size():
    rows = converge.scaling_rows([_result(1, 60.0, 20.0), _result(4, 90.0, 30.0)])
    assert rows == [['1', '2', '2', '60.0 s', '15.0 s', '1.00×', '20.0 s', '10.0 s', '1.00×', '1.00'],
                    ['4', '5', '5', '90.0 s', '22.5 s', '1.50×', '30.0 s', '15.0 s', '1.50×', '1.00']]
    assert len(rows[0]) == len(converge.SCALING_HEADER)
    assert converge.scaling_rows([]) == []


def test_work_rows_round_trips_per_host():
    rows = converge.work_rows([_result(4, 90.0, 30.0)])
    assert rows == [['4', 'fresh converge', '200', '280', '56.0', '1.2 s', '700 MiB', 'ok=31', 'ok=66'],
                    ['4', 'no-op re-run', '150', '140', '28.0', '0.5 s', '1.46 GiB', '', 'ok=42']]
    report.markdown_table(converge.WORK_HEADER, rows, 'rlrrrrrll')


def test_target_lines_only_with_sizes_1_and_9():
    assert converge.target_lines([_result(1, 60.0, 20.0), _result(4, 90.0, 30.0)]) == []
    lines = converge.target_lines([_result(1, 60.0, 20.0), _result(9, 200.0, 40.0)])
    assert lines == ['no-op re-run of 10 hosts: 2.00× the time of 2 hosts (target: at most 2.5×): met',
                     'fresh converge of 10 hosts: 3.33× the time of 2 hosts (target: at most 3.0×): MISSED']
