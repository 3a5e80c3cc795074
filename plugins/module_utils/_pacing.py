# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Client-side pacing shared by every module process on one controller.

Volcengine Live allows 10 requests per second per account and action (some
actions more: each is paced at its own rate, ``action_rates``). A play
with many forks starts one module process per host, so the pacing state lives
in a small file per (endpoint, access key, action) under the user's temporary
directory, updated under an exclusive lock.

- **Spacing.** Each request reserves the next free slot and sleeps until it,
  then claims it. The claim, made under the lock at the moment of sending, goes
  ahead only one interval after the last request of any process actually went
  out: a sender that woke late (a busy controller, a descheduled thread) would
  otherwise send right next to the one after it.
- **Late answers.** The service counts a request when it receives it, which
  the client cannot see; it can only see that the answer came back later than
  usual (a stalled network, a paused machine). A request whose answer took
  longer than the fastest recent one by more than the spacing's slack may have
  been counted that much later, so the next requests are spaced from then.
  Otherwise the request right after it would reach the service next to it.
- **Adapting.** A throttled answer doubles the interval for every process (the
  account's quota may be shared with other tools), and each success brings it
  back towards the configured rate.

The arithmetic is pure (``reserve``, ``claim``, ``after_answer``); ``Pacer``
only adds the locked file around it.
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
# Spaced SAFETY/rate apart, `rate` requests span SAFETY seconds: SAFETY - 1 seconds of slack per second's worth.
# An answer later than the fastest by up to half of it is ordinary jitter; beyond, it moves the spacing.
LATE = (SAFETY - 1.0) / 2
# The fastest answer seen may rise by this much per answer, so that a slower route is learnt.
FASTEST_DRIFT = 0.001


def base_interval(rate):
    """Seconds between two requests at ``rate`` requests per second (0 = no pacing)."""
    return SAFETY / rate if rate and rate > 0 else 0.0


def _interval(state, base):
    return max(base, float(state.get('interval') or base))


def reserve(state, now, base):
    """Reserve the next slot: return ``(new_state, wait_seconds)``.

    A slot that is free now is also claimed (see :func:`claim`); a later one is claimed when its sender wakes.
    """
    interval = _interval(state, base)
    slot = max(now, float(state.get('next') or 0.0), float(state.get('sent') or 0.0) + interval)
    state = dict(state, next=slot + interval, interval=interval)
    if slot <= now:
        state['sent'] = now
    return state, slot - now


def claim(state, now, base):
    """Send now, or say how much longer to wait: return ``(new_state, wait_seconds)``.

    A request goes out only one interval after the last one actually sent, whatever slot it reserved; when it
    goes, it records the moment and pushes the next free slot past it.
    """
    interval = _interval(state, base)
    earliest = float(state.get('sent') or 0.0) + interval
    if now < earliest:
        return state, earliest - now
    return dict(state, sent=now, next=max(float(state.get('next') or 0.0), now + interval)), 0.0


def after_answer(state, sent_at, now, base, throttled=False):
    """The answer to the request sent at ``sent_at`` arrived at ``now``: return the new state.

    Throttled answers slow the pace down and others let it recover; an answer that came back late moves the
    last send to the latest moment the service may have counted that request, less the jitter the spacing
    absorbs anyway.
    """
    state = after_throttle(state, now, base) if throttled else after_success(state, base)
    latency = max(0.0, now - sent_at)
    fastest = state.get('fastest')
    fastest = latency if fastest is None else min(latency, float(fastest) + FASTEST_DRIFT)
    state = dict(state, fastest=fastest)
    late = latency - fastest
    if late > LATE:
        counted = sent_at + late - LATE
        if counted > float(state.get('sent') or 0.0):
            state['sent'] = counted
            state['next'] = max(float(state.get('next') or 0.0), counted + _interval(state, base))
    return state


def after_throttle(state, now, base):
    """A request was throttled: double the spacing (once per second at most) and push the next slot out."""
    interval = _interval(state, base)
    hold = float(state.get('hold') or 0.0)
    if now >= hold:
        interval = min(MAX_INTERVAL, interval * 2)
        hold = now + HOLD
    return dict(state, next=max(float(state.get('next') or 0.0), now + interval), interval=interval, hold=hold)


def after_success(state, base):
    """A request went through: let the spacing recover towards the configured rate."""
    interval = max(base, _interval(state, base) * RECOVERY)
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

    def __init__(
        self, rate, endpoint, access_key, directory=None, clock=time.time, sleep=time.sleep, action_rates=None
    ):
        """``rate``: requests per second of each action; ``action_rates``: the actions paced at another rate."""
        self.base = base_interval(rate)
        self._bases = {action: base_interval(own) for action, own in (action_rates or {}).items()}
        self.endpoint = endpoint
        self.access_key = access_key
        self.directory = directory or default_directory()
        self.clock = clock
        self.sleep = sleep
        self.enabled = (self.base > 0 or any(self._bases.values())) and fcntl is not None and self._prepare()

    def interval(self, action):
        """The least seconds between two requests of ``action`` (0: not paced)."""
        return self._bases.get(action, self.base)

    def _prepare(self):
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
        except OSError:
            return False
        return os.access(self.directory, os.W_OK)

    def _update(self, action, change):
        """Apply ``change(state, now)`` under the file lock; return what it returned besides the state, and ``now``."""
        path = state_file(self.directory, self.endpoint, self.access_key, action)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 4096)
            try:
                state = json.loads(raw.decode('utf-8')) if raw else {}
            except ValueError:
                state = {}
            now = self.clock()
            state, extra = change(state if isinstance(state, dict) else {}, now)
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(state).encode('utf-8'))
            return extra, now
        finally:
            os.close(fd)  # also releases the lock

    def acquire(self, action):
        """Wait until this process may send ``action``; return the moment it claimed (None: not paced).

        The moment goes back to :meth:`answered` with the answer.
        """
        base = self.interval(action)
        if not self.enabled or base <= 0:
            return None
        wait, now = self._update(action, lambda state, now: reserve(state, now, base))
        while wait > 0:
            self.sleep(wait)
            wait, now = self._update(action, lambda state, now: claim(state, now, base))
        return now

    def answered(self, action, sent_at, throttled=False):
        """The request claimed at ``sent_at`` got its answer (or certainly none): adapt the pace to it."""
        if self.enabled and sent_at is not None:
            base = self.interval(action)
            self._update(action, lambda state, now: (after_answer(state, sent_at, now, base, throttled), None))
