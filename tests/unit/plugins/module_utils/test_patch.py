# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils import patch

SIMULATION = """NOTE: This is only a simulation!
      apt-get needs root privileges for real execution.
Reading package lists...
Building dependency tree...
The following packages will be upgraded:
  libssl3 openssl
Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])
Inst openssl [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64]) []
Inst linux-image-6.1.0-27-amd64 (6.1.115-1 Debian-Security:12/stable-security [amd64])
Inst webstack-patch-test:amd64 [1.0] (1.1 local [all])
Conf libssl3 (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])
"""


def test_parse_simulation_reads_inst_lines_only():
    found = patch.parse_simulation(SIMULATION)
    assert [item['name'] for item in found] == ['libssl3', 'openssl', 'linux-image-6.1.0-27-amd64', 'webstack-patch-test']
    assert found[0]['from'] == '3.0.11-1~deb12u1' and found[0]['to'] == '3.0.11-1~deb12u2'
    assert found[0]['origin'] == 'Debian-Security:12/stable-security [amd64]'
    assert found[2]['from'] is None  # a new package the upgrade pulls in
    assert patch.parse_simulation('') == []


MAPS = """55d1c0a00000-55d1c0a2c000 r--p 00000000 00:2f 1234   /usr/sbin/nginx (deleted)
7f1a2c000000-7f1a2c021000 rw-p 00000000 00:00 0
7f1a2c400000-7f1a2c600000 r-xp 00000000 00:2f 99     /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)
7f1a2c700000-7f1a2c800000 r-xp 00000000 00:2f 98     /usr/lib/x86_64-linux-gnu/libc.so.6
7f1a2c900000-7f1a2c901000 rw-s 00000000 00:01 77     /dev/zero (deleted)
7f1a2ca00000-7f1a2ca01000 rw-s 00000000 00:05 76     /memfd:pulseaudio (deleted)
7f1a2cb00000-7f1a2cb01000 rw-s 00000000 00:05 75     /run/nginx/cache (deleted)
7f1a2cc00000-7f1a2cc01000 r--p 00000000 00:05 74     /tmp/scratch file (deleted)
7ffd1f1f0000-7ffd1f211000 rw-p 00000000 00:00 0      [stack]
"""


def test_mapped_files_skip_virtual_and_temporary_file_systems():
    files, deleted = patch.mapped_files(MAPS, '/usr/sbin/nginx (deleted)')
    assert deleted == ['/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/sbin/nginx']
    assert files == ['/usr/lib/x86_64-linux-gnu/libc.so.6']
    assert patch.mapped_files(MAPS)[1] == deleted
    assert patch.mapped_files('', '/usr/bin/python3.11') == (['/usr/bin/python3.11'], [])


def test_unit_of_takes_the_last_service_of_the_cgroup_path():
    assert patch.unit_of('0::/system.slice/nginx.service\n') == 'nginx.service'
    # Docker with the host's cgroup namespace: the container's scope comes first
    assert patch.unit_of('0::/system.slice/docker-4f.scope/system.slice/uwsgi-app@hello.service') == 'uwsgi-app@hello.service'
    assert patch.unit_of('1:name=systemd:/system.slice/cron.service\n0::/system.slice/cron.service') == 'cron.service'
    assert patch.unit_of('0::/user.slice/user-0.slice/session-3.scope') is None
    assert patch.unit_of('0::/user.slice/user-0.slice/user@0.service/init.scope') is None
    assert patch.unit_of('') is None


def test_restart_plan_groups_by_service_excludes_and_reexecs():
    processes = [
        {'pid': 1, 'unit': None, 'files': ['/usr/lib/systemd/libsystemd-shared.so']},
        {'pid': 10, 'unit': 'nginx.service', 'files': ['/usr/sbin/nginx']},
        {'pid': 11, 'unit': 'nginx.service', 'files': ['/usr/lib/libssl.so.3']},
        {'pid': 12, 'unit': 'dbus.service', 'files': ['/usr/lib/libssl.so.3']},
        {'pid': 13, 'unit': 'cron.service', 'files': []},
        {'pid': 14, 'unit': None, 'files': ['/usr/lib/libssl.so.3']},
    ]
    plan = patch.restart_plan(processes, ['dbus.service', 'getty@*'])
    assert plan['restart'] == ['nginx.service']
    assert plan['skipped'] == ['dbus.service']
    assert plan['reexec'] is True
    assert plan['files']['nginx.service'] == ['/usr/lib/libssl.so.3', '/usr/sbin/nginx']
    assert patch.restart_plan([], [])['restart'] == []


def test_predicted_restarts_are_the_services_using_files_of_the_packages():
    processes = [
        {'pid': 10, 'unit': 'nginx.service', 'mapped': ['/usr/sbin/nginx', '/usr/lib/libssl.so.3'], 'files': []},
        {'pid': 20, 'unit': 'cron.service', 'mapped': ['/usr/sbin/cron'], 'files': []},
        {'pid': 1, 'unit': None, 'mapped': ['/usr/lib/systemd/systemd'], 'files': []},
    ]
    plan = patch.predicted_restarts(processes, ['/usr/lib/libssl.so.3', '/usr/share/doc/libssl3'])
    assert plan['restart'] == ['nginx.service'] and not plan['reexec']
    assert patch.predicted_restarts(processes, ['/usr/lib/systemd/systemd'])['reexec'] is True


def test_kernel_outdated_compares_the_newest_in_boot_with_the_running_one():
    boot = ['config-6.1.0-26-amd64', 'vmlinuz-6.1.0-26-amd64', 'vmlinuz-6.1.0-9-amd64', 'initrd.img-6.1.0-26-amd64']
    assert patch.kernel_outdated('6.1.0-26-amd64', boot) is None
    assert patch.kernel_outdated('6.1.0-9-amd64', boot) == '6.1.0-26-amd64'  # 26 > 9, not as text
    assert patch.kernel_outdated('6.8.0-1-amd64', []) is None  # a container: no kernel in /boot


def test_not_installed_reads_dpkg_query_status():
    status = 'nginx ii \nwebstack-patch-test iF \nold-thing rc \nlibc6:amd64 ii \n'
    assert patch.not_installed(['nginx', 'webstack-patch-test', 'old-thing', 'libc6', 'nope'], status) == ['old-thing', 'nope']


def test_reboot_packages_in_order_without_repeats():
    assert patch.reboot_packages('linux-image-6.1.0-27-amd64\nlibc6\nlinux-image-6.1.0-27-amd64\n\n') == [
        'linux-image-6.1.0-27-amd64', 'libc6']
    assert patch.reboot_packages(None) == []
