# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Read the state of systemd units from ``systemctl show`` (shared by the facts modules)."""

from __future__ import annotations

PROPERTIES = ('Id', 'LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'MainPID', 'PIDFile', 'ExecMainStartTimestamp')
# What a socket unit listens on, as systemd loaded it (the socket that exists was made from these)
SOCKET_PROPERTIES = ('Listen', 'Backlog')


def show_command(systemctl: str, units, extra=()) -> list[str]:
    """The command that prints PROPERTIES (and extra) of every unit, blocks separated by a blank line."""
    return [systemctl, 'show', '--timestamp=unix', '--property=' + ','.join(PROPERTIES + tuple(extra)), '--'] + list(units)


def parse_show(text: str, units) -> dict:
    """Unit name to its state, from the output of :func:`show_command` (same order as ``units``)."""
    blocks = (text or '').strip('\n').split('\n\n') if text and text.strip() else []
    states = {}
    for unit, block in zip(units, blocks + [''] * (len(units) - len(blocks))):
        props = {}
        for line in block.splitlines():
            key, sep, value = line.partition('=')
            if sep:
                props[key] = value
        states[unit] = unit_state(props)
    return states


def unit_state(props: dict) -> dict:
    """The facts of one unit from its properties."""
    try:
        main_pid = int(props.get('MainPID') or 0)
    except ValueError:
        main_pid = 0
    active = props.get('ActiveState') or 'unknown'
    started = (props.get('ExecMainStartTimestamp') or '').lstrip('@')
    state = {
        'loaded': props.get('LoadState') == 'loaded',
        'state': active,
        'sub_state': props.get('SubState') or 'unknown',
        # running, not stopped, failed or restarting after a crash ("activating/auto-restart")
        'active': active == 'active',
        'running': active == 'active' and props.get('SubState') == 'running',
        'enabled': props.get('UnitFileState') in ('enabled', 'enabled-runtime', 'alias', 'static', 'indirect'),
        'unit_file_state': props.get('UnitFileState') or '',
        'main_pid': main_pid,
        'pid_file': props.get('PIDFile') or None,
        # when its main process started (seconds since the epoch), 0 when unknown
        'started': float(started) if started.replace('.', '', 1).isdigit() else 0.0,
    }
    if 'Listen' in props or 'Backlog' in props:
        # "Listen=/run/app/uwsgi.sock (Stream)": the path (or address) of the first listen
        state['listen'] = (props.get('Listen') or '').rsplit(' (', 1)[0]
        backlog = props.get('Backlog') or ''
        state['backlog'] = int(backlog) if backlog.isdigit() else None
    return state


def missing_state() -> dict:
    """The facts of a unit on a host without systemctl."""
    return unit_state({})
