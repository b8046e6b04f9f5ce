#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: managed_files
short_description: Bring a set of files, symlinks and directories to a wanted state as one change, then check and reload
version_added: 0.1.0
description:
  - Reads every given path in one pass (content, mode, owner, group, link target) and changes only what differs,
    so a run with nothing to change costs one round trip whatever the number of files.
  - New file contents are staged next to their target and checked with O(files[].validate) before any of them
    replaces a live file; then every change is put in place, directories first.
  - After a change the O(check) commands run on the whole result and then the O(reload) commands. When one of them
    fails, every changed path is put back as it was (removed directories excepted) and the module fails with the
    command's output, so a service never runs, and is never left to load later, a configuration it rejected.
  - O(marker) records that a service has not loaded what is on disk yet. It is written before a change and, with
    O(reload), removed once the reload succeeded; when it exists at the start (an earlier run failed between the
    change and the reload) the checks and reloads run again even if no file differs. Without O(reload) the caller
    reloads and removes it (RV(pending) tells it to).
options:
  files:
    description: The paths and the state each should be in.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path.
        type: path
        required: true
      state:
        description: C(file) with O(files[].content), C(link) to O(files[].src), C(directory), or C(absent).
        type: str
        choices: [file, link, directory, absent]
        default: file
      content:
        description: Text of the file (C(state=file)).
        type: str
      secret_content:
        description:
          - Text of the file (C(state=file)) that is never shown, a password file for example - not in C(--diff)
            and not in the module's arguments (C(no_log)), in the result or in the host's log. Mutually exclusive
            with O(files[].content).
        type: str
      content_from:
        description:
          - Path of a file on the host whose content this file gets (C(state=file)), for example a key or
            certificate made in a staging directory, so that it goes live with the rest of the change. Its content
            is never shown in C(--diff).
        type: path
      src:
        description: Target of the symlink (C(state=link)); replaced atomically.
        type: str
      template:
        description:
          - A template of the role (C(state=file)), rendered on the controller with the task's variables and
            O(files[].template_vars), as the C(ansible.builtin.template) lookup does. Handled by the module's
            action plugin, which passes the result on as O(files[].content).
        type: str
      template_vars:
        description: Variables of O(files[].template) besides the task's.
        type: dict
      controller_src:
        description:
          - A file of the controller whose content this file gets (C(state=file)). Read by the module's action
            plugin, which passes it on as O(files[].content).
        type: path
      mode:
        description: Mode as an octal string (C(0644)); for a directory left as it is when omitted.
        type: raw
      owner:
        description: Owner (files and directories).
        type: str
        default: root
      group:
        description: Group (files and directories).
        type: str
        default: root
      validate:
        description: Command run on the staged file before it goes live, C(%s) standing for its path.
        type: str
      diff:
        description: Show the content in C(--diff) output; false for large or sensitive files.
        type: bool
        default: true
  secret_contents:
    description:
      - Path to the O(files[].secret_content) of that path (C(no_log)). The module's action plugin moves every
        O(files[].secret_content) here, since a C(no_log) value nested in O(files) would show, escaped, in the
        host's log of the module's arguments.
    type: dict
    default: {}
  purge:
    description: Remove files of a directory that match a pattern (and hold a text) unless O(files) names them.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Directory.
        type: path
        required: true
      patterns:
        description: Shell patterns of file names.
        type: list
        elements: str
        default: ['*']
      contains:
        description: Only files whose first 4 KiB hold this text (a marker written by the role that owns them).
        type: str
        default: ""
  check:
    description: Commands run after a change on the whole result; a failure puts everything back.
    type: list
    elements: dict
    default: []
    suboptions:
      argv:
        description: The command.
        type: list
        elements: str
        required: true
      fail_regex:
        description: Also a failure when the output matches this (for warnings that should stop a change).
        type: str
  reload:
    description: Commands run after the checks pass (each an argv list); a failure puts everything back.
    type: list
    elements: list
    default: []
  marker:
    description: Path of the file that records a change not yet loaded (see the description).
    type: path
  journal:
    description:
      - Path of a file (JSON, mode 0600) that records what every changed path was while the change is neither
        checked nor put back. Before anything else, every C(*.journal) file of its directory that an earlier call
        left behind (a run cut short between its first rename and the end of its checks and reloads) is played
        back, which puts those paths back and leaves O(marker), so the service loads the files that last passed
        its checks. Calls that change files of one service (several roles' files of nginx) give journals in one
        directory, so each repairs what any of them left.
    type: path
  trial:
    description:
      - Check the change without making it. The directories that hold the changed paths are copied, the new files
        written (and validated) in the copies, and each O(check) command runs in a private mount namespace
        (C(unshare --mount)) where the copies are mounted over the live directories. Nothing on the host changes
        and nothing is reloaded; the result says what would change. Needs C(unshare) (util-linux) and the right
        to mount (root).
    type: bool
    default: false
  backup_file:
    description:
      - Before a change, record in this file (JSON, mode 0600, it may hold secrets) what every changed path was, so
        that O(restore_from) can put it back when what the change was for fails later (a service that does not
        start). After the call it describes exactly what this call replaced; a call that changes nothing removes
        it.
    type: path
  restore_from:
    description:
      - Put back what O(backup_file) recorded in this file, then remove it; every other option is ignored. Nothing
        happens when the file does not exist.
    type: path
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - In check mode nothing is written and no command runs; a user or group that does not exist yet (made by an
    earlier task that check mode skipped) counts as a change.
author:
  - webstack.nginx_uwsgi contributors (@webstack)
"""

EXAMPLES = r"""
- name: Sites, checked as a whole and reloaded; put back when nginx rejects them
  webstack.nginx_uwsgi.managed_files:
    files:
      - {path: /etc/nginx/sites-available/shop.conf, content: "{{ lookup('template', 'site.conf.j2') }}", mode: "0644"}
      - {path: /etc/nginx/sites-enabled/shop.conf, state: link, src: /etc/nginx/sites-available/shop.conf}
    check:
      - argv: [nginx, -t]
        fail_regex: conflicting server name
    reload:
      - [systemctl, reload, nginx]
    marker: /var/lib/webstack/nginx.pending

- name: A file checked on its own before it replaces the live one
  webstack.nginx_uwsgi.managed_files:
    files:
      - path: /etc/nginx/nginx.conf
        content: "{{ lookup('template', 'nginx.conf.j2') }}"
        mode: "0644"
        validate: nginx -t -q -c %s
"""

RETURN = r"""
changed_paths:
  description: Paths that were (or in check mode would be) changed.
  returned: always
  type: list
  elements: str
  sample: [/etc/nginx/sites-available/shop.conf]
reasons:
  description: Path to what differed (C(create), C(content), C(mode 0640 -> 0644), C(owner), C(target), ...).
  returned: always
  type: dict
recovered:
  description: Paths put back from journals an interrupted change had left (see O(journal)).
  returned: always
  type: list
  elements: str
restored:
  description: With O(restore_from), each path put back and what it is again (C(file), C(link), C(absent), ...).
  returned: always
  type: dict
pending:
  description: Whether a change is still to be loaded by the service (the marker exists after this run).
  returned: always
  type: bool
reloaded:
  description: Whether the reload commands ran and succeeded.
  returned: always
  type: bool
commands:
  description: The check and reload commands that ran, with their rc, stdout and stderr.
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.webstack.nginx_uwsgi.plugins.module_utils.managed_files import (
    FileSet,
    ManagedFilesError,
    recover_journals,
    restore_backup,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type='list', elements='dict', default=[], options=dict(
                path=dict(type='path', required=True),
                state=dict(type='str', default='file', choices=['file', 'link', 'directory', 'absent']),
                content=dict(type='str'),
                secret_content=dict(type='str', no_log=True),
                content_from=dict(type='path'),
                src=dict(type='str'),
                template=dict(type='str'),
                template_vars=dict(type='dict'),
                controller_src=dict(type='path'),
                mode=dict(type='raw'),
                owner=dict(type='str', default='root'),
                group=dict(type='str', default='root'),
                validate=dict(type='str'),
                diff=dict(type='bool', default=True),
            )),
            secret_contents=dict(type='dict', default={}, no_log=True),
            purge=dict(type='list', elements='dict', default=[], options=dict(
                path=dict(type='path', required=True),
                patterns=dict(type='list', elements='str', default=['*']),
                contains=dict(type='str', default=''),
            )),
            check=dict(type='list', elements='dict', default=[], options=dict(
                argv=dict(type='list', elements='str', required=True),
                fail_regex=dict(type='str'),
            )),
            reload=dict(type='list', elements='list', default=[]),
            marker=dict(type='path'),
            backup_file=dict(type='path'),
            restore_from=dict(type='path'),
            journal=dict(type='path'),
            trial=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    params = module.params

    def run(argv):
        return module.run_command(argv)

    result = dict(changed=False, changed_paths=[], reasons={}, pending=False, reloaded=False, commands=[],
                  recovered=[], restored={})
    if params['restore_from']:
        if module.check_mode:
            module.exit_json(**result)
        try:
            result['changed_paths'] = restore_backup(params['restore_from'], kinds=result['restored'])
        except (OSError, ValueError) as exc:
            module.fail_json(msg='cannot restore from %s: %s' % (params['restore_from'], exc), **result)
        result['changed'] = bool(result['changed_paths'])
        module.exit_json(**result)
    unresolved = [f['path'] for f in params['files'] if f['template'] or f['controller_src']]
    if unresolved:
        module.fail_json(msg='template and controller_src are resolved by the action plugin of '
                             'webstack.nginx_uwsgi.managed_files on the controller: %s' % ', '.join(unresolved), **result)
    try:
        if params['journal'] and not module.check_mode and not params['trial']:
            result['recovered'] = recover_journals(params['journal'])
            if result['recovered'] and params['marker']:
                open(params['marker'], 'a').close()  # the service may run what was put back, or not
        for entry in params['files']:
            if entry['path'] in params['secret_contents']:
                entry['secret_content'] = params['secret_contents'][entry['path']]
        fileset = FileSet(params['files'], purge=params['purge'], marker=params['marker'], run=run,
                          journal=params['journal'])
        changes = fileset.plan(strict=not module.check_mode)
        result['changed_paths'] = [c.path for c in changes]
        result['reasons'] = dict((c.path, c.reasons) for c in changes)
        pending = fileset.pending
        if module._diff and changes:
            result['diff'] = fileset.diffs()
        if params['trial']:
            result['commands'] = fileset.trial(params['check'])
            result['pending'] = pending
            module.exit_json(**result)
        run_commands = bool(changes) or (pending and bool(params['reload']))
        result['changed'] = run_commands or bool(result['recovered'])
        if module.check_mode:
            result['pending'] = bool(changes) or pending
            module.exit_json(**result)
        fileset.apply(backup_file=params['backup_file'])
        if run_commands:
            result['commands'] = fileset.check_and_reload(params['check'], params['reload'])
            result['reloaded'] = bool(params['reload'])
        fileset.finish()
        result['pending'] = fileset.pending
    except (ManagedFilesError, OSError) as exc:
        if isinstance(exc, ManagedFilesError):
            result.update(exc.details)
        module.fail_json(msg=str(exc), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
