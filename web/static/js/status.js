// SPDX-License-Identifier: GPL-2.0-or-later
// Status: sipcidd's counters (sipcidd --status), refreshed while the tab is open.
import { el, clear, act } from './dom.js';
import { get } from './api.js';

const REFRESH_MS = 5000;
let running, counters, lines, text, timer = 0;

function uptime(s) {
	const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
	return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min`;
}

function runningWords(s) {
	if (!s.running)
		return `sipcidd is not running${s.message ? ` (${s.message})` : ''}: calls pass without caller ID or blocking.`;
	const parts = [`sipcidd ${s.version || ''} is running`.replace('  ', ' ')];
	if (s.queue !== undefined)
		parts.push(`on NFQUEUE queue ${s.queue}`);
	if (s.uptime_s !== undefined)
		parts.push(`up ${uptime(s.uptime_s)}`);
	if (s.fail_open !== undefined)
		parts.push(s.fail_open ? 'fail-open on' : 'fail-open OFF');
	return `${parts.join(', ')}.`;
}

function pairs(list, obj, kind) {
	for (const [name, value] of Object.entries(obj || {}))
		list.append(el('div', { class: kind, dataset: { name } },
			el('dt', { text: name }),
			el('dd', { text: typeof value === 'object' ? JSON.stringify(value) : String(value) })));
}

async function load() {
	const s = await get('/api/status');
	running.textContent = runningWords(s);
	running.classList.toggle('error', !s.running);
	running.classList.toggle('good', !!s.running);
	clear(counters);
	pairs(counters, s.counters, 'counter');
	clear(lines);
	pairs(lines, s.lines, 'line');
	text.textContent = s.text || '';
}

export function init() {
	running = document.getElementById('status-running');
	counters = document.getElementById('status-counters');
	lines = document.getElementById('status-lines');
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
