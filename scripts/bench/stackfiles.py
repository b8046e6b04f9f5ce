# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The configuration files of the throughput stacks, as text: uWSGI ini files, systemd units, nginx files.

Pure functions from what site.yml rendered (the app's ini, unit and site) to
what throughput.py writes into the container, so that
tests/unit/scripts/test_bench_stackfiles.py checks them without Docker.
"""

from __future__ import annotations

import dataclasses
import re

from .settings import BenchError

# What the benchmark's uWSGI ini files never keep from the ini of (1).
DROPPED = ('socket', 'http-socket', 'stats', 'chmod-socket', 'chown-socket', 'add-header')

DEFAULT_WHATIF = '''same as (1), control (its ini under a plain unit, no sandboxing)||
uWSGI logs every request (disable-logging, log-4xx, log-5xx off)|disable-logging=,log-4xx=,log-5xx=|
nginx access_log off (app site)||access_log off;
thunder-lock on (the default until 2026-12-02)|thunder-lock=true|
max-requests 100000 (the previous leak guard)|max-requests=100000,max-worker-lifetime=,max-worker-lifetime-delta=|
recycles every ~3 s, all workers at once (max-requests 8000, min-worker-lifetime 1)|\
max-requests=8000,min-worker-lifetime=1,max-worker-lifetime=,max-worker-lifetime-delta=|
recycles every ~3 s, spread (max-worker-lifetime 3, delta 2)|max-worker-lifetime=3,max-worker-lifetime-delta=2,min-worker-lifetime=1|'''


def parse_ini(text: str) -> list:
    """[(key, value), ...] of a uWSGI ini's [uwsgi] section, in order (a key may repeat: env)."""
    pairs, inside = [], False
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in ';#':
            continue
        if line.startswith('['):
            inside = line == '[uwsgi]'
        elif inside and '=' in line:
            key, value = line.split('=', 1)
            pairs.append((key.strip(), value.strip()))
    return pairs


def ini_get(pairs, key, default=None):
    for name, value in pairs:
        if name == key:
            return value
    return default


def render_ini(pairs, comment='') -> str:
    head = ''.join('; %s\n' % line for line in comment.splitlines())
    return head + '[uwsgi]\n' + ''.join('%s = %s\n' % pair for pair in pairs)


def set_options(pairs, options) -> list:
    """The pairs with options applied: a key's value replaced where it first was (or added at the end), or the
    key removed when its value is None or ''."""
    out, done = [], set()
    for key, value in pairs:
        if key in options:
            if key not in done and options[key] not in (None, ''):
                out.append((key, options[key]))
            done.add(key)
        else:
            out.append((key, value))
    out += [(key, value) for key, value in options.items() if key not in done and value not in (None, '')]
    return out


def with_socket(pairs, socket_pairs) -> list:
    """The pairs with socket_pairs after the plugin line, instead of every socket option they had (DROPPED)."""
    kept = [(key, value) for key, value in pairs if key not in DROPPED]
    at = max((index + 1 for index, pair in enumerate(kept) if pair[0] == 'plugin'), default=0)
    return kept[:at] + list(socket_pairs) + kept[at:]


def alone_ini(pairs, address) -> list:
    """The ini with an HTTP socket on address instead of its uwsgi socket.

    http-socket closes the connection after each response (uWSGI 2.0 keeps a
    connection only with http11-socket, which ties a sync worker to one client
    and starves wrk's other connections): say so in a header, or wrk counts
    every close as a read error.
    """
    return with_socket(pairs, [('http-socket', address), ('add-header', 'Connection: close')])


def unix_socket_ini(pairs, socket, owner) -> list:
    """The ini on a unix socket uWSGI makes itself (no systemd socket), which nginx's group may use."""
    return with_socket(pairs, [('socket', socket), ('chmod-socket', '660'), ('chown-socket', owner)])


def _app_ini(pairs, settings) -> list:
    """settings between what every stack shares with (1): the plugin first; the release directory, its
    virtualenv, the module and the environment (env lines) after."""
    plugin = [(key, value) for key, value in pairs if key == 'plugin']
    app = [(key, value) for key, value in pairs if key in ('chdir', 'virtualenv', 'module')]
    return plugin + list(settings) + app + [(key, value) for key, value in pairs if key == 'env']


def seed_ini(pairs) -> list:
    """(2) The seed: uWSGI over TCP, 4 processes x 2 threads, chmod-socket 666, request log on (its default)."""
    return _app_ini(pairs, [('master', 'true'), ('processes', '4'), ('threads', '2'), ('socket', '127.0.0.1:5001'),
                            ('chmod-socket', '666'), ('vacuum', 'true'), ('die-on-term', 'true')])


def reference_ini(pairs, socket, owner) -> list:
    """(4) Hand-tuned: 2 processes, no threads, master, single-interpreter, disable-logging, a unix socket."""
    return _app_ini(pairs, [('master', 'true'), ('processes', '2'), ('single-interpreter', 'true'),
                            ('disable-logging', 'true'), ('socket', socket), ('chmod-socket', '660'),
                            ('chown-socket', owner), ('vacuum', 'true'), ('die-on-term', 'true')])


def unit_value(unit_text, key, default=None):
    """The first Key= value of a systemd unit file."""
    for line in unit_text.splitlines():
        if line.startswith(key + '='):
            return line[len(key) + 1:].strip()
    return default


def exec_start_with_ini(unit_text, ini) -> str:
    """The ExecStart of the app's unit (its environment file and uWSGI binary) with another --ini."""
    command = unit_value(unit_text, 'ExecStart')
    if not command or not re.search(r'--ini \S+', command):
        raise ValueError('no ExecStart with --ini in the unit:\n%s' % unit_text)
    return re.sub(r'--ini \S+', lambda match: '--ini ' + ini, command, count=1)


def bench_unit(description, exec_start, user, group, supplementary_group, runtime_directory=None) -> str:
    """A plain unit for a uWSGI of the benchmark (no sandboxing, no systemd socket)."""
    lines = ['[Unit]', 'Description=webstack bench: ' + description, '', '[Service]', 'User=' + user,
             'Group=' + group, 'SupplementaryGroups=' + supplementary_group]
    if runtime_directory:
        lines += ['RuntimeDirectory=' + runtime_directory, 'RuntimeDirectoryMode=0755']
    lines += ['ExecStart=' + exec_start, 'KillSignal=SIGTERM', 'TimeoutStopSec=30']
    return '\n'.join(lines) + '\n'


def reference_nginx_conf(debian_conf, pid, include) -> str:
    """Debian's nginx.conf with its own pid file and one include instead of conf.d and sites-enabled.

    Nothing else changes: the same workers, events, logs, gzip and TLS settings
    a hand-written setup starts from.
    """
    replacements = [
        (r'^(\s*)pid\s+\S+;', r'\1pid %s;' % pid),
        (r'^(\s*)include\s+/etc/nginx/conf\.d/\*\.conf;', r'\1include %s;' % include),
        (r'^(\s*)(include\s+/etc/nginx/sites-enabled/\*;)', r'\1# (webstack bench) \2'),
    ]
    for pattern, replacement in replacements:
        debian_conf, count = re.subn(pattern, replacement, debian_conf, count=1, flags=re.M)
        if count != 1:
            raise ValueError("Debian's nginx.conf has no line matching %s" % pattern)
    return debian_conf


def uwsgi_server(port, upstream, directives=()) -> str:
    """A server that sends everything to a uWSGI, written the way the nginx docs and most guides do."""
    extra = ''.join('    %s\n' % line for line in directives)
    return ('server {\n    listen %d;\n%s    location / {\n        uwsgi_pass %s;\n        include uwsgi_params;\n'
            '    }\n}\n' % (port, extra, upstream))


def variant_site(site_text, port, old_socket, new_socket, directives=()) -> str:
    """The app hosts' site on another port (its first listen line, without default_server; the others go) and
    socket, with directives added to the server."""
    listens = list(re.finditer(r'^(\s*listen\s+)[^;]+;\n', site_text, flags=re.M))
    if not listens:
        raise ValueError('the site has no listen line')
    text = re.sub(r'^\s*listen\s+[^;]+;\n', '', site_text[listens[0].end():], flags=re.M)
    text = site_text[:listens[0].start()] + '%s%d;\n' % (listens[0].group(1), port) + text
    text, count = re.subn(r'uwsgi_pass unix:%s;' % re.escape(old_socket), 'uwsgi_pass unix:%s;' % new_socket, text)
    if not count:
        raise ValueError('the site does not send requests to unix:%s' % old_socket)
    if directives:
        extra = ''.join('    %s\n' % line for line in directives)
        text, count = re.subn(r'^(\s*server_name [^;]*;\n)', lambda match: match.group(1) + extra, text, count=1,
                              flags=re.M)
        if not count:
            raise ValueError('the site has no server_name line')
    return text


@dataclasses.dataclass
class Variant:
    label: str
    options: dict
    directives: list


def parse_whatif_list(text) -> list:
    """Variants from lines "label|uWSGI options|nginx directives": options "key=value,key=" (an empty value
    removes the option), directives separated by ";" (each gets its ";" back)."""
    variants = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split('|')
        if len(fields) != 3 or not fields[0].strip():
            raise BenchError('BENCH_WHATIF_LIST line %d: want "label|options|nginx directives", got %r'
                             % (number, line))
        options = {}
        for item in filter(None, (item.strip() for item in fields[1].split(','))):
            if '=' not in item:
                raise BenchError('BENCH_WHATIF_LIST line %d: option %r is not key=value' % (number, item))
            key, value = item.split('=', 1)
            options[key.strip()] = value.strip()
        directives = ['%s;' % d.strip() for d in fields[2].split(';') if d.strip()]
        variants.append(Variant(fields[0].strip(), options, directives))
    return variants
