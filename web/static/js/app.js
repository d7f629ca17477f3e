// SPDX-License-Identifier: GPL-2.0-or-later
// The web console's one page: the session, then the tabs (#now, #calls, ...).
import { loadSession, logout } from './api.js';
import { act, notice } from './dom.js';
import * as now from './now.js';
import * as calls from './calls.js';
import * as phonebook from './phonebook.js';
import * as rules from './rules.js';
import * as recordings from './recordings.js';
import * as status from './status.js';

const TABS = { now, calls, phonebook, rules, recordings, status };
let current = null;

function showTab(name) {
	if (!TABS[name])
		name = 'now';
	if (current === name)
		return;
	if (current && TABS[current].hide)
		TABS[current].hide();
	for (const t of Object.keys(TABS))
		document.getElementById(`tab-${t}`).hidden = t !== name;
	for (const a of document.querySelectorAll('#tabs a'))
		a.setAttribute('aria-current', a.dataset.tab === name ? 'page' : 'false');
	current = name;
	TABS[name].show();
	document.body.dataset.tab = name;
}

async function start() {
	let session;
	try {
		session = await loadSession();
	} catch (e) {
		notice(`Could not reach the box: ${e.message}`, true);
		return;
	}
	document.getElementById('version').textContent = session.version || '';
	const logoutButton = document.getElementById('logout');
	logoutButton.addEventListener('click', () => act(logoutButton, logout));
	for (const t of Object.values(TABS))
		t.init();
	window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
	showTab(location.hash.slice(1));
	// Tests and screenshots wait for this.
	document.body.dataset.ready = '1';
}

start();
