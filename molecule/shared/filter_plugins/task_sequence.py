# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: whether an ansible-playbook output shows tasks on a host in a given order.

``output | task_sequence('ssh-lb1', [['Hand the floating address', 'changed'], ['Upgrade', 'changed'], ...])``
is true when, for each step in turn, a later task whose name contains the text reports that status for the host
(``changed: [ssh-lb1``, ``ok: [ssh-lb1`` - delegated results count, ``[ssh-lb1 -> x]``).
"""


def task_sequence(output, host, steps):
    sections = str(output).split('TASK [')[1:]
    position = 0
    for text, status in steps:
        mark = '%s: [%s' % (status, host)
        while position < len(sections):
            name, dummy, body = sections[position].partition(']')
            position += 1
            if text in name and mark in body:
                break
        else:
            return False
    return True


class FilterModule(object):
    def filters(self):
        return {'task_sequence': task_sequence}
