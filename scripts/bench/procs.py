# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller CPU and memory of a playbook run, from /proc (Linux).

CPU: what ansible-playbook and everything it forks and waits for used is the
change of ``resource.getrusage(RUSAGE_CHILDREN)`` across the run (runner.py):
its workers are reaped by ansible-playbook (multiprocessing polls them), their
ssh clients by the workers, and a waited process carries the CPU of the
children it waited for. SSH ControlPersist masters are not in it: ssh forks
the master, which daemonizes (a second fork) and so is reparented to init.
Their CPU is read here from /proc/<pid>/stat (utime + stime) of the processes
whose command line is ``ssh: <control_path_dir>/<hash> [mux]``, before and
after the run (and while it runs, in case one ends during it).

Memory: ``Watch`` samples every 0.25 s the sum of the resident set sizes of
ansible-playbook and all its descendants (a walk of /proc/*/stat by parent
pid) and keeps the highest. Forks share pages copy-on-write with
ansible-playbook, so a sum of RSS counts those pages once per process: an
upper bound. Every 4th sample also sums the proportional set sizes (Pss of
/proc/<pid>/smaps_rollup: a shared page split among its users), a closer
figure for what the tree costs the machine. The masters' RSS is summed apart.

``parse_stat``, ``tree_total``, ``is_master``, ``ticks_used``, ``handed_out``
and ``parse_kib`` take text or values, so that
tests/unit/scripts/test_bench_procs.py checks them without processes.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
PAGE_SIZE = os.sysconf('SC_PAGE_SIZE')
INTERVAL = 0.25
PSS_EVERY = 4  # samples


@dataclasses.dataclass
class Stat:
    """The fields of a /proc/<pid>/stat line the benchmark reads."""

    pid: int
    comm: str
    ppid: int
    ticks: int  # utime + stime, in clock ticks (not the children's: cutime and cstime)
    start: int  # starttime, in clock ticks after boot: with pid, names a process (pids are reused)
    rss_pages: int


def parse_stat(text) -> Stat:
    """A /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold spaces and
    parentheses, so the fields after it are counted from its last ")"."""
    pid, rest = text.split(' ', 1)
    comm = rest[rest.index('(') + 1:rest.rindex(')')]
    fields = rest[rest.rindex(')') + 2:].split()
    # fields[0] is field 3 (state): field n of proc(5) is fields[n - 3]
    return Stat(pid=int(pid), comm=comm, ppid=int(fields[1]), ticks=int(fields[11]) + int(fields[12]),
                start=int(fields[19]), rss_pages=int(fields[21]))


def tree_total(table, root) -> tuple:
    """(sum of the values, pids) of root and all its descendants; table is {pid: (ppid, value)}. A root that is
    gone gives (0, empty set)."""
    children = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    members, todo = set(), [root] if root in table else []
    while todo:
        pid = todo.pop()
        if pid not in members:
            members.add(pid)
            todo.extend(children.get(pid, ()))
    return sum(table[pid][1] for pid in members), members


def is_master(cmdline, control_dir) -> bool:
    """Whether a /proc/<pid>/cmdline (bytes) is an SSH ControlPersist master of control_dir: ssh sets its title
    to "ssh: <control path> [mux]" (the control path is <control_path_dir>/<hash>)."""
    text = cmdline.replace(b'\0', b' ').decode('utf-8', 'replace').strip()
    prefix = 'ssh: %s/' % control_dir.rstrip('/')
    return text.startswith(prefix) and text.endswith('[mux]') and '/' not in text[len(prefix):-len('[mux]')]


def ticks_used(before, after) -> int:
    """Clock ticks used between two readings {(pid, start): ticks}: the growth of the processes read before, and
    all of those that started since."""
    return sum(ticks - before.get(key, 0) for key, ticks in after.items())


def handed_out(pid, last_before, last_after) -> bool:
    """Whether the kernel may have given pid to a new process between two readings of its last pid: pids are
    handed out in increasing order, wrapping around at pid_max, so the new ones are after last_before up to
    last_after (around the wrap when last_after is lower)."""
    if last_before <= last_after:
        return last_before < pid <= last_after
    return pid > last_before or pid <= last_after


def parse_kib(text, field) -> int:
    """The value in kB of a "Field:   123 kB" line of /proc/<pid>/status or smaps_rollup; 0 when it is missing."""
    for line in text.splitlines():
        name, _colon, value = line.partition(':')
        if name == field:
            return int(value.split()[0])
    return 0


# ------------------------------------------------------------------ reading /proc

def _read(path, binary=False):
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except OSError:  # the process ended meanwhile
        return None
    return data if binary else data.decode('utf-8', 'replace')


def processes(pids=None) -> dict:
    """{pid: Stat} of the processes of pids (default: every one this machine shows in /proc) that still run."""
    found = {}
    for name in os.listdir('/proc') if pids is None else pids:
        if pids is not None or name.isdigit():
            text = _read('/proc/%s/stat' % name)
            if text:
                stat = parse_stat(text)
                found[stat.pid] = stat
    return found


def masters(control_dir, found=None) -> dict:
    """{(pid, start): Stat} of the ControlPersist masters of control_dir."""
    found = processes() if found is None else found
    return dict(((stat.pid, stat.start), stat) for stat in found.values()
                if stat.comm == 'ssh' and is_master(_read('/proc/%d/cmdline' % stat.pid, binary=True) or b'',
                                                    control_dir))


def master_ticks(control_dir, found=None) -> dict:
    return dict((key, stat.ticks) for key, stat in masters(control_dir, found).items())


class Watch(threading.Thread):  # pylint: disable=too-many-instance-attributes
    """Samples a process tree (root: ansible-playbook's pid) and the masters of control_dir (or none) until
    ``stop``: the peak RSS and PSS of the tree, its peak number of processes, the peak RSS of the masters, and
    their last CPU reading (a master that ends during the run keeps what it used).

    A machine with many containers shows a thousand processes or more; reading all of them 4 times a second
    would cost the shared cores more than the figure is worth. A sample skips the processes an earlier one found
    outside the tree (other than ssh processes, which may be masters): a process outside cannot become a
    descendant of ansible-playbook (an orphan goes to init, never into the tree). Its pid can be reused by a new
    process, though (this machine's pid_max is 32768: the counter wraps within a run), so the pids the kernel
    handed out since the last sample (after the previous last pid of /proc/loadavg, up to the current one) are
    read again."""

    def __init__(self, root, control_dir=None, interval=INTERVAL):
        super().__init__(name='bench-watch', daemon=True)
        self.root = root
        self.control_dir = control_dir
        self.interval = interval
        self.done = threading.Event()
        self.peak_rss = self.peak_pss = self.peak_processes = self.peak_masters_rss = 0
        self.masters_seen = {}
        self.samples = 0
        self.outside = set()  # pids found outside the tree, not ssh
        self.last_pid = None
        self.checked = {}  # (pid, start) of ssh processes outside the tree: a master of control_dir or not
        self.cpu_seconds = 0.0  # this thread's own, the cost of watching

    def sample(self):
        last_pid = _last_pid()
        if self.last_pid is not None and last_pid != self.last_pid:
            self.outside = set(pid for pid in self.outside if not handed_out(pid, self.last_pid, last_pid))
        self.last_pid = last_pid
        found = processes([name for name in os.listdir('/proc') if name.isdigit() and int(name) not in self.outside])
        rss, members = tree_total(dict((pid, (s.ppid, s.rss_pages)) for pid, s in found.items()), self.root)
        self.peak_rss = max(self.peak_rss, rss * PAGE_SIZE)
        self.peak_processes = max(self.peak_processes, len(members))
        if self.samples % PSS_EVERY == 0:
            self.peak_pss = max(self.peak_pss, sum(parse_kib(_read('/proc/%d/smaps_rollup' % pid) or '', 'Pss')
                                                   for pid in members) * 1024)
        now = self.masters(found, members) if self.control_dir else {}
        self.masters_seen.update((key, stat.ticks) for key, stat in now.items())
        self.peak_masters_rss = max(self.peak_masters_rss, sum(s.rss_pages for s in now.values()) * PAGE_SIZE)
        self.outside.update(pid for pid, stat in found.items() if pid not in members and stat.comm != 'ssh')
        self.samples += 1

    def masters(self, found, members) -> dict:
        """The masters among the ssh processes of found outside the tree. Whether a process is one is read once
        (its command line), unless it started less than a second ago: a new master sets its title only after it
        left the tree."""
        now_ticks = _uptime_ticks()
        result = {}
        for pid, stat in found.items():
            if stat.comm != 'ssh' or pid in members:
                continue
            key = (pid, stat.start)
            master = self.checked.get(key)
            if master is None:
                master = is_master(_read('/proc/%d/cmdline' % pid, binary=True) or b'', self.control_dir)
                if master or now_ticks - stat.start > CLOCK_TICKS:
                    self.checked[key] = master
            if master:
                result[key] = stat
        return result

    def run(self):
        start = time.thread_time()
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)
        self.cpu_seconds = time.thread_time() - start

    def stop(self):
        self.done.set()
        self.join()


def _last_pid() -> int:
    """The last pid the kernel handed out (the 5th field of /proc/loadavg)."""
    return int((_read('/proc/loadavg') or '0 0 0 0/0 0').split()[4])


def _uptime_ticks() -> int:
    text = _read('/proc/uptime') or '0'
    return int(float(text.split()[0]) * CLOCK_TICKS)
