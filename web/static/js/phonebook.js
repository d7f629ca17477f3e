// SPDX-License-Identifier: GPL-2.0-or-later
// Phonebook: the entries, add/edit/delete, and a contacts import shown as a
// dry run before it is applied.
import { el, clear, act, notice, confirmButton, onSubmit } from './dom.js';
import { get, post } from './api.js';

let form, body, empty, pathLine, saveButton, cancelButton;
let importForm, importApply, importPlan;

function editEntry(entry) {
	form.number.value = entry.number;
	form.elements.namedItem('name').value = entry.name;
	form.old_number.value = entry.number;
	saveButton.textContent = 'Save';
	cancelButton.hidden = false;
	form.elements.namedItem('name').focus();
}

function resetForm() {
	form.reset();
	form.old_number.value = '';
	saveButton.textContent = 'Add';
	cancelButton.hidden = true;
}

function row(entry) {
	return el('tr', { dataset: { number: entry.number } },
		el('td', { class: 'number', 'data-label': 'Number', text: entry.number }),
		el('td', { class: 'name', 'data-label': 'Name', text: entry.name }),
		el('td', { class: 'actions' }, el('div', { class: 'buttons' },
			el('button', { type: 'button', class: 'act-edit', text: 'Edit', onclick: () => editEntry(entry) }),
			confirmButton('Delete', 'Really delete?', async () => {
				await post('/api/phonebook/delete', { number: entry.number });
				notice(`Deleted ${entry.number}`);
				await load();
			}))));
}

async function load() {
	const data = await get('/api/phonebook');
	clear(body);
	for (const entry of data.entries || [])
		body.append(row(entry));
	empty.hidden = body.children.length > 0;
	pathLine.textContent = data.path ? `File: ${data.path}` : '';
}

async function save() {
	const number = form.number.value.trim(), name = form.elements.namedItem('name').value.trim();
	const old = form.old_number.value;
	await post('/api/phonebook', { number, name });
	// A changed number is a new entry: the old one goes.
	if (old && old !== number)
		await post('/api/phonebook/delete', { number: old });
	notice(`Saved ${number}: ${name}`);
	resetForm();
	await load();
}

// One change of the plan in words: "line 12: Ann +15551234567 (the
// phonebook has Anna)"; anything else it carries is shown as key: value.
function changeWords(c) {
	if (typeof c !== 'object' || c === null)
		return String(c);
	const parts = [];
	if (c.line)
		parts.push(`line ${c.line}:`);
	if (c.name)
		parts.push(c.name);
	if (c.number)
		parts.push(c.number);
	if (c.phonebook_name)
		parts.push(`(the phonebook has ${c.phonebook_name}${c.phonebook_line ? ` on line ${c.phonebook_line}` : ''})`);
	if (c.reason)
		parts.push(`— ${c.reason}`);
	const known = new Set(['line', 'name', 'number', 'phonebook_name', 'phonebook_line', 'reason']);
	for (const [k, v] of Object.entries(c))
		if (!known.has(k))
			parts.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
	return parts.join(' ');
}

function listOf(title, items) {
	if (!Array.isArray(items) || !items.length)
		return null;
	return el('div', {},
		el('h4', { text: `${title} (${items.length})` }),
		el('ul', { class: 'plan-items' }, items.map((item) => el('li', { text: changeWords(item) }))));
}

function showPlan(plan, applied) {
	clear(importPlan);
	const counts = `${plan.added ?? 0} ${applied ? 'added' : 'to add'}, ${plan.already ?? 0} already there` +
		(plan.replaced ? `, ${plan.replaced} ${applied ? 'replaced' : 'to replace'}` : '');
	importPlan.append(
		el('p', { class: 'decision', text: applied ? `Imported: ${counts}.` :
			`Preview: ${counts}. Nothing is changed until you press Import.` }),
		listOf(applied ? 'Added' : 'To add', plan.adds),
		listOf('Conflicts', plan.conflicts),
		listOf('Skipped', plan.skipped));
}

async function runImport(dryRun) {
	const data = new FormData();
	const file = importForm.file.files[0];
	if (!file)
		throw new Error('Choose a vCard or CSV file first.');
	data.append('file', file, file.name);
	if (dryRun)
		data.append('dry_run', '1');
	const plan = await post('/api/phonebook/import', data);
	showPlan(plan || {}, !dryRun);
	importApply.disabled = !dryRun;
	if (!dryRun)
		await load();
}

export function init() {
	form = document.getElementById('book-form');
	body = document.getElementById('book-body');
	empty = document.getElementById('book-empty');
	pathLine = document.getElementById('book-path');
	saveButton = document.getElementById('book-save');
	cancelButton = document.getElementById('book-cancel');
	importForm = document.getElementById('import-form');
	importApply = document.getElementById('import-apply');
	importPlan = document.getElementById('import-plan');
	onSubmit(form, save);
	cancelButton.addEventListener('click', resetForm);
	onSubmit(importForm, () => runImport(true));
	importForm.file.addEventListener('change', () => {
		importApply.disabled = true;
		clear(importPlan);
	});
	importApply.addEventListener('click', async () => {
		// act() re-enables the button; an applied import must not be applied twice.
		await act(importApply, () => runImport(false));
		importApply.disabled = true;
	});
}

export function show() {
	act(null, load);
}
