// SPDX-License-Identifier: GPL-2.0-or-later
// Status: sipcidd's counters (sipcidd --status), refreshed while the tab is open.
import { el, clear, act } from './dom.js';
import { get } from './api.js';

const REFRESH_MS = 5000;
let running, counters, text, timer = 0;

async function load() {
	const s = await get('/api/status');
	running.textContent = s.running ?
		`sipcidd is running${s.version ? ` (version ${s.version})` : ''}.` :
		'sipcidd is not running: calls pass without caller ID or blocking.';
	running.classList.toggle('error', !s.running);
	running.classList.toggle('good', !!s.running);
	clear(counters);
	for (const [name, value] of Object.entries(s.counters || {}))
		counters.append(el('div', { class: 'counter', dataset: { name } },
			el('dt', { text: name }),
			el('dd', { text: typeof value === 'object' ? JSON.stringify(value) : String(value) })));
	text.textContent = s.text || '';
}

export function init() {
	running = document.getElementById('status-running');
	counters = document.getElementById('status-counters');
	text = document.getElementById('status-text');
	const refresh = document.getElementById('status-refresh');
	refresh.addEventListener('click', () => act(refresh, load));
}

export function show() {
	act(null, load);
	timer = setInterval(() => act(null, load), REFRESH_MS);
}

export function hide() {
	clearInterval(timer);
}
