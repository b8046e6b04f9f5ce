# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure helpers to parse ``nginx -V`` output and nginx configuration text.

Nothing in here touches the filesystem or runs commands, so it can be unit
tested directly and shared by modules and plugins.
"""

from __future__ import annotations

import os
import re
import shlex

# First nginx release with the standalone ``http2 on;`` directive.
HTTP2_DIRECTIVE_MIN_VERSION = (1, 25, 1)

# Keys of the ``paths`` fact and the configure option each one comes from.
PATH_OPTIONS = (
    ('prefix', '--prefix'),
    ('conf_path', '--conf-path'),
    ('error_log_path', '--error-log-path'),
    ('http_log_path', '--http-log-path'),
    ('pid_path', '--pid-path'),
    ('modules_path', '--modules-path'),
    ('sbin_path', '--sbin-path'),
)

# ``--with-NAME`` switches that build a module although NAME lacks ``_module``.
_BARE_MODULE_SWITCHES = ('mail', 'stream')

_VERSION_RE = re.compile(
    r'^\s*[\w.-]+ version:\s*(?P<flavor>[A-Za-z][\w.-]*)/(?P<version>\d+(?:\.\d+)*)',
    re.IGNORECASE | re.MULTILINE,
)
_BUILT_OPENSSL_RE = re.compile(r'built with OpenSSL\s+(\S+)')
_RUNNING_OPENSSL_RE = re.compile(r'running with OpenSSL\s+([^\s)]+)')
_TLS_SNI_RE = re.compile(r'^\s*TLS SNI support enabled', re.MULTILINE)
_CONFIGURE_RE = re.compile(r'^\s*configure arguments:(.*)$', re.MULTILINE)


def version_tuple(v: str) -> tuple[int, ...]:
    """Turn ``"1.26.3"`` (or ``"1.21.4.1rc2"``) into ``(1, 26, 3)`` / ``(1, 21, 4, 1)``.

    Raises ValueError when the string does not start with a number.
    """
    match = re.match(r'\d+(?:\.\d+)*', (v or '').strip())
    if not match:
        raise ValueError('not a version string: %r' % (v,))
    return tuple(int(part) for part in match.group(0).split('.'))


def supports_http2_directive(version: str | None) -> bool:
    """True when nginx *version* knows the standalone ``http2 on;`` directive (>= 1.25.1).

    Older releases need ``listen ... ssl http2;`` instead. Unknown or
    unparsable versions return False (the old syntax is the safe choice).
    """
    try:
        return version_tuple(version or '') >= HTTP2_DIRECTIVE_MIN_VERSION
    except ValueError:
        return False


def empty_facts() -> dict:
    """The fact structure with every value null/empty (nginx not installed)."""
    paths = dict((key, None) for key, dummy in PATH_OPTIONS)
    paths['conf_dir'] = None
    return {
        'installed': False,
        'binary': None,
        'flavor': None,
        'version': None,
        'version_info': [],
        'configure_arguments': [],
        'modules': [],
        'dynamic_modules': [],
        'paths': paths,
        'user': None,
        'group': None,
        'http2_directive': False,
        'http3': False,
        'ssl': False,
        'tls_sni': False,
        'openssl_version': None,
        'openssl_runtime_version': None,
    }


def split_configure_arguments(line: str) -> list[str]:
    """Split the text after ``configure arguments:`` like a shell would."""
    try:
        return shlex.split(line)
    except ValueError:  # unbalanced quotes: fall back to plain whitespace split
        return line.split()


def configure_option(args: list[str], name: str) -> str | None:
    """Value of the last ``name=value`` configure argument, or None."""
    value = None
    prefix = name + '='
    for arg in args:
        if arg.startswith(prefix):
            value = arg[len(prefix):]
    return value


def modules_from_configure(args: list[str]) -> list[str]:
    """Sorted modules compiled in according to the configure arguments.

    * ``--with-X_module`` and ``--with-X_module=dynamic`` give ``X_module``;
    * ``--with-mail`` / ``--with-stream`` (also ``=dynamic``) give ``mail`` / ``stream``;
    * ``--add-module=PATH`` and ``--add-dynamic-module=PATH`` give ``basename(PATH)``.

    Modules that nginx builds by default (no ``--with-`` switch) are not listed,
    and ``--without-...`` switches are ignored. Modules built as ``=dynamic`` are
    listed as well: they are available but need a ``load_module`` line.
    """
    modules = set()
    for arg in args:
        if arg.startswith('--with-'):
            name, sep, value = arg[len('--with-'):].partition('=')
            if sep and value != 'dynamic':
                continue  # e.g. --with-openssl=/path, --with-cc-opt=...
            if name.endswith('_module') or name in _BARE_MODULE_SWITCHES:
                modules.add(name)
        elif arg.startswith('--add-module=') or arg.startswith('--add-dynamic-module='):
            path = arg.partition('=')[2].rstrip('/')
            if path:
                modules.add(os.path.basename(path))
    return sorted(modules)


def parse_nginx_v(output: str) -> dict:
    """Parse the output of ``nginx -V`` (stdout and stderr concatenated).

    Returns the fact structure of :func:`empty_facts` with ``installed`` true.
    ``user``/``group`` come from ``--user=``/``--group=`` here; the caller may
    override them with the ``user`` directive of the configuration file.
    ``dynamic_modules`` is left empty (it depends on files on the host).
    """
    facts = empty_facts()
    facts['installed'] = True
    output = output or ''

    match = _VERSION_RE.search(output)
    if match:
        facts['flavor'] = match.group('flavor').lower()
        facts['version'] = match.group('version')
        facts['version_info'] = list(version_tuple(facts['version']))

    args = []
    match = _CONFIGURE_RE.search(output)
    if match:
        args = split_configure_arguments(match.group(1).strip())
    facts['configure_arguments'] = args
    facts['modules'] = modules_from_configure(args)

    paths = facts['paths']
    for key, option in PATH_OPTIONS:
        paths[key] = configure_option(args, option)
    if paths['conf_path']:
        paths['conf_dir'] = os.path.dirname(paths['conf_path'])

    facts['user'] = configure_option(args, '--user')
    facts['group'] = configure_option(args, '--group')

    facts['http2_directive'] = supports_http2_directive(facts['version'])
    facts['http3'] = 'http_v3_module' in facts['modules']
    facts['ssl'] = 'http_ssl_module' in facts['modules']
    facts['tls_sni'] = bool(_TLS_SNI_RE.search(output))

    match = _BUILT_OPENSSL_RE.search(output)
    if match:
        facts['openssl_version'] = match.group(1)
    match = _RUNNING_OPENSSL_RE.search(output)
    if match:
        facts['openssl_runtime_version'] = match.group(1)
    return facts


def _top_level_statements(conf_text: str):
    """Yield the token lists of the top-level (main context) directives.

    Handles ``#`` comments, single/double quotes, backslash escapes and
    directives spread over several lines; skips everything inside blocks.
    """
    depth = 0
    tokens = []
    token = []
    in_token = False
    quote = None
    comment = False
    chars = iter(conf_text or '')
    for char in chars:
        if comment:
            if char == '\n':
                comment = False
            continue
        if quote:
            if char == '\\':
                token.append(next(chars, ''))
            elif char == quote:
                quote = None
            else:
                token.append(char)
            continue
        if char in '"\'':
            quote = char
            in_token = True
            continue
        if char == '\\':
            token.append(next(chars, ''))
            in_token = True
            continue
        if char.isspace() or char in '#;{}':
            if in_token:
                tokens.append(''.join(token))
                token = []
                in_token = False
            if char == '#':
                comment = True
            elif char == ';':
                if depth == 0 and tokens:
                    yield tokens
                tokens = []
            elif char == '{':
                depth += 1
                tokens = []
            elif char == '}':
                depth = max(depth - 1, 0)
                tokens = []
            continue
        token.append(char)
        in_token = True


def parse_user_directive(conf_text: str) -> tuple[str | None, str | None]:
    """Return ``(user, group)`` of the first top-level ``user`` directive.

    ``group`` is None when the directive names only the user (nginx then uses
    a group with the same name as the user). ``(None, None)`` when absent.
    ``include`` files are not followed.
    """
    for tokens in _top_level_statements(conf_text):
        if tokens[0] == 'user' and len(tokens) >= 2:
            return tokens[1], (tokens[2] if len(tokens) >= 3 else None)
    return None, None


def parse_load_modules(conf_text: str) -> list[str]:
    """Module names (``.so`` basename without extension) of ``load_module`` lines."""
    names = []
    for tokens in _top_level_statements(conf_text):
        if tokens[0] == 'load_module' and len(tokens) >= 2:
            name = os.path.basename(tokens[1])
            if name.endswith('.so'):
                name = name[:-3]
            if name:
                names.append(name)
    return names
