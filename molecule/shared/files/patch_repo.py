# Copyright (c) 2026, webstack.nginx_uwsgi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local apt repository (flat, trusted=yes) holding versions of the test package webstack-patch-test.

    patch_repo.py DIR VERSION...   builds DIR/webstack-patch-test_VERSION_all.deb for each VERSION with dpkg-deb
                                   (kept when it exists) and writes DIR/Packages and DIR/Release for all of them

The package stands for a security update as Debian ships them:
- /usr/lib/webstack-patch-test/sleeper, a program (a copy of sleep, other bytes per version) that its service
  runs: an upgrade replaces it under the running process, which then runs a deleted file until a restart - what
  the patch role must find and restart, and nothing else;
- its postinst, on an upgrade, restarts nginx through Debian's helper (which asks policy-rc.d), as an update of a
  library nginx uses does; on a host with /etc/webstack-patch-test/reboot it asks for a reboot
  (/run/reboot-required, once); versions other than those in FIXED fail on a host with
  /etc/webstack-patch-test/fail, as a broken maintainer script does;
- every configure is logged to /var/log/webstack-patch-test.log with nginx's main PID, for the test to read.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

NAME = 'webstack-patch-test'
FIXED = ('1.0', '1.2')  # versions whose postinst never fails

UNIT = """[Unit]
Description=webstack.nginx_uwsgi patch test service (runs a file the package replaces)

[Service]
ExecStart=/usr/lib/webstack-patch-test/sleeper infinity

[Install]
WantedBy=multi-user.target
"""

POSTINST = """#!/bin/sh
set -e
if [ "$1" = configure ]; then
    systemctl daemon-reload || true
    if [ -z "$2" ]; then
        systemctl enable --now webstack-patch-test.service || true
    else
        # as an update of a library nginx uses: restart it (policy-rc.d may forbid it)
        deb-systemd-invoke restart nginx.service || true
    fi
    if [ -e /etc/webstack-patch-test/reboot ]; then
        touch /run/reboot-required
        echo webstack-patch-test >> /run/reboot-required.pkgs
        rm -f /etc/webstack-patch-test/reboot
    fi
    echo "configured @VERSION@ nginx=$(systemctl show --property=MainPID --value nginx 2>/dev/null || echo -)" \\
        >> /var/log/webstack-patch-test.log
    if [ "@FAILS@" = yes ] && [ -e /etc/webstack-patch-test/fail ]; then
        echo "webstack-patch-test @VERSION@: postinst fails on this host (the test's broken update)" >&2
        exit 1
    fi
fi
exit 0
"""


def build(directory, version):
    deb = os.path.join(directory, '%s_%s_all.deb' % (NAME, version))
    if os.path.exists(deb):
        return deb
    root = tempfile.mkdtemp()
    try:
        for path in ('DEBIAN', 'usr/lib/webstack-patch-test', 'lib/systemd/system'):
            os.makedirs(os.path.join(root, path))
        sleeper = os.path.join(root, 'usr/lib/webstack-patch-test/sleeper')
        shutil.copyfile('/bin/sleep', sleeper)
        with open(sleeper, 'ab') as handle:
            handle.write(('\0webstack-patch-test %s\0' % version).encode())
        os.chmod(sleeper, 0o755)
        with open(os.path.join(root, 'lib/systemd/system/webstack-patch-test.service'), 'w') as handle:
            handle.write(UNIT)
        with open(os.path.join(root, 'DEBIAN/control'), 'w') as handle:
            handle.write('Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: webstack tests <test@example.org>\n'
                         'Section: misc\nPriority: optional\nDescription: webstack.nginx_uwsgi patch test package\n'
                         ' Stands for a security update in the fleet scenario.\n' % (NAME, version))
        postinst = os.path.join(root, 'DEBIAN/postinst')
        with open(postinst, 'w') as handle:
            handle.write(POSTINST.replace('@VERSION@', version).replace('@FAILS@', 'no' if version in FIXED else 'yes'))
        os.chmod(postinst, 0o755)
        subprocess.run(['dpkg-deb', '--root-owner-group', '-Zgzip', '--build', root, deb], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(root)
    return deb


def stanza(deb):
    control = subprocess.run(['dpkg-deb', '--field', deb], check=True, capture_output=True, text=True).stdout
    with open(deb, 'rb') as handle:
        data = handle.read()
    return '%sFilename: ./%s\nSize: %d\nSHA256: %s\n' % (control.rstrip('\n') + '\n', os.path.basename(deb),
                                                         len(data), hashlib.sha256(data).hexdigest())


def main(directory, versions):
    os.makedirs(directory, exist_ok=True)
    packages = '\n'.join(stanza(build(directory, version)) for version in versions)
    with open(os.path.join(directory, 'Packages'), 'w') as handle:
        handle.write(packages)
    data = packages.encode()
    with open(os.path.join(directory, 'Release'), 'w') as handle:
        handle.write('Origin: webstack-patch-test\nLabel: webstack-patch-test\nSuite: test\nCodename: test\n'
                     'Date: %s\nSHA256:\n %s %d Packages\n'
                     % (time.strftime('%a, %d %b %Y %H:%M:%S UTC', time.gmtime()),
                        hashlib.sha256(data).hexdigest(), len(data)))
    print(' '.join(versions))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
