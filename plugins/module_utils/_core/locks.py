# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Controller-local locks around a module's look-then-write, shared by every run and fork on one controller.

The API has no way to create a resource only if it is absent, so two runs that look at once both find nothing and
both create. A module that converges one resource therefore holds its lock (``flock`` on an empty file in the
user's private state folder, ``_state_dir``; the file is named after a hash of the endpoint, the access key and the
resource key) from its first look to its last write. The locks form a hierarchy: a module that converges a whole
container (``relay_sources``: a domain; ``pull_to_push_group``: a group) holds the container's lock exclusively; a
module that converges one item holds the container's lock shared, then the item's exclusively. Locks are always
taken container first, so two runs never wait for each other in a circle.

A lock is waited for at most :func:`lock_wait` seconds, polling, and then the task fails and says which resource
another run holds. Without ``fcntl`` (not POSIX) or a private folder, the task runs unlocked and warns. Check mode
only reads, and takes no lock. Two controllers share no folder: across them, what stays is each module's refusal
of what it cannot tell apart (two tasks of one title).
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import json
import os
import time

from ansible_collections.volcengine.live.plugins.module_utils._core.module import TaskFailed
from ansible_collections.volcengine.live.plugins.module_utils._core.state_dir import (
    UnsafePath,
    open_private,
    state_directory,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import canonical_endpoint

try:
    import fcntl
except ImportError:  # not POSIX: no locks
    fcntl = None

# The longest wait for another run's lock: the larger of this many seconds and this many times the task's timeout.
WAIT_MIN = 300.0
WAIT_TIMEOUTS = 10
# The first and the longest pause between two tries of a lock that another run holds.
POLL_FIRST = 0.02
POLL_MAX = 0.2

LockKey = collections.namedtuple('LockKey', 'what parts exclusive')
LockKey.__doc__ = """One lock: ``what`` names the resource in messages, ``parts`` identify it (hashed into the file
name), ``exclusive`` is False for the shared lock of a container whose items are converged one by one."""


def domain_key(domain, exclusive):
    """The fixed relay sources of one domain: exclusive for ``relay_sources``, shared for ``relay_source``."""
    return LockKey('the fixed relay sources of domain %s' % domain, ('fixed_relay', domain), exclusive)


def stream_key(domain, app, stream):
    """One fixed relay source."""
    return LockKey('the relay source of %s/%s/%s' % (domain, app, stream), ('fixed_relay', domain, app, stream), True)


def vhost_key(vhost):
    """The play-triggered relay of a Vhost: every App and group of it, since a write sends a Vhost+App's whole
    list and the look after a delete checks every group of the Vhost."""
    return LockKey('the play-triggered relay of vhost %s' % vhost, ('play_relay', vhost), True)


def group_key(group, exclusive):
    """A pull-to-push group: exclusive for ``pull_to_push_group``, shared for ``pull_to_push_task``."""
    return LockKey('pull-to-push group %s' % group, ('pull_to_push_group', group), exclusive)


def task_key(group, title):
    """A pull-to-push task, known by its title within its group."""
    return LockKey('pull-to-push task %r of group %s' % (title, group), ('pull_to_push_task', group, title), True)


def lock_wait(timeout):
    """The longest wait (seconds) for another run's locks, for a task of ``timeout``. Pure."""
    return max(WAIT_MIN, WAIT_TIMEOUTS * float(timeout or 0))


def lock_file(directory, endpoint, access_key, parts):
    """The lock file of one resource key; the access key and the key itself are only hashed into the name. Pure."""
    text = json.dumps([endpoint, access_key] + list(parts), ensure_ascii=True)
    return os.path.join(directory, '%s.lock' % hashlib.sha256(text.encode('utf-8')).hexdigest()[:32])


class LockTimeout(Exception):
    """Another run held the lock of ``key`` for longer than the wait."""

    def __init__(self, key, waited):
        super().__init__(key.what)
        self.key = key
        self.waited = waited


def _try_lock(fd, exclusive):
    """Take the lock of ``fd`` if no other holds it; return whether it was taken."""
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            return False
        raise
    return True


def _still_named(fd, path):
    """Whether ``path`` still names the file of ``fd`` (a file removed while we waited is no lock any more)."""
    try:
        named = os.lstat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _lock_one(  # noqa: PLR0913 - one lock's path, key and deadline; clock, sleep and wait injected for tests
    path,
    key,
    deadline,
    clock,
    sleep,
    wait,
):
    """The file descriptor of ``path`` locked as ``key`` says, once no other run holds it; LockTimeout at
    ``deadline``."""
    pause = POLL_FIRST
    while True:
        fd = open_private(path)
        try:
            while not _try_lock(fd, key.exclusive):
                if clock() >= deadline:
                    raise LockTimeout(key, wait)
                sleep(pause)
                pause = min(POLL_MAX, pause * 1.5)
            if _still_named(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def acquire(  # noqa: PLR0913 - what names the lock files (keys, folder, endpoint, access key), the wait, and the clock and sleep tests inject
    keys,
    directory,
    endpoint,
    access_key,
    wait,
    clock=time.monotonic,
    sleep=time.sleep,
):
    """Lock ``keys`` in their order; return the file descriptors, which hold the locks until closed.

    Raise :class:`LockTimeout` when another run holds one for ``wait`` seconds, :class:`UnsafePath` or OSError when
    a lock file cannot be used; either way, none is held.
    """
    deadline = clock() + wait
    fds = []
    try:
        for key in keys:
            path = lock_file(directory, endpoint, access_key, key.parts)
            fds.append(_lock_one(path, key, deadline, clock, sleep, wait))
    except BaseException:
        release(fds)
        raise
    return fds


def release(fds):
    """Give up the locks of ``fds``."""
    for fd in reversed(fds):
        os.close(fd)


def timeout_message(exc):
    """The failure of a task that waited too long for another run's lock. Pure."""
    return (
        'Another run on this controller held the lock of %s for %d seconds (the longest wait: the larger of %d '
        'seconds and %d times timeout), so this task neither looked nor changed anything. Run it again once that '
        'run has finished.' % (exc.key.what, exc.waited, WAIT_MIN, WAIT_TIMEOUTS)
    )


@contextlib.contextmanager
def converging(params, check_mode, warn, *keys):
    """Hold the locks of ``keys`` (container first) on this controller while a task converges.

    None in check mode, which only reads. Without ``fcntl``, a private folder or a usable lock file, the task runs
    unlocked and ``warn`` says so. A lock that another run holds for longer than :func:`lock_wait` fails the task
    (:class:`TaskFailed`, nothing changed).
    """
    fds = []
    if not check_mode:
        fds = _acquire_for_task(params, warn, keys)
    try:
        yield
    finally:
        release(fds)


def _acquire_for_task(params, warn, keys):
    if fcntl is None:
        warn(
            'No locks on this system (no fcntl): runs on this controller are not kept from converging %s at once.'
            % keys[-1].what
        )
        return []
    directory = state_directory(warn)
    if directory is None:
        return []
    wait = lock_wait(params.get('timeout'))
    try:
        return acquire(keys, directory, canonical_endpoint(params.get('endpoint')), params.get('access_key'), wait)
    except LockTimeout as exc:
        raise TaskFailed(timeout_message(exc), changed=False) from exc
    except (UnsafePath, OSError) as exc:
        warn('The lock of %s cannot be taken (%s): this task runs unlocked.' % (keys[-1].what, exc))
        return []
