# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the status_facts module reads on a host: nginx's last reload, the live files, the upstream servers.

Pure functions over text and numbers (the module reads /proc and the files),
so that each is unit-tested without a host.
"""

from __future__ import annotations

import os
import re

SERVER_RE = re.compile(r'^\s*server\s+(?P<address>[^\s;#]+)(?P<params>[^;#]*);(?:\s*#\s*host\s+(?P<host>\S+))?')
UPSTREAM_RE = re.compile(r'^\s*upstream\s+(?P<name>[^\s{]+)\s*\{')
CERTIFICATE_RE = re.compile(r'^\s*ssl_certificate\s+(?P<path>[^\s;]+)\s*;', re.MULTILINE)


def parse_upstreams(text: str) -> list[dict]:
    """Every ``server`` of every ``upstream`` block of an nginx file, in order.

    Each: ``upstream``, ``address``, ``host`` (the inventory host the site role
    notes after a server of ``servers_from_group``, else null), ``down``
    (drained: the site role's ``member`` entry point adds ``down``) and
    ``backup``.
    """
    servers, upstream = [], None
    for line in (text or '').splitlines():
        match = UPSTREAM_RE.match(line)
        if match:
            upstream = match.group('name')
            continue
        if line.strip().startswith('}'):
            upstream = None
            continue
        match = SERVER_RE.match(line)
        if match and upstream:
            params = match.group('params').split()
            servers.append({'upstream': upstream, 'address': match.group('address'), 'host': match.group('host'),
                            'down': 'down' in params, 'backup': 'backup' in params})
    return servers


def certificate_paths(text: str) -> list[str]:
    """The paths of the ``ssl_certificate`` directives of an nginx file (variables left out)."""
    return [path for path in CERTIFICATE_RE.findall(text or '') if '$' not in path]


def parse_stat(text: str) -> tuple[int, int] | None:
    """``(ppid, starttime in clock ticks since boot)`` from the text of /proc/<pid>/stat, or None."""
    # the command name is in parentheses and may hold spaces or parentheses itself
    fields = (text or '').rpartition(')')[2].split()
    if len(fields) < 20:
        return None
    try:
        return int(fields[1]), int(fields[19])
    except ValueError:
        return None


def started_at(start_ticks: int, ticks_per_second: int, uptime: float, now: float) -> float:
    """When a process started (seconds since the epoch), from its start in ticks since boot and the uptime now.

    (/proc/stat's btime is in whole seconds; uptime and ticks give 10 ms.)
    """
    return now - (uptime - float(start_ticks) / ticks_per_second)


def newest_child_start(stats: dict, parent: int, ticks_per_second: int, uptime: float, now: float) -> float:
    """The start (epoch seconds) of the newest child of ``parent`` (pid to /proc/<pid>/stat text), 0 when none.

    nginx starts new workers at every reload, while its master keeps running:
    the newest worker tells when nginx last loaded its configuration.
    """
    newest = 0.0
    for text in stats.values():
        parsed = parse_stat(text)
        if parsed and parsed[0] == parent:
            newest = max(newest, started_at(parsed[1], ticks_per_second, uptime, now))
    return newest


def newest_change(paths) -> tuple[float, str | None]:
    """``(mtime, path)`` of the most recently changed of ``paths`` (a link counts by itself and its target)."""
    newest, which = 0.0, None
    for path in paths:
        for stat in (os.lstat, os.stat):
            try:
                mtime = stat(path).st_mtime
            except OSError:
                continue
            if mtime > newest:
                newest, which = mtime, path
    return newest, which


def tree(directory: str) -> list[str]:
    """Every directory and file under ``directory`` (links listed, not followed), itself included."""
    found = [directory] if os.path.isdir(directory) else []
    for root, dirs, files in os.walk(directory):
        found.extend(os.path.join(root, name) for name in sorted(dirs) + sorted(files))
    return found
