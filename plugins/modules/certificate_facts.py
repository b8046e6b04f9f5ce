#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: certificate_facts
short_description: Tell which certificates exist, when they expire, which names they hold and whether they are due
version_added: 0.1.0
description:
  - Reads any number of PEM certificates and private keys in one call and reports, for each certificate, whether it
    exists, its expiry, its DNS names and whether it is due for renewal (missing, unreadable, fewer than
    O(remaining_days) left, or other names than asked for); for each key, whether it exists and its type.
  - Read-only, so it also runs in check mode. Uses the C(cryptography) library when present, else the C(openssl)
    command; a certificate neither can read is reported as due.
options:
  certificates:
    description: Certificates to read, each with the DNS names it should hold (omit C(names) to skip that check).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: PEM file (of a chain, the first certificate counts).
        type: path
        required: true
      names:
        description: DNS names the certificate should hold (order does not matter).
        type: list
        elements: str
  keys:
    description: PEM private keys to look at.
    type: list
    elements: path
    default: []
  remaining_days:
    description: A certificate with fewer days left than this is due.
    type: int
    default: 30
  contents:
    description:
      - Also return the content of every certificate and key (RV(contents)), for a host that hands them to others.
        The task must use C(no_log).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Which certificates are due
  webstack.nginx_uwsgi.certificate_facts:
    certificates:
      - {path: /etc/ssl/site/shop/fullchain.pem, names: [shop.example.org]}
    keys: [/etc/ssl/site/shop/privkey.pem]
    remaining_days: 30
  register: certs
"""

RETURN = r"""
certificates:
  description: Path to facts (C(exists), C(readable), C(not_after), C(days_left), C(names), C(due), C(why)).
  returned: always
  type: dict
  sample: {"/etc/ssl/site/shop/fullchain.pem": {"exists": true, "readable": true, "not_after": "2027-01-01T00:00:00Z",
           "days_left": 80.5, "names": ["shop.example.org"], "due": false, "why": ""}}
private_keys:
  description:
    - Path to facts (C(exists), C(type) one of C(ecdsa), C(rsa), C(other), or null when missing, C(sha256) of the
      file).
  returned: always
  type: dict
contents:
  description: Path to the content of each existing certificate and key (with O(contents) only).
  returned: when O(contents) is true
  type: dict
"""

import datetime
import hashlib

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.certificates import key_type, status


def _read(path):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            certificates=dict(type='list', elements='dict', default=[], options=dict(
                path=dict(type='path', required=True),
                names=dict(type='list', elements='str'),
            )),
            keys=dict(type='list', elements='path', default=[], no_log=False),
            remaining_days=dict(type='int', default=30),
            contents=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    now = datetime.datetime.now(datetime.timezone.utc)

    def openssl(argv, data):
        rc, out, err = module.run_command(argv, data=data, binary_data=True)
        if rc != 0:
            raise ValueError('%s: %s' % (' '.join(argv), err.strip()))
        return out

    certificates, keys, contents = {}, {}, {}
    for entry in module.params['certificates']:
        data = _read(entry['path'])
        certificates[entry['path']] = status(data, now, module.params['remaining_days'], entry.get('names'), openssl)
        if data is not None:
            contents[entry['path']] = data.decode('utf-8', 'replace')
    for path in module.params['keys']:
        data = _read(path)
        keys[path] = {'exists': data is not None, 'type': key_type(data) if data is not None else None,
                      'sha256': hashlib.sha256(data).hexdigest() if data is not None else None}
        if data is not None:
            contents[path] = data.decode('utf-8', 'replace')
    result = dict(changed=False, certificates=certificates, private_keys=keys)
    if module.params['contents']:
        result['contents'] = contents
    module.exit_json(**result)


if __name__ == '__main__':
    main()
