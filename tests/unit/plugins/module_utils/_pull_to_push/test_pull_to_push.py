# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pull-to-push tasks and groups: their rules, their wire format and their plan. Pure functions."""

from __future__ import annotations

import copy
import datetime

import pytest
from volcengine.live.v20230101.live_config import api_info

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push import api
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.plan import (
    CONTINUE,
    STOP,
    AmbiguousTitle,
    definition_action,
    differences,
    expected_after,
    group_action,
    pick_task,
    rename_conflicts,
    same_destination,
    status_action,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import (
    TASK_KEYS,
    normalize_group,
    normalize_tags,
    normalize_task,
    normalize_task_key,
    validate_group_name,
    validate_title,
)

NOW = 1796200000  # 2026-12-02T08:26:40Z
START = NOW + 3600
END = START + 3 * 3600


def live(**changes):
    params = dict(
        title='launch2026',
        group=None,
        task_id=None,
        type='live',
        source_url='rtmp://pull.example.com/live/launch',
        source_urls=None,
        vod_sources=None,
        destination_url='rtmp://ingest.example.net/app/key',
        domain=None,
        app=None,
        stream=None,
        start_time=START,
        end_time=END,
        callback_url=None,
        cycle_mode=None,
        play_times=None,
    )
    params.update(changes)
    return params


def vod(**changes):
    params = dict(
        type='vod',
        source_url=None,
        source_urls=['https://vod.example.com/a.mp4'],
        destination_url=None,
        domain='push.example.com',
        app='live',
        stream='launch',
    )
    params.update(changes)
    return live(**params)


def rfc3339(seconds, hours=8):
    """Unix seconds as List spells them: RFC 3339 text in +08:00."""
    zone = datetime.timezone(datetime.timedelta(hours=hours))
    return datetime.datetime.fromtimestamp(seconds, zone).isoformat()


def listed(task, task_id='t-1', status='生效中', **fields):
    """A List item for a normalised task, as the service spells it."""
    item = dict(api.task_body(task), TaskId=task_id, Status=status)
    item['StartTime'], item['EndTime'] = rfc3339(task['start_time']), rfc3339(task['end_time'])
    item.update(fields)
    return item


# --- rules -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize('title', ['a', 'launch2026', '发布会', '发布会2026Launch', 'x' * 20])
def test_titles_that_are_allowed(title):
    assert validate_title(title) == title


@pytest.mark.parametrize(
    ('title', 'words'),
    [
        ('', 'must not be empty'),
        ('x' * 21, 'at most 20'),
        ('launch 2026', "' '"),
        ('launch-2026', "'-'"),
        ('launch_2026', "'_'"),
        ('発表！', "'！'"),
        (7, 'must be a string'),
    ],
)
def test_titles_that_are_refused_name_the_rule(title, words):
    with pytest.raises(ValidationError) as caught:
        validate_title(title)
    assert caught.value.option == 'title'
    assert words in str(caught.value)


@pytest.mark.parametrize('name', ['default', 'events', 'teamA1', '活动', 'x' * 20])
def test_group_names(name):
    assert validate_group_name(name) == name


# The API page allows Chinese characters, letters and digits, up to 20: "_" and "-" included.
@pytest.mark.parametrize('name', ['', 'x' * 21, 'a b', 'a.b', 'a/b', 'team-a', 'team_a', 'events\n', '１２'])
def test_group_names_that_are_refused(name):
    with pytest.raises(ValidationError) as caught:
        validate_group_name(name)
    assert caught.value.option == 'group'


def test_the_key_defaults_to_the_default_group():
    assert normalize_task_key(live()) == {'title': 'launch2026', 'group': 'default', 'task_id': None}
    assert normalize_task_key(live(group='events', task_id=' t-9 '))['task_id'] == 't-9'


def test_a_live_task_normalises_to_the_option_names():
    task = normalize_task(live(start_time='2026-12-02T17:26:40+08:00'))
    assert set(task) == set(TASK_KEYS) | {'task_id'}
    assert task['start_time'] == START
    assert task['source_urls'] is None and task['vod_sources'] is None
    assert task['cycle_mode'] is None and task['callback_url'] is None


@pytest.mark.parametrize(
    ('changes', 'option', 'words'),
    [
        (dict(type=None), 'type', 'live or vod'),
        (dict(source_url=None), 'source_url', 'required for a live task'),
        (dict(source_url='srt://o.example.com:9000'), 'source_url', 'unsupported scheme'),
        (dict(source_url='rtmp://o.example.com/' + 'x' * 1000), 'source_url', 'at most 1000'),
        (dict(source_urls=['https://v.example.com/a.mp4']), 'source_urls', 'only to type vod'),
        (dict(cycle_mode=-1), 'cycle_mode', 'only to type vod'),
        (dict(destination_url=None), 'destination_url', 'needs a destination'),
        (dict(destination_url='https://ingest.example.net/x'), 'destination_url', 'unsupported scheme'),
        (dict(domain='push.example.com'), 'destination_url', 'not both'),
        (dict(start_time=None), 'start_time', 'is required'),
        (dict(end_time=None), 'end_time', 'is required'),
        (dict(end_time=START), 'end_time', 'later than start_time'),
        (dict(end_time=START + 7 * 86400 + 1), 'end_time', 'at most 7 days'),
        (dict(end_time='2026-12-02T21:26:40'), 'end_time', 'no UTC offset'),
        (dict(callback_url='ftp://hooks.example.com/x'), 'callback_url', 'unsupported scheme'),
        (dict(callback_url='https://hooks.example.com/' + 'x' * 500), 'callback_url', 'at most 512'),
        (dict(callback_url='   '), 'callback_url', 'or "" to remove the callback'),
        (dict(title='bad title'), 'title', 'Chinese characters'),
    ],
)
def test_each_task_rule_names_its_option(changes, option, words):
    with pytest.raises(ValidationError) as caught:
        normalize_task(live(**changes))
    assert caught.value.option == option
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ('changes', 'option', 'words'),
    [
        (dict(source_urls=None), 'source_urls', 'needs source_urls or vod_sources'),
        (dict(vod_sources=[{'url': 'https://v.example.com/b.mp4'}]), 'vod_sources', 'not both'),
        (dict(source_urls=['https://v.example.com/%d.mp4' % i for i in range(31)]), 'source_urls', 'at most 30'),
        (dict(source_urls=['rtmp://v.example.com/a']), 'source_urls', 'unsupported scheme'),
        (dict(source_url='rtmp://o.example.com/a'), 'source_url', 'only to type live'),
        (dict(cycle_mode=-2), 'cycle_mode', 'must be -1'),
        (dict(cycle_mode=0), 'play_times', 'required when cycle_mode is 0'),
        (dict(play_times=-1), 'play_times', '0 or a positive'),
        (dict(domain=None), 'domain', 'is required with app/stream'),
        (dict(app='bad app'), 'app', 'may contain only'),
        (dict(stream='s' * 101), 'stream', 'at most 100'),
        (dict(domain='not a domain'), 'domain', 'valid domain'),
    ],
)
def test_each_vod_rule_names_its_option(changes, option, words):
    with pytest.raises(ValidationError) as caught:
        normalize_task(vod(**changes))
    assert caught.value.option == option
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ('items', 'option', 'words'),
    [
        ([], 'source_urls', 'needs source_urls or vod_sources'),
        (['https://v.example.com/a.mp4'], 'vod_sources[0]', 'must be a dict'),
        ([{'url': 'https://v.example.com/a.mp4', 'start': 1}], 'vod_sources[0]', 'unknown keys start'),
        ([{'url': 'https://v.example.com/a.mp4', 'start_offset': -1}], 'vod_sources[0].start_offset', 'negative'),
        (
            [{'url': 'https://v.example.com/a.mp4', 'start_offset': 5, 'end_offset': 5}],
            'vod_sources[0].end_offset',
            'later than start_offset',
        ),
        ([{'url': 'https://v.example.com/a.mp4', 'start_offset': 'x'}], 'vod_sources[0].start_offset', 'number'),
        ([{'url': 'v.example.com/a.mp4'}], 'vod_sources[0].url', 'no scheme'),
    ],
)
def test_vod_sources_rules(items, option, words):
    with pytest.raises(ValidationError) as caught:
        normalize_task(vod(source_urls=None, vod_sources=items))
    assert caught.value.option == option
    assert words in str(caught.value)


def test_vod_sources_keep_their_offsets():
    task = normalize_task(
        vod(
            source_urls=None,
            vod_sources=[{'url': 'https://v.example.com/a.mp4', 'start_offset': 1, 'end_offset': None}],
        ),
    )
    assert task['vod_sources'] == [{'url': 'https://v.example.com/a.mp4', 'start_offset': 1.0, 'end_offset': None}]


def test_group_rules():
    assert normalize_group({'name': 'events', 'project_name': None, 'tags': None}) == {
        'name': 'events',
        'project_name': 'default',
        'tags': {},
    }
    assert normalize_group({'name': 'events'}, present=False) == {'name': 'events'}
    assert normalize_tags({'team': 'tv', 'empty': None}) == {'team': 'tv', 'empty': ''}
    for tags, option in (([1], 'tags'), ({'': 'x'}, 'tags'), ({'k': 1}, 'tags.k'), ({'k': 'v' * 257}, 'tags.k')):
        with pytest.raises(ValidationError) as caught:
            normalize_tags(tags)
        assert caught.value.option == option
    with pytest.raises(ValidationError) as caught:
        normalize_group({'name': 'events', 'project_name': 'a b'})
    assert caught.value.option == 'project_name'


# --- the wire ----------------------------------------------------------------------------------------------


def test_the_actions_exist_with_the_methods_the_sdk_names():
    for action in (
        api.ACTION_CREATE,
        api.ACTION_UPDATE,
        api.ACTION_STOP,
        api.ACTION_CONTINUE,
        api.ACTION_DELETE,
        api.ACTION_LIST,
        api.ACTION_GROUP_CREATE,
        api.ACTION_GROUP_UPDATE,
        api.ACTION_GROUP_DELETE,
        api.ACTION_GROUP_LIST,
    ):
        assert api_info[action].method == 'POST', action
    assert api_info[api.ACTION_LIST_GET].method == 'GET'
    assert set(api.RATE_LIMITS) == {api.ACTION_LIST, api.ACTION_LIST_GET}


def test_a_live_create_body():
    body = api.task_body(normalize_task(live(callback_url='https://hooks.example.com/x')))
    assert body == {
        'Title': 'launch2026',
        'GroupName': 'default',
        'Type': 0,
        'StartTime': START,
        'EndTime': END,
        'SrcAddr': 'rtmp://pull.example.com/live/launch',
        'DstAddr': 'rtmp://ingest.example.net/app/key',
        'CallbackURL': 'https://hooks.example.com/x',
    }


def test_a_vod_create_body_loops_until_the_end_by_default():
    body = api.task_body(normalize_task(vod()))
    assert body['Type'] == 1 and body['CycleMode'] == -1 and 'PlayTimes' not in body
    assert body['SrcAddrS'] == ['https://vod.example.com/a.mp4']
    assert (body['Domain'], body['App'], body['Stream']) == ('push.example.com', 'live', 'launch')
    assert 'DstAddr' not in body
    items = [{'url': 'https://v.example.com/a.mp4', 'start_offset': 2.5, 'end_offset': None}]
    body = api.task_body(normalize_task(vod(source_urls=None, vod_sources=items, cycle_mode=0, play_times=3)))
    assert body['VodSrcAddrs'] == [{'SrcAddr': 'https://v.example.com/a.mp4', 'StartOffset': 2.5}]
    assert (body['CycleMode'], body['PlayTimes']) == (0, 3)


def test_an_update_sends_back_what_the_task_does_not_manage():
    task = normalize_task(vod())
    found = dict(
        api.task_body(task),
        Watermark={'Picture': 'data:image/png;base64,AAAA', 'Ratio': 0.1},
        ContinueStrategy=1,
        PreDownload=0,
        OffsetS=[3.0],
        CycleMode=0,
        PlayTimes=4,
        CallbackURL='https://hooks.example.com/kept',
    )
    body = api.task_body(task, found)
    assert body['Watermark'] == found['Watermark']
    assert (body['ContinueStrategy'], body['PreDownload'], body['OffsetS']) == (1, 0, [3.0])
    assert (body['CycleMode'], body['PlayTimes'], body['CallbackURL']) == (0, 4, 'https://hooks.example.com/kept')
    other = normalize_task(vod(source_urls=['https://vod.example.com/b.mp4']))
    assert 'OffsetS' not in api.task_body(other, found)  # the offsets belonged to the other files
    cleared = normalize_task(vod(callback_url=''))
    assert 'CallbackURL' not in api.task_body(cleared, found)


def test_a_listed_task_reads_back_as_it_was_written():
    task = normalize_task(live())
    found = api.task_from_api(listed(task))
    assert {key: found[key] for key in TASK_KEYS} == dict({key: task[key] for key in TASK_KEYS}, callback_url='')
    assert (found['task_id'], found['status'], found['state']) == ('t-1', 'running', 'present')


@pytest.mark.parametrize(
    ('text', 'status', 'state'),
    [
        ('停用', 'stopped', 'stopped'),
        ('未开始', 'not_started', 'present'),
        ('生效中', 'running', 'present'),
        ('已结束', 'ended', 'present'),
        ('暂停', 'unknown', 'present'),
        (None, 'unknown', 'present'),
    ],
)
def test_statuses(text, status, state):
    found = api.task_from_api(listed(normalize_task(live()), Status=text))
    assert (found['status'], found['state']) == (status, state)


def test_times_as_the_list_spells_them():
    task = normalize_task(live())
    for start in (rfc3339(START), '2026-12-02T09:26:40Z', rfc3339(START, -5), START, str(START)):
        assert api.task_from_api(listed(task, StartTime=start))['start_time'] == START
    assert api.task_from_api(listed(task, StartTime='soon'))['start_time'] is None


def test_a_live_destination_as_fields_or_url():
    task = normalize_task(vod())
    as_fields = api.task_from_api(listed(task, DstAddr=''))
    assert (as_fields['domain'], as_fields['app'], as_fields['stream']) == ('push.example.com', 'live', 'launch')
    item = listed(task, DstAddr='rtmp://push.example.com/live/launch?volcTime=1&volcSecret=ab')
    for key in ('Domain', 'App', 'Stream'):
        del item[key]
    as_url = api.task_from_api(item)
    assert as_url['domain'] is None and as_url['destination_url'].startswith('rtmp://push.example.com/live/launch')


def test_vod_sources_as_the_list_spells_them():
    task = normalize_task(vod())
    item = listed(task)
    item['VodSrcAddrs'] = [{'SrcAddr': 'https://vod.example.com/a.mp4'}]
    del item['SrcAddrS']
    found = api.task_from_api(item)
    assert found['source_urls'] is None
    assert found['vod_sources'] == [{'url': 'https://vod.example.com/a.mp4', 'start_offset': None, 'end_offset': None}]
    assert differences(found, task) == []


# --- the plan ----------------------------------------------------------------------------------------------


def found_task(params=None, **item_fields):
    task = normalize_task(params or live())
    return api.task_from_api(listed(task, **item_fields))


def test_pick_compares_titles_exactly():
    key = normalize_task_key(live())
    one = found_task(live(title='launch2026'))
    other = found_task(live(title='launch20261'), TaskId='t-2')
    assert pick_task([(other, {}), (one, {})], key) == (one, {})
    assert pick_task([(other, {})], key) is None


def test_two_tasks_of_one_title_are_ambiguous_and_named():
    key = normalize_task_key(live())
    first, second = found_task(TaskId='t-1'), found_task(TaskId='t-2')
    with pytest.raises(AmbiguousTitle) as caught:
        pick_task([(first, {}), (second, {})], key)
    assert caught.value.task_ids == ['t-1', 't-2']
    assert 't-1, t-2' in str(caught.value) and 'task_id' in str(caught.value)
    assert pick_task([(first, {}), (second, {})], dict(key, task_id='t-2')) == (second, {})


def test_a_task_id_finds_a_task_of_another_title():
    renamed = found_task(live(title='old'), TaskId='t-7')
    key = normalize_task_key(live(task_id='t-7'))
    assert pick_task([(renamed, {})], key) == (renamed, {})
    assert differences(renamed, normalize_task(live(task_id='t-7'))) == ['title']


def test_a_rerun_changes_nothing():
    desired = normalize_task(live())
    assert definition_action(found_task(), desired, 'present', NOW) == NO_CHANGE
    assert definition_action(None, desired, 'present', NOW) == CREATE
    assert definition_action(found_task(), None, 'absent', NOW) == DELETE
    assert definition_action(None, None, 'absent', NOW) == NO_CHANGE


@pytest.mark.parametrize(
    ('changes', 'names'),
    [
        (dict(source_url='rtmp://pull.example.com/live/other'), ['source_url']),
        (dict(destination_url='rtmp://ingest.example.net/app/other'), ['destination_url']),
        (dict(start_time=START + 60), ['start_time']),
        (dict(end_time=END + 60), ['end_time']),
        (dict(callback_url='https://hooks.example.com/x'), ['callback_url']),
        (dict(title='renamed', task_id='t-1'), ['title']),
    ],
)
def test_each_difference_is_an_update(changes, names):
    desired = normalize_task(live(**changes))
    assert differences(found_task(), desired) == names
    assert definition_action(found_task(), desired, 'present', NOW) == UPDATE


def test_options_left_out_are_kept_as_found():
    found = found_task(vod(cycle_mode=0, play_times=3, callback_url='https://hooks.example.com/x'))
    assert differences(found, normalize_task(vod())) == []
    assert differences(found, normalize_task(vod(cycle_mode=-1))) == ['cycle_mode']
    assert differences(found, normalize_task(vod(callback_url=''))) == ['callback_url']


def test_offsets_are_compared_as_32_bit_floats_come_back():
    items = [{'url': 'https://v.example.com/a.mp4', 'start_offset': 1.1, 'end_offset': None}]
    desired = normalize_task(vod(source_urls=None, vod_sources=items))
    item = listed(desired)
    item['VodSrcAddrs'] = [{'SrcAddr': 'https://v.example.com/a.mp4', 'StartOffset': 1.100000023841858}]
    assert differences(api.task_from_api(item), desired) == []
    item['VodSrcAddrs'][0]['StartOffset'] = 1.2
    assert differences(api.task_from_api(item), desired) == ['vod_sources']


def test_a_live_destination_is_the_same_however_it_is_listed():
    desired = normalize_task(vod())
    base = {'destination_url': None, 'domain': None, 'app': None, 'stream': None}
    for found in (
        dict(base, domain='push.example.com', app='live', stream='launch'),
        dict(base, destination_url='rtmp://push.example.com/live/launch'),
        dict(base, destination_url='rtmp://PUSH.example.com/live/launch?volcTime=1&volcSecret=ab'),
    ):
        assert same_destination(found, desired), found
    for found in (
        dict(base, destination_url='rtmp://push.example.com/live/other'),
        dict(base, destination_url='rtmp://push.example.com/live/launch/extra'),
        dict(base, destination_url=''),
        dict(base, domain='push.example.com', app='live', stream='other'),
    ):
        assert not same_destination(found, desired), found
    own = normalize_task(live(destination_url='rtmp://ingest.example.net/app/key?token=1'))
    assert same_destination(dict(base, destination_url='rtmp://ingest.example.net/app/key?token=1'), own)
    assert not same_destination(dict(base, destination_url='rtmp://ingest.example.net/app/key?token=2'), own)
    assert not same_destination(dict(base, domain='ingest.example.net', app='app', stream='key'), own)


@pytest.mark.parametrize(
    ('status', 'state', 'action'),
    [
        ('stopped', 'present', CONTINUE),
        ('running', 'present', NO_CHANGE),
        ('not_started', 'present', NO_CHANGE),
        ('ended', 'present', NO_CHANGE),
        ('unknown', 'present', NO_CHANGE),
        ('running', 'stopped', STOP),
        ('not_started', 'stopped', STOP),
        ('stopped', 'stopped', NO_CHANGE),
        ('ended', 'stopped', NO_CHANGE),
        ('unknown', 'stopped', NO_CHANGE),
    ],
)
def test_status_actions(status, state, action):
    assert status_action(status, state) == action


def test_what_check_mode_expects_after_a_create_and_an_update():
    desired = normalize_task(live())
    created = expected_after(None, desired, CREATE, NOW)
    assert created['status'] == 'not_started' and created['title'] == 'launch2026' and created['task_id'] is None
    assert expected_after(None, desired, CREATE, START + 1)['status'] == 'running'
    found = found_task(status='停用')
    kept = copy.deepcopy(found)
    updated = expected_after(found, normalize_task(live(end_time=END + 60)), UPDATE, NOW)
    assert updated['end_time'] == END + 60 and updated['status'] == 'stopped' and updated['task_id'] == 't-1'
    assert found == kept  # the task found is not changed by the prediction
    ended = found_task(status='已结束')
    assert expected_after(ended, normalize_task(live(end_time=END + 60)), UPDATE, START + 1)['status'] == 'running'
    assert expected_after(found, desired, NO_CHANGE, NOW) == found
    assert expected_after(found, None, DELETE, NOW) is None


def test_a_window_that_is_over_is_no_change_when_found_and_refused_otherwise():
    desired = normalize_task(live())
    after = END + 1
    assert definition_action(found_task(status='已结束'), desired, 'present', after) == NO_CHANGE
    assert definition_action(found_task(status='已结束'), desired, 'stopped', after) == NO_CHANGE
    for found in (None, found_task(live(source_url='rtmp://pull.example.com/live/other'))):
        with pytest.raises(ValidationError) as caught:
            definition_action(found, desired, 'present', after)
        assert caught.value.option == 'end_time' and 'in the past' in str(caught.value)
    assert definition_action(found_task(), None, 'absent', after) == DELETE
    assert status_action('stopped', 'present', over=True) == NO_CHANGE
    assert status_action('running', 'stopped', over=True) == NO_CHANGE


def test_a_rename_onto_a_title_of_the_group_is_refused():
    one, two = found_task(live(title='one'), TaskId='t-1'), found_task(live(title='two'), TaskId='t-2')
    found = [(one, {}), (two, {})]
    key = normalize_task_key(live(title='one', task_id='t-2'))
    assert rename_conflicts(found, key, two) == ['t-1']
    assert rename_conflicts(found, normalize_task_key(live(title='three', task_id='t-2')), two) == []
    assert rename_conflicts(found, normalize_task_key(live(title='two', task_id='t-2')), two) == []


@pytest.mark.parametrize('offset', [0.1, 1.1, 40000.3, 65000.7, 86399.9, 604799.5])
def test_large_offsets_compare_equal_after_a_32_bit_round_trip(offset):
    import struct

    items = [{'url': 'https://v.example.com/a.mp4', 'start_offset': offset, 'end_offset': None}]
    desired = normalize_task(vod(source_urls=None, vod_sources=items))
    item = listed(desired)
    item['VodSrcAddrs'] = [
        {'SrcAddr': 'https://v.example.com/a.mp4', 'StartOffset': struct.unpack('<f', struct.pack('<f', offset))[0]}
    ]
    assert differences(api.task_from_api(item), desired) == []


@pytest.mark.parametrize('value', ['launch2026\n', 'events\n'])
def test_a_trailing_newline_is_not_a_title_or_a_group(value):
    for check in (validate_title, validate_group_name):
        with pytest.raises(ValidationError):
            check(value)


def test_group_actions():
    desired = normalize_group({'name': 'events', 'project_name': 'default', 'tags': {'team': 'tv'}})
    same = dict(desired, status=1)
    assert group_action(same, desired, 'present') == NO_CHANGE
    assert group_action(dict(same, tags={}), desired, 'present') == UPDATE
    assert group_action(dict(same, project_name='other'), desired, 'present') == UPDATE
    assert group_action(None, desired, 'present') == CREATE
    assert group_action(same, desired, 'absent') == DELETE
    assert group_action(None, desired, 'absent') == NO_CHANGE


def test_groups_read_back():
    item = {
        'Name': 'events',
        'ProjectName': 'default',
        'Status': 1,
        'Tags': [{'Key': 'team', 'Value': 'tv', 'Category': 'custom'}],
    }
    assert api.group_from_api(item) == {
        'name': 'events',
        'project_name': 'default',
        'tags': {'team': 'tv'},
        'status': 1,
    }
    assert api.group_body({'name': 'e', 'project_name': 'p', 'tags': {'b': '2', 'a': '1'}})['Tags'] == [
        {'Key': 'a', 'Value': '1'},
        {'Key': 'b', 'Value': '2'},
    ]


@pytest.mark.parametrize(
    'offset', [float('nan'), float('inf'), '1e400', 'nan', 2**31, pytest.param(10**5000, id='10**5000')]
)
def test_a_vod_offset_is_a_finite_json_number(offset):
    """NaN was sent as ``NaN``, which is not JSON."""
    item = {'url': 'https://vod.example.com/a.mp4', 'start_offset': offset}
    with pytest.raises(ValidationError) as caught:
        normalize_task(vod(source_urls=None, vod_sources=[item]))
    assert caught.value.option == 'vod_sources[0].start_offset'


@pytest.mark.parametrize(
    'option, value', [('cycle_mode', 2**31), ('play_times', 2**31), pytest.param('cycle_mode', 10**5000, id='huge')]
)
def test_counts_fit_the_int32_of_the_wire(option, value):
    with pytest.raises(ValidationError) as caught:
        normalize_task(vod(**{option: value}))
    assert caught.value.option == option


def test_the_largest_int32_count_is_taken():
    assert normalize_task(vod(cycle_mode=2**31 - 1))['cycle_mode'] == 2**31 - 1


@pytest.mark.parametrize(
    'changes, option',
    [
        ({'tags': {'k': 'v\x00'}}, 'tags.k'),
        ({'tags': {'k\n': 'v'}}, 'tags'),
        ({'project_name': 'x\x0ey'}, 'project_name'),
    ],
)
def test_group_fields_hold_no_control_character(changes, option):
    with pytest.raises(ValidationError) as caught:
        normalize_group(dict({'name': 'events'}, **changes))
    assert caught.value.option == option
