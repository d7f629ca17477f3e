// SPDX-License-Identifier: GPL-2.0-or-later
// The one way the pages talk to sipcid-web (docs/web-api.md): JSON in and
// out, the session's CSRF token on every change, and back to the login page
// when the session has ended.

let session = null;

export class ApiError extends Error {
	constructor(status, message, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

function toLogin() {
	location.assign('/login');
	// Nothing after this should run: the page is going away.
	return new Promise(() => {});
}

function loggedOut(r) {
	if (r.status === 401)
		return true;
	// A server that redirects to the login page instead: fetch followed it.
	return r.redirected && new URL(r.url).pathname === '/login';
}

async function answer(r) {
	if (loggedOut(r))
		return toLogin();
	let body = null;
	const type = r.headers.get('Content-Type') || '';
	if (type.includes('json')) {
		try {
			body = await r.json();
		} catch (_) {
			body = null;
		}
	}
	if (!r.ok) {
		const words = body && typeof body.error === 'string' ? body.error :
			`The box answered ${r.status} ${r.statusText}.`;
		throw new ApiError(r.status, words, body);
	}
	return body;
}

export async function loadSession() {
	session = await answer(await fetch('/api/session', { credentials: 'same-origin' }));
	return session;
}

export function currentSession() {
	return session;
}

// GET PATH?PARAMS (empty values left out).
export async function get(path, params) {
	const url = new URL(path, location.href);
	for (const [k, v] of Object.entries(params || {}))
		if (v !== undefined && v !== null && v !== '')
			url.searchParams.set(k, String(v));
	return answer(await fetch(url, { credentials: 'same-origin' }));
}

// POST PATH with FIELDS urlencoded, or a FormData as multipart.
export async function post(path, fields) {
	if (!session)
		await loadSession();
	const body = fields instanceof FormData ? fields : new URLSearchParams(fields || {});
	return answer(await fetch(path, {
		method: 'POST',
		body,
		credentials: 'same-origin',
		headers: { 'X-CSRF-Token': session.csrf },
	}));
}

export async function logout() {
	try {
		await post('/logout');
	} finally {
		location.assign('/login');
	}
}
