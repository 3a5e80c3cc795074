# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The actions a plan names, and the --diff of one planned write, whatever the resource.

Pure: every resource's ``_<resource>/plan.py`` uses them.
"""

from __future__ import annotations

CREATE = 'create'
UPDATE = 'update'
DELETE = 'delete'
NO_CHANGE = 'no_change'


def planned_diff(current, desired, action, header):
    """``{'before': ..., 'after': ...}`` for Ansible's --diff of one planned ``action``, headed ``header``."""
    before = dict(current) if current is not None else {}
    if action == DELETE:
        after = {}
    elif action == NO_CHANGE:
        after = dict(before)
    else:
        after = dict(desired)
    return {'before': before, 'after': after, 'before_header': header, 'after_header': header}
