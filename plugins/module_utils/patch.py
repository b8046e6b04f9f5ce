# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a package upgrade of a Debian host would change and what it left to do (the patch_facts module).

Pure functions over what the host prints or holds in /proc, so that they are unit-tested without a host:

* :func:`parse_simulation` - the packages ``apt-get -s`` would install, from its ``Inst`` lines;
* :func:`mapped_files` / :func:`unit_of` / :func:`restart_plan` - the systemd services whose processes still
  map files that an upgrade replaced (the check Debian's needrestart makes, by the same rule: a mapped file
  ``(deleted)`` outside the temporary and virtual file systems);
* :func:`not_installed` - the listed packages dpkg does not have installed.
"""

from __future__ import annotations

import re

# "Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])"
# "Inst newdep (1.0-1 Debian:12/stable [all])"  (a new package an upgrade pulls in)
_INST = re.compile(r'^Inst (?P<name>\S+)(?: \[(?P<old>[^\]]+)\])? \((?P<new>\S+)(?P<origin>[^)]*)\)')

# Mapped files that are not the program's own: temporary and virtual file systems, shared memory. A file
# replaced there means nothing for a restart (needrestart's default blacklist of mappings).
_IGNORED_PREFIXES = ('/dev/', '/proc/', '/sys/', '/run/', '/tmp/', '/var/tmp/', '/memfd:', '/SYSV', '/drm',
                     '/[aio]', '/anon_hugepage', '/var/lib/', '/var/cache/', '/var/log/', '/home/', '/root/')


def parse_simulation(text: str) -> list[dict]:
    """The packages ``apt-get -s upgrade|install`` would install: name, installed version (None for a new package)
    and candidate version, in apt's order."""
    found = []
    for line in (text or '').splitlines():
        match = _INST.match(line.strip())
        if match:
            found.append({'name': match.group('name').split(':')[0], 'from': match.group('old'),
                          'to': match.group('new'), 'origin': match.group('origin').strip()})
    return found


def mapped_files(maps: str, exe: str | None = None) -> tuple[list[str], list[str]]:
    """The files a process maps (``/proc/<pid>/maps``) or runs (``/proc/<pid>/exe`` target), and those of them
    that were deleted (replaced by an upgrade), except those of temporary and virtual file systems."""
    files, deleted = set(), set()
    paths = [line.split(None, 5)[5] for line in (maps or '').splitlines() if len(line.split(None, 5)) == 6]
    if exe:
        paths.append(exe)
    for path in paths:
        gone = path.endswith(' (deleted)')
        if gone:
            path = path[:-len(' (deleted)')]
        if path.startswith('/') and not path.startswith(_IGNORED_PREFIXES):
            (deleted if gone else files).add(path)
    return sorted(files), sorted(deleted)


def unit_of(cgroup: str) -> str | None:
    """The systemd service a process belongs to, from ``/proc/<pid>/cgroup``: the last ``*.service`` of its
    path (under Docker with the host's cgroup namespace the path starts with the container's scope). None for a
    process of a session or of no service (a login shell, ansible's own connection)."""
    for line in (cgroup or '').splitlines():
        # cgroup v2: "0::/system.slice/nginx.service"; v1: "1:name=systemd:/system.slice/nginx.service"
        path = line.split(':', 2)[-1]
        units = [part for part in path.split('/') if part.endswith('.service')]
        if units:
            unit = units[-1]
            # user@0.service is a user's own manager: its processes are the user's, not a service to restart
            return None if unit.startswith('user@') else unit
    return None


def restart_plan(processes, exclude=()) -> dict:
    """From ``processes`` (dicts: pid, unit, files - the deleted files it maps), the services to restart, in
    name order, and those left alone (``exclude``: fnmatch patterns), each with the replaced files it uses.
    PID 1 (systemd itself) is reported as ``reexec``: it takes ``systemctl daemon-reexec``, not a restart."""
    import fnmatch

    restart, skipped, reexec = {}, {}, False
    for process in processes:
        if not process.get('files'):
            continue
        if process.get('pid') == 1:
            reexec = True
            continue
        unit = process.get('unit')
        if not unit:
            continue
        target = skipped if any(fnmatch.fnmatchcase(unit, pattern) for pattern in exclude) else restart
        target.setdefault(unit, set()).update(process['files'])
    return {
        'restart': sorted(restart),
        'skipped': sorted(skipped),
        'reexec': reexec,
        'files': dict((unit, sorted(files)) for unit, files in sorted(list(restart.items()) + list(skipped.items()))),
    }


def predicted_restarts(processes, package_files, exclude=()) -> dict:
    """The services that an upgrade replacing ``package_files`` would leave on replaced files: those whose
    processes (dicts: pid, unit, mapped - the files they map or run) use one of them. Same form as
    :func:`restart_plan`."""
    wanted = set(package_files)
    return restart_plan([dict(process, files=sorted(set(process.get('mapped') or ()) & wanted))
                         for process in processes], exclude)


def _natural(text: str):
    return [(0, int(part), '') if part.isdigit() else (1, 0, part) for part in re.split(r'(\d+)', text) if part]


def kernel_outdated(running: str, boot_files) -> str | None:
    """The newest kernel release of ``/boot`` (``vmlinuz-<release>`` files) when it is not the ``running`` one
    (``uname -r``), else None - also when /boot holds no kernel (a container)."""
    releases = [name[len('vmlinuz-'):] for name in boot_files if name.startswith('vmlinuz-')]
    if not releases:
        return None
    newest = max(releases, key=_natural)
    return newest if newest != running else None


def not_installed(names, status_text: str) -> list[str]:
    """The names of ``names`` that dpkg has not installed, from ``dpkg-query -W -f '${Package} ${db:Status-Abbrev}\\n'``
    (an installed package shows ``ii``; dpkg-query prints nothing for a package it does not know)."""
    installed = set()
    for line in (status_text or '').splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1][1:2] in ('i', 'U', 'F', 'H', 'W', 't'):
            # a package configured or half-way (a failed postinst leaves it "iF"): it is there to upgrade
            installed.add(parts[0].split(':')[0])
    return [name for name in names if name not in installed]


def reboot_packages(text: str | None) -> list[str]:
    """The packages ``/run/reboot-required.pkgs`` names (one per line, in order, without repeats)."""
    seen = []
    for line in (text or '').splitlines():
        name = line.strip()
        if name and name not in seen:
            seen.append(name)
    return seen
