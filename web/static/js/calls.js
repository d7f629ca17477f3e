// SPDX-License-Identifier: GPL-2.0-or-later
// Calls: the call log, searched and filtered by the server, a page at a time
// ("Older calls" asks for the page before the last row shown).
import { el, clear, act, onSubmit } from './dom.js';
import { get } from './api.js';
import { who, details, verification, stateWords, numberButtons, when, duration, numberText } from './call.js';

let form, body, empty, older;
let next = null;
let loaded = false;

function filters() {
	const f = new FormData(form);
	const state = f.get('blocked') ? 'blocked' : f.get('state');
	return {
		q: f.get('q').trim(),
		direction: f.get('direction'),
		state,
		since: f.get('since'),
		until: f.get('until'),
	};
}

function recordingLink(call) {
	if (!call.recording)
		return null;
	return el('a', {
		class: 'recording-link',
		href: `/api/recordings/${encodeURIComponent(call.recording)}`,
		text: 'Recording',
	});
}

function what(call) {
	const parts = [stateWords(call)];
	if (call.state === 'ended' && call.talk_ms)
		parts.push(duration(call.talk_ms));
	if (call.direction === 'outgoing')
		parts.unshift('Outgoing');
	return parts.join(', ');
}

function row(call) {
	const tr = el('tr', { class: `call state-${call.state}`, dataset: { id: String(call.id ?? ''), number: call.number || '' } });
	const actions = el('td', { class: 'actions' });
	actions.append(el('div', { class: 'buttons' }, numberButtons(call, actions, true), recordingLink(call)));
	tr.append(
		el('td', { class: 'when', 'data-label': 'When', text: when(call.time) }),
		el('td', { class: 'who', 'data-label': 'Caller' },
			el('strong', { class: 'caller', text: who(call) }), ' ', verification(call),
			el('div', { class: 'muted small', text: details(call).filter((d) => d !== numberText(call)).join(' · ') })),
		el('td', { class: 'number', 'data-label': 'Number', text: call.direction === 'outgoing' ? (call.called || '') : numberText(call) }),
		el('td', { class: 'what', 'data-label': 'What happened', text: what(call), title: call.rule || '' }),
		actions);
	return tr;
}

async function load(append) {
	const params = filters();
	if (append && next !== null)
		params.before = next;
	const data = await get('/api/calls', params);
	if (!append)
		clear(body);
	for (const call of data.calls || [])
		body.append(row(call));
	next = data.next ?? null;
	older.hidden = next === null;
	empty.hidden = body.children.length > 0;
	loaded = true;
}

export function init() {
	form = document.getElementById('calls-form');
	body = document.getElementById('calls-body');
	empty = document.getElementById('calls-empty');
	older = document.getElementById('calls-older');
	onSubmit(form, () => load(false));
	form.addEventListener('change', (ev) => {
		if (ev.target.name !== 'q')
			act(null, () => load(false));
	});
	older.addEventListener('click', () => act(older, () => load(true)));
}

export function show() {
	// Fresh every time the tab is opened: new calls came in meanwhile.
	act(null, () => load(false));
	return loaded;
}
