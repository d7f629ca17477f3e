// SPDX-License-Identifier: GPL-2.0-or-later
// Building the page from data that came from the network. Text goes in as
// text nodes and property values only: nothing here ever parses HTML, so a
// caller named "<img src=x onerror=...>" is shown as exactly those characters.

// Bidi controls (U+202A-E, U+2066-9) in a name could turn "gnp.exe" into
// "exe.png" on screen; shown text drops them (the data itself is unchanged).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
export function shown(text) {
	return String(text).replace(BIDI, '');
}

// el('button', {class: 'x', onclick: fn, text: 'Block'}, child...)
export function el(tag, props, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'text')
			e.textContent = shown(v);
		else if (k === 'class')
			e.className = v;
		else if (k === 'dataset')
			Object.assign(e.dataset, v);
		else if (k.startsWith('on') && typeof v === 'function')
			e.addEventListener(k.slice(2), v);
		else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden')
			e[k] = v;
		else
			e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(shown(c)));
	}
	return e;
}

export function clear(node) {
	node.replaceChildren();
}

// Shows WORDS in the notice bar for a while (errors stay until replaced).
let noticeTimer = 0;
export function notice(words, isError) {
	const n = document.getElementById('notice');
	n.textContent = words;
	n.classList.toggle('error', !!isError);
	n.hidden = false;
	clearTimeout(noticeTimer);
	if (!isError)
		noticeTimer = setTimeout(() => { n.hidden = true; }, 6000);
}

// Runs an action a button started: the button is disabled meanwhile and a
// failure is told in the notice bar. True when it worked.
export async function act(button, fn) {
	if (button)
		button.disabled = true;
	try {
		await fn();
		return true;
	} catch (e) {
		notice(e.message, true);
		return false;
	} finally {
		if (button)
			button.disabled = false;
	}
}

// FORM's submit runs FN as act() does, its submit button disabled meanwhile.
export function onSubmit(form, fn) {
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		act(form.querySelector('button[type=submit]'), fn);
	});
}

// A button that asks "Sure?" on its first press and acts on the second, so
// nothing is deleted by one slip (and no modal dialog is needed).
export function confirmButton(label, sure, fn) {
	const b = el('button', { type: 'button', class: 'danger', text: label });
	let armed = 0;
	b.addEventListener('click', () => {
		if (!armed) {
			b.textContent = sure;
			armed = setTimeout(() => { armed = 0; b.textContent = label; }, 4000);
			return;
		}
		clearTimeout(armed);
		armed = 0;
		b.textContent = label;
		act(b, fn);
	});
	return b;
}

// An inline "name this number" editor in place of a prompt() dialog: calls
// SAVE(text) on submit, then removes itself.
export function inlineEditor(anchor, initial, placeholder, save) {
	const old = anchor.querySelector(':scope > form.inline-edit');
	if (old) {
		old.remove();
		return;
	}
	const input = el('input', { value: initial || '', placeholder, 'aria-label': placeholder, required: true });
	const form = el('form', { class: 'inline-edit' }, input,
		el('button', { type: 'submit', text: 'Save' }),
		el('button', { type: 'button', class: 'quiet', text: 'Cancel', onclick: () => form.remove() }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const done = await act(form.querySelector('button[type=submit]'), () => save(input.value.trim()));
		if (done)
			form.remove();
	});
	anchor.append(form);
	input.focus();
}
