// SPDX-License-Identifier: GPL-2.0-or-later
// A call as the pages show it: the same words as lib/call_words.c (who is
// calling, withheld numbers, verification), and the buttons that block,
// allow or name its number.
import { el, act, notice, inlineEditor } from './dom.js';
import { post } from './api.js';

function withheld(call) {
	if (call.presentation === 'restricted')
		return 'Withheld number';
	if (call.presentation === 'unavailable')
		return 'Number unavailable';
	return 'Unknown caller';
}

export function numberText(call) {
	return call.number_display || call.number || '';
}

// The number the buttons act on: the caller's, or for an outgoing call the
// number dialled.
export function actionNumber(call) {
	return call.direction === 'outgoing' ? (call.called || '') : (call.number || '');
}

export function who(call) {
	if (call.direction === 'outgoing')
		return call.alias || call.called || 'Unknown number';
	return call.alias || call.name || numberText(call) || withheld(call);
}

// The line under the caller's name: what "who" did not already say.
export function details(call) {
	const parts = [];
	const shown = who(call);
	if (call.direction === 'outgoing') {
		parts.push('Outgoing');
		return parts;
	}
	if (call.alias && call.name && call.name !== call.alias)
		parts.push(call.name);
	const n = numberText(call);
	if (n && n !== shown)
		parts.push(n);
	if (!call.number && shown !== withheld(call))
		parts.push(withheld(call));
	if (call.region)
		parts.push(call.region);
	return parts;
}

// The verification badge: passed → verified, failed → failed verification.
export function verification(call) {
	if (call.verstat === 'passed')
		return el('span', { class: 'badge good verified', text: call.attest ? `Verified (${call.attest})` : 'Verified' });
	if (call.verstat === 'failed')
		return el('span', { class: 'badge bad unverified', text: 'Failed verification' });
	return null;
}

const OUTCOME_WORDS = {
	busy: 'busy signal',
	decline: 'declined',
	gone: 'not in service',
	drop: 'dropped',
};

export function stateWords(call) {
	if (call.state === 'blocked')
		return call.outcome ? `Blocked (${OUTCOME_WORDS[call.outcome] || call.outcome})` : 'Blocked';
	const words = { ringing: 'Ringing', answered: 'Answered', missed: 'Missed', ended: 'Ended' };
	return words[call.state] || call.state || '';
}

export function duration(ms) {
	const s = Math.round((ms || 0) / 1000);
	if (s < 60)
		return `${s} s`;
	const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = String(s % 60).padStart(2, '0');
	return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

export function when(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return iso || '';
	return d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

// Block, Allow, Rename and (optionally) Add to phonebook for CALL's number;
// EDITOR_ANCHOR is where the inline name editor opens. Nothing for a
// withheld number: there is nothing to name or block.
export function numberButtons(call, editorAnchor, withPhonebook) {
	const number = actionNumber(call);
	if (!number)
		return [];
	const buttons = [
		el('button', {
			type: 'button', class: 'danger act-block', text: 'Block',
			onclick: (ev) => act(ev.currentTarget, async () => {
				const r = await post('/api/numbers/block', { number });
				notice(`Blocked ${number}${r && r.rule ? `: ${r.rule}` : ''}`);
			}),
		}),
		el('button', {
			type: 'button', class: 'act-allow', text: 'Allow',
			onclick: (ev) => act(ev.currentTarget, async () => {
				await post('/api/numbers/allow', { number });
				notice(`Always allowed: ${number}`);
			}),
		}),
		el('button', {
			type: 'button', class: 'act-rename', text: 'Rename',
			onclick: () => inlineEditor(editorAnchor, call.alias || call.name, 'Name for this number', async (name) => {
				await post('/api/numbers/name', { number, name });
				notice(`${number} is now called ${name}`);
			}),
		}),
	];
	if (withPhonebook && !call.alias)
		buttons.push(el('button', {
			type: 'button', class: 'act-book', text: 'Add to phonebook',
			onclick: () => inlineEditor(editorAnchor, call.name, 'Name in the phonebook', async (name) => {
				await post('/api/phonebook', { number, name });
				notice(`Added ${number} to the phonebook as ${name}`);
			}),
		}));
	return buttons;
}
