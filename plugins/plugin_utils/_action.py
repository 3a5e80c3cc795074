# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The action plugins of the collection's modules: run the module's code on the controller when it would run there.

A task on a local connection (``hosts: localhost``, ``delegate_to: localhost``,
``connection: local``, AWX and execution environments) runs its module on the
controller anyway. Starting a Python process for it, unpacking the module and
importing ``requests`` costs more than the API call itself, and a play over
hundreds of streams pays it for every task. So, on a local connection, the
action plugin runs the module's own code (its ``ModuleDefinition`` in
``module_utils/_<module>.py``) under ansible-core's own ``AnsibleModule`` in
Ansible's worker process, where ``requests`` is already imported
(``plugin_utils/_in_process.py`` says how).

Everything else runs the module as usual, on the target: another connection,
``become``, ``async``, a task ``environment`` (which only a module process
sees), ``requests`` missing on the controller, an ansible-core without the
hook the in-process path needs or newer than the newest tested series
(``_in_process.unsupported_reason()``), or the variable
``volcengine_live_in_process: false``. The result is the same either way.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.validation import check_type_bool
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.volcengine.live.plugins.module_utils._core.transport import import_requests
from ansible_collections.volcengine.live.plugins.plugin_utils._in_process import (
    SERIALIZATION_PROFILE,
    run_in_worker,
    unsupported_reason,
)

# Import requests once, in the process that loads this plugin (the strategy does, before it forks the workers).
HAVE_REQUESTS = import_requests()[0] is not None

IN_PROCESS_VAR = 'volcengine_live_in_process'
LOCAL_TRANSPORTS = frozenset(('local', 'ansible.builtin.local', 'ansible.legacy.local'))

display = Display()


def environment_is_set(environment):
    """Whether a task's ``environment`` keyword sets any variable (it is a dict, or a list of them)."""
    if not environment:
        return False
    if isinstance(environment, dict):
        return True
    if isinstance(environment, (list, tuple)):
        return any(environment_is_set(item) for item in environment)
    return True  # an unresolved template: only the module path knows what it becomes


def module_process_reason(  # noqa: PLR0911, PLR0913 - one return per cause a task runs as a module process, in the order -vvv names them
    transport,
    become,
    async_val,
    environment,
    in_process,
    have_requests,
    core_unsupported=None,
):
    """Why the task must run the module in a process of its own, or None when it can run in-process. Pure."""
    if not in_process:
        return '%s is false' % IN_PROCESS_VAR
    if transport not in LOCAL_TRANSPORTS:
        return 'the connection is %s, not local' % transport
    if become:
        return 'become is set'
    if async_val:
        return 'the task is async'
    if environment_is_set(environment):
        return 'the task sets environment variables'
    if not have_requests:
        return 'requests is missing on the controller'
    if core_unsupported:
        return core_unsupported
    return None


class LiveAction(ActionBase):
    """Base of the collection's action plugins: ``DEFINITION`` is the module's ``ModuleDefinition``."""

    _supports_check_mode = True
    _supports_async = True

    DEFINITION = None

    def _in_process_wanted(self, task_vars):
        value = self._templar.template((task_vars or {}).get(IN_PROCESS_VAR, True))
        try:
            return check_type_bool(value)
        except TypeError:
            raise AnsibleActionFail('%s must be a boolean, got %r' % (IN_PROCESS_VAR, value)) from None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        reason = module_process_reason(
            transport=getattr(self._connection, 'transport', None),
            become=self._play_context.become,
            async_val=self._task.async_val,
            environment=self._task.environment,
            in_process=self._in_process_wanted(task_vars),
            have_requests=HAVE_REQUESTS,
            core_unsupported=unsupported_reason(),
        )
        if reason is None:
            display.vvv(
                '%s: runs in the worker process on the controller' % self._task.action,
                host=self._play_context.remote_addr,
            )
            return merge_hash(result, self._run_in_worker(task_vars))

        display.vvv(
            '%s: runs as a module process: %s' % (self._task.action, reason), host=self._play_context.remote_addr
        )
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_in_worker(self, task_vars):
        """The module's result as ``_execute_module`` would return it, with the module run in this process."""
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars or {})
        stdout, stderr, rc = run_in_worker(self.DEFINITION, module_args)
        parsed = self._parse_returned_data(
            dict(
                rc=rc,
                stdout=stdout,
                stdout_lines=stdout.splitlines(),
                stderr=stderr,
                stderr_lines=stderr.splitlines(),
            ),
            SERIALIZATION_PROFILE,
        )
        # What _execute_module does with a parsed module result (the parts that apply without a remote tmpdir,
        # async or interpreter discovery): ansible-core 2.21 and later parse into a result object.
        if hasattr(parsed, 'as_result_dict'):
            parsed.remove_internal_keys()
            return parsed.as_result_dict(for_round_trip=True)
        from ansible.vars.clean import remove_internal_keys  # ansible-core 2.19 and 2.20; later cores removed it

        remove_internal_keys(parsed)
        return parsed
