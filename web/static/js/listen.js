// SPDX-License-Identifier: GPL-2.0-or-later
// Listen Live: /api/live/listen streams a WAV (8000 Hz, 16-bit, stereo: the
// caller left, the household right) for as long as the call lasts. An
// <audio> element would wait for seconds of it before it plays (Chromium
// probes a stream of unknown length that long), so the page reads the stream
// itself and schedules each piece with WebAudio a moment ahead: what is heard
// stays within a second of the call.
import { ApiError } from './api.js';

// How far ahead of the clock a piece is scheduled, and how far behind the
// call the playout may fall before it skips ahead.
const LEAD_S = 0.15;
const MAX_BEHIND_S = 0.8;
const HEADER = 44;

function wavFormat(h) {
	const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
	const tag = (o) => String.fromCharCode(h[o], h[o + 1], h[o + 2], h[o + 3]);
	if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ' || tag(36) !== 'data')
		throw new Error('the box did not send a WAV stream');
	const format = { channels: v.getUint16(22, true), rate: v.getUint32(24, true), bits: v.getUint16(34, true) };
	if (v.getUint16(20, true) !== 1 || format.bits !== 16 || format.channels < 1 || format.channels > 2 ||
	    format.rate < 3000 || format.rate > 96000)
		throw new Error('the box sent audio this page cannot play');
	return format;
}

// One AudioContext for the page, made at the first press of anything: a
// browser's first one takes a few hundred ms to start its audio service, which
// would otherwise delay the first Listen. Made in a user's gesture, it may play.
let shared = null;
function audioContext() {
	if (!shared)
		shared = new AudioContext();
	return shared;
}
export function warmUpOnFirstGesture() {
	const warm = () => {
		audioContext();
		document.removeEventListener('pointerdown', warm, true);
		document.removeEventListener('keydown', warm, true);
	};
	document.addEventListener('pointerdown', warm, true);
	document.addEventListener('keydown', warm, true);
}

// Starts listening to CALL_ID; ON_STATE({bytes, seconds}) is told as audio
// arrives, ON_END(error or null) once when it stops. Returns stop().
export function listenLive(callId, onState, onEnd) {
	const abort = new AbortController();
	// The request first, should the AudioContext still have to start.
	const answer = fetch(`/api/live/listen?call_id=${encodeURIComponent(callId)}`, {
		credentials: 'same-origin', signal: abort.signal,
	});
	const ac = audioContext();
	ac.resume().catch(() => {});
	const playing = new Set();
	let ended = false;
	const end = (error) => {
		if (ended)
			return;
		ended = true;
		abort.abort();
		for (const src of playing)
			src.stop();
		onEnd(error);
	};

	(async () => {
		const r = await answer;
		if (!r.ok) {
			let words = `The box answered ${r.status}.`;
			try {
				words = (await r.json()).error || words;
			} catch (_) { /* not JSON */ }
			throw new ApiError(r.status, words, null);
		}
		const reader = r.body.getReader();
		let pending = new Uint8Array(0);
		let format = null, next = 0, bytes = 0;
		for (;;) {
			const { value, done } = await reader.read();
			if (done)
				break;
			const joined = new Uint8Array(pending.length + value.length);
			joined.set(pending);
			joined.set(value, pending.length);
			let data = joined;
			if (!format) {
				if (joined.length < HEADER) {
					pending = joined;
					continue;
				}
				format = wavFormat(joined.subarray(0, HEADER));
				data = joined.subarray(HEADER);
			}
			const frameBytes = 2 * format.channels;
			const frames = Math.floor(data.length / frameBytes);
			pending = data.slice(frames * frameBytes);
			if (!frames)
				continue;
			bytes += frames * frameBytes;
			const buf = ac.createBuffer(format.channels, frames, format.rate);
			const pcm = new DataView(data.buffer, data.byteOffset, frames * frameBytes);
			for (let c = 0; c < format.channels; c++) {
				const out = buf.getChannelData(c);
				for (let i = 0; i < frames; i++)
					out[i] = pcm.getInt16((i * format.channels + c) * 2, true) / 32768;
			}
			const now = ac.currentTime;
			if (next < now + LEAD_S / 2 || next > now + MAX_BEHIND_S)
				next = now + LEAD_S;
			const src = ac.createBufferSource();
			src.buffer = buf;
			src.connect(ac.destination);
			src.addEventListener('ended', () => playing.delete(src));
			playing.add(src);
			src.start(next);
			next += buf.duration;
			onState({ bytes, seconds: bytes / frameBytes / format.rate });
		}
	})().then(() => end(null), (e) => end(e.name === 'AbortError' ? null : e));

	return () => end(null);
}
