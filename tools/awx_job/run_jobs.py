# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run examples/awx_job_template.yml the way AWX runs a job template, and check what users would see.

AWX hands every job to ansible-runner: a private data directory with the inventory, the project, the extra
variables and the environment that the job's credentials inject. This script builds that directory as AWX would,
with the "Volcengine Live" credential type of docs/awx/ rendered from credential inputs, and runs through
ansible-runner (the library AWX uses) against the local Live API simulator:

1. a check job (--check --diff): it writes nothing and predicts, host by host, what the real job changes;
2. the real job, verbosity 4, an inventory of many stream hosts run with forks: each stream written once;
3. the same job again: nothing written;
4. a job with a wrong secret: it fails with the collection's hint, and no traceback.

No job event, stdout line or artifact may carry the secret key, a session token or a request signature
(ansible-runner's own record of the environment it was handed, artifacts/<job>/command, is not the collection's
output and is left out). Exits non-zero with the reasons when anything does not hold.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import urllib.request

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CREDENTIAL_TYPE = os.path.join(ROOT, 'docs', 'awx')
PLAYBOOK = os.path.join(ROOT, 'examples', 'awx_job_template.yml')


def render_injector(inputs):
    """The job environment the credential type injects for ``inputs``, rendered as AWX renders injectors.

    AWX fills the template namespace with each input field's value, or its default when the credential leaves it
    out, and renders every ``env`` template in an immutable Jinja2 sandbox.
    """
    with open(os.path.join(CREDENTIAL_TYPE, 'credential_type_inputs.yml'), encoding='utf-8') as handle:
        fields = yaml.safe_load(handle)
    with open(os.path.join(CREDENTIAL_TYPE, 'credential_type_injectors.yml'), encoding='utf-8') as handle:
        injectors = yaml.safe_load(handle)
    missing = [name for name in fields.get('required', []) if not inputs.get(name)]
    if missing:
        raise SystemExit('the credential lacks required inputs: %s' % ', '.join(missing))
    namespace = {}
    for field in fields['fields']:
        if field['id'] in inputs:
            namespace[field['id']] = inputs[field['id']]
        elif 'default' in field:
            namespace[field['id']] = field['default']
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**namespace) for name, template in injectors['env'].items()}


def admin(endpoint, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(endpoint + path, data=data, method='POST' if data is not None else 'GET')
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def private_data_dir(work, name, env, extravars, streams):
    """A private data directory as AWX lays it out for one job."""
    pdd = os.path.join(work, name)
    shutil.rmtree(pdd, ignore_errors=True)
    for sub in ('env', 'inventory', 'project'):
        os.makedirs(os.path.join(pdd, sub))
    with open(os.path.join(pdd, 'env', 'envvars'), 'w', encoding='utf-8') as handle:
        json.dump(env, handle)
    with open(os.path.join(pdd, 'env', 'extravars'), 'w', encoding='utf-8') as handle:
        json.dump(extravars, handle)
    with open(os.path.join(pdd, 'inventory', 'hosts'), 'w', encoding='utf-8') as handle:
        handle.write('[streams]\n')
        for stream in streams:
            handle.write('%s live_src_addrs=\'["rtmp://origin.example.com/live/%s"]\'\n' % (stream, stream))
        handle.write('\n[streams:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' % sys.executable)
    shutil.copy(PLAYBOOK, os.path.join(pdd, 'project', 'job.yml'))
    return pdd


def run_job(pdd, forks, check=False):
    runner = ansible_runner.run(
        private_data_dir=pdd,
        playbook='job.yml',
        verbosity=4,
        forks=forks,
        cmdline='--check --diff' if check else None,
        quiet=True,
    )
    changed = {}
    for event in runner.events:
        if event.get('event') == 'runner_on_ok':
            data = event['event_data']
            changed[data['host']] = bool(data.get('res', {}).get('changed'))
    return runner, changed


def outputs(runner, pdd, with_command=False):
    """Everything the job showed or kept: event stdout and data, stdout, and every artifact but the runner's own
    record of the environment it was handed (unless ``with_command``)."""
    texts = [json.dumps(event) for event in runner.events]
    texts.append(runner.stdout.read())
    artifacts = os.path.join(pdd, 'artifacts')
    for folder, _dirs, files in os.walk(artifacts):
        for name in files:
            path = os.path.join(folder, name)
            if name == 'command' and not with_command:
                continue
            with open(path, encoding='utf-8', errors='replace') as handle:
                texts.append(handle.read())
    return '\n'.join(texts)


def main(argv=None):  # noqa: PLR0915 - the script's steps, in the order it runs them
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--endpoint', required=True)
    parser.add_argument('--access-key', required=True)
    parser.add_argument('--secret-key', required=True)
    parser.add_argument('--domain', required=True)
    parser.add_argument('--collections', required=True, help='ANSIBLE_COLLECTIONS_PATH of the jobs')
    parser.add_argument('--work', required=True)
    parser.add_argument('--streams', type=int, default=40)
    parser.add_argument('--forks', type=int, default=10)
    args = parser.parse_args(argv)

    problems = []
    streams = ['awx-stream-%03d' % i for i in range(args.streams)]
    # AWX passes every input the credential has; this one has an empty session token, and no region, which
    # falls back on the input's default.
    inputs = {
        'access_key': args.access_key,
        'secret_key': args.secret_key,
        'session_token': '',
        'endpoint': args.endpoint,
    }
    env = dict(render_injector(inputs), ANSIBLE_COLLECTIONS_PATH=args.collections, ANSIBLE_FORCE_COLOR='0')
    if env['VOLCENGINE_SESSION_TOKEN'] != '' or env['VOLCENGINE_REGION'] != 'cn-north-1':
        problems.append('the injector rendered %r' % {k: v for k, v in env.items() if 'SECRET' not in k})
    extravars = {'live_domain': args.domain}
    admin(args.endpoint, '/_sim/reset', {'stats': True, 'state': True, 'faults': True})

    check_pdd = private_data_dir(args.work, 'check-job', env, extravars, streams)
    check, predicted = run_job(check_pdd, args.forks, check=True)
    stats = admin(args.endpoint, '/_sim/stats')
    print(
        'check job: %s, rc %s, %d hosts predicted changed, writes %d'
        % (check.status, check.rc, sum(predicted.values()), stats['writes'])
    )
    if check.status != 'successful' or stats['writes'] != 0:
        problems.append('the check job was %s and wrote %d times' % (check.status, stats['writes']))

    real_pdd = private_data_dir(args.work, 'job', env, extravars, streams)
    real, changed = run_job(real_pdd, args.forks)
    stats = admin(args.endpoint, '/_sim/stats')
    configs = admin(args.endpoint, '/_sim/state')['configs']
    created = stats['by_action'].get('CreateRelaySourceV4', 0)
    print(
        'job: %s, rc %s, %d hosts changed, creates %d, configurations %d'
        % (real.status, real.rc, sum(changed.values()), created, len(configs))
    )
    if real.status != 'successful':
        problems.append('the job was %s' % real.status)
    if sorted(c['Stream'] for c in configs) != streams or created != len(streams):
        problems.append(
            'the streams were not each written once: %d creates, %d configurations' % (created, len(configs))
        )
    if predicted != changed or len(changed) != len(streams):
        problems.append('the check job predicted %s, the job changed %s' % (predicted, changed))

    again_pdd = private_data_dir(args.work, 'job-again', env, extravars, streams)
    admin(args.endpoint, '/_sim/reset', {'stats': True})
    again, changed_again = run_job(again_pdd, args.forks)
    writes_again = admin(args.endpoint, '/_sim/stats')['writes']
    print('job again: %s, %d hosts changed, writes %d' % (again.status, sum(changed_again.values()), writes_again))
    if again.status != 'successful' or any(changed_again.values()) or writes_again:
        problems.append(
            'the job again was %s, changed %s, wrote %d times' % (again.status, changed_again, writes_again)
        )

    wrong_inputs = dict(inputs, secret_key=args.secret_key + '-wrong')
    wrong_env = dict(render_injector(wrong_inputs), ANSIBLE_COLLECTIONS_PATH=args.collections)
    wrong_pdd = private_data_dir(args.work, 'job-wrong-secret', wrong_env, extravars, streams[:3])
    wrong, _changed = run_job(wrong_pdd, args.forks)
    wrong_stdout = outputs(wrong, wrong_pdd)
    # The credential type injects VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY: the hint names them.
    hint = (
        'check that the secret key of the environment variables VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY '
        'belongs to its access key'
    )
    print(
        'job with a wrong secret: %s, the hint %s, a traceback %s'
        % (
            wrong.status,
            'shown' if hint in wrong_stdout else 'missing',
            'shown' if 'Traceback (most recent call last)' in wrong_stdout else 'not shown',
        )
    )
    if wrong.status != 'failed' or 'SignatureDoesNotMatch' not in wrong_stdout or hint not in wrong_stdout:
        problems.append("the job with a wrong secret was %s without the collection's hint" % wrong.status)
    if 'Traceback (most recent call last)' in wrong_stdout:
        problems.append('the job with a wrong secret showed a traceback')

    signatures = admin(args.endpoint, '/_sim/signatures')['signatures']
    secrets = [args.secret_key, args.secret_key + '-wrong'] + signatures
    for label, runner, pdd in (
        ('check job', check, check_pdd),
        ('job', real, real_pdd),
        ('job again', again, again_pdd),
        ('job with a wrong secret', wrong, wrong_pdd),
    ):
        text = outputs(runner, pdd)
        leaked = [secret for secret in secrets if secret and secret in text]
        if leaked:
            problems.append('the %s output carries %d secret value(s) or signature(s)' % (label, len(leaked)))
    # The scan must be able to find a secret: the runner's record of its environment holds the one injected.
    if args.secret_key not in outputs(real, real_pdd, with_command=True):
        problems.append('the secret scan does not read the artifacts')
    print(
        'secrets: %d values and %d request signatures looked for in every event, stdout line and artifact'
        % (2, len(signatures))
    )

    if problems:
        print('\n'.join('FAILED: ' + problem for problem in problems), file=sys.stderr)
        return 1
    print('ok: AWX-style jobs through ansible-runner')
    return 0


if __name__ == '__main__':
    sys.exit(main())
