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
- **Adapting (CUBIC).** Controllers that share no file (an AWX cluster, two
  CI runners) share the account's limit only through the throttled answers each
  gets. As in botocore's adaptive retry mode, a throttled answer remembers the
  rate of that moment as the peak and cuts the rate to ``BETA`` times it; the
  rate then grows back along ``SCALE * (t - K)^3 + peak`` (``t`` the seconds
  since the cut, ``K`` when it is back at the peak): slowly near the peak, where
  the last throttling was, faster beyond it, never above the action's own rate,
  where the state is as if nothing had happened. The rate of the moment is the
  lesser of the curve and how many of this controller's requests the service
  accepted in the last second: the service had just found its window full, so
  that is this controller's share of it. The spacing follows the rate rounded
  to whole requests per second, as the service counts them: shares of whole
  requests add up to the limit exactly, fractions of them do not, and each is
  kept only ``SHARE_SAFETY`` below, not ``SAFETY``. Throttled
  answers to requests sent within ``HOLD`` of the last cut met a window the old
  pace had filled and do not cut again. In the first window of a run of
  requests (controllers started at once, each at its own full rate) the window
  holds more of whoever began first and cannot tell the shares: the peak is then
  half the rate it sent at, which takes two controllers straight to even
  shares, and the next cut measures them. That window is full of what was sent
  since the run began, so the next request waits until the run is a window old.
  A run begun under a cut (at the slowest pace, requests come a window apart)
  is not a first window: its pace is a share already measured. One controller
  alone, never throttled, keeps its pace exactly.

The arithmetic is pure (``reserve``, ``claim``, ``after_answer``); ``Pacer``
only adds the locked file around it. The file is in the user's private state folder (``_state_dir``); a file
that is not a regular file of the user's, or cannot be read or written, turns pacing off for the task with a
warning, and whatever it holds is cleaned first (``clean_state``), so that no wait is ever longer than the
action's own interval or ``MAX_INTERVAL``, whichever is longer.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time

from ansible_collections.volcengine.live.plugins.module_utils._core.state_dir import (
    UnsafePath,
    current_uid,
    open_private,
    private_directory,
    resolved,
    state_directory,
)

try:
    import fcntl
except ImportError:  # not POSIX: no shared pacing, retries still apply
    fcntl = None

# Keep this much below the documented rate, so clock jitter never crosses it.
SAFETY = 1.05
# Under a cut, keep this much below the share in whole requests. Alone, a controller never learns where the limit
# is, so it keeps SAFETY's margin; under a cut the throttled answers find the limit, and shares of whole requests
# add up to it: SAFETY below each would leave a twentieth of the account unused (two controllers at 5 requests/s
# each sent 9.5 per second). One hundredth still leaves 10 ms a window for the jitter of the answers' way there.
SHARE_SAFETY = 1.01
# The slowest pace, however often the service throttles: one request every this many seconds.
MAX_INTERVAL = 2.0
# CUBIC. A cut keeps BETA of the rate: with shares of a few requests per second, one request less per second is
# what brings the service's window back under the limit after another controller took one more, and a deeper cut
# (botocore's 0.7) leaves two or three of them unused until the curve is back. SCALE (requests/s per second
# cubed) puts K at 2 to 3 s for rates of 2 to 10 requests/s and the next request per second about 2.5 s later:
# a full share is probed every 5 s or so, few enough throttled answers, and one controller left alone is back at
# its own rate some 8 s after the others finished.
BETA = 0.9
SCALE = 0.03
# The service counts requests over one second, its window.
WINDOW = 1.0
# Throttled answers to requests sent within a window of the last cut met a window still filled at the old pace and
# say nothing new, so they do not cut again.
HOLD = WINDOW
# The slowest rate (requests/s) the curve goes down to.
MIN_RATE = SHARE_SAFETY / MAX_INTERVAL
# How many accepted requests the state remembers (the last window's; beyond, the count is extrapolated).
KEEP = 64
# Spaced SAFETY/rate apart, `rate` requests span SAFETY seconds: SAFETY - 1 seconds of slack per second's worth.
# An answer later than the fastest by up to half of it is ordinary jitter; beyond, it moves the spacing.
LATE = (SAFETY - 1.0) / 2
# The fastest answer seen may rise by this much per answer, so that a slower route is learnt.
FASTEST_DRIFT = 0.001
# The state file is small (a few hundred bytes); anything longer than this is not ours.
MAX_STATE = 65536


def base_interval(rate):
    """Seconds between two requests at ``rate`` requests per second (0 = no pacing)."""
    return SAFETY / rate if rate and rate > 0 else 0.0


def ceiling_rate(base):
    """The action's own rate (requests/s) of its least interval ``base``: the ceiling of the adaptive rate."""
    return SAFETY / base


def cubic_zero(peak):
    """K: the seconds after a cut at ``peak`` at which the curve is back at the peak."""
    return (max(0.0, peak) * (1.0 - BETA) / SCALE) ** (1.0 / 3.0)


def cubic_rate(peak, elapsed, ceiling):
    """The rate ``elapsed`` seconds after a cut at ``peak``: ``SCALE * (elapsed - K)^3 + peak``, within
    ``[min(MIN_RATE, ceiling), ceiling]``. At the cut (``elapsed`` 0) it is ``BETA * peak``."""
    rate = SCALE * (max(0.0, elapsed) - cubic_zero(peak)) ** 3 + peak
    return min(ceiling, max(MIN_RATE, rate))


def current_rate(state, now, base):
    """The adaptive rate at ``now`` (requests/s): the action's own unless a throttled answer cut it, then the
    CUBIC curve from that cut."""
    ceiling = ceiling_rate(base)
    cut = state.get('cut')
    if cut is None:
        return ceiling
    return cubic_rate(float(state.get('peak') or ceiling), now - float(cut), ceiling)


def whole_rate(rate):
    """The rate the spacing follows: ``rate`` rounded to whole requests per second (below one, as it is)."""
    return float(math.floor(rate + 0.5)) if rate >= 1.0 else rate


def current_interval(state, now, base):
    """Seconds between two requests at ``now``: ``base`` unless a throttled answer slowed the pace down, then
    ``SHARE_SAFETY`` over the rate in whole requests per second (never less than ``base``)."""
    if state.get('cut') is None:
        return base
    return max(base, SHARE_SAFETY / whole_rate(current_rate(state, now, base)))


def _finite(value):
    """A finite number other than a bool, as a float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def _accepted(state):
    """The send times of the accepted requests the state remembers (whatever else a damaged file holds: ignored)."""
    times = state.get('accepted')
    if not isinstance(times, list):
        return []
    return [t for t in map(_finite, times) if t is not None]


def young(state, now):
    """Whether this controller is in the first window of a run of requests at its own full rate: the run began
    less than a window before ``now`` (see :func:`sending`), and no cut is in force.

    A controller slowed down by a cut sends a second or more apart at its slowest (``MAX_INTERVAL``), so each
    of its requests may begin a run; those runs are not young: their pace is already the share a cut measured.
    """
    since = _finite(state.get('since'))
    return state.get('cut') is None and since is not None and now - WINDOW < since <= now


def window_count(state, now):
    """How many of the requests sent within the last window before ``now`` the service accepted (requests/s)."""
    recent = [t for t in _accepted(state) if now - WINDOW < t <= now]
    if len(recent) >= KEEP:
        return len(recent) * WINDOW / max(now - min(recent), WINDOW / KEEP)
    return float(len(recent))


def sending(state, now):
    """``state`` with a request sent at ``now``. ``since`` is when this run of requests began: the first request,
    or the first after a window without any, begins a new one."""
    last = _finite(state.get('sent'))
    if last is None or now - last > WINDOW:
        state = dict(state, since=now)
    return dict(state, sent=now)


def note_accepted(state, sent_at, now):
    """Remember that the request sent at ``sent_at`` was accepted (answers may arrive out of order)."""
    recent = sorted([t for t in _accepted(state) if t > now - WINDOW] + [sent_at])
    return dict(state, accepted=recent[-KEEP:])


def _settled(state, now, base):
    """The state without its cut once the curve is back at the action's own rate: spaced by ``base`` exactly."""
    if state.get('cut') is not None and current_rate(state, now, base) >= ceiling_rate(base):
        state = {key: value for key, value in state.items() if key not in ('cut', 'peak')}
    return state


def reserve(state, now, base):
    """Reserve the next slot: return ``(new_state, wait_seconds)``.

    A slot that is free now is also claimed (see :func:`claim`); a later one is claimed when its sender wakes.
    """
    state = _settled(state, now, base)
    interval = current_interval(state, now, base)
    slot = max(now, float(state.get('next') or 0.0), float(state.get('sent') or 0.0) + interval)
    state = dict(state, next=slot + interval)
    if slot <= now:
        state = sending(state, now)
    return state, slot - now


def claim(state, now, base):
    """Send now, or say how much longer to wait: return ``(new_state, wait_seconds)``.

    A request goes out only one interval after the last one actually sent, whatever slot it reserved; when it
    goes, it records the moment and pushes the next free slot past it.
    """
    state = _settled(state, now, base)
    interval = current_interval(state, now, base)
    earliest = float(state.get('sent') or 0.0) + interval
    if now < earliest:
        return state, earliest - now
    return dict(sending(state, now), next=max(float(state.get('next') or 0.0), now + interval)), 0.0


def after_answer(state, sent_at, now, base, throttled=False):
    """The answer to the request sent at ``sent_at`` arrived at ``now``: return the new state.

    A throttled answer may cut the rate (:func:`after_throttle`), any other is counted as accepted; an answer that
    came back late moves the last send to the latest moment the service may have counted that request, less the
    jitter the spacing absorbs anyway.
    """
    state = after_throttle(state, sent_at, now, base) if throttled else note_accepted(state, sent_at, now)
    latency = max(0.0, now - sent_at)
    fastest = state.get('fastest')
    fastest = latency if fastest is None else min(latency, float(fastest) + FASTEST_DRIFT)
    state = dict(state, fastest=fastest)
    late = latency - fastest
    if late > LATE:
        counted = sent_at + late - LATE
        if counted > float(state.get('sent') or 0.0):
            state['sent'] = counted
            state['next'] = max(float(state.get('next') or 0.0), counted + current_interval(state, now, base))
    return state


def after_throttle(state, sent_at, now, base):
    """The request sent at ``sent_at`` was throttled, answered at ``now``: cut the rate, push the next slot out.

    The cut remembers the rate of the moment, the lesser of the curve and this controller's accepted requests of
    the last window, as the peak; the rate restarts from ``BETA`` times it. A request sent within ``HOLD`` of the
    last cut met a window the old pace had filled: its answer does not cut again.

    In a run younger than a window (:func:`young`: controllers that start at once, at their own full rates), the
    window cannot tell this controller's share: it holds more of whoever began first, and nothing of one that
    joins an account another keeps busy. Another controller sends too, so the peak is half the rate this one sent
    at, and the window of the next cut measures the shares. The window is full of requests sent since the run
    began, and none of this controller's leaves it before one window after that: the next request waits until
    then instead of meeting the full window again.
    """
    after = now
    is_young = young(state, now)
    if is_young:
        after = max(now, float(state['since']) + WINDOW)
    cut = state.get('cut')
    if cut is None or sent_at >= float(cut) + HOLD:
        rate = current_rate(state, now, base)
        # Young: no cut is in force, so it sent at its own rate, SAFETY below the curve's ceiling.
        peak = max(MIN_RATE, rate / SAFETY / 2) if is_young else min(rate, max(MIN_RATE, window_count(state, now)))
        state = dict(state, cut=now, peak=peak)
    interval = current_interval(state, now, base)
    return dict(state, next=max(float(state.get('next') or 0.0), now + interval, after))


# How far ahead of the clock a reserved slot may be. Beyond it, senders take turns by :func:`claim`, which keeps
# the spacing: so a slot planted, or left by runs that were killed, far ahead never holds a run up longer.
MAX_AHEAD = MAX_INTERVAL
# Moments of the past: ahead of the clock only in a damaged file or after the clock was set back.
PAST = ('sent', 'cut', 'since')
# The largest peak (requests/s) taken from a file: beyond it, the cubic curve's arithmetic would overflow.
MAX_PEAK = 1e6


def _clean_field(key, value, now):
    """A field of the state as the arithmetic may use it, or None to leave it out. Pure."""
    value = _finite(value)
    if value is None:
        return None
    if key == 'next':
        return min(value, now + MAX_AHEAD)
    if key in PAST:
        return min(value, now)
    if key == 'peak':
        return value if 0 < value <= MAX_PEAK else None
    return value if value >= 0 else None  # fastest: a latency


def clean_state(state, now):
    """The state a file held, with what the arithmetic cannot use left out. Pure.

    Every field is a finite number (``accepted``: a list of them). A slot (``next``) more than ``MAX_AHEAD``
    after ``now`` is brought back to it, and a moment of the past (``sent``, ``cut``, ``since``, an accepted
    request) after ``now`` back to ``now`` (an accepted request: left out). A peak outside ``(0, MAX_PEAK]`` and
    a negative latency are dropped, and a cut without its peak goes with it. Whatever else a damaged file holds is
    ignored, so a run never fails on its pacing file, and no wait is longer than ``MAX_AHEAD`` or the interval.
    """
    if not isinstance(state, dict):
        return {}
    clean = {}
    for key in ('next',) + PAST + ('peak', 'fastest'):
        value = _clean_field(key, state.get(key), now)
        if value is not None:
            clean[key] = value
    if ('cut' in clean) != ('peak' in clean):
        clean.pop('cut', None)
        clean.pop('peak', None)
    clean['accepted'] = [t for t in _accepted(state) if t <= now][-KEEP:]
    return clean


def state_file(directory, endpoint, access_key, action):
    """The file of one (endpoint, access key, action); the key itself is only hashed into the name."""
    digest = hashlib.sha256(('%s\n%s\n%s' % (endpoint, access_key, action)).encode('utf-8')).hexdigest()[:32]
    return os.path.join(directory, '%s.json' % digest)


def parsed_state(raw):
    """The state in the bytes ``raw`` of a file: {} for nothing, junk, or nesting too deep for json. Pure."""
    try:
        return json.loads(raw.decode('utf-8')) if raw else {}
    except (ValueError, RecursionError):
        return {}


class Pacer:
    """Shared, adaptive request spacing for one endpoint and access key."""

    def __init__(  # noqa: PLR0913 - the pacer's state file, clock and tunables, each with a default; tests set them
        self,
        rate,
        endpoint,
        access_key,
        directory=None,
        clock=time.time,
        sleep=time.sleep,
        action_rates=None,
        warn=None,
    ):
        """``rate``: requests per second of each action; ``action_rates``: the actions paced at another rate.

        ``directory``: the state folder (by default the user's private one, ``_state_dir``), which must be private;
        ``warn``: called with a message when pacing is turned off for an unusable folder or file.
        """
        self.base = base_interval(rate)
        self._bases = {action: base_interval(own) for action, own in (action_rates or {}).items()}
        self.endpoint = endpoint
        self.access_key = access_key
        self.clock = clock
        self.sleep = sleep
        self.warn = warn or (lambda message: None)
        self.directory = None
        self.enabled = (self.base > 0 or any(self._bases.values())) and fcntl is not None and self._prepare(directory)

    def interval(self, action):
        """The least seconds between two requests of ``action`` (0: not paced)."""
        return self._bases.get(action, self.base)

    def _prepare(self, directory):
        """Choose the private state folder (``directory`` when given); False when there is none (it has warned)."""
        if directory is None:
            self.directory = state_directory(self.warn)
        else:
            problem = private_directory(directory, current_uid())
            if problem:
                self.warn('Pacing is off for this task: the folder %s %s.' % (directory, problem))
            self.directory = None if problem else resolved(directory)
        return self.directory is not None

    def _off(self, problem):
        """Turn pacing off for the rest of this task, saying why."""
        self.enabled = False
        self.warn('Pacing is off for the rest of this task: %s. Throttled requests are still retried.' % problem)

    def _update(self, action, change):
        """Apply ``change(state, now)`` under the file lock; return what it returned besides the state, and ``now``.

        None (pacing is then off) when the file is not a regular file of the user's or cannot be read or written.
        """
        path = state_file(self.directory, self.endpoint, self.access_key, action)
        try:
            fd = open_private(path)
        except UnsafePath as exc:
            self._off('the pacing file %s' % exc)
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            now = self.clock()
            state, extra = change(clean_state(parsed_state(os.read(fd, MAX_STATE)), now), now)
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(state).encode('utf-8'))
            return extra, now
        except OSError as exc:
            self._off('the pacing file %s cannot be used (%s)' % (path, exc.strerror or exc))
            return None
        finally:
            os.close(fd)  # also releases the lock

    def acquire(self, action):
        """Wait until this process may send ``action``; return the moment it claimed (None: not paced).

        The moment goes back to :meth:`answered` with the answer.
        """
        base = self.interval(action)
        if not self.enabled or base <= 0:
            return None
        update = self._update(action, lambda state, now: reserve(state, now, base))
        while update is not None and update[0] > 0:
            self.sleep(update[0])
            update = self._update(action, lambda state, now: claim(state, now, base))
        return None if update is None else update[1]

    def answered(self, action, sent_at, throttled=False):
        """The request claimed at ``sent_at`` got its answer (or certainly none): adapt the pace to it."""
        if self.enabled and sent_at is not None:
            base = self.interval(action)
            self._update(action, lambda state, now: (after_answer(state, sent_at, now, base, throttled), None))
