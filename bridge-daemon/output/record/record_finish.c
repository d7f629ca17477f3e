/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From captured RTP to a WAV file (or a kept pcap). */
#include "record_finish.h"

#include "g711.h"
#include "rtp.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { RATE = 8000, CHUNK = 4096 };
/* A jump between RTP time and arrival time beyond this is a new timeline
 * (a sender restarted its clock or is lying), aligned again by arrival. */
#define MAX_SKEW_SAMPLES ((int64_t)5 * RATE)

G_DEFINE_QUARK(sipcid-record-error-quark, sipcid_record_error)
#define RECORD_ERROR (sipcid_record_error_quark())

static void set_io_error(GError **error, const char *what, const char *path, int err)
{
	g_set_error(error, RECORD_ERROR, err, "cannot %s %s: %s%s", what, path, g_strerror(err),
	            err == ENOSPC ? " (the disk is full)" : "");
}

bool sipcid_record_place(const char *tmp, const char *dir, const char *name, const char *ext,
                         char **path, GError **error)
{
	for (int i = 1; i < 1000; i++) {
		g_autofree char *file = i == 1 ? g_strdup_printf("%s.%s", name, ext)
		                               : g_strdup_printf("%s-%d.%s", name, i, ext);
		char *full = g_build_filename(dir, file, NULL);
		int rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, full, RENAME_NOREPLACE);
		if (rc != 0 && errno == EINVAL) { /* a file system without it */
			rc = g_file_test(full, G_FILE_TEST_EXISTS) ? (errno = EEXIST, -1)
			                                           : rename(tmp, full);
		}
		if (rc == 0) {
			*path = full;
			return true;
		}
		int err = errno;
		g_free(full);
		if (err != EEXIST) {
			set_io_error(error, "save the recording in", dir, err);
			return false;
		}
	}
	g_set_error(error, RECORD_ERROR, EEXIST, "cannot save the recording %s: too many files with "
	            "that name in %s", name, dir);
	return false;
}

struct timeline {
	bool started;
	uint32_t ssrc, base_ts;
	int64_t base_pos;
};

struct convert {
	const struct sipcid_record_job *job;
	int fd[2];
	struct timeline tl[2];
	int64_t end[2];      /* samples written per channel */
	int err;
};

static bool same_endpoint(const struct sipcid_endpoint *a, const struct sipcid_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static void place_packet(struct convert *cv, int ch, int64_t arrival_us, const struct sipcid_rtp *r)
{
	enum sipcid_codec codec = sipcid_sdp_codec(&cv->job->sdp[ch], r->payload_type);
	if (codec != SIPCID_CODEC_PCMU && codec != SIPCID_CODEC_PCMA)
		return; /* DTMF events, comfort noise: silence */
	int64_t arrival_pos = (arrival_us - cv->job->start_us) * RATE / G_USEC_PER_SEC;
	struct timeline *tl = &cv->tl[ch];
	int64_t pos = tl->base_pos + (int32_t)(r->timestamp - tl->base_ts);
	if (!tl->started || r->ssrc != tl->ssrc || pos - arrival_pos > MAX_SKEW_SAMPLES ||
	    arrival_pos - pos > MAX_SKEW_SAMPLES) {
		tl->started = true;
		tl->ssrc = r->ssrc;
		tl->base_ts = r->timestamp;
		tl->base_pos = arrival_pos;
		pos = arrival_pos;
	}
	size_t n = r->payload_len;
	if (pos < 0 || n == 0 || pos + (int64_t)n > cv->job->max_samples)
		return;
	int16_t pcm[2048];
	if (n > G_N_ELEMENTS(pcm))
		n = G_N_ELEMENTS(pcm);
	sipcid_g711_decode(r->payload, n, pcm, codec == SIPCID_CODEC_PCMA);
	for (size_t i = 0; i < n; i++)
		pcm[i] = GINT16_TO_LE(pcm[i]);
	/* Gaps are holes in the file: they read back as zeros, i.e. silence. */
	ssize_t w = pwrite(cv->fd[ch], pcm, n * 2, (off_t)pos * 2);
	if (w != (ssize_t)(n * 2)) {
		if (!cv->err)
			cv->err = w < 0 ? errno : ENOSPC;
		return;
	}
	if (pos + (int64_t)n > cv->end[ch])
		cv->end[ch] = pos + (int64_t)n;
}

static bool read_capture(struct convert *cv, GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(cv->job->capture, errbuf);
	if (!p) {
		g_set_error(error, RECORD_ERROR, 0, "cannot read the call's RTP %s: %s",
		            cv->job->capture, errbuf);
		return false;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pcap_next_ex(p, &h, &data) == 1 && !cv->err) {
		struct sipcid_packet pkt;
		struct sipcid_rtp r;
		if (!sipcid_packet_parse_ip(data, h->caplen, &pkt) ||
		    pkt.transport != SIPCID_TRANSPORT_UDP ||
		    !sipcid_rtp_parse(pkt.payload, pkt.payload_len, &r))
			continue;
		int64_t t = (int64_t)h->ts.tv_sec * G_USEC_PER_SEC + h->ts.tv_usec;
		for (int ch = 0; ch < 2; ch++)
			if (cv->job->known[ch] && same_endpoint(&pkt.dst, &cv->job->to[ch]))
				place_packet(cv, ch, t, &r);
	}
	pcap_close(p);
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static bool write_all(int fd, const void *buf, size_t n, int *err)
{
	const uint8_t *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*err = w < 0 ? errno : ENOSPC;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Interleaves the two channel files into a 16-bit stereo WAV on fd. */
static bool write_wav(struct convert *cv, int fd, int *err)
{
	int64_t frames = MAX(cv->end[0], cv->end[1]);
	uint32_t data_bytes = (uint32_t)(frames * 4);
	uint8_t h[44];
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + data_bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	h[20] = 1; h[21] = 0;           /* PCM */
	h[22] = 2; h[23] = 0;           /* channels */
	put32(h + 24, RATE);
	put32(h + 28, RATE * 4);        /* bytes per second */
	h[32] = 4; h[33] = 0;           /* bytes per frame */
	h[34] = 16; h[35] = 0;          /* bits per sample */
	memcpy(h + 36, "data", 4);
	put32(h + 40, data_bytes);
	if (!write_all(fd, h, sizeof h, err))
		return false;
	static int16_t in[2][CHUNK];
	static int16_t out[CHUNK * 2];
	for (int64_t at = 0; at < frames; at += CHUNK) {
		size_t n = (size_t)MIN((int64_t)CHUNK, frames - at);
		for (int ch = 0; ch < 2; ch++) {
			memset(in[ch], 0, n * 2);
			ssize_t r = pread(cv->fd[ch], in[ch], n * 2, (off_t)at * 2);
			if (r < 0) {
				*err = errno;
				return false;
			}
		}
		for (size_t i = 0; i < n; i++) {
			out[2 * i] = in[0][i];
			out[2 * i + 1] = in[1][i];
		}
		if (!write_all(fd, out, n * 4, err))
			return false;
	}
	return true;
}

static int temp_in(const char *dir, const char *pattern, char **path, int *err)
{
	*path = g_build_filename(dir, pattern, NULL);
	int fd = g_mkstemp_full(*path, O_RDWR | O_CLOEXEC, 0640);
	if (fd < 0)
		*err = errno;
	return fd;
}

static bool make_wav(const struct sipcid_record_job *job, char **path, GError **error)
{
	/* Only one conversion runs at a time (one worker thread), so the static
	 * buffers in write_wav are not shared. */
	struct convert cv = { .job = job, .fd = { -1, -1 } };
	bool ok = false;
	int err = 0;
	char *tmp[2] = { NULL, NULL }, *wav_tmp = NULL;
	int wav_fd = -1;
	for (int ch = 0; ch < 2; ch++) {
		cv.fd[ch] = temp_in(job->directory, ".sipcid-channel-XXXXXX", &tmp[ch], &err);
		if (cv.fd[ch] < 0)
			goto io_fail;
		unlink(tmp[ch]); /* anonymous from now on: gone when closed, even after a crash */
	}
	if (!read_capture(&cv, error))
		goto out;
	if (cv.err) {
		err = cv.err;
		goto io_fail;
	}
	wav_fd = temp_in(job->directory, ".sipcid-wav-XXXXXX", &wav_tmp, &err);
	if (wav_fd < 0)
		goto io_fail;
	if (!write_wav(&cv, wav_fd, &err) || fsync(wav_fd) != 0 || close(wav_fd) != 0) {
		if (!err)
			err = errno;
		wav_fd = -1;
		goto io_fail;
	}
	wav_fd = -1;
	ok = sipcid_record_place(wav_tmp, job->directory, job->name, "wav", path, error);
	goto out;
io_fail:
	set_io_error(error, "write the recording of this call in", job->directory, err);
out:
	if (wav_fd >= 0)
		close(wav_fd);
	if (!ok && wav_tmp)
		unlink(wav_tmp);
	for (int ch = 0; ch < 2; ch++) {
		if (cv.fd[ch] >= 0)
			close(cv.fd[ch]);
		g_free(tmp[ch]);
	}
	g_free(wav_tmp);
	return ok;
}

bool sipcid_record_finish(const struct sipcid_record_job *job, char **path, GError **error)
{
	bool ok;
	if (job->keep_pcap)
		return sipcid_record_place(job->capture, job->directory, job->name, "pcap", path, error);
	ok = make_wav(job, path, error);
	unlink(job->capture);
	return ok;
}
