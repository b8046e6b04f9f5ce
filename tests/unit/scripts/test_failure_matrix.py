"""scripts/failure_matrix.py: the steps read from the playbooks, every one covered, the table, the wrappers."""

from __future__ import annotations

import subprocess

from ansible_collections.webstack.nginx_uwsgi.scripts import failure_matrix as matrix


def test_the_changing_steps_come_from_the_playbooks_and_every_one_has_a_case():
    steps = matrix.changing_steps('site.yml')
    # the roles that change hosts, in play order, through the imported rolling_release.yml
    assert steps[0] == matrix.FIREWALL and steps[1] == matrix.NGINX and steps[2] == matrix.BUILD
    assert steps[-1] == matrix.KEEPALIVED
    assert matrix.KEEPALIVED in matrix.ELSEWHERE and matrix.FIREWALL in matrix.ELSEWHERE
    assert matrix.ROLL + 'Take the batch out of the load balancers' in steps
    assert not [s for s in steps if s.startswith(matrix.CHECK_PLAY)], 'the check of every host changes nothing'
    assert len(steps) == len(set(steps)) == 13
    assert matrix.uncovered(matrix.cases('/work')) == []


def test_a_step_without_a_case_is_named():
    cases = [c for c in matrix.cases('/work') if matrix.BUILD not in c.steps]
    assert matrix.uncovered(cases) == [matrix.BUILD]


def test_fail_once_arms_the_wrapper_with_a_quoted_flag():
    host, command = matrix.fail_once('h', 'systemctl', "reload nginx", skip=1)
    assert host == 'h'
    assert command == "mkdir -p /run/fail && echo 'reload nginx|1|any' > /run/fail/systemctl"


def test_the_wrapper_fails_the_matching_call_once_after_the_calls_it_lets_through(tmp_path):
    script = open(matrix.WRAPPER).read().replace('/run/fail/$name', str(tmp_path / 'flag'))
    script = script.replace('real=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$name")', 'real=echo')
    wrapper = tmp_path / 'systemctl'
    wrapper.write_text(script)
    wrapper.chmod(0o755)
    (tmp_path / 'flag').write_text('reload nginx|1|any\n')

    def call(*args):
        return subprocess.run([str(wrapper)] + list(args), capture_output=True, text=True, check=False)

    assert call('status', 'nginx').stdout == 'status nginx\n'
    assert call('reload', 'nginx').returncode == 0, 'the first matching call goes through'
    failed = call('reload', 'nginx')
    assert failed.returncode == 1 and 'systemctl: failure injected by the failure tests' in failed.stderr
    assert call('reload', 'nginx').stdout == 'reload nginx\n', 'once'


def test_the_table_counts_lost_requests_and_hosts_left_out():
    load = {'requests': 100, 'non_2xx': 0, 'socket_errors': 0}
    row = {'case': 'c', 'how': 'h', 'failed_rc': 2, 'failed_run': load, 'good_run': dict(load, socket_errors=1),
           'left_out': ['failures-app1'], 'good_rc': 0, 'left_out_after': [], 'further_changed': 0}
    lines = matrix.table([row]).splitlines()
    assert lines[-1] == '| c | h | rc 2 | 1 of 200 | app1 | yes | changed=0 |'


def test_the_changes_of_a_recap_and_the_extra_vars_of_the_fleet():
    run = matrix.Run(0, 'PLAY RECAP ***\nlb1 : ok=3 changed=2 unreachable=0 failed=0\n'
                        'app1 : ok=3 changed=1 unreachable=0 failed=0\n', 1.0)
    assert run.changed == 3
    fleet = matrix.Fleet('/work')
    assert fleet.next_release() == 'v2'
    extra = fleet.extra('v2', {'uwsgi_app_workers': True, 'second_app': True, 'nginx_worker_connections': 2048})
    assert extra['nginx_worker_connections'] == 2048 and 'uwsgi_app_workers' not in extra
    assert [a['name'] for a in extra['uwsgi_app_apps']] == ['hello', 'hello2']
    assert extra['uwsgi_app_apps'][0]['src'] == '/work/releases/v2' and extra['uwsgi_app_apps'][0]['workers']


def _answers(*hosts):
    return subprocess.CompletedProcess([], 0, ''.join('host=%s release=r1\n' % h for h in hosts), '')


def test_served_samples_again_while_an_app_host_is_set_aside(monkeypatch):
    """After one failed attempt nginx sets a server aside for fail_timeout: the next samples find it again."""
    outputs = [_answers('app2', 'app2'), _answers('app2'), _answers('app1', 'app2')]
    calls = []
    monkeypatch.setattr(matrix, 'sh', lambda host, command, check=True: calls.append(host) or outputs.pop(0))
    monkeypatch.setattr(matrix.time, 'sleep', lambda seconds: None)
    assert matrix.served() == {'app1': 'r1', 'app2': 'r1'}
    assert calls == [matrix.LB] * 3


def test_served_gives_up_after_its_rounds(monkeypatch):
    monkeypatch.setattr(matrix, 'sh', lambda host, command, check=True: _answers('app2'))
    monkeypatch.setattr(matrix.time, 'sleep', lambda seconds: None)
    assert matrix.served(rounds=3) == {'app2': 'r1'}
