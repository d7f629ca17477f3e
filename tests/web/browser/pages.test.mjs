// SPDX-License-Identifier: GPL-2.0-or-later
// The pages against fixture_server.py (canned answers of docs/web-api.md,
// every caller name, phonebook name and file text hostile): each tab renders,
// hostile text stays text, no script runs, every change carries the CSRF
// token, the rules editor shows line-numbered errors, the layout holds at
// 390 px. The lab test (tests/lab/web_console.sh) does the same against the
// real sipcid-web and sipcidd with real calls.
//
//   node pages.test.mjs BASE_URL SCREENSHOT_DIR
import fs from 'node:fs';
import * as B from './browser.mjs';

const base = process.argv[2];
const shots = process.argv[3];
fs.mkdirSync(shots, { recursive: true });
const PASSWORD = 'fixture-password';

const browser = await B.launch();
const context = await B.newContext(browser, B.DESKTOP);
const page = await context.newPage();
page.setDefaultTimeout(10000);

async function posts() {
	return (await (await fetch(`${base}/_fixture/posts`)).json()).posts;
}

await B.step('login: a wrong password is told on the page', async () => {
	const status = await B.login(page, base, 'wrong');
	B.check(status === 401, `wrong password answered ${status}`);
	B.check((await page.textContent('#login-message')) === 'Wrong password.', 'the page says "Wrong password."');
});

await B.step('login: the right password opens the console', async () => {
	const status = await B.login(page, base, PASSWORD);
	B.check(status === 303 || status === 200, `login answered ${status}`);
	await page.waitForSelector('body[data-ready="1"]');
	B.check(new URL(page.url()).pathname === '/', `landed on ${page.url()}`);
});

await B.step('Now: live calls with hostile names stay text', async () => {
	await B.openTab(page, 'now');
	await page.waitForSelector('#live-calls li[data-number="+15550100009"]');
	const rows = page.locator('#live-calls li');
	B.check(await rows.count() === 2, `two calls in progress (${await rows.count()})`);
	const hostile = page.locator('#live-calls li[data-number="+15550100001"]');
	const t = await B.textOnly(hostile, '<img src=x onerror="window.__pwned=1">');
	B.check(t.hasText && t.elements === 0, `the <img> name is shown as text (${JSON.stringify(t)})`);
	const d = await B.textOnly(hostile, '<b>bold</b>');
	B.check(d.hasText && d.elements === 0, 'a hostile number_display is text');
	B.check(await hostile.locator('.unverified').textContent() === 'Failed verification', 'failed verification is shown');
	B.check(await page.locator('#live-calls li[data-number="+15550100009"] .verified').count() === 1, 'a passed call has the verified badge');
	B.check((await page.textContent('#line-state')).startsWith('Phone line up'), 'the line event is shown');
	B.check(await page.textContent('#live-calls li[data-number="+15550100009"] .caller') === 'Evil gnp.exe Caller',
		'bidi controls in a name are not obeyed (no "exe.png" spoof)');
	B.check(await hostile.locator('.act-listen').count() === 1 && await hostile.locator('.act-record').count() === 1,
		'a call in progress has Listen and Record');
});

await B.step('Now: record, block and rename post with the CSRF token', async () => {
	const row = page.locator('#live-calls li[data-number="+15550100009"]');
	await row.locator('.act-record').click();
	await page.waitForSelector('#live-calls li[data-number="+15550100009"] .act-record[aria-pressed="true"]');
	await row.locator('.act-block').click();
	await page.waitForSelector('#notice:not([hidden])');
	await row.locator('.act-rename').click();
	await row.locator('form.inline-edit input').fill('<script>window.__pwned=9</script>');
	await row.locator('form.inline-edit button[type=submit]').click();
	await page.waitForFunction(() => !document.querySelector('#live-calls form.inline-edit'));
	const p = await posts();
	const paths = p.map((x) => x.path);
	B.check(JSON.stringify(paths) === JSON.stringify(['/api/live/record', '/api/numbers/block', '/api/numbers/name']),
		`the posts reached the server with their token: ${JSON.stringify(paths)}`);
	B.check(p[0].fields.on === '1' && p[0].fields.call_id === 'fixture-200@example.invalid', 'record on for the call');
	B.check(p[2].fields.name === '<script>window.__pwned=9</script>' && p[2].fields.number === '+15550100009',
		'the rename sent the name as typed');
});

await B.step('Now: Listen Live plays the stream within 1 s', async () => {
	await B.tapAudio(page);
	const sel = '#live-calls li[data-number="+15550100001"]';
	const heard = await B.clickAndHear(page, `${sel} .act-listen`, 1000, 3000);
	B.log(`Listen Live: ${JSON.stringify(heard)}`);
	B.check(heard.data !== null && heard.data < 1000, `audio data ${Math.round(heard.data)} ms after Listen`);
	B.check(heard.tone !== null && heard.tone < 1000, `the 1 kHz tone heard ${Math.round(heard.tone)} ms after Listen (peak ${heard.peak} Hz)`);
	B.check((await page.textContent(`${sel} .act-listen`)) === 'Stop listening', 'the button now stops it');
	await page.click(`${sel} .act-listen`);
	B.check(await page.isHidden('#listen-state'), 'Stop listening stops it');
});

await B.step('Calls: search, paging and hostile rows', async () => {
	await B.openTab(page, 'calls');
	await page.waitForSelector('#calls-body tr');
	B.check(await page.locator('#calls-body tr').count() === 50, 'the first page has 50 calls');
	B.check(!(await page.isHidden('#calls-older')), '"Older calls" is offered');
	await page.click('#calls-older');
	await page.waitForFunction(() => document.querySelectorAll('#calls-body tr').length === 64);
	B.check(await page.isHidden('#calls-older'), 'no older page after the last');
	const t = await B.textOnly(page.locator('#calls-body tr[data-id="99"]'), '<script>window.__pwned=2</script>');
	B.check(t.hasText && t.elements === 0, 'a <script> name is text in the call log');
	B.check(await page.getAttribute('#calls-body tr[data-id="98"] a.recording-link', 'href') ===
		'/api/recordings/20261130-180000-alice.wav', 'a call links to its recording');
	B.check((await page.textContent('#calls-body tr[data-id="97"] .caller')) === 'Withheld number', 'a withheld caller is named so');
	await page.fill('#calls-form input[name=q]', 'Caller 1');
	await page.click('#calls-form button[type=submit]');
	await page.waitForFunction(() => document.querySelectorAll('#calls-body tr').length === 11);
	B.check(true, 'the search shows the 11 matching calls');
	await page.fill('#calls-form input[name=q]', '');
	await page.check('#calls-form input[name=blocked]');
	await page.waitForFunction(() => document.querySelectorAll('#calls-body tr').length === 1);
	B.check(await page.locator('#calls-body tr.state-blocked').count() === 1, '"Blocked only" asks for state=blocked');
	await page.uncheck('#calls-form input[name=blocked]');
	await page.waitForFunction(() => document.querySelectorAll('#calls-body tr').length === 50);
});

await B.step('Phonebook: hostile names, add, import preview', async () => {
	await B.openTab(page, 'phonebook');
	await page.waitForSelector('#book-body tr');
	const t = await B.textOnly(page.locator('#book-body'), '"\'><svg onload=window.__pwned=3>');
	B.check(t.hasText && t.elements === 0, 'a hostile phonebook name is text');
	await page.fill('#book-form input[name=number]', '+15550001111');
	await page.fill('#book-form input[name=name]', 'Dentist');
	await page.click('#book-save');
	await page.waitForSelector('#notice:not([hidden])');
	await page.setInputFiles('#import-form input[type=file]', {
		name: 'contacts.vcf', mimeType: 'text/vcard',
		buffer: Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nTEL:+15550002222\r\nEND:VCARD\r\n'),
	});
	await page.click('#import-form button[type=submit]');
	await page.waitForSelector('#import-plan .decision');
	const plan = await page.textContent('#import-plan');
	B.check(plan.includes('Preview: 2 to add') && plan.includes('<img src=x'), `the plan is shown as text: ${plan.slice(0, 80)}`);
	B.check(!(await page.isDisabled('#import-apply')), 'Import is offered after the preview');
	const last = (await posts()).slice(-2);
	B.check(last[0].path === '/api/phonebook' && last[0].fields.name === 'Dentist', 'the entry was posted');
	B.check(last[1].path === '/api/phonebook/import' && last[1].fields.multipart, 'the preview was a multipart post');
});

await B.step('Rules: line numbers, errors by line, nothing saved on error, test a call', async () => {
	await B.openTab(page, 'rules');
	await page.waitForFunction(() => document.getElementById('rules-text').value.includes('allow phonebook'));
	const lines = (await page.inputValue('#rules-text')).split('\n').length;
	B.check(await page.locator('#rules-gutter span').count() === lines, `the gutter numbers ${lines} lines`);
	await page.click('#rules-text');
	await page.keyboard.press('Control+End');
	await page.keyboard.type('\nbogus line');
	const bad = lines + 1;
	await page.click('#rules-save');
	await page.waitForSelector('#rules-errors li');
	B.check((await page.textContent('#rules-errors li')).startsWith(`Line ${bad}, column 1: unknown action`),
		`the error names line ${bad}: ${await page.textContent('#rules-errors li')}`);
	B.check(await page.locator(`#rules-gutter span:nth-child(${bad}).err`).count() === 1, 'the gutter marks the line');
	B.check((await page.textContent('#rules-result')).startsWith('Not saved'), 'the page says nothing was saved');
	await page.fill('#rules-test-form input[name=number]', '+15550100001');
	await page.click('#rules-test-form button[type=submit]');
	await page.waitForSelector('#rules-decision[data-action="block"]');
	const d = await B.textOnly(page.locator('#rules-decision'), '<script>window.__pwned=2</script>');
	B.check(d.hasText && d.elements === 0, `the decision is text: ${await page.textContent('#rules-decision')}`);
});

await B.step('Recordings and Status', async () => {
	await B.openTab(page, 'recordings');
	await page.waitForSelector('#rec-list li audio');
	const dur = await page.locator('#rec-list li audio').first().evaluate((a) => new Promise((res) => {
		if (a.readyState >= 1)
			res(a.duration);
		a.addEventListener('loadedmetadata', () => res(a.duration));
	}));
	B.check(Math.abs(dur - 2) < 0.01, `the audio element reports ${dur} s for the 2 s recording`);
	const usage = await page.textContent('#rec-usage-words');
	B.check(usage === '125 kB used of 500 MB (0 %)', `disk used against the budget: ${usage}`);
	const hostile = page.locator('#rec-list li[data-name="20261130-170000-hostile.wav"]');
	B.check(await hostile.locator('a.button').getAttribute('href') ===
		'/api/recordings/20261130-170000-hostile.wav?download=1', 'Download asks for the attachment');
	const del = hostile.locator('button.danger');
	await del.click();
	B.check(await del.textContent() === 'Really delete?', 'Delete asks again before it deletes');
	await del.click();
	await page.waitForFunction(() => /^Deleted /.test(document.getElementById('notice').textContent));
	const last = (await posts()).pop();
	B.check(last.path === '/api/recordings/delete' && last.fields.name === '20261130-170000-hostile.wav',
		`the second press deleted it: ${JSON.stringify(last)}`);
	await B.openTab(page, 'status');
	await page.waitForSelector('#status-counters .counter');
	B.check(await page.textContent('#status-counters [data-name="calls"] dd') === '64', 'the counters are shown');
});

await B.step('every tab fits a phone', async () => {
	B.noScriptRan(await B.tripwires(context, page), 'fixture pages');
	// At 390 px nothing may need sideways scrolling; a picture of each tab
	// (the lab test takes both widths of the real console).
	await page.setViewportSize(B.PHONE);
	for (const tab of B.TABS) {
		await B.openTab(page, tab);
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		B.check(w <= 390, `${tab} fits 390 px (scroll width ${w})`);
		await page.screenshot({ path: `${shots}/${tab}-phone.png` });
	}
	await page.setViewportSize(B.DESKTOP);
});

await B.step('logout ends the session', async () => {
	await page.click('#logout');
	await page.waitForURL((u) => u.pathname === '/login');
	const r = await page.evaluate(async () => (await fetch('/api/session')).status);
	B.check(r === 401, `the API answers ${r} after logout`);
});

await browser.close();
B.log(B.failed() ? `${B.failed()} checks FAILED` : 'PASS');
process.exit(B.failed() ? 1 : 0);
