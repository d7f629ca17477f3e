#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Does one channel of a recording carry a known tone sequence?

  audio_match.py SOURCE.wav RECORDING.wav CHANNEL [MAX_LAG_S]

SOURCE is mono, RECORDING any channel count, both 16-bit PCM at the same
rate. Each 50 ms frame of both is labelled by its content: silence, or the
stronger of the two test tones (440 Hz, 1000 Hz, measured with the Goertzel
algorithm). The recording is slid against the source (lags -MAX_LAG_S..MAX_LAG_S, default 3) and
the best lag's agreement is printed:

  score=0.97 lag_s=0.350 frames=150 tone_frames=100 level_db=-9.1

score is the fraction of compared frames with the same label, counted only
where the source frame is well inside one segment (not on a boundary)."""
import math
import struct
import sys
import wave

FRAME_S = 0.05
TONES = (440.0, 1000.0)


def read(path, channel):
    w = wave.open(path, "rb")
    if w.getsampwidth() != 2:
        sys.exit("%s: expected 16-bit PCM" % path)
    n, ch, rate = w.getnframes(), w.getnchannels(), w.getframerate()
    raw = w.readframes(n)
    samples = struct.unpack("<%dh" % (n * ch), raw)
    return rate, list(samples[channel::ch])


def goertzel(frame, rate, freq):
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in frame:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def labels(samples, rate):
    size = int(rate * FRAME_S)
    out, levels = [], []
    for at in range(0, len(samples) - size + 1, size):
        frame = samples[at:at + size]
        rms = math.sqrt(sum(x * x for x in frame) / size)
        levels.append(rms)
        if rms < 300:  # about -40 dBFS: silence (G.711 rounding noise is far below)
            out.append("S")
            continue
        powers = [goertzel(frame, rate, f) for f in TONES]
        out.append("A" if powers[0] > powers[1] else "B")
    return out, levels


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src_rate, src = read(sys.argv[1], 0)
    rec_rate, rec = read(sys.argv[2], int(sys.argv[3]))
    max_lag = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    if src_rate != rec_rate:
        sys.exit("rates differ: %d and %d" % (src_rate, rec_rate))
    src_l, _ = labels(src, src_rate)
    rec_l, levels = labels(rec, rec_rate)
    # Frames in the middle of a segment: the same label on both sides.
    inner = [0 < i < len(src_l) - 1 and src_l[i - 1] == src_l[i] == src_l[i + 1]
             for i in range(len(src_l))]
    best = (0.0, 0, 0, 0)
    steps = int(max_lag / FRAME_S)
    for lag in range(-steps, steps + 1):
        same = total = tones = 0
        for i, lab in enumerate(rec_l):
            j = i - lag
            if j < 0 or j >= len(src_l) or not inner[j]:
                continue
            total += 1
            tones += src_l[j] != "S"
            same += lab == src_l[j]
        if total and (same / total, total) > (best[0], best[2]):
            best = (same / total, lag, total, tones)
    loud = [x for x in levels if x > 0]
    level = 20 * math.log10(max(loud) / 32768) if loud else float("-inf")
    print("score=%.3f lag_s=%.3f frames=%d tone_frames=%d level_db=%.1f"
          % (best[0], best[1] * FRAME_S, best[2], best[3], level))


if __name__ == "__main__":  # control_peer.py imports goertzel
    main()
