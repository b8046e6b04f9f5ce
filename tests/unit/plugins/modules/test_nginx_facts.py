# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import contextlib
import json
import os

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.webstack.nginx_uwsgi.plugins.modules import nginx_facts

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        old = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = old


NGINX_V = (
    "nginx version: nginx/1.22.1\n"
    "built with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)\n"
    "TLS SNI support enabled\n"
    "configure arguments: --with-cc-opt='-g -O2 -fPIC' --with-ld-opt='-Wl,-z,relro -fPIC'"
    " --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf"
    " --http-log-path=/var/log/nginx/access.log --error-log-path=stderr"
    " --pid-path=/run/nginx.pid --modules-path=/usr/lib/nginx/modules"
    " --with-compat --with-http_ssl_module --with-http_v2_module"
    " --with-http_geoip_module=dynamic --with-stream=dynamic\n"
)


class ExitJson(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


class FailJson(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


def exit_json(self, **kwargs):
    kwargs.setdefault('changed', False)
    raise ExitJson(kwargs)


def fail_json(self, msg, **kwargs):
    kwargs['failed'] = True
    kwargs['msg'] = msg
    raise FailJson(kwargs)


SYSTEMCTL_SHOW = (
    "Id=nginx.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n"
    "MainPID=42\nPIDFile=/run/nginx.pid\nExecMainStartTimestamp=@1796127366\n"
)


class FakeHost:
    """Stand-in for the managed host: which binary exists and what it prints."""

    def __init__(self, bin_path='/usr/sbin/nginx', rc=0, out='', err=NGINX_V):
        self.bin_path = bin_path
        self.rc = rc
        self.out = out
        self.err = err
        self.commands = []
        self.systemctl = []
        self.bin_lookups = []

    def get_bin_path(self, arg, required=False, opt_dirs=None):
        if arg == 'systemctl':
            return '/bin/systemctl'
        self.bin_lookups.append(arg)
        return self.bin_path

    def run_command(self, args, *a, **kw):
        if args[0] == '/bin/systemctl':
            self.systemctl.append(args)
            return 0, SYSTEMCTL_SHOW, ''
        self.commands.append(args)
        return self.rc, self.out, self.err


@pytest.fixture
def host(monkeypatch, tmp_path):
    fake = FakeHost()
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(
        basic.AnsibleModule, 'get_bin_path',
        fake.get_bin_path)
    monkeypatch.setattr(
        basic.AnsibleModule, 'run_command',
        fake.run_command)
    # keep the real /etc/nginx of the test machine out of the picture
    monkeypatch.setattr(nginx_facts, 'MODULES_ENABLED_DIR', str(tmp_path / 'modules-enabled'))
    monkeypatch.setattr(nginx_facts, 'DEFAULT_CONF_PATH', str(tmp_path / 'missing.conf'))
    return fake


def run_module(args=None, exc=ExitJson):
    with patch_module_args(args or {}):
        with pytest.raises(exc) as excinfo:
            nginx_facts.main()
    return excinfo.value.result


def test_binary_missing(host):
    host.bin_path = None
    result = run_module()
    assert result['changed'] is False
    assert 'failed' not in result
    facts = result['ansible_facts']['nginx']
    assert facts == result['nginx']
    assert facts['installed'] is False
    assert facts['version'] is None
    assert facts['binary'] is None
    assert facts['modules'] == []
    assert facts['paths']['conf_dir'] is None
    assert facts['http2_directive'] is False
    assert host.bin_lookups == ['nginx']
    assert host.commands == []


def test_binary_missing_check_mode(host):
    host.bin_path = None
    result = run_module({'_ansible_check_mode': True})
    assert result['changed'] is False
    assert result['nginx']['installed'] is False


def test_absolute_binary_missing(host, tmp_path):
    result = run_module({'binary': str(tmp_path / 'sbin' / 'nginx')})
    assert result['nginx']['installed'] is False
    assert host.bin_lookups == []  # absolute paths are not looked up in PATH
    assert host.commands == []


def test_absolute_binary(host, tmp_path):
    binary = tmp_path / 'nginx'
    binary.write_text('#!/bin/sh\n')
    binary.chmod(0o755)
    result = run_module({'binary': str(binary)})
    assert result['nginx']['binary'] == str(binary)
    assert host.commands == [[str(binary), '-V']]


def test_nonzero_rc(host):
    host.rc = 1
    host.err = 'nginx: [emerg] something went badly wrong\n'
    result = run_module(exc=FailJson)
    assert result['failed'] is True
    assert result['rc'] == 1
    assert result['stderr'] == host.err
    assert 'something went badly wrong' in result['msg']


def test_success(host):
    result = run_module()
    assert result['changed'] is False
    assert host.commands == [['/usr/sbin/nginx', '-V']]
    facts = result['ansible_facts']['nginx']
    assert facts == result['nginx']
    assert facts['installed'] is True
    assert facts['binary'] == '/usr/sbin/nginx'
    assert facts['version'] == '1.22.1'
    assert facts['version_info'] == [1, 22, 1]
    assert facts['http2_directive'] is False
    assert facts['ssl'] is True
    assert facts['tls_sni'] is True
    assert facts['openssl_version'] == '3.0.11'
    assert facts['openssl_runtime_version'] == '3.0.15'
    assert facts['modules'] == ['http_geoip_module', 'http_ssl_module', 'http_v2_module', 'stream']
    assert facts['dynamic_modules'] == []
    assert facts['paths']['conf_path'] == '/etc/nginx/nginx.conf'
    assert facts['paths']['conf_dir'] == '/etc/nginx'
    assert facts['user'] is None
    assert facts['group'] is None


def test_output_on_stdout(host):
    host.out, host.err = host.err, ''
    result = run_module()
    assert result['nginx']['version'] == '1.22.1'


def test_check_mode(host):
    result = run_module({'_ansible_check_mode': True})
    assert result['changed'] is False
    assert result['nginx']['version'] == '1.22.1'
    assert host.commands == [['/usr/sbin/nginx', '-V']]


def test_user_from_conf_path_and_dynamic_modules(host, tmp_path):
    conf = tmp_path / 'nginx.conf'
    conf.write_text('# user root;\nuser www-data;\nworker_processes auto;\nhttp { }\n')
    enabled = tmp_path / 'modules-enabled'
    enabled.mkdir()
    (enabled / '50-mod-http-geoip.conf').write_text(
        'load_module modules/ngx_http_geoip_module.so;\n')
    (enabled / '50-mod-stream.conf').write_text(
        'load_module modules/ngx_stream_module.so;\n')
    (enabled / 'README').write_text('load_module modules/ignored.so;\n')
    (enabled / '70-broken.conf').symlink_to(tmp_path / 'does-not-exist.conf')

    result = run_module({'conf_path': str(conf)})
    facts = result['nginx']
    assert facts['user'] == 'www-data'
    assert facts['group'] == 'www-data'  # nginx uses the user name as group
    assert facts['dynamic_modules'] == ['ngx_http_geoip_module', 'ngx_stream_module']


def test_user_group_from_conf(host, tmp_path):
    conf = tmp_path / 'nginx.conf'
    conf.write_text('user  nginx  web ;\n')
    result = run_module({'conf_path': str(conf)})
    assert (result['nginx']['user'], result['nginx']['group']) == ('nginx', 'web')


def test_default_conf_path_from_configure_args(host, tmp_path):
    conf = tmp_path / 'etc' / 'nginx.conf'
    conf.parent.mkdir()
    conf.write_text('user www-data;\n')
    host.err = NGINX_V.replace('/etc/nginx/nginx.conf', str(conf))
    result = run_module()
    assert result['nginx']['user'] == 'www-data'
    assert result['nginx']['paths']['conf_dir'] == str(conf.parent)


def test_user_falls_back_to_configure_args(host, tmp_path):
    conf = tmp_path / 'nginx.conf'
    conf.write_text('worker_processes 1;\n')  # no user directive
    host.err = NGINX_V.replace('--with-compat', '--user=nginx --group=nginx --with-compat')
    result = run_module({'conf_path': str(conf)})
    assert (result['nginx']['user'], result['nginx']['group']) == ('nginx', 'nginx')


def test_unreadable_conf_path(host, tmp_path):
    host.err = NGINX_V.replace('--with-compat', '--user=nobody --with-compat')
    result = run_module({'conf_path': str(tmp_path / 'nope.conf')})
    assert result['nginx']['user'] == 'nobody'
    assert result['nginx']['group'] is None


def test_http2_directive_new_nginx(host):
    host.err = NGINX_V.replace('nginx/1.22.1', 'nginx/1.26.3 (Debian)')
    result = run_module()
    assert result['nginx']['version'] == '1.26.3'
    assert result['nginx']['http2_directive'] is True


def test_invalid_option(host):
    result = run_module({'bogus': 1}, exc=FailJson)
    assert result['failed'] is True
    assert 'bogus' in result['msg']


def test_service_state(host):
    service = run_module()['nginx']['service']
    assert host.systemctl == [['/bin/systemctl', 'show', '--timestamp=unix',
                               '--property=Id,LoadState,ActiveState,SubState,UnitFileState,MainPID,PIDFile,'
                               'ExecMainStartTimestamp', '--', 'nginx.service']]
    assert service == {'loaded': True, 'state': 'active', 'sub_state': 'running', 'active': True, 'running': True,
                       'enabled': True, 'unit_file_state': 'enabled', 'main_pid': 42, 'pid_file': '/run/nginx.pid',
                       'started': 1796127366.0}


def test_service_state_without_nginx_and_skipped(host):
    host.bin_path = None
    assert run_module()['nginx']['service']['pid_file'] == '/run/nginx.pid'
    assert run_module({'service': ''})['nginx']['service'] is None


def test_distribution_facts_as_setup_names_them(host, monkeypatch):
    collected = []

    def collect(self, module=None, collected_facts=None):
        collected.append(module is not None)
        return {'distribution': 'Debian', 'distribution_major_version': '13', 'os_family': 'Debian'}

    monkeypatch.setattr(nginx_facts.DistributionFactCollector, 'collect', collect)
    result = run_module({'distribution': True})
    assert collected == [True]
    facts = result['ansible_facts']
    assert facts['ansible_distribution'] == 'Debian'
    assert facts['ansible_distribution_major_version'] == '13'
    assert facts['ansible_os_family'] == 'Debian'
    assert facts['ansible_architecture']
    assert facts['nginx'] == result['nginx']
    host.bin_path = None
    assert run_module({'distribution': True})['ansible_facts']['ansible_os_family'] == 'Debian'
    assert set(run_module()['ansible_facts']) == {'nginx'}
    assert collected == [True, True]


def test_distribution_facts_of_this_machine_match_setup(host):
    """The real collector on the machine running the tests gives what setup's distribution subset gives."""
    import subprocess
    import sys
    ansible = os.path.join(os.path.dirname(sys.executable), 'ansible')  # the one of the running ansible-core
    if not os.path.exists(ansible):
        pytest.skip('no ansible command next to %s' % sys.executable)
    out = subprocess.run([ansible, 'localhost', '-c', 'local', '-m', 'ansible.builtin.setup', '-a',
                          'gather_subset=!all,!min,distribution', '-o'],
                         capture_output=True, text=True, check=True, env={'PATH': os.environ['PATH'],
                                                                          'ANSIBLE_LOCALHOST_WARNING': 'False'})
    expected = json.loads(out.stdout.split(' => ', 1)[1])['ansible_facts']
    facts = run_module({'distribution': True})['ansible_facts']
    keys = [k for k in expected if k.startswith('ansible_distribution') or k == 'ansible_os_family']
    assert keys and dict((k, facts.get(k)) for k in keys) == dict((k, expected[k]) for k in keys)
    out = subprocess.run([ansible, 'localhost', '-c', 'local', '-m', 'ansible.builtin.setup', '-a',
                          'gather_subset=!all,!min,platform', '-o'],
                         capture_output=True, text=True, check=True, env={'PATH': os.environ['PATH'],
                                                                          'ANSIBLE_LOCALHOST_WARNING': 'False'})
    assert facts['ansible_architecture'] == json.loads(out.stdout.split(' => ', 1)[1])['ansible_facts']['ansible_architecture']


def test_architecture_as_setup_names_it():
    assert [nginx_facts.architecture(m) for m in ('x86_64', 'aarch64', 'i686', 'i386', 'armv7l')] == [
        'x86_64', 'aarch64', 'i386', 'i386', 'armv7l']
