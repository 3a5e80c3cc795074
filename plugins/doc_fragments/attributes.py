# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by every module of the collection (with ansible.builtin.action_common_attributes.flow and
    .actiongroups); ``INFO`` adds the check and diff mode of a module that only reads."""

    DOCUMENTATION = r"""
options: {}
attributes:
  action:
    support: full
    details:
      - On a local connection (a play on C(localhost), C(delegate_to=localhost), C(connection=local), AWX and
        execution environments) the action plugin runs the module's code in Ansible's worker process on the
        controller instead of starting a module process, which saves most of the cost of a task. The result is the
        same.
      - The module runs as a module process, on the target, on any other connection, with C(become), with C(async),
        when the task sets C(environment) (for example proxy variables), when C(requests) is missing on the
        controller, on ansible-core before 2.19.1 or newer than the newest series the collection is tested with,
        or when the variable C(volcengine_live_in_process) is V(false).
  async:
    support: full
  bypass_host_loop:
    support: none
"""

    # The check and diff mode of a module that only reads (with the fragment above).
    INFO = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, in check mode as in a real run.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing, so there is no difference to show.
"""
