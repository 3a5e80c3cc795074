# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The actions a plan names, whatever the resource. Pure: every resource's ``_<resource>_plan.py`` uses them."""

from __future__ import annotations

CREATE = 'create'
UPDATE = 'update'
DELETE = 'delete'
NO_CHANGE = 'no_change'
