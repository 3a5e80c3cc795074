# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for ansible-test's pip bootstrap script (get-pip.py).

ansible-test downloads get-pip.py from the internet to seed the virtual
environments it creates; that download is not possible here. ansible-test
looks for a cached copy at ~/.ansible/test/cache/get_pip_<version>.py first,
and tools/test.sh puts this file there.

ansible-test runs it inside the fresh, empty virtual environment with
arguments such as ``--disable-pip-version-check pip==24.2 --no-setuptools
--no-wheel``. We seed pip from the interpreter's bundled wheel with
``python -m ensurepip`` and then let that pip install what was asked for.
ensurepip runs in a subprocess of its own: it sets PIP_CONFIG_FILE=/dev/null
in its environment, which would hide the machine's index configuration from
the second step if it ran in this process.
"""

import os
import subprocess
import sys

# get-pip.py options that pip install itself does not know.
GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')


def main(argv):
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], stdout=subprocess.DEVNULL)
    args = [arg for arg in argv if arg not in GET_PIP_ONLY]
    env = dict(os.environ)
    env.pop('GET_PIP', None)
    if args:
        subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args, env=env)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
