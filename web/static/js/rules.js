// SPDX-License-Identifier: GPL-2.0-or-later
// Rules: the rule file in a text editor with line numbers. "Check" and
// "Save" both load it with the real rules library (through sipcid-web), so
// an error names its line before anything is written; "Test a call" gives
// the answer of sipcid-rules test.
import { el, clear, act, notice, onSubmit } from './dom.js';
import { get, post, ApiError } from './api.js';

let text, gutter, result, errorList, pathLine, decision, decisionJson, testForm;
let loaded = false;

function lineCount() {
	return text.value.split('\n').length;
}

// The gutter holds one span per line; lines with an error are marked.
function drawGutter(errorLines) {
	const n = lineCount();
	const bad = errorLines || new Set();
	const spans = [];
	for (let i = 1; i <= n; i++)
		spans.push(el('span', { class: bad.has(i) ? 'err' : null, text: `${i}\n` }));
	gutter.replaceChildren(...spans);
	gutter.scrollTop = text.scrollTop;
}

function goToLine(line) {
	const lines = text.value.split('\n');
	let start = 0;
	for (let i = 0; i < line - 1 && i < lines.length; i++)
		start += lines[i].length + 1;
	text.focus();
	text.setSelectionRange(start, start + (lines[line - 1] || '').length);
}

function showErrors(errors) {
	clear(errorList);
	const lines = new Set();
	for (const e of errors || []) {
		lines.add(e.line);
		const where = e.column ? `Line ${e.line}, column ${e.column}` : `Line ${e.line}`;
		errorList.append(el('li', { class: 'rule-error', dataset: { line: String(e.line) } },
			el('a', { href: '#rules', text: where, onclick: (ev) => { ev.preventDefault(); goToLine(e.line); } }),
			`: ${e.message}`));
	}
	drawGutter(lines);
}

function say(words, good) {
	result.textContent = words;
	result.classList.toggle('error', !good);
	result.classList.toggle('good', !!good);
}

async function check() {
	const r = await post('/api/rules/check', { text: text.value });
	showErrors(r.errors);
	say(r.ok ? 'The rules load: no errors.' : 'The rules have errors (nothing was saved).', r.ok);
}

async function save() {
	try {
		await post('/api/rules', { text: text.value });
	} catch (e) {
		if (e instanceof ApiError && e.status === 422 && e.body && Array.isArray(e.body.errors)) {
			showErrors(e.body.errors);
			say('Not saved: the rules have errors. The rule file is unchanged and sipcidd keeps the rules it has.', false);
			return;
		}
		throw e;
	}
	showErrors([]);
	say('Saved. sipcidd uses the new rules from its next call on.', true);
	notice('Rules saved');
}

async function load() {
	const r = await get('/api/rules');
	text.value = r.text || '';
	pathLine.textContent = r.path ? `File: ${r.path}` : '';
	showErrors([]);
	say('', true);
	loaded = true;
}

function decisionWords(d) {
	if (d.emergency)
		return 'An emergency number: always allowed.';
	const who = d.alias ? `${d.alias} (${d.number_display || d.number})` : (d.number_display || d.number || 'This caller');
	let words = d.action === 'block' ?
		`${who} would be blocked${d.outcome ? ` (${d.outcome})` : ''}` :
		`${who} would ring`;
	words += d.rule ? `, by ${d.rule}` : ', no rule matched';
	if (d.list)
		words += ` (on the list ${d.list})`;
	if (d.record)
		words += '; the call would be recorded';
	return `${words}.`;
}

async function testCall() {
	const f = new FormData(testForm);
	const d = await post('/api/rules/test', {
		number: f.get('number').trim(), name: f.get('name').trim(), direction: f.get('direction'),
	});
	decision.textContent = decisionWords(d || {});
	decision.dataset.action = (d && d.action) || '';
	decisionJson.textContent = JSON.stringify(d, null, 2);
}

export function init() {
	text = document.getElementById('rules-text');
	gutter = document.getElementById('rules-gutter');
	result = document.getElementById('rules-result');
	errorList = document.getElementById('rules-errors');
	pathLine = document.getElementById('rules-path');
	decision = document.getElementById('rules-decision');
	decisionJson = document.getElementById('rules-decision-json');
	testForm = document.getElementById('rules-test-form');
	let lines = 0;
	text.addEventListener('input', () => {
		if (lineCount() !== lines) {
			lines = lineCount();
			drawGutter();
		}
	});
	text.addEventListener('scroll', () => { gutter.scrollTop = text.scrollTop; });
	const checkButton = document.getElementById('rules-check');
	const saveButton = document.getElementById('rules-save');
	checkButton.addEventListener('click', () => act(checkButton, check));
	saveButton.addEventListener('click', () => act(saveButton, save));
	const revert = document.getElementById('rules-revert');
	revert.addEventListener('click', () => act(revert, load));
	onSubmit(testForm, testCall);
}

export function show() {
	// Loaded once: switching tabs must not throw away unsaved edits.
	if (!loaded)
		act(null, load);
}
