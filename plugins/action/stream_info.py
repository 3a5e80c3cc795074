# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of volcengine.live.stream_info: runs the module's code in-process on a local connection."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.modules.stream_info import DEFINITION
from ansible_collections.volcengine.live.plugins.plugin_utils._action import LiveAction


class ActionModule(LiveAction):
    DEFINITION = DEFINITION
