// SPDX-License-Identifier: GPL-2.0-or-later
// Now: the calls in progress, from the server-sent events of /api/live.
import { el, act, notice } from './dom.js';
import { post, currentSession, loadSession } from './api.js';
import { who, details, verification, stateWords, numberButtons, when, duration } from './call.js';
import { listenLive, warmUpOnFirstGesture } from './listen.js';

// A call that has ended stays on the screen this long, so a blocked call or a
// short one can still be blocked, allowed or named from here.
const KEEP_ENDED_MS = 60000;
const IN_PROGRESS = new Set(['ringing', 'answered']);
const RETRY_MS = 3000;

const calls = new Map(); // call_id -> { call, row, timer, recording }
let list, empty, liveState, lineState, listenState;
let listening = null;

function recordButton(entry) {
	const on = entry.recording;
	return el('button', {
		type: 'button', class: 'act-record', text: on ? 'Stop recording' : 'Record',
		'aria-pressed': on ? 'true' : 'false',
		onclick: (ev) => act(ev.currentTarget, async () => {
			await post('/api/live/record', { call_id: entry.call.call_id, on: on ? '0' : '1' });
			entry.recording = !on;
			render(entry);
			notice(entry.recording ? 'Recording' : 'Recording stopped');
		}),
	});
}

function listenButton(entry) {
	const mine = !!listening && listening.callId === entry.call.call_id;
	return el('button', {
		type: 'button', class: 'act-listen', text: mine ? 'Stop listening' : 'Listen',
		'aria-pressed': mine ? 'true' : 'false',
		onclick: () => (mine ? stopListening() : listen(entry.call.call_id)),
	});
}

function listen(callId) {
	stopListening();
	const entry = calls.get(callId);
	const caller = entry ? who(entry.call) : 'the call';
	listenState.hidden = false;
	listenState.textContent = `Listening to ${caller}…`;
	listenState.dataset.bytes = '0';
	const stop = listenLive(callId, ({ bytes, seconds }) => {
		listenState.dataset.bytes = String(bytes);
		listenState.textContent = `Listening to ${caller}: ${duration(seconds * 1000)}`;
	}, (error) => {
		if (listening && listening.stop === stop)
			finishListening();
		if (error)
			notice(`Listen Live: ${error.message}`, true);
	});
	listening = { callId, stop };
	for (const e of calls.values())
		render(e);
}

function finishListening() {
	listening = null;
	listenState.hidden = true;
	for (const entry of calls.values())
		render(entry);
}

function stopListening() {
	if (!listening)
		return;
	const { stop } = listening;
	finishListening();
	stop();
}

function render(entry) {
	const call = entry.call;
	const live = IN_PROGRESS.has(call.state);
	const buttons = el('div', { class: 'buttons' }, numberButtons(call, entry.row, false));
	if (live) {
		buttons.append(recordButton(entry));
		const s = currentSession();
		if (!s || s.listen_live !== false)
			buttons.append(listenButton(entry));
	}
	const editor = entry.row.querySelector(':scope > form.inline-edit');
	entry.row.className = `card call state-${call.state}${call.direction === 'outgoing' ? ' outgoing' : ''}`;
	entry.row.replaceChildren(
		el('div', { class: 'who' },
			el('strong', { class: 'caller', text: who(call) }), ' ', verification(call)),
		el('div', { class: 'details muted' }, details(call).join(' · ')),
		el('div', { class: 'state' },
			el('span', { class: `badge state-badge ${call.state}`, text: stateWords(call) }),
			' ', el('span', { class: 'muted small', text: when(call.time) })),
		buttons);
	if (editor)
		entry.row.append(editor);
	entry.row.dataset.state = call.state || '';
	entry.row.dataset.number = call.number || '';
}

function update(call) {
	if (!call || typeof call.call_id !== 'string')
		return;
	let entry = calls.get(call.call_id);
	if (!entry) {
		entry = { call, row: el('li', { dataset: { callId: call.call_id } }), timer: 0, recording: !!call.record };
		calls.set(call.call_id, entry);
		list.prepend(entry.row);
	}
	entry.call = call;
	render(entry);
	clearTimeout(entry.timer);
	if (!IN_PROGRESS.has(call.state)) {
		if (listening && listening.callId === call.call_id)
			stopListening();
		entry.timer = setTimeout(() => {
			entry.row.remove();
			calls.delete(call.call_id);
			empty.hidden = calls.size > 0;
		}, KEEP_ENDED_MS);
	}
	empty.hidden = true;
}

function snapshot(data) {
	for (const entry of calls.values()) {
		clearTimeout(entry.timer);
		entry.row.remove();
	}
	calls.clear();
	for (const call of (data && Array.isArray(data.calls) ? data.calls : []).slice().reverse())
		update(call);
	empty.hidden = calls.size > 0;
}

function lineEvent(ev) {
	if (ev.state === 'down')
		lineState.textContent = `Phone line down${ev.reason ? ` (${ev.reason})` : ''} since ${when(ev.since)}`;
	else if (ev.state === 'up')
		lineState.textContent = `Phone line up since ${when(ev.since)}`;
	lineState.classList.toggle('error', ev.state === 'down');
}

function parse(ev) {
	try {
		return JSON.parse(ev.data);
	} catch (_) {
		return null;
	}
}

function connect() {
	const source = new EventSource('/api/live');
	source.addEventListener('open', () => {
		liveState.textContent = 'Live';
		document.body.dataset.live = 'open';
	});
	source.addEventListener('error', () => {
		liveState.textContent = 'Reconnecting…';
		document.body.dataset.live = 'reconnecting';
		// EventSource retries a dropped stream by itself, but gives up on an
		// error answer: then see whether the session ended (loadSession goes
		// to the login page) and try again a little later.
		if (source.readyState === EventSource.CLOSED) {
			setTimeout(() => {
				loadSession().then(connect, connect);
			}, RETRY_MS);
		}
	});
	source.addEventListener('snapshot', (ev) => snapshot(parse(ev)));
	source.addEventListener('call', (ev) => update(parse(ev)));
	source.addEventListener('line', (ev) => {
		const data = parse(ev);
		if (data)
			lineEvent(data);
	});
}

export function init() {
	list = document.getElementById('live-calls');
	empty = document.getElementById('live-empty');
	liveState = document.getElementById('live-state');
	lineState = document.getElementById('line-state');
	listenState = document.getElementById('listen-state');
	warmUpOnFirstGesture();
	connect();
}

export function show() {}
