# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import patch_rules, role_input

ROLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'patch')
GOOD = {'patch_packages': [], 'patch_reboot': 'auto', 'patch_reboot_timeout': 600,
        'patch_boot_id_command': 'cat /proc/sys/kernel/random/boot_id', 'patch_restart_exclude': ['dbus.service'],
        'patch_update_lists': True, 'patch_serving': False, 'patch_validated': False}
FACTS = {'distribution': 'Debian', 'distribution_major_version': '12', 'distribution_release': 'bookworm'}


def test_good_values_pass():
    assert patch_rules.problems(dict(GOOD, patch_packages=['openssl', 'libssl3', 'g++-12', 'nginx-common'])) == []


def test_bad_values_are_named():
    out = patch_rules.problems(dict(GOOD, patch_packages=['openssl', 'Bad Name', 'openssl'], patch_reboot_timeout=5,
                                    patch_boot_id_command=' ', patch_restart_exclude=['dbus service']))
    assert out == [
        'patch_packages[1] (Bad Name) is not a Debian package name (lower case letters, digits, + - .).',
        'patch_packages names openssl more than once.',
        'patch_reboot_timeout (5) must be 30 seconds or more.',
        'patch_boot_id_command must not be empty (the reboot needs a command whose output a boot changes).',
        "patch_restart_exclude[0] ('dbus service') must be a unit name or pattern (no spaces).",
    ]


def test_role_input_runs_spec_then_rules():
    assert role_input.problems(GOOD, ROLE, FACTS, 'app1') == []
    spec = role_input.problems(dict(GOOD, patch_reboot='sometimes'), ROLE, FACTS, 'app1')
    assert len(spec) == 1 and 'patch_reboot' in spec[0] and 'sometimes' in spec[0]
    assert role_input.problems(dict(GOOD, patch_packages=['A']), ROLE, FACTS, 'app1') == [
        'patch_packages[0] (A) is not a Debian package name (lower case letters, digits, + - .).']


READ = {
    'upgrades': [{'name': 'webstack-patch-test', 'from': '1.0', 'to': '1.1', 'origin': 'local [all]'},
                 {'name': 'newdep', 'from': None, 'to': '2.0', 'origin': 'local [all]'}],
    'unknown': [], 'unconfigured': False, 'restart': [], 'skipped': [], 'reexec': False,
    'predicted': {'restart': ['nginx.service', 'webstack-patch-test.service'], 'skipped': [], 'reexec': False},
    'reboot_required': False, 'reboot_packages': [], 'kernel': None,
}


def test_plan_before_lists_upgrades_and_predicted_restarts():
    plan = patch_rules.plan(READ)
    assert plan['todo']
    assert plan['install'] == ['webstack-patch-test=1.1']
    assert plan['restart'] == ['nginx.service', 'webstack-patch-test.service']
    assert not plan['reboot'] and plan['problems'] == []
    assert plan['summary'] == ('upgrade webstack-patch-test 1.0 -> 1.1, newdep (new) -> 2.0; '
                               'restart nginx.service, webstack-patch-test.service')


def test_plan_of_an_idle_host():
    plan = patch_rules.plan(dict(READ, upgrades=[], predicted={}))
    assert not plan['todo'] and plan['summary'] == 'nothing to upgrade, restart or reboot'
    # an earlier run left a service on replaced files, or a package unconfigured: something to do
    assert patch_rules.plan(dict(READ, upgrades=[], predicted={}, restart=['cron.service']))['todo']
    assert patch_rules.plan(dict(READ, upgrades=[], predicted={}, unconfigured=True))['todo']


def test_plan_names_packages_a_host_lacks():
    plan = patch_rules.plan(dict(READ, unknown=['nope', 'gone']), host='app2')
    assert plan['problems'] == ['patch_packages: nope, gone not installed on app2; list only packages every host of '
                                'the run has (or leave patch_packages empty for every upgradable package).']


def test_after_nginx_moves_to_its_binary_and_others_restart():
    after = patch_rules.plan(dict(READ, restart=['nginx.service', 'cron.service'], predicted={}), upgraded=True)
    assert after['restart'] == ['cron.service'] and after['nginx_binary'] and not after['reboot']
    assert after['summary'] == ('upgraded webstack-patch-test 1.0 -> 1.1, newdep (new) -> 2.0; restarted cron.service, '
                                'nginx.service (new binary, gracefully)')


def test_reboot_when_asked_and_not_when_serving_alone():
    asked = dict(READ, restart=['nginx.service'], predicted={}, reboot_required=True,
                 reboot_packages=['webstack-patch-test'])
    after = patch_rules.plan(asked, upgraded=True)
    assert after['reboot'] and not after['nginx_binary'] and after['restart'] == []
    assert after['reboot_reason'] == 'the host asks for it (webstack-patch-test)'
    alone = patch_rules.plan(asked, serving=True, upgraded=True)
    assert not alone['reboot'] and alone['nginx_binary']
    assert alone['gaps'] == ['reboot needed (the host asks for it (webstack-patch-test)), not made: the host serves '
                             'alone meanwhile - reboot it in a maintenance window, or run with patch_reboot=always']
    assert patch_rules.plan(asked, reboot='always', serving=True, upgraded=True)['reboot']
    never = patch_rules.plan(asked, reboot='never', upgraded=True)
    assert not never['reboot'] and 'patch_reboot is never' in never['summary']
    kernel = patch_rules.plan(dict(READ, kernel='6.1.0-27-amd64', predicted={}), upgraded=False)
    assert kernel['reboot'] and kernel['reboot_reason'] == 'kernel 6.1.0-27-amd64 is installed and not running'
    always = patch_rules.plan(dict(READ, predicted={}), reboot='always', upgraded=True)
    assert always['reboot'] and always['reboot_reason'] == 'patch_reboot is always'
    assert not patch_rules.plan(dict(READ, predicted={}), reboot='always', upgraded=False)['reboot']


def test_excluded_services_are_a_gap():
    after = patch_rules.plan(dict(READ, skipped=['dbus.service'], predicted={}), upgraded=True)
    assert after['gaps'] == ['not restarted (patch_restart_exclude): dbus.service - they use replaced files until a '
                             'reboot']


def test_after_an_upgrade_unconfigured_is_not_an_action():
    after = patch_rules.plan(dict(READ, unconfigured=True, predicted={}), upgraded=True)
    assert 'unconfigured' not in after['summary'] and after['summary'].startswith('upgraded webstack-patch-test')
