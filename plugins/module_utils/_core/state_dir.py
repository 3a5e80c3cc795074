# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The folder where the module runs of one controller share their state (pacing files, locks), and how its files
are opened.

Every process of one user must find the same folder, so its name is predictable, and another local user may make
it first. So it is used only when it is private to the current user: not a symbolic link, a directory, owned by
the user, no access for anyone else, in folders not every user may swap it out of (none writable by all and not
sticky, as ``/tmp`` is), and by its resolved path. The first of two places that is (or can be made) so is used:
``$TMPDIR/volcengine-live-<uid>``, then ``~/.ansible/tmp/volcengine-live-<uid>``; when neither is, a run shares no
state and says so. A file in it is opened without following a symbolic link and without blocking (a FIFO in its
place never hangs a run), and used only when it is a regular file of the user's with one link.
"""

from __future__ import annotations

import os
import stat
import tempfile

# What a file of the folder is opened with: read and write, made when missing, never through a symbolic link, never
# blocking (a FIFO), not inherited by child processes.
OPEN_FLAGS = (
    os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_CLOEXEC', 0)
)


class UnsafePath(Exception):
    """A path of the state folder that must not be used; the message says which and why."""


def current_uid():
    """The user id of this process; None where there are none (not POSIX)."""
    return os.getuid() if hasattr(os, 'getuid') else None


def candidates(uid):
    """The folders to try, in order: under the temporary directory, then under ``~/.ansible/tmp``."""
    name = 'volcengine-live-%d' % uid
    return [
        os.path.join(tempfile.gettempdir(), name),
        os.path.join(os.path.expanduser('~'), '.ansible', 'tmp', name),
    ]


def private_problem(  # noqa: PLR0911 - one return per reason a folder is not private, each named in the warning
    st,
    uid,
    directory,
):
    """Why the ``lstat`` result ``st`` is not a private folder (``directory``) or file of user ``uid``; None when
    it is. Pure. A file must also have a single link (a hard link elsewhere would be written through)."""
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return 'is a symbolic link'
    if directory and not stat.S_ISDIR(mode):
        return 'is not a directory'
    if not directory and not stat.S_ISREG(mode):
        return 'is not a regular file'
    if st.st_uid != uid:
        return 'belongs to user id %d, not %d' % (st.st_uid, uid)
    if directory and stat.S_IMODE(mode) & 0o077:
        return 'is open to other users (mode %04o)' % stat.S_IMODE(mode)
    if not directory and st.st_nlink != 1:
        return 'has %d links' % st.st_nlink
    return None


def replaceable_by_others(st):
    """Why any other user could rename or replace what the folder of ``os.stat`` result ``st`` holds: it is writable
    by everyone and not sticky (``/tmp`` is sticky: there only an entry's owner renames it); None otherwise. Pure.

    A folder only its owner's group may write to is taken (a umask of 002, the root group of an OpenShift pod), and so
    is one of another owner (a container's image user): refusing them would turn pacing and locks off where they are
    most needed, with no other user there to fear."""
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o002 and not mode & stat.S_ISVTX:
        return 'is writable by every user and not sticky (mode %04o)' % mode
    return None


def resolved(path):
    """``path`` with the folders above it resolved (``os.path.realpath``), itself left as it is: the state folder is
    used by the path its check saw, so no symbolic link above it can be pointed elsewhere afterwards."""
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def ancestors_problem(path):
    """Why a folder above ``path`` (resolved, up to ``/``) would let another user swap the folder for one of theirs
    after it was checked; None when none would."""
    folder = os.path.dirname(resolved(path))
    while True:
        try:
            problem = replaceable_by_others(os.stat(folder))
        except OSError as exc:
            return 'is in %s, which cannot be read (%s)' % (folder, exc.strerror or exc)
        if problem:
            return 'is in %s, which %s: another user could put a folder of theirs in its place' % (folder, problem)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def private_directory(path, uid):
    """Make ``path`` (mode 0700) unless it exists; return why it cannot be used as the private folder of user
    ``uid``, or None when it can."""
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    except OSError as exc:
        return 'cannot be made (%s)' % (exc.strerror or exc)
    path = resolved(path)
    problem = ancestors_problem(path)
    if problem:
        return problem
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        return 'cannot be made (%s)' % (exc.strerror or exc)
    try:
        return private_problem(os.lstat(path), uid, directory=True)
    except OSError as exc:
        return 'cannot be read (%s)' % (exc.strerror or exc)


def checked_directory(path, uid, warn):
    """``path`` (resolved) when it is (or was made) the private folder of ``uid``; else None, and ``warn`` says why."""
    problem = private_directory(path, uid)
    if problem:
        warn('The folder %s %s, so it is not used for the state that runs on this controller share.' % (path, problem))
        return None
    return resolved(path)


def state_directory(warn=None):
    """The private folder the runs of this user share: the first of :func:`candidates` that is, or can be made,
    private; None when none can (``warn`` has said why, and that pacing and locks are off)."""
    warn = warn or _silent
    uid = current_uid()
    if uid is None:
        return None
    for path in candidates(uid):
        found = checked_directory(path, uid, warn)
        if found:
            return found
    warn(
        'No private folder for the state shared by the runs on this controller: they are neither paced together '
        'nor locked against each other in this task.'
    )
    return None


def open_private(path, uid=None):
    """Open (or make, mode 0600) the file ``path`` of the state folder for reading and writing; return its file
    descriptor. Raise :class:`UnsafePath` when it is not a regular file of the user's with one link (a symbolic
    link, a FIFO, a directory, another user's file) or cannot be opened."""
    uid = current_uid() if uid is None else uid
    try:
        fd = os.open(path, OPEN_FLAGS, 0o600)
    except OSError as exc:
        raise UnsafePath('%s cannot be opened (%s)' % (path, exc.strerror or exc)) from exc
    try:
        problem = private_problem(os.fstat(fd), uid, directory=False)
    except OSError as exc:
        problem = 'cannot be read (%s)' % (exc.strerror or exc)
    if problem:
        os.close(fd)
        raise UnsafePath('%s %s' % (path, problem))
    return fd


def _silent(_message):
    pass
