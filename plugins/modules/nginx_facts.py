#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: nginx_facts
short_description: Gather facts about the nginx installed on the host
version_added: 0.1.0
description:
  - Runs C(nginx -V) and reports the version, compiled-in modules, build paths,
    worker user and TLS library of the nginx installed on the managed host, so
    roles can pick version-correct configuration syntax.
  - Read-only; it never changes anything and always returns C(changed=false).
  - When the nginx binary is not found the module still succeeds, with
    RV(nginx.installed=false) and every other value null or empty. This makes
    it safe to call in check mode on a host where nginx is not installed yet.
  - The worker user is read from the first top-level C(user) directive of
    O(conf_path); files pulled in with C(include) are not followed.
options:
  binary:
    description:
      - The nginx executable.
      - When not an absolute path it is looked up in E(PATH) and the usual
        C(sbin) directories.
    type: path
    default: nginx
  service:
    description:
      - systemd unit of nginx whose state is reported in RV(nginx.service); empty to skip.
    type: str
    default: nginx
  conf_path:
    description:
      - Main nginx configuration file to read the C(user) directive from.
      - Defaults to the C(--conf-path) configure argument of the binary, or
        C(/etc/nginx/nginx.conf) when the binary does not report one.
    type: path
  distribution:
    description:
      - Also return the facts of the distribution (C(ansible_facts.distribution),
        C(distribution_version), C(distribution_major_version),
        C(distribution_release), C(os_family), ...), gathered by the same code
        as the C(distribution) subset of M(ansible.builtin.setup), and
        C(ansible_facts.architecture) as its C(platform) subset gives it, so
        that a role needs no separate C(setup) round trip to the host.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
  platform:
    platforms: posix
notes:
  - O(binary) is executed with C(-V) even in check mode; that is read-only.
  - RV(nginx.modules) lists only modules selected with C(--with-*) or
    C(--add-module)/C(--add-dynamic-module) switches, including those built as
    C(=dynamic) (which still need a C(load_module) line, see
    RV(nginx.dynamic_modules)). Modules nginx builds by default are not listed.
seealso:
  - name: nginx configure options
    description: Meaning of the configure arguments reported by C(nginx -V).
    link: https://nginx.org/en/docs/configure.html
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Gather nginx facts
  webstack.nginx_uwsgi.nginx_facts:

- name: Use the new http2 directive only where nginx supports it
  ansible.builtin.debug:
    msg: "{{ 'http2 on;' if ansible_facts.nginx.http2_directive else 'listen 443 ssl http2;' }}"
  when: ansible_facts.nginx.installed

- name: Gather nginx facts and, in the same round trip, the distribution of the host
  webstack.nginx_uwsgi.nginx_facts:
    distribution: true

- name: Gather facts about a custom build
  webstack.nginx_uwsgi.nginx_facts:
    binary: /opt/openresty/nginx/sbin/nginx
    conf_path: /opt/openresty/nginx/conf/nginx.conf
  register: result

- name: Fail early when TLS is not compiled in
  ansible.builtin.assert:
    that:
      - result.nginx.ssl
    fail_msg: "nginx {{ result.nginx.version }} was built without http_ssl_module"
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to the host facts.
  returned: always
  type: dict
  contains:
    nginx:
      description: Same structure as RV(nginx).
      returned: always
      type: dict
      sample: {"installed": true, "version": "1.22.1", "http2_directive": false}
    distribution:
      description:
        - The facts of the distribution subset of M(ansible.builtin.setup) (this one and its siblings
          C(distribution_version), C(distribution_major_version), C(distribution_release), C(os_family), ...),
          and C(architecture) of its C(platform) subset.
      returned: when O(distribution=true)
      type: str
      sample: Debian
nginx:
  description: Facts about the installed nginx (also set as the C(nginx) host fact).
  returned: always
  type: dict
  contains:
    installed:
      description: Whether the nginx binary was found.
      returned: always
      type: bool
      sample: true
    binary:
      description: Absolute path of the nginx binary, null when not found.
      returned: always
      type: str
      sample: /usr/sbin/nginx
    flavor:
      description: Product name printed by C(nginx -V), lower case (for example V(nginx) or V(openresty)).
      returned: always
      type: str
      sample: nginx
    version:
      description: Version without any distribution suffix.
      returned: always
      type: str
      sample: 1.22.1
    version_info:
      description: RV(nginx.version) as a list of integers, empty when unknown.
      returned: always
      type: list
      elements: int
      sample: [1, 22, 1]
    configure_arguments:
      description: The C(configure arguments) line split like a shell would.
      returned: always
      type: list
      elements: str
      sample: ["--prefix=/usr/share/nginx", "--conf-path=/etc/nginx/nginx.conf", "--with-http_ssl_module"]
    modules:
      description:
        - Sorted module names from C(--with-*_module), C(--with-mail), C(--with-stream)
          (also their C(=dynamic) forms) and the basenames of C(--add-module) and
          C(--add-dynamic-module) paths.
      returned: always
      type: list
      elements: str
      sample: ["http_geoip_module", "http_ssl_module", "http_v2_module", "mail", "stream"]
    dynamic_modules:
      description:
        - Sorted names (without C(.so)) of the modules loaded by C(load_module) lines
          in C(/etc/nginx/modules-enabled/*.conf); empty when that directory does not exist.
      returned: always
      type: list
      elements: str
      sample: ["ngx_http_geoip_module", "ngx_stream_module"]
    paths:
      description: Build-time paths from the configure arguments; a value is null when its option is absent.
      returned: always
      type: dict
      contains:
        prefix:
          description: C(--prefix).
          returned: always
          type: str
          sample: /usr/share/nginx
        conf_path:
          description: C(--conf-path).
          returned: always
          type: str
          sample: /etc/nginx/nginx.conf
        conf_dir:
          description: Directory of RV(nginx.paths.conf_path).
          returned: always
          type: str
          sample: /etc/nginx
        error_log_path:
          description: C(--error-log-path).
          returned: always
          type: str
          sample: stderr
        http_log_path:
          description: C(--http-log-path).
          returned: always
          type: str
          sample: /var/log/nginx/access.log
        pid_path:
          description: C(--pid-path).
          returned: always
          type: str
          sample: /run/nginx.pid
        modules_path:
          description: C(--modules-path).
          returned: always
          type: str
          sample: /usr/lib/nginx/modules
        sbin_path:
          description: C(--sbin-path).
          returned: always
          type: str
          sample: /usr/sbin/nginx
    user:
      description:
        - Worker user from the C(user) directive of the configuration file, else
          from C(--user), else null.
      returned: always
      type: str
      sample: www-data
    group:
      description:
        - Worker group from the C(user) directive (the user name when the directive
          names no group, as nginx does), else from C(--group), else null.
      returned: always
      type: str
      sample: www-data
    http2_directive:
      description:
        - Whether the standalone C(http2 on;) directive exists (nginx 1.25.1 or later).
          Older versions need C(listen ... ssl http2;).
      returned: always
      type: bool
      sample: false
    http3:
      description:
        - Whether C(http_v3_module) is compiled in (HTTP/3 over QUIC, C(listen ... quic)); Debian 13's nginx has it,
          Debian 12's does not.
      returned: always
      type: bool
      sample: false
    ssl:
      description: Whether C(http_ssl_module) is compiled in.
      returned: always
      type: bool
      sample: true
    tls_sni:
      description: Whether nginx reports C(TLS SNI support enabled).
      returned: always
      type: bool
      sample: true
    openssl_version:
      description: OpenSSL version nginx was built with.
      returned: always
      type: str
      sample: 3.0.11
    addresses:
      description:
        - IPv4 and global IPv6 addresses of the host's interfaces (loopback and link-local left out), read from
          C(/proc/net), also when nginx is not installed. Other hosts of a fleet let these in and trust them.
      returned: always
      type: list
      elements: str
      sample: [172.18.0.2]
    ipv6:
      description:
        - Whether the host runs IPv6 (C(/proc/net/if_inet6) lists an address, C(::1) at least), also when nginx is
          not installed. Where it does, the C(site) and C(nginx) roles also listen on C([::]) (dual stack).
      returned: always
      type: bool
      sample: true
    service:
      description:
        - State of the systemd unit named by O(service) (null when O(service) is empty), read with
          C(systemctl show), also when nginx is not installed.
      returned: always
      type: dict
      contains:
        loaded:
          description: Whether systemd knows the unit.
          type: bool
        active:
          description: Whether the unit is active (ActiveState=active).
          type: bool
        running:
          description: Whether it is active and its main process runs (SubState=running).
          type: bool
        enabled:
          description: Whether it starts at boot.
          type: bool
        state:
          description: ActiveState.
          type: str
        sub_state:
          description: SubState.
          type: str
        unit_file_state:
          description: UnitFileState.
          type: str
        main_pid:
          description: PID of the master process (0 when not running).
          type: int
        pid_file:
          description: PIDFile of the unit, which nginx's C(pid) directive must name for a reload to work.
          type: str
    openssl_runtime_version:
      description:
        - OpenSSL version nginx runs with, when it reports one (only when it
          differs from RV(nginx.openssl_version)); null otherwise.
      returned: always
      type: str
      sample: 3.0.15
"""

import glob
import os
import platform
import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.facts.system.distribution import DistributionFactCollector

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.nginx_version import (
    empty_facts,
    parse_load_modules,
    parse_nginx_v,
    parse_user_directive,
)
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.host_addresses import addresses, ipv6
from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.systemd import missing_state, parse_show, show_command

DEFAULT_CONF_PATH = '/etc/nginx/nginx.conf'
MODULES_ENABLED_DIR = '/etc/nginx/modules-enabled'


def read_text(path):
    """Content of a readable regular file, or None."""
    if not path or not os.path.isfile(path) or not os.access(path, os.R_OK):
        return None
    try:
        with open(path, 'rb') as f:
            return to_text(f.read(), errors='surrogate_or_replace')
    except (IOError, OSError):
        return None


def find_binary(module, binary):
    if os.path.isabs(binary):
        if os.path.isfile(binary) and os.access(binary, os.X_OK):
            return binary
        return None
    return module.get_bin_path(binary)


def enabled_dynamic_modules(directory):
    if not os.path.isdir(directory):
        return []
    names = set()
    for path in glob.glob(os.path.join(directory, '*.conf')):
        names.update(parse_load_modules(read_text(path) or ''))
    return sorted(names)


def default_conf_path(paths):
    conf_path = paths['conf_path']
    if not conf_path:
        return DEFAULT_CONF_PATH
    if not os.path.isabs(conf_path) and paths['prefix']:
        # nginx resolves a relative --conf-path against --prefix
        return os.path.join(paths['prefix'], conf_path)
    return conf_path


def service_state(module, name):
    """State of the systemd unit of nginx (what the roles need to decide a reload), or None."""
    if not name:
        return None
    unit = name if '.' in name else name + '.service'
    systemctl = module.get_bin_path('systemctl')
    if not systemctl:
        return missing_state()
    rc, out, dummy = module.run_command(show_command(systemctl, [unit]))
    return parse_show(out if rc == 0 else '', [unit])[unit]


# what setup's platform subset maps to i386 (ansible.module_utils.facts.system.platform)
I86_RE = re.compile(r'i([3456]86|86pc)')


def architecture(machine):
    """ansible_architecture as setup's platform subset gives it on Linux: the machine, i386 for i386-i686."""
    return 'i386' if I86_RE.search(machine) else machine


def distribution_facts(module):
    """The facts setup's distribution subset gathers, named as setup names them (ansible_distribution, ...), and
    ansible_architecture (of its platform subset): what names a wheelhouse (the uwsgi_app role)."""
    facts = dict(('ansible_' + key, value) for key, value in DistributionFactCollector().collect(module=module).items())
    facts['ansible_architecture'] = architecture(platform.machine())
    return facts


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binary=dict(type='path', default='nginx'),
            conf_path=dict(type='path'),
            service=dict(type='str', default='nginx'),
            distribution=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )

    host_facts = distribution_facts(module) if module.params['distribution'] else {}
    service = service_state(module, module.params['service'])
    binary = find_binary(module, module.params['binary'])
    if binary is None:
        facts = empty_facts()
        facts['service'] = service
        facts['addresses'] = addresses()
        facts['ipv6'] = ipv6()
        module.exit_json(changed=False, ansible_facts=dict(host_facts, nginx=facts), nginx=facts)

    rc, out, err = module.run_command([binary, '-V'])
    if rc != 0:
        module.fail_json(
            msg='%s -V failed with rc=%d: %s' % (binary, rc, (err or out).strip()),
            rc=rc, stdout=out, stderr=err,
        )

    # nginx prints -V to stderr; accept either stream
    facts = parse_nginx_v('\n'.join([out or '', err or '']))
    facts['binary'] = binary
    facts['dynamic_modules'] = enabled_dynamic_modules(MODULES_ENABLED_DIR)

    conf_text = read_text(module.params['conf_path'] or default_conf_path(facts['paths']))
    if conf_text is not None:
        user, group = parse_user_directive(conf_text)
        if user is not None:
            facts['user'] = user
            facts['group'] = group or user

    facts['service'] = service
    facts['addresses'] = addresses()
    facts['ipv6'] = ipv6()
    module.exit_json(changed=False, ansible_facts=dict(host_facts, nginx=facts), nginx=facts)


if __name__ == '__main__':
    main()
