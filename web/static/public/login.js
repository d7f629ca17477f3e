// SPDX-License-Identifier: GPL-2.0-or-later
// The login form, posted with fetch so that a wrong password or a lockout is
// told on the same page instead of on a bare error answer.
const form = document.getElementById('login-form');
const message = document.getElementById('login-message');
const button = document.getElementById('login-button');

const WORDS = {
	401: 'Wrong password.',
	429: 'Too many wrong passwords from this computer. Wait a while and try again.',
};

form.addEventListener('submit', async (ev) => {
	ev.preventDefault();
	button.disabled = true;
	message.textContent = '';
	try {
		const r = await fetch('/login', {
			method: 'POST',
			body: new URLSearchParams(new FormData(form)),
			credentials: 'same-origin',
		});
		// The server answers 303 to /: fetch follows it, so success is an
		// answer that ended anywhere but back on the login page.
		const landed = new URL(r.url, location.href).pathname;
		if (r.ok && landed !== '/login') {
			location.assign('/');
			return;
		}
		let words = WORDS[r.status];
		if (!words) {
			words = `The box answered ${r.status}.`;
			try {
				const body = await r.json();
				if (body && typeof body.error === 'string')
					words = body.error;
			} catch (_) { /* not JSON: keep the status */ }
		}
		message.textContent = words;
		document.body.dataset.loginStatus = String(r.status);
	} catch (e) {
		message.textContent = `Could not reach the box: ${e.message}`;
	} finally {
		button.disabled = false;
		form.password.select();
	}
});
