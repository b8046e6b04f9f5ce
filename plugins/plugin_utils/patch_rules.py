# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rules and the plan of the patch role (package upgrades, restarts and reboots; playbooks/patch.yml).

:func:`problems` checks the ``patch_*`` variables that the argument spec cannot; :func:`plan` turns what the
``patch_facts`` module read on a host - before the upgrade or after it - into what the role and the playbook do
(upgrade, restart, re-execute systemd, reboot) and the words of the report, once, on the controller.
"""

from __future__ import annotations

import re

# Debian Policy 5.6.1: lower case letters, digits, + - . ; at least two characters, starting alphanumerically
PACKAGE_RE = re.compile(r'^[a-z0-9][a-z0-9+.-]+$')
NGINX = 'nginx.service'


def problems(values: dict) -> list[str]:
    """What is wrong with the ``patch_*`` variables (their types passed the argument spec)."""
    out = []
    for index, name in enumerate(values.get('patch_packages') or []):
        if not PACKAGE_RE.match(str(name)):
            out.append('patch_packages[%d] (%s) is not a Debian package name (lower case letters, digits, + - .).'
                       % (index, name))
    seen = [name for index, name in enumerate(values.get('patch_packages') or [])
            if name in (values.get('patch_packages') or [])[:index]]
    if seen:
        out.append('patch_packages names %s more than once.' % ', '.join(sorted(set(seen))))
    timeout = values.get('patch_reboot_timeout')
    if not isinstance(timeout, int) or timeout < 30:
        out.append('patch_reboot_timeout (%s) must be 30 seconds or more.' % timeout)
    if not str(values.get('patch_boot_id_command') or '').strip():
        out.append('patch_boot_id_command must not be empty (the reboot needs a command whose output a boot changes).')
    for index, pattern in enumerate(values.get('patch_restart_exclude') or []):
        if not str(pattern).strip() or re.search(r'\s', str(pattern)):
            out.append('patch_restart_exclude[%d] (%r) must be a unit name or pattern (no spaces).' % (index, pattern))
    return out


def unknown_message(host: str, unknown) -> str:
    return ('patch_packages: %s not installed on %s; list only packages every host of the run has (or leave '
            'patch_packages empty for every upgradable package).' % (', '.join(unknown), host))


def _reboot(read: dict, reboot: str, serving: bool, upgraded: bool) -> tuple[bool, str]:
    """Whether to reboot and why (the words of the report)."""
    why = []
    if read.get('reboot_required'):
        why.append('the host asks for it (%s)' % (', '.join(read.get('reboot_packages') or []) or 'reboot-required'))
    if read.get('kernel'):
        why.append('kernel %s is installed and not running' % read['kernel'])
    if reboot == 'always' and upgraded:
        why.append('patch_reboot is always')
    if not why:
        return False, ''
    if reboot == 'never':
        return False, 'needed (%s), not made: patch_reboot is never' % '; '.join(why)
    if serving and reboot != 'always':
        return False, ('needed (%s), not made: the host serves alone meanwhile - reboot it in a maintenance window, '
                       'or run with patch_reboot=always' % '; '.join(why))
    return True, '; '.join(why)


def plan(read: dict, reboot: str = 'auto', serving: bool = False, upgraded=None, host: str = 'this host') -> dict:
    """What to do on a host, from a ``patch_facts`` result.

    Before the upgrade (``upgraded`` None): ``upgrades`` (the packages apt would upgrade, with versions),
    ``restart`` (services the upgrade would leave on replaced files, and those on replaced files already),
    ``reboot`` and ``todo`` (whether the host has anything to do - an upgrade, a restart or reboot left by an
    earlier run, or a package dpkg left unconfigured). After it (``upgraded`` true or false): ``restart`` (the
    services on replaced files, nginx apart: ``nginx_binary`` - it moves to its new binary gracefully),
    ``reexec``, ``reboot`` and ``gaps`` (what a serving host was not given)."""
    read = dict(read or {})
    after = upgraded is not None
    upgrades = [dict(item) for item in read.get('upgrades') or []]
    restart = list(read.get('restart') or [])
    skipped = list(read.get('skipped') or [])
    reexec = bool(read.get('reexec'))
    if not after:
        predicted = read.get('predicted') or {}
        restart = sorted(set(restart) | set(predicted.get('restart') or []))
        skipped = sorted(set(skipped) | set(predicted.get('skipped') or []))
        reexec = reexec or bool(predicted.get('reexec'))
    do_reboot, why = _reboot(read, reboot, serving, bool(upgraded) if after else bool(upgrades))
    result = {
        'upgrades': upgrades,
        # the versions the plan listed, exactly (a newer one published meanwhile waits for the next run)
        'install': ['%s=%s' % (item['name'], item['to']) for item in upgrades if item.get('from')],
        'unconfigured': bool(read.get('unconfigured')),
        'restart': [unit for unit in restart if unit != NGINX] if after else restart,
        'nginx_binary': after and NGINX in restart and not do_reboot,
        'skipped': skipped,
        'reexec': reexec and not do_reboot,
        'reboot': do_reboot,
        'reboot_reason': why,
        'gaps': [],
        'problems': [unknown_message(host, read['unknown'])] if read.get('unknown') and not after else [],
    }
    result['todo'] = bool(upgrades or restart or reexec or do_reboot or result['unconfigured'])
    if after and why and not do_reboot:
        result['gaps'].append('reboot ' + why)
    if skipped:
        result['gaps'].append('not restarted (patch_restart_exclude): %s - they use replaced files until a reboot'
                              % ', '.join(skipped))
    result['summary'] = summary(result, after)
    return result


def _versions(upgrades) -> str:
    return ', '.join('%s %s -> %s' % (item['name'], item.get('from') or '(new)', item['to']) for item in upgrades)


def summary(result: dict, after: bool = False) -> str:
    """One line for the report: what is (or was) upgraded, restarted, rebooted."""
    if not result['todo']:
        return 'nothing to upgrade, restart or reboot'
    parts = []
    if result['upgrades']:
        parts.append(('upgraded ' if after else 'upgrade ') + _versions(result['upgrades']))
    if result['unconfigured'] and not after:
        parts.append('finish the packages dpkg left unconfigured')
    restart = list(result['restart']) + ([NGINX + ' (new binary, gracefully)'] if result.get('nginx_binary') else [])
    if restart:
        parts.append(('restarted ' if after else 'restart ') + ', '.join(restart))
    if result['reexec']:
        parts.append('re-execute systemd')
    if result['reboot']:
        parts.append(('rebooted: ' if after else 'reboot: ') + result['reboot_reason'])
    parts.extend(result['gaps'])
    return '; '.join(parts)
