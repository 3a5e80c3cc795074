# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pull_to_push_task, pull_to_push_task_info and pull_to_push_group against the Live API simulator on 127.0.0.1.

Every scenario runs by both execution paths (the ``run`` fixture). The behaviours no page documents (how a Live
destination is listed, how VOD sources are listed, what an update does to a stopped task) are each a simulator
mode, and the scenarios that depend on them run under every one.
"""

from __future__ import annotations

import json
import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import readable_time
from ansible_collections.volcengine.live.plugins.modules.pull_to_push_group import DEFINITION as GROUP
from ansible_collections.volcengine.live.plugins.modules.pull_to_push_task import DEFINITION as TASK
from ansible_collections.volcengine.live.plugins.modules.pull_to_push_task_info import DEFINITION as INFO
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLTrestream', 'restream-secret'
START = int(time.time()) + 3600
END = START + 3 * 3600
INGEST = 'rtmp://ingest.example.net/app/stream-key-0001'


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, domains=['push.example.com'], rate_limit=0
    ).start()
    yield simulator
    simulator.stop()


def connection(sim):
    return dict(endpoint=sim.endpoint, access_key=AK, secret_key=SK, rate_limit=0, timeout=2, retry_max_delay=0.01)


def live(sim, **extra):
    base = dict(
        connection(sim),
        title='launch2026',
        type='live',
        source_url='rtmp://pull.example.com/live/launch',
        destination_url=INGEST,
        start_time=START,
        end_time=END,
    )
    base.update(extra)
    return {key: value for key, value in base.items() if value is not None}


def to_live_stream(sim, **extra):
    return live(sim, destination_url=None, domain='push.example.com', app='live', stream='launch', **extra)


def vod(sim, **extra):
    return to_live_stream(
        sim, type='vod', source_url=None, **dict(dict(source_urls=['https://vod.example.com/a.mp4']), **extra)
    )


def tasks(sim):
    return admin(sim, '/_sim/state')['pull_to_push']['tasks']


def writes(sim):
    return admin(sim, '/_sim/stats')['writes']


def by_action(sim):
    return admin(sim, '/_sim/stats')['by_action']


def test_create_then_nothing_to_change(run, sim):
    result, failed = run(TASK, live(sim))
    assert not failed, result
    assert result['changed'] is True and result['actions'] == ['create'] and result['task_id']
    (stored,) = tasks(sim)
    assert stored['TaskId'] == result['task_id'] and stored['GroupName'] == 'default'
    assert result['task']['status'] == 'not_started' and result['task']['start_time'] == START
    assert result['task']['destination_url'] == INGEST
    again, failed = run(TASK, live(sim, start_time='%s' % START))
    assert not failed and again['changed'] is False and again['actions'] == []
    assert again['task_id'] == result['task_id'] and len(tasks(sim)) == 1


@pytest.mark.parametrize('dst', ['url', 'fields', 'signed_url'])
@pytest.mark.parametrize('vod_list', ['as_sent', 'vod_src_addrs'])
def test_a_rerun_changes_nothing_however_the_service_lists_the_task(run, sim, dst, vod_list):
    admin(sim, '/_sim/config', {'pull_to_push_dst': dst, 'pull_to_push_vod_list': vod_list})
    items = [{'url': 'https://vod.example.com/b.mp4', 'start_offset': 1.1, 'end_offset': 30}]
    for params in (
        vod(sim),
        vod(sim, title='offsets', source_urls=None, vod_sources=items, cycle_mode=0, play_times=2),
    ):
        first, failed = run(TASK, params)
        assert not failed and first['changed'] is True, first
        again, failed = run(TASK, params)
        assert not failed and again['changed'] is False, (dst, vod_list, again)
    assert writes(sim) == 2


def test_check_mode_predicts_each_step_and_writes_nothing(run, sim):
    result, failed = run(TASK, live(sim, state='stopped', _ansible_check_mode=True, _ansible_diff=True))
    assert not failed and result['changed'] is True and result['actions'] == ['create', 'stop']
    assert result['diff']['before'] == {} and result['diff']['after']['state'] == 'stopped'
    assert tasks(sim) == [] and writes(sim) == 0
    real, failed = run(TASK, live(sim, state='stopped'))
    assert not failed and real['actions'] == ['create', 'stop'] and real['task']['status'] == 'stopped'
    moved, failed = run(TASK, live(sim, end_time=END + 600, _ansible_check_mode=True, _ansible_diff=True))
    assert not failed and moved['actions'] == ['update', 'continue']
    assert (moved['diff']['before']['end_time'], moved['diff']['after']['end_time']) == (END, END + 600)
    assert moved['diff']['after']['state'] == 'present' and writes(sim) == 2


@pytest.mark.parametrize('update_status', ['keep', 'resume'])
def test_check_mode_says_when_it_guessed_what_an_update_does_to_a_stopped_task(run, sim, update_status):
    admin(sim, '/_sim/config', {'pull_to_push_update_status': update_status})
    run(TASK, live(sim, state='stopped'))
    for state in ('present', 'stopped'):
        params = live(sim, end_time=END + 600, state=state)
        check, failed = run(TASK, dict(params, _ansible_check_mode=True))
        assert not failed and any('Check mode assumed' in warning for warning in check['warnings'])
        real, failed = run(TASK, params)
        assert not failed
        if update_status == 'keep':  # what check mode assumed: its prediction is exact
            assert check['actions'] == real['actions'], (state, check, real)
        run(TASK, live(sim, state='stopped'))  # back to the stopped task of the first window


@pytest.mark.parametrize('update_status', ['keep', 'resume'])
def test_state_follows_whatever_an_update_does_to_a_stopped_task(run, sim, update_status):
    admin(sim, '/_sim/config', {'pull_to_push_update_status': update_status})
    run(TASK, live(sim, state='stopped'))
    still, failed = run(TASK, live(sim, end_time=END + 600, state='stopped'))
    assert not failed and still['task']['status'] == 'stopped', still
    assert still['actions'] == (['update'] if update_status == 'keep' else ['update', 'stop'])
    back, failed = run(TASK, live(sim, end_time=END + 1200))
    assert not failed and back['task']['status'] == 'not_started'
    assert back['actions'] == (['update', 'continue'] if update_status == 'keep' else ['update'])
    (stored,) = tasks(sim)
    assert stored['EndTime'] == END + 1200 and not stored['stopped']


def test_a_stopped_task_is_continued_and_a_running_one_stopped(run, sim):
    created, _failed = run(TASK, live(sim, start_time=int(time.time()) - 60))
    assert created['task']['status'] == 'running'
    stopped, failed = run(TASK, live(sim, start_time=created['task']['start_time'], state='stopped'))
    assert not failed and stopped['actions'] == ['stop'] and stopped['task']['status'] == 'stopped'
    again, failed = run(TASK, live(sim, start_time=created['task']['start_time'], state='stopped'))
    assert not failed and again['changed'] is False
    resumed, failed = run(TASK, live(sim, start_time=created['task']['start_time']))
    assert not failed and resumed['actions'] == ['continue'] and resumed['task']['status'] == 'running'


def seed(sim, **fields):
    """A task put into the simulator directly (its window may be over), as a Create body takes it."""
    body = dict(
        Title='launch2026',
        Type=0,
        SrcAddr='rtmp://pull.example.com/live/launch',
        DstAddr=INGEST,
        StartTime=START,
        EndTime=END,
    )
    body.update(fields)
    return admin(sim, '/_sim/state', {'pull_to_push_tasks': [body]})


def test_a_rerun_after_the_event_changes_nothing(run, sim):
    over_start, over_end = int(time.time()) - 7200, int(time.time()) - 60
    seed(sim, StartTime=over_start, EndTime=over_end)
    for state in ('present', 'stopped'):
        result, failed = run(TASK, live(sim, start_time=over_start, end_time=over_end, state=state))
        assert not failed and result['changed'] is False and result['task']['status'] == 'ended', result
    assert writes(sim) == 0


def test_a_window_that_is_over_is_refused_before_any_write(run, sim):
    over_start, over_end = int(time.time()) - 7200, int(time.time()) - 60
    seed(sim, StartTime=over_start, EndTime=over_end)
    for params in (
        live(sim, start_time=over_start, end_time=over_end, source_url='rtmp://pull.example.com/live/other'),
        live(sim, title='never', start_time=over_start, end_time=over_end),
    ):
        for check in (True, False):
            result, failed = run(TASK, dict(params, _ansible_check_mode=check))
            assert failed and result['option'] == 'end_time' and 'in the past' in result['msg'], result
            assert result['changed'] is False
    assert writes(sim) == 0 and by_action(sim).keys() == {'ListPullToPushTaskV2'}
    gone, failed = run(TASK, dict(connection(sim), title='launch2026', state='absent'))
    assert not failed and gone['actions'] == ['delete']


def test_a_task_that_ended_early_is_neither_continued_nor_created_again(run, sim):
    # Its files were played as often as asked: the service says ended although the window is not over. Changing
    # the clock of the simulator alone makes it say so while the controller's clock is still inside the window.
    run(TASK, live(sim))
    admin(sim, '/_sim/config', {'clock_offset': END - time.time() + 60})
    try:
        for state in ('present', 'stopped'):
            result, failed = run(TASK, live(sim, state=state))
            assert not failed and result['changed'] is False and result['task']['status'] == 'ended', result
    finally:
        admin(sim, '/_sim/config', {'clock_offset': 0})


def test_the_title_filter_matches_substrings_but_the_module_compares_exactly(run, sim):
    run(TASK, live(sim, title='launch20261'))
    result, failed = run(TASK, live(sim, title='launch2026'))
    assert not failed and result['actions'] == ['create'] and len(tasks(sim)) == 2
    info, failed = run(INFO, dict(connection(sim), title_contains='launch'))
    assert not failed and sorted(item['title'] for item in info['pull_to_push_tasks']) == ['launch2026', 'launch20261']


def test_two_tasks_of_one_title_fail_naming_both_and_nothing_is_written(run, sim):
    body = {
        'Title': 'launch2026',
        'Type': 0,
        'SrcAddr': 'rtmp://pull.example.com/live/launch',
        'DstAddr': INGEST,
        'StartTime': START,
        'EndTime': END,
    }
    admin(sim, '/_sim/state', {'pull_to_push_tasks': [dict(body, TaskId='t-one'), dict(body, TaskId='t-two')]})
    for state in ('present', 'absent'):
        result, failed = run(TASK, live(sim, end_time=END + 60, state=state))
        assert failed and result['task_ids'] == ['t-one', 't-two'], result
        assert 't-one, t-two' in result['msg'] and 'task_id' in result['msg']
    assert writes(sim) == 0
    picked, failed = run(TASK, live(sim, end_time=END + 60, task_id='t-two'))
    assert not failed and picked['actions'] == ['update'] and picked['task_id'] == 't-two'
    assert [t['EndTime'] for t in tasks(sim)] == [END, END + 60]


def test_a_rename_onto_a_title_the_group_has_is_refused(run, sim):
    run(TASK, live(sim, title='one'))
    two, _failed = run(TASK, live(sim, title='two'))
    result, failed = run(TASK, live(sim, title='one', task_id=two['task_id']))
    assert failed and result['changed'] is False and len(result['task_ids']) == 1, result
    assert 'would make the title ambiguous' in result['msg'] and writes(sim) == 2


def test_a_task_id_renames_and_an_unknown_one_fails(run, sim):
    created, _failed = run(TASK, live(sim, title='old'))
    renamed, failed = run(TASK, live(sim, title='new', task_id=created['task_id']))
    assert not failed and renamed['actions'] == ['update'] and renamed['task']['title'] == 'new'
    missing, failed = run(TASK, live(sim, title='new', task_id='no-such-task'))
    assert failed and 'no pull-to-push task no-such-task' in missing['msg'] and writes(sim) == 2
    gone, failed = run(TASK, dict(connection(sim), title='new', task_id='no-such-task', state='absent'))
    assert not failed and gone['changed'] is False


def test_a_lost_create_without_retries_fails_as_changed(run, sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'CreatePullToPushTask'}]})
    result, failed = run(TASK, live(sim, timeout=0.5, retries=0))
    assert failed and result['changed'] is True and len(tasks(sim)) == 1, result
    assert 'it was not sent again' in result['msg'] and 'Rerun the task' in result['msg']


def test_a_create_whose_answer_was_lost_is_found_not_made_twice(run, sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'CreatePullToPushTask'}]})
    result, failed = run(TASK, live(sim, timeout=0.5))
    assert not failed, result
    created = tasks(sim)
    assert len(created) == 1 and result['task_id'] == created[0]['TaskId']
    assert any('nothing was sent twice' in warning for warning in result.get('warnings', []))
    assert by_action(sim)['CreatePullToPushTask'] == 1


def test_a_create_answered_by_a_gateway_timeout_is_not_sent_again(run, sim):
    # A 504 says nothing of whether the create was carried out; this one was not, and the looks find nothing:
    # the create is not sent again, the task fails saying so, and the rerun (which looks first) creates it.
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'http504', 'action': 'CreatePullToPushTask'}]})
    result, failed = run(TASK, live(sim, timeout=0.5))
    assert failed and result['changed'] is True and tasks(sim) == [], result
    assert result['error']['code'] == 'InternalServiceTimeout' and 'not sent again' in result['msg']
    assert by_action(sim)['CreatePullToPushTask'] == 1 and by_action(sim)['ListPullToPushTaskV2'] == 3
    rerun, failed = run(TASK, live(sim, timeout=0.5))
    assert not failed and rerun['actions'] == ['create'] and len(tasks(sim)) == 1


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'the simulator did not commit in time'
        time.sleep(0.1)


def test_a_create_the_service_commits_after_the_timeout_and_the_looks_makes_one_task(run, sim):
    # The answer never comes and the task appears 5 s after the request, past a timeout of 1 s and the two looks
    # after it (about 2 s and 3 s after the request): one create is sent, the task fails honestly, and the rerun
    # after the commit finds the one task.
    admin(
        sim,
        '/_sim/faults',
        {'faults': [{'kind': 'late_commit', 'seconds': 5, 'action': 'CreatePullToPushTask', 'title': 'final2026'}]},
    )
    result, failed = run(TASK, live(sim, title='final2026', timeout=1))
    assert failed and result['changed'] is True, result
    assert result['msg'].startswith('CreatePullToPushTask failed: Timeout')
    assert 'not found when looked up again 2 times' in result['msg'] and 'Rerun the task' in result['msg']
    assert tasks(sim) == [] and by_action(sim)['CreatePullToPushTask'] == 1
    wait_for(lambda: len(tasks(sim)) == 1)
    rerun, failed = run(TASK, live(sim, title='final2026', timeout=1))
    assert not failed and rerun['changed'] is False, rerun
    assert [task['Title'] for task in tasks(sim)] == ['final2026'] and by_action(sim)['CreatePullToPushTask'] == 1


def test_a_group_create_committed_late_is_not_sent_again(run, sim):
    admin(
        sim,
        '/_sim/faults',
        {'faults': [{'kind': 'late_commit', 'seconds': 3, 'answer': 'http504', 'action': 'CreatePullToPushGroup'}]},
    )
    result, failed = run(GROUP, dict(connection(sim), name='events', timeout=0.5))
    assert failed and result['changed'] is True and 'not sent again' in result['msg'], result
    assert by_action(sim)['CreatePullToPushGroup'] == 1
    wait_for(lambda: [group['Name'] for group in admin(sim, '/_sim/state')['pull_to_push']['groups']] == ['events'])
    rerun, failed = run(GROUP, dict(connection(sim), name='events', timeout=0.5))
    assert not failed and rerun['changed'] is False and by_action(sim)['CreatePullToPushGroup'] == 1


def test_throttling_and_transient_errors_are_retried(run, sim):
    admin(
        sim,
        '/_sim/faults',
        {
            'faults': [
                {'kind': 'error', 'status': 429, 'code': 'FlowLimitExceeded', 'action': 'ListPullToPushTaskV2'},
                {'kind': 'http500', 'action': 'ListPullToPushTaskV2'},
                {'kind': 'error', 'status': 429, 'code': 'FlowLimitExceeded', 'action': 'CreatePullToPushTask'},
            ]
        },
    )
    result, failed = run(TASK, live(sim))
    assert not failed and result['actions'] == ['create'] and len(tasks(sim)) == 1


def test_a_refusal_fails_with_the_service_message_and_no_change(run, sim):
    admin(
        sim,
        '/_sim/faults',
        {
            'faults': [
                {
                    'kind': 'error',
                    'status': 400,
                    'code': 'InvalidParam',
                    'message': 'SrcAddr invalid',
                    'action': 'CreatePullToPushTask',
                },
            ]
        },
    )
    result, failed = run(TASK, live(sim))
    assert failed and result['changed'] is False and result['error']['code'] == 'InvalidParam'
    assert 'SrcAddr invalid' in result['msg'] and tasks(sim) == []


def test_bad_input_fails_before_any_request(run, sim):
    for params, option in (
        (live(sim, title='bad title'), 'title'),
        (live(sim, type='vod'), 'source_url'),
        (live(sim, source_url=None), 'source_url'),
        (live(sim, start_time=None), 'start_time'),
    ):
        result, failed = run(TASK, params)
        assert failed and result.get('option') == option, (option, result)
    assert admin(sim, '/_sim/stats')['requests'] == 0


@pytest.mark.parametrize(
    'definition, params',
    [
        (TASK, dict(title='launch2026')),
        (TASK, dict(title='launch2026', state='absent')),
        (GROUP, dict(name='launch')),
        (GROUP, dict(name='launch', state='absent')),
    ],
    ids=['task', 'task absent', 'group', 'group absent'],
)
def test_check_mode_without_credentials_validates_and_sends_nothing(run, sim, definition, params):
    full = live(sim, **params) if definition is TASK else dict(connection(sim), **params)
    bare = {key: value for key, value in full.items() if key not in ('access_key', 'secret_key')}
    result, failed = run(definition, dict(bare, _ansible_check_mode=True))
    assert not failed and result['changed'] is True
    assert 'could not look up the current state' in result['warnings'][0]
    broken = dict(bare, title='bad title') if definition is TASK else dict(bare, name='bad name!')
    result, failed = run(definition, dict(broken, _ansible_check_mode=True))
    assert failed and result['option'] in ('title', 'name')
    assert admin(sim, '/_sim/stats')['requests'] == 0


@pytest.mark.parametrize('option', ['destination_url', 'callback_url', 'source_url'])
def test_a_url_of_white_space_is_refused_in_words_about_the_option(run, sim, option):
    result, failed = run(TASK, live(sim, **{option: '   '}))
    assert failed and result['option'] == option
    if option == 'callback_url':  # "" is valid there: it removes the callback
        assert result['msg'] == 'callback_url: must be a URL, or "" to remove the callback; got only white space'
    else:
        assert result['msg'] == '%s: must not be empty' % option
    assert admin(sim, '/_sim/stats')['requests'] == 0


def test_delete_and_rerun(run, sim):
    run(TASK, live(sim))
    result, failed = run(TASK, dict(connection(sim), title='launch2026', state='absent', _ansible_diff=True))
    assert not failed and result['actions'] == ['delete'] and result['task'] is None and tasks(sim) == []
    assert result['diff']['after'] == {} and result['diff']['before']['title'] == 'launch2026'
    again, failed = run(TASK, dict(connection(sim), title='launch2026', state='absent'))
    assert not failed and again['changed'] is False


def test_info_items_can_be_fed_back(run, sim):
    run(GROUP, dict(connection(sim), name='events'))
    run(TASK, vod(sim, group='events', cycle_mode=0, play_times=3, state='stopped'))
    run(TASK, live(sim, group='events', title='second'))
    info, failed = run(INFO, dict(connection(sim), groups=['events', 'default']))
    assert not failed and [item['title'] for item in info['pull_to_push_tasks']] == ['launch2026', 'second']
    assert info['pull_to_push_tasks'][1]['start_time_iso'] == readable_time(START)  # fed back with the times
    before = writes(sim)
    for item in info['pull_to_push_tasks']:
        params = {key: value for key, value in item.items() if key != 'status'}  # nulls included
        result, failed = run(TASK, dict(connection(sim), **params))
        assert not failed and result['changed'] is False, result
    assert writes(sim) == before


@pytest.mark.parametrize('group_delete', ['refuse', 'cascade', 'orphan'])
def test_a_group_is_idempotent_and_not_deleted_while_it_holds_tasks(run, sim, group_delete):
    admin(sim, '/_sim/config', {'pull_to_push_group_delete': group_delete})
    created, failed = run(GROUP, dict(connection(sim), name='events', tags={'team': 'tv'}))
    assert not failed and created['changed'] is True
    same, failed = run(GROUP, dict(connection(sim), name='events', tags={'team': 'tv'}))
    assert not failed and same['changed'] is False
    retagged, failed = run(GROUP, dict(connection(sim), name='events', tags={'team': 'web'}, _ansible_diff=True))
    assert not failed and retagged['changed'] is True and retagged['diff']['after']['tags'] == {'team': 'web'}
    task, _failed = run(TASK, live(sim, group='events'))
    refused, failed = run(GROUP, dict(connection(sim), name='events', state='absent'))
    assert failed and refused['task_ids'] == [task['task_id']] and 'still holds 1 task' in refused['msg']
    # Check mode reports the delete and warns, naming the task: an earlier task of the play may delete it.
    predicted, failed = run(GROUP, dict(connection(sim), name='events', state='absent', _ansible_check_mode=True))
    assert not failed and predicted['changed'] is True and predicted['group'] is None, predicted
    assert any('still holds 1 task (TaskIds %s)' % task['task_id'] in w for w in predicted['warnings'])
    assert admin(sim, '/_sim/stats')['by_action'].get('DeletePullToPushGroup') is None
    run(TASK, dict(connection(sim), title='launch2026', group='events', state='absent'))
    gone, failed = run(GROUP, dict(connection(sim), name='events', state='absent'))
    assert not failed and gone['changed'] is True and gone['group'] is None
    again, failed = run(GROUP, dict(connection(sim), name='events', state='absent'))
    assert not failed and again['changed'] is False


def test_a_task_in_a_group_that_does_not_exist_fails_clearly(run, sim):
    result, failed = run(TASK, live(sim, group='nosuch'))
    assert failed and result['changed'] is False and result['option'] == 'group' and tasks(sim) == [], result
    assert 'group nosuch does not exist' in result['msg'] and 'volcengine.live.pull_to_push_group' in result['msg']
    assert 'CreatePullToPushTask' not in by_action(sim)  # looked up first: nothing the service would refuse is sent
    predicted, failed = run(TASK, live(sim, group='nosuch', _ansible_check_mode=True))
    assert not failed and predicted['changed'] is True and predicted['actions'] == ['create'], predicted
    assert any('group nosuch does not exist' in w for w in predicted['warnings'])
    looks = by_action(sim)['ListPullToPushGroup']
    existing, failed = run(TASK, live(sim, _ansible_check_mode=True))  # default: made by the service on first use
    assert not failed and not existing.get('warnings') and by_action(sim)['ListPullToPushGroup'] == looks


def test_a_cleanup_play_in_check_mode_warns_and_does_not_fail(run, sim):
    # The play: delete the restream, then its group. Under --check the task's delete is only predicted, so the
    # group still holds it when the group's task looks: that task reports the delete and warns, naming the task.
    run(GROUP, dict(connection(sim), name='partners'))
    task, _failed = run(TASK, live(sim, group='partners'))
    play = [
        (TASK, dict(connection(sim), title='launch2026', group='partners', state='absent')),
        (GROUP, dict(connection(sim), name='partners', state='absent')),
    ]
    checked = []
    for definition, params in play:
        result, failed = run(definition, dict(params, _ansible_check_mode=True))
        assert not failed and result['changed'] is True, result
        checked.append(result)
    assert checked[0]['actions'] == ['delete'] and not checked[0].get('warnings')
    (warning,) = checked[1]['warnings']
    assert 'partners still holds 1 task (TaskIds %s)' % task['task_id'] in warning and 'state=absent' in warning
    assert writes(sim) == 2  # the group and the task of the setup; check mode wrote nothing
    for definition, params in play:  # the same play for real
        result, failed = run(definition, params)
        assert not failed and result['changed'] is True and not result.get('warnings'), result
    assert tasks(sim) == [] and admin(sim, '/_sim/state')['pull_to_push']['groups'] == []


def test_a_setup_play_in_check_mode_warns_that_the_group_comes_first(run, sim):
    # The play: a group, then a task in it. Under --check the group is only predicted.
    play = [
        (GROUP, dict(connection(sim), name='partners')),
        (TASK, live(sim, group='partners')),
    ]
    group, failed = run(play[0][0], dict(play[0][1], _ansible_check_mode=True))
    assert not failed and group['changed'] is True
    task, failed = run(play[1][0], dict(play[1][1], _ansible_check_mode=True))
    assert not failed and task['changed'] is True and task['actions'] == ['create'], task
    (warning,) = task['warnings']
    assert 'group partners does not exist' in warning and 'volcengine.live.pull_to_push_group' in warning
    assert writes(sim) == 0
    for definition, params in play:
        result, failed = run(definition, params)
        assert not failed and result['changed'] is True and not result.get('warnings'), result


def test_check_mode_warns_of_tasks_an_earlier_task_may_delete_where_a_real_run_refuses(run, sim):
    body = {
        'Title': 'launch2026',
        'Type': 0,
        'SrcAddr': 'rtmp://pull.example.com/live/launch',
        'DstAddr': INGEST,
        'StartTime': START,
        'EndTime': END,
    }
    admin(
        sim,
        '/_sim/state',
        {'pull_to_push_tasks': [dict(body, TaskId='t-one'), dict(body, TaskId='t-two'), dict(body, Title='other')]},
    )
    ambiguous, failed = run(TASK, live(sim, end_time=END + 60, _ansible_check_mode=True))
    assert not failed and ambiguous['changed'] is True and ambiguous['actions'] == [], ambiguous
    assert any('t-one, t-two' in w and 'all but one' in w for w in ambiguous['warnings'])
    other = [t['TaskId'] for t in tasks(sim) if t['Title'] == 'other']
    rename, failed = run(TASK, live(sim, title='other', task_id='t-one', _ansible_check_mode=True))
    assert not failed and rename['actions'] == ['update'], rename
    assert any('titled %r (TaskIds %s)' % ('other', other[0]) in w for w in rename['warnings'])
    for params in (live(sim, end_time=END + 60), live(sim, title='other', task_id='t-one')):
        refused, failed = run(TASK, params)
        assert failed and refused['changed'] is False
    assert writes(sim) == 0


def test_a_window_that_is_over_is_named_in_the_offset_the_play_used(run, sim):
    over_end = int(time.time()) - 86400
    for end_time, shown in (
        (over_end, time.strftime('%Y-%m-%dT%H:%M:%S+00:00', time.gmtime(over_end))),
        (
            time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(over_end + 8 * 3600)),
            time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(over_end + 8 * 3600)),
        ),
    ):
        result, failed = run(TASK, live(sim, start_time=over_end - 3600, end_time=end_time))
        assert failed and result['option'] == 'end_time', result
        assert 'ended at %s (Unix %d)' % (shown, over_end) in result['msg'], result['msg']
    assert writes(sim) == 0


def test_secrets_are_never_shown(run, sim):
    result, _failed = run(TASK, live(sim))
    assert SK not in json.dumps(result)


def test_times_are_also_shown_as_a_person_reads_them_in_the_offset_the_play_wrote_them_in(run, sim):
    start, end = readable_time(START, 8 * 3600), readable_time(END, 8 * 3600)
    result, failed = run(TASK, live(sim, start_time=start, end_time=end, _ansible_diff=True))
    assert not failed and result['task']['start_time'] == START and result['task']['end_time'] == END
    assert result['task']['start_time_iso'] == start and start.endswith('+08:00')
    assert result['task']['end_time_iso'] == end
    assert result['diff']['after']['end_time_iso'] == end
    in_unix, failed = run(TASK, live(sim))  # Unix seconds: UTC
    assert not failed and in_unix['changed'] is False
    assert in_unix['task']['start_time_iso'] == readable_time(START) and readable_time(START).endswith('+00:00')
    info, failed = run(INFO, dict(connection(sim)))
    assert not failed and info['pull_to_push_tasks'][0]['end_time_iso'] == readable_time(END)


@pytest.mark.parametrize(
    'copies, option',
    [
        (dict(start_time_iso='2030-01-01T00:00:00Z'), 'start_time_iso'),
        (dict(end_time_iso='not a time'), 'end_time_iso'),
    ],
)
def test_a_readable_copy_that_disagrees_with_its_time_fails_before_any_request(run, sim, copies, option):
    result, failed = run(TASK, live(sim, **copies))
    assert failed and result['option'] == option and not result.get('changed')
    assert by_action(sim) == {}
