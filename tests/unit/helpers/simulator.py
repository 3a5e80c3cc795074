# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tests' client of the simulator's own API (``/_sim/...``): its state, counters, modes and faults."""

from __future__ import annotations

import json
import urllib.request


def admin(sim, path, body=None):
    """GET ``path`` of a running simulator, or POST ``body`` to it as JSON; return the decoded answer.

    An answer other than 2xx raises :class:`urllib.error.HTTPError`, as the simulator refuses a bad admin request.
    """
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.endpoint + path, data=data, method='POST' if data is not None else 'GET')
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())
