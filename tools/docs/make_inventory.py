# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a Sphinx inventory (objects.inv, version 2) of the Ansible docs labels the generated pages use.

Usage: python make_inventory.py OUTPUT
"""

import sys
import zlib

LABELS = (
    ('action_plugins', 'plugins/action.html', 'Action plugins'),
    ('ansible_configuration_settings', 'reference_appendices/config.html', 'Ansible Configuration Settings'),
    ('common_return_values', 'reference_appendices/common_return_values.html', 'Return Values'),
    ('module_defaults', 'playbook_guide/playbooks_module_defaults.html', 'Module defaults'),
)


def main(path):
    header = (
        b'# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
        b'# The remainder of this file is compressed using zlib.\n'
    )
    body = ''.join('%s std:label -1 %s %s\n' % (name, uri, title) for name, uri, title in LABELS)
    with open(path, 'wb') as handle:
        handle.write(header + zlib.compress(body.encode('utf-8')))


if __name__ == '__main__':
    main(sys.argv[1])
