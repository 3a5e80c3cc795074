# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Client-side pacing shared by every module process on one controller.

Volcengine Live allows 10 requests per second per account and action. A play
with many forks starts one module process per host, so the pacing state lives
in a small file per (endpoint, access key, action) under the user's temporary
directory, updated under an exclusive lock: each request reserves the next free
slot and sleeps until it.

The spacing adapts: a throttled answer doubles the interval for every process
(the account's quota may be shared with other tools), and each success brings
it back towards the configured rate.

The arithmetic is pure (``reserve``, ``after_throttle``, ``after_success``);
``Pacer`` only adds the locked file around it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time

try:
    import fcntl
except ImportError:  # not POSIX: no shared pacing, retries still apply
    fcntl = None

# Keep this much below the documented rate, so clock jitter never crosses it.
SAFETY = 1.05
MAX_INTERVAL = 2.0
RECOVERY = 0.9
# The service counts requests per second: throttled answers within one second of the last slow-down were
# sent at the old pace and say nothing new, so they do not slow down again.
HOLD = 1.0


def base_interval(rate):
    """Seconds between two requests at ``rate`` requests per second (0 = no pacing)."""
    return SAFETY / rate if rate and rate > 0 else 0.0


def reserve(state, now, base):
    """Reserve the next slot: return ``(new_state, wait_seconds)``."""
    interval = max(base, float(state.get('interval') or base))
    slot = max(now, float(state.get('next') or 0.0))
    return dict(state, next=slot + interval, interval=interval), slot - now


def after_throttle(state, now, base):
    """A request was throttled: double the spacing (once per second at most) and push the next slot out."""
    interval = max(base, float(state.get('interval') or base))
    hold = float(state.get('hold') or 0.0)
    if now >= hold:
        interval = min(MAX_INTERVAL, interval * 2)
        hold = now + HOLD
    return {'next': max(float(state.get('next') or 0.0), now + interval), 'interval': interval, 'hold': hold}


def after_success(state, base):
    """A request went through: let the spacing recover towards the configured rate."""
    interval = max(base, float(state.get('interval') or base) * RECOVERY)
    return dict(state, interval=interval)


def state_file(directory, endpoint, access_key, action):
    """The file of one (endpoint, access key, action); the key itself is only hashed into the name."""
    digest = hashlib.sha256(('%s\n%s\n%s' % (endpoint, access_key, action)).encode('utf-8')).hexdigest()[:32]
    return os.path.join(directory, '%s.json' % digest)


def default_directory():
    uid = os.getuid() if hasattr(os, 'getuid') else 0
    return os.path.join(tempfile.gettempdir(), 'volcengine-live-pacing-%d' % uid)


class Pacer:
    """Shared, adaptive request spacing for one endpoint and access key."""

    def __init__(self, rate, endpoint, access_key, directory=None, clock=time.time, sleep=time.sleep):
        self.base = base_interval(rate)
        self.endpoint = endpoint
        self.access_key = access_key
        self.directory = directory or default_directory()
        self.clock = clock
        self.sleep = sleep
        self.enabled = self.base > 0 and fcntl is not None and self._prepare()

    def _prepare(self):
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
        except OSError:
            return False
        return os.access(self.directory, os.W_OK)

    def _update(self, action, change):
        """Apply ``change(state, now)`` under the file lock; return what it returned besides the state."""
        path = state_file(self.directory, self.endpoint, self.access_key, action)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 4096)
            try:
                state = json.loads(raw.decode('utf-8')) if raw else {}
            except ValueError:
                state = {}
            state, extra = change(state if isinstance(state, dict) else {}, self.clock())
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(state).encode('utf-8'))
            return extra
        finally:
            os.close(fd)  # also releases the lock

    def acquire(self, action):
        """Wait for this process's slot for ``action``."""
        if not self.enabled:
            return
        wait = self._update(action, lambda state, now: reserve(state, now, self.base))
        if wait > 0:
            self.sleep(wait)

    def throttled(self, action):
        if self.enabled:
            self._update(action, lambda state, now: (after_throttle(state, now, self.base), None))

    def succeeded(self, action):
        if self.enabled:
            self._update(action, lambda state, now: (after_success(state, self.base), None))
