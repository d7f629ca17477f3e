// SPDX-License-Identifier: GPL-2.0-or-later
// The web console against the real sipcid-web and sipcidd on a lab bridge
// with real calls (run by tests/lab/web_console.sh, which built the lab and
// exported its LAB_* variables; WEB_CTL places calls and reads the lab).
//
//   node console.test.mjs BASE_URL PASSWORD SCREENSHOT_DIR
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import * as B from './browser.mjs';

const [base, password, shots] = process.argv.slice(2);
const lab = process.env.LAB_TMP;
const attempts = Number(process.env.WEB_LOGIN_ATTEMPTS || 3);

// ctl(...args): web_console_ctl.sh's answer, or an exception with its stderr.
function ctl(...args) {
	return new Promise((resolve, reject) => {
		execFile('bash', [process.env.WEB_CTL, ...args], { encoding: 'utf8', timeout: 40000 },
			(err, stdout, stderr) => (err ? reject(new Error(`ctl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim())));
	});
}

async function call(code, number, name) {
	const out = await ctl('call', String(code), number, name);
	const sent = Number((out.match(/sent_ms=(\d+)/) || [])[1]);
	const final = (out.match(/^SIP\/2.0 (\d+)/m) || [])[1];
	return { sent, final: Number(final) };
}

function events() {
	return fs.readFileSync(`${lab}/events.json`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function reloads() {
	return (fs.readFileSync(`${lab}/sipcidd.log`, 'utf8').match(/rules reloaded/g) || []).length;
}

async function until(what, fn, ms = 10000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() > end)
			throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const liveRow = (number) => `#live-calls li[data-number="${number}"]`;

const browser = await B.launch();
const context = await B.newContext(browser, B.DESKTOP);
const page = await context.newPage();
page.setDefaultTimeout(10000);

await B.step('log in', async () => {
	const s = await B.login(page, base, password);
	B.check(s === 303, `the right password is ${s}`);
	await page.waitForSelector('body[data-ready="1"]');
	await page.waitForSelector('body[data-live="open"]');
	B.check(true, 'the console is open and its live stream connected');
});

// The lockout runs beside the other steps (it only stops new logins from
// this address; the session above stays valid), so the password checks it
// costs the server do not add to the test's time.
async function lockout() {
	const other = await B.newContext(browser, B.PHONE);
	const p = await other.newPage();
	p.setDefaultTimeout(20000);
	const seen = [];
	let status = await B.login(p, base, 'not the password'), tries = 1;
	seen.push([`a wrong password is ${status}`, status === 401]);
	const words = await p.textContent('#login-message');
	seen.push([`the login page says "${words}"`, words === 'Wrong password.']);
	while (status !== 429 && tries < attempts + 1) {
		status = await B.login(p, base, `wrong ${tries}`);
		tries++;
	}
	seen.push([`the attempt after ${attempts} wrong passwords is refused (${status}) without asking the password`,
		status === 429 && tries === attempts + 1]);
	const why = await p.textContent('#login-message');
	seen.push([`the page says why: "${why}"`, why.startsWith('Too many wrong passwords')]);
	status = await B.login(p, base, password);
	seen.push([`even the right password is refused while locked out (${status})`, status === 429]);
	await other.close();
	return seen;
}
let lockedOut = null;

const ALICE = '+15551110001';
await B.step('a live call appears within 1 s of its INVITE', async () => {
	await B.openTab(page, 'now');
	await page.evaluate((sel) => {
		window.__seenAt = 0;
		new MutationObserver(() => {
			if (!window.__seenAt && document.querySelector(sel))
				window.__seenAt = Date.now();
		}).observe(document.getElementById('live-calls'), { childList: true, subtree: true, attributes: true });
	}, liveRow(ALICE));
	const c = await call(200, ALICE, 'Alice Example');
	B.check(c.final === 200, `the phone answered Alice (${c.final})`);
	const seen = await until('the call on the Now tab', () => page.evaluate(() => window.__seenAt), 5000);
	const delay = seen - c.sent;
	B.log(`the call showed ${delay} ms after the INVITE was sent`);
	B.check(delay >= 0 && delay < 1000, `Alice's call showed within 1 s of the INVITE (${delay} ms)`);
	B.check(await page.textContent(`${liveRow(ALICE)} .caller`) === 'Alice Example', 'the Now row names Alice');
});

await B.step('block the caller from the call row: the next call is rejected and never rings', async () => {
	await B.openTab(page, 'calls');
	const row = page.locator(`#calls-body tr[data-number="${ALICE}"]`).first();
	// The call log's writer commits in batches: search again until it is there.
	await until('the call in the call log', async () => {
		await page.click('#calls-form button[type=submit]');
		await page.waitForTimeout(200);
		return (await row.count()) > 0;
	});
	const before = reloads();
	await row.locator('.act-block').click();
	await page.waitForFunction(() => /^Blocked /.test(document.getElementById('notice').textContent));
	B.check((await ctl('rules')).includes(ALICE), 'the rule file blocks Alice');
	await until('sipcidd to reload its rules', () => reloads() > before);
	const rangBefore = Number(await ctl('rang', ALICE));
	B.check(rangBefore === 1, `the phone saw Alice's first call (${rangBefore})`);
	const c = await call(603, ALICE, 'Alice Example');
	B.check(c.final === 603, `Alice's next call was declined by sipcidd (${c.final})`);
	await new Promise((r) => setTimeout(r, 500));
	B.check(Number(await ctl('rang', ALICE)) === rangBefore, `the phone did not ring for it (rang ${rangBefore} times in all)`);
});

lockedOut = lockout().catch((e) => [[`lockout: ${e.message}`, false]]);

const BOB = '+15551110002';
await B.step('rename a caller: the alias is in the next event', async () => {
	await B.openTab(page, 'now');
	const c = await call(200, BOB, 'Bob Caller');
	B.check(c.final === 200, 'the phone answered Bob');
	const row = page.locator(liveRow(BOB)).first();
	await row.waitFor();
	const before = reloads();
	await row.locator('.act-rename').click();
	await row.locator('form.inline-edit input').fill('Grandma');
	await row.locator('form.inline-edit button[type=submit]').click();
	await page.waitForFunction(() => /is now called/.test(document.getElementById('notice').textContent));
	await until('sipcidd to reload the phonebook', () => reloads() > before);
	const callIds = new Set(events().filter((e) => e.number === BOB).map((e) => e.call_id));
	await call(200, BOB, 'Bob Caller');
	const next = await until('the next call of Bob', () =>
		events().find((e) => e.number === BOB && !callIds.has(e.call_id)), 5000);
	B.check(next.alias === 'Grandma', `sipcidd's event names Bob "Grandma" (${next.alias})`);
	await page.waitForSelector(`#live-calls li[data-call-id="${next.call_id}"]`);
	B.check(await page.textContent(`#live-calls li[data-call-id="${next.call_id}"] .caller`) === 'Grandma',
		'the Now tab shows the alias');
});

await B.step('a broken rule file: line-numbered error, file unchanged, old rules in force', async () => {
	await B.openTab(page, 'rules');
	await page.waitForFunction(() => document.getElementById('rules-text').value.includes('+15559990000'));
	const sha = await ctl('rules_sha');
	const lines = (await page.inputValue('#rules-text')).replace(/\n$/, '').split('\n').length;
	await page.click('#rules-text');
	await page.keyboard.press('Control+End');
	await page.keyboard.type(`${(await page.inputValue('#rules-text')).endsWith('\n') ? '' : '\n'}frobnicate number +15551234567\n`);
	const bad = lines + 1;
	await page.click('#rules-check');
	await page.waitForSelector('#rules-errors li');
	B.check(await page.getAttribute('#rules-errors li', 'data-line') === String(bad),
		`Check names line ${bad}: ${await page.textContent('#rules-errors li')}`);
	await page.click('#rules-save');
	await page.waitForFunction(() => /^Not saved/.test(document.getElementById('rules-result').textContent));
	B.check(await page.getAttribute('#rules-errors li', 'data-line') === String(bad),
		`Save refused with the error on line ${bad}`);
	B.check(await page.locator(`#rules-gutter span:nth-child(${bad}).err`).count() === 1, 'the gutter marks the line');
	B.check(await ctl('rules_sha') === sha, 'the rule file is byte for byte unchanged');
	const c = await call(603, '+15559990000', 'Known Nuisance');
	B.check(c.final === 603, `the old rules still decide: the nuisance was declined (${c.final})`);
	await page.fill('#rules-test-form input[name=number]', '+15559990000');
	await page.click('#rules-test-form button[type=submit]');
	await page.waitForSelector('#rules-decision[data-action]');
	B.check(await page.getAttribute('#rules-decision', 'data-action') === 'block',
		`"Test a call" gives sipcid-rules test's answer: ${await page.textContent('#rules-decision')}`);
	await page.click('#rules-revert');
	await page.waitForFunction(() => !document.getElementById('rules-text').value.includes('frobnicate'));
});

const HOSTILE = [
	['+15556660001', '<img src=x onerror="window.__pwned=1;alert(1)">'],
	['+15556660002', '<script>window.__pwned=2</script>'],
	['+15556660003', '\'"><svg onload=window.__pwned=3>\u202egnp.exe'],
];
await B.step('hostile caller names show as text and run nothing', async () => {
	await B.openTab(page, 'now');
	for (const [number, name] of HOSTILE) {
		const c = await call(200, number, name);
		B.check(c.final === 200, `the hostile call ${number} rang through`);
		const ev = await until('its event', () => events().find((e) => e.number === number), 5000);
		B.check(ev.name.includes('<') && ev.name.includes('window.__pwned'), `sipcidd passed the name on: ${JSON.stringify(ev.name)}`);
		await page.waitForSelector(liveRow(number));
		const shown = await page.textContent(`${liveRow(number)} .caller`);
		B.check(shown === ev.name.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''), `the Now tab shows the name as text: ${JSON.stringify(shown)}`);
		const t = await B.textOnly(page.locator(liveRow(number)), '__pwned');
		B.check(t.hasText && t.elements === 0, 'no element came out of the name');
	}
	await B.openTab(page, 'calls');
	await page.waitForSelector(`#calls-body tr[data-number="${HOSTILE[0][0]}"]`);
	const t = await B.textOnly(page.locator('#calls-body'), 'window.__pwned=2');
	B.check(t.hasText && t.elements === 0, 'the call log shows them as text');
	B.noScriptRan(await B.tripwires(context, page), 'hostile names');
});

const TONE = '+15553330000';
await B.step('Listen Live: a call playing a 1 kHz tone is heard within 1 s', async () => {
	await B.openTab(page, 'now');
	await B.tapAudio(page);
	const caller = spawn('bash', [process.env.WEB_CTL, 'tone_call', TONE, 'Tone Caller', '6'], { stdio: 'ignore' });
	const ended = new Promise((r) => caller.on('exit', r));
	await page.waitForSelector(`${liveRow(TONE)}[data-state="answered"]`, { timeout: 10000 });
	const heard = await B.clickAndHear(page, `${liveRow(TONE)} .act-listen`, 1000, 4000);
	B.log(`Listen Live: ${JSON.stringify(heard)}`);
	B.check(heard.data !== null && heard.data < 1000, `audio data reached the page ${Math.round(heard.data)} ms after Listen`);
	B.check(heard.tone !== null && heard.tone < 1000,
		`the 1 kHz tone was heard ${Math.round(heard.tone)} ms after Listen (last peak ${heard.peak} Hz)`);
	await page.click(`${liveRow(TONE)} .act-listen`);
	B.check(await page.isHidden('#listen-state'), 'Stop listening stops it');
	await ended;
});

await B.step('play the recording: the audio element reports its length', async () => {
	await B.openTab(page, 'recordings');
	const name = await until('the tone call\'s recording', async () => {
		await B.openTab(page, 'now');
		await B.openTab(page, 'recordings');
		await page.waitForTimeout(300);
		return page.evaluate(() => {
			const li = [...document.querySelectorAll('#rec-list li')].find((l) => l.textContent.includes('Tone Caller'));
			return li ? li.dataset.name : null;
		});
	}, 15000);
	const want = Number(await ctl('wav_seconds', name));
	const got = await page.locator(`#rec-list li[data-name="${name}"] audio`).evaluate((a) => new Promise((res) => {
		const go = () => a.play().then(() => setTimeout(() => res({ duration: a.duration, t: a.currentTime }), 400));
		if (a.readyState >= 1)
			go();
		else
			a.addEventListener('loadedmetadata', go);
	}));
	B.check(want > 3 && Math.abs(got.duration - want) < 0.05, `the audio element reports ${got.duration} s; the file holds ${want} s`);
	B.check(got.t > 0, `it plays (at ${got.t} s)`);
	B.check((await page.textContent('#rec-usage-words')).includes('used'), `disk use: ${await page.textContent('#rec-usage-words')}`);
});

await B.step('CSRF: a post without the token, and one from another site, are refused', async () => {
	const evil = '+15558880000';
	const status = await page.evaluate(async (n) => (await fetch('/api/numbers/block', {
		method: 'POST', body: new URLSearchParams({ number: n }), credentials: 'same-origin',
	})).status, evil);
	B.check(status === 403, `a post without X-CSRF-Token is ${status}`);
	// Another site (another port: same host, so the browser even sends the
	// cookie) posting a form to the console.
	const server = http.createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html' });
		res.end(`<form id=f method=post action="${base}/api/numbers/block"><input name=number value="${evil}"></form>` +
			'<script>document.getElementById("f").submit()</script>');
	});
	const host = new URL(base).hostname;
	await new Promise((r) => server.listen(0, host, r));
	const other = await context.newPage();
	const [r] = await Promise.all([
		other.waitForResponse((res) => res.url().endsWith('/api/numbers/block')),
		other.goto(`http://${host}:${server.address().port}/`),
	]);
	B.check(r.status() === 403, `a post from another site is ${r.status()}`);
	await other.close();
	server.close();
	B.check(!(await ctl('rules')).includes(evil), 'the rule file does not name the number');
});

await B.step('Phonebook and Status', async () => {
	await B.openTab(page, 'phonebook');
	await page.waitForSelector(`#book-body tr[data-number="${BOB}"]`);
	B.check(await page.textContent(`#book-body tr[data-number="${BOB}"] .name`) === 'Grandma', 'the phonebook lists Grandma');
	await B.openTab(page, 'status');
	await page.waitForSelector('#status-counters .counter');
	const running = await page.textContent('#status-running');
	B.check(/^sipcidd \S+ is running/.test(running), `Status: ${running}`);
	B.check(await page.locator('#status-counters .counter').count() >= 5, 'Status shows the counters');
});

await B.step('screenshots at 390x844 and 1280x800', async () => {
	const saved = await B.screenshots(page, shots, '', async (tab) => {
		if (tab === 'rules')
			await page.evaluate(() => document.getElementById('rules-text').blur());
		await page.waitForTimeout(tab === 'recordings' || tab === 'calls' ? 300 : 50);
	});
	B.check(saved.length === 12, `${saved.length} screenshots in ${shots}`);
	B.noScriptRan(await B.tripwires(context, page), 'the whole run');
});

await B.step('locked out after repeated wrong passwords', async () => {
	for (const [what, ok] of await lockedOut)
		B.check(ok, what);
});

await browser.close();
B.log(B.failed() ? `${B.failed()} checks FAILED` : 'PASS');
process.exit(B.failed() ? 1 : 0);
