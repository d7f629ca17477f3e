// SPDX-License-Identifier: GPL-2.0-or-later
// Recordings: play in the page, download, delete; disk used against the budget.
import { el, clear, act, notice, confirmButton } from './dom.js';
import { get, post } from './api.js';
import { who, when, duration } from './call.js';

let list, empty, usage, usageWords;

// Sizes as file managers show them (1 MB = 1024 kB).
function size(bytes) {
	const units = ['kB', 'MB', 'GB', 'TB'];
	let v = bytes / 1024, u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

function item(rec) {
	const url = `/api/recordings/${encodeURIComponent(rec.name)}`;
	const title = rec.call ? who(rec.call) : rec.name;
	return el('li', { class: 'card recording', dataset: { name: rec.name } },
		el('div', { class: 'who' }, el('strong', { class: 'caller', text: title })),
		el('div', { class: 'details muted small' },
			[when(rec.time), rec.seconds > 0 ? duration(rec.seconds * 1000) : null, size(rec.bytes || 0), rec.name]
				.filter(Boolean).join(' · ')),
		el('audio', { controls: true, preload: 'metadata', src: url }),
		el('div', { class: 'buttons' },
			el('a', { class: 'button', href: `${url}?download=1`, download: rec.name, text: 'Download' }),
			confirmButton('Delete', 'Really delete?', async () => {
				await post('/api/recordings/delete', { name: rec.name });
				notice(`Deleted ${rec.name}`);
				await load();
			})));
}

async function load() {
	const data = await get('/api/recordings');
	clear(list);
	for (const rec of data.recordings || [])
		list.append(item(rec));
	empty.hidden = list.children.length > 0;
	const used = data.used_bytes || 0, budget = data.budget_bytes || 0;
	usage.max = budget > 0 ? budget : Math.max(used, 1);
	usage.value = used;
	usageWords.textContent = budget > 0 ?
		`${size(used)} used of ${size(budget)} (${Math.round((100 * used) / budget)} %)` :
		`${size(used)} used (no limit set)`;
}

export function init() {
	list = document.getElementById('rec-list');
	empty = document.getElementById('rec-empty');
	usage = document.getElementById('rec-usage');
	usageWords = document.getElementById('rec-usage-words');
}

export function show() {
	act(null, load);
}
