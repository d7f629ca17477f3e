// SPDX-License-Identifier: GPL-2.0-or-later
// What the browser tests share: Debian's chromium driven by playwright-core,
// a page with tripwires for script that should never run (a global flag the
// hostile payloads set, Content-Security-Policy violations, dialogs, page
// errors), logging in, the tabs, and screenshots.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const TABS = ['now', 'calls', 'phonebook', 'rules', 'recordings', 'status'];
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

let failures = 0;
const started = Date.now();

export function log(...words) {
	const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
	console.log(`[${s}s]`, ...words);
}

export function check(ok, what) {
	if (ok) {
		log(`ok: ${what}`);
	} else {
		failures++;
		log(`FAIL: ${what}`);
	}
	return ok;
}

export function failed() {
	return failures;
}

// Runs one named step; an exception fails it and the run goes on, so one run
// shows every problem.
export async function step(name, fn) {
	log(`== ${name}`);
	try {
		await fn();
	} catch (e) {
		failures++;
		log(`FAIL: ${name}: ${e && e.stack ? e.stack : e}`);
	}
}

export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		// Root in a test namespace: chromium's own sandbox needs user namespaces.
		args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
	});
}

// A context whose pages carry the tripwires. Every page's record is in
// window.__trips; tripwires(page) reads it together with what playwright saw.
export async function newContext(browser, viewport) {
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
	await context.addInitScript(() => {
		window.__trips = { csp: [], pwned: [] };
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__trips.csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
		});
		// The hostile payloads set window.__pwned; record it if ever set.
		Object.defineProperty(window, '__pwned', {
			configurable: false,
			set(v) { window.__trips.pwned.push(String(v)); },
			get() { return undefined; },
		});
	});
	context.trips = { dialogs: [], errors: [], console: [] };
	context.on('page', (page) => watchPage(context, page));
	return context;
}

function watchPage(context, page) {
	page.on('dialog', (d) => {
		context.trips.dialogs.push(`${d.type()}: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	page.on('pageerror', (e) => context.trips.errors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error')
			context.trips.console.push(m.text());
	});
}

// Everything the tripwires caught so far, for a page of CONTEXT.
export async function tripwires(context, page) {
	const inPage = await page.evaluate(() => window.__trips);
	return { ...inPage, dialogs: context.trips.dialogs, errors: context.trips.errors };
}

export function noScriptRan(trips, where) {
	check(trips.pwned.length === 0, `${where}: no hostile payload ran (${JSON.stringify(trips.pwned)})`);
	check(trips.csp.length === 0, `${where}: no Content-Security-Policy violation (${JSON.stringify(trips.csp)})`);
	check(trips.dialogs.length === 0, `${where}: no dialog opened (${JSON.stringify(trips.dialogs)})`);
	check(trips.errors.length === 0, `${where}: no uncaught script error (${JSON.stringify(trips.errors)})`);
}

export async function login(page, base, password) {
	await page.goto(`${base}/login`);
	await page.fill('#password', password);
	const [r] = await Promise.all([
		page.waitForResponse((res) => res.url().endsWith('/login') && res.request().method() === 'POST'),
		page.click('#login-button'),
	]);
	return r.status();
}

export async function openTab(page, tab) {
	await page.click(`#tabs a[data-tab="${tab}"]`);
	await page.waitForSelector(`#tab-${tab}:not([hidden])`);
	await page.waitForFunction((t) => document.body.dataset.tab === t, tab);
}

// Screenshots of every tab at phone and desktop widths, into DIR; the
// caller picks which tabs are worth a picture.
export async function screenshots(page, dir, prefix, settle) {
	fs.mkdirSync(dir, { recursive: true });
	const saved = [];
	for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		await page.setViewportSize(viewport);
		for (const tab of TABS) {
			await openTab(page, tab);
			if (settle)
				await settle(tab);
			const file = path.join(dir, `${prefix}${tab}-${label}.png`);
			await page.screenshot({ path: file, fullPage: false });
			saved.push(file);
		}
	}
	await page.setViewportSize(DESKTOP);
	return saved;
}

// Nothing a hostile name could become: the node with the text has no
// element children that came from it.
export async function textOnly(locator, text) {
	return locator.evaluate((node, t) => ({
		hasText: node.textContent.includes(t),
		elements: node.querySelectorAll('img, script, svg, iframe, object, b, [onerror], [onload]').length,
	}), text);
}

// What reaches the speakers: every node a page connects to an
// AudioContext's destination is also connected to an analyser of ours.
export async function tapAudio(page) {
	await page.evaluate(() => {
		if (window.__tap)
			return;
		window.__tap = [];
		const connect = AudioNode.prototype.connect;
		AudioNode.prototype.connect = function (dest, ...rest) {
			if (dest instanceof AudioDestinationNode) {
				let an = window.__tap.find((a) => a.context === dest.context);
				if (!an) {
					an = dest.context.createAnalyser();
					an.fftSize = 2048;
					window.__tap.push(an);
				}
				connect.call(this, an);
			}
			return connect.call(this, dest, ...rest);
		};
	});
}

// Clicks BUTTON (a selector) and listens at the speakers for up to MS: when
// the page had audio data (#listen-state's data-bytes above 0) and when a
// tone of HZ (±50) was heard, in ms after the click, and the loudest
// frequency last heard.
export async function clickAndHear(page, button, hz, ms) {
	return page.evaluate(async ({ button, hz, ms }) => {
		const t0 = performance.now();
		document.querySelector(button).click();
		let data = null, tone = null, peak = null;
		while (performance.now() - t0 < ms && tone === null) {
			await new Promise((r) => setTimeout(r, 10));
			const state = document.getElementById('listen-state');
			if (data === null && Number(state.dataset.bytes) > 0)
				data = performance.now() - t0;
			for (const an of window.__tap) {
				const buf = new Float32Array(an.frequencyBinCount);
				an.getFloatFrequencyData(buf);
				let best = 1;
				for (let k = 2; k < buf.length; k++)
					if (buf[k] > buf[best])
						best = k;
				if (buf[best] < -60)
					continue;
				peak = (best * an.context.sampleRate) / an.fftSize;
				if (Math.abs(peak - hz) < 50)
					tone = performance.now() - t0;
			}
		}
		return { data, tone, peak };
	}, { button, hz, ms });
}
