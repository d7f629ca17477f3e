#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The NCID server as a client from NCID's published API sees it: the
connection startup with the call log that sipcidd --read wrote (254,
CIDLOG:/BLKLOG:/ENDLOG:, 250), 251/252/253, OPT:, 300; the lines of live
calls (CIDINFO:, CID:, BLK:, END:); the client commands (HELLO: IDENT,
HELLO: CMD: no_log/send_log, newline, REQ: YO, GOODBYE, unknown ones); and
[ncid] allow. TAP output.

usage: test_ncid_server.py NCID_SERVE SIPCIDD SIPCID_LOG CAPTURES_DIR"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

from ncid_harness import Server, Tap
from ncid_client import parse

SERVE, SIPCIDD, SIPCID_LOG, CAPS = sys.argv[1:5]
os.environ["TZ"] = "UTC"
t = Tap()
tmp = tempfile.mkdtemp(prefix="sipcid-ncid.")
servers = []


def serve(conf, name):
    s = Server(SERVE, conf, tmp, name)
    servers.append(s)
    return s


def read_capture_into(db, capture):
    conf = os.path.join(tmp, "read.conf")
    with open(conf, "w") as f:
        f.write("[log]\ndatabase = %s\n" % db)
    subprocess.run([SIPCIDD, "--no-notify", "--read", capture, "-c", conf, "--json"],
                   check=True, stdout=subprocess.DEVNULL)


def expected_nmbr(r):
    """NMBR for a call, from NCID's special values (docs/ncid.md)."""
    n = r["number"] or r["number_raw"]
    if n.lower() == "anonymous":
        return "ANONYMOUS"
    if n and r["presentation"] == "allowed":
        return n
    return {"restricted": "PRIVATE", "unavailable": "OUT-OF-AREA"}.get(r["presentation"],
                                                                     n or "NO-NUMBER")


def ncid_date(us):
    d = datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc)
    return d.strftime("%m%d%Y"), d.strftime("%H%M")


try:
    db = os.path.join(tmp, "calls.db")
    read_capture_into(db, os.path.join(CAPS, "sngrep_aaa.pcap"))
    read_capture_into(db, os.path.join(CAPS, "heplify_sip_ipv4_tcp.pcap"))
    rows = [json.loads(line) for line in subprocess.run(
        [SIPCID_LOG, "-d", db, "export", "--json"], check=True, capture_output=True,
        text=True).stdout.splitlines()]
    rows.sort(key=lambda r: r["time"])
    t.check("sipcidd --read filled the call log with 5 calls", len(rows) == 5, repr(rows))

    base = "[log]\ndatabase = %s\n[ncid]\nlisten = 127.0.0.1:0\n" % db
    s = serve(base, "main")
    a = s.client()
    start = a.start()
    t.check("200 names the server and its version",
            start[0].startswith("200 Server: sipcid "), start[0])
    t.check("210 says API 1.12 and the feature sets", start[1] == "210 API: 1.12 Feature Set 1 2",
            start[1])
    t.check("the log starts with 254", start[2] == "254 Start of call log", start[2])
    i250 = start.index("250 End of call log") if "250 End of call log" in start else -1
    t.check("and ends with 250, then OPT: country, then 300",
            i250 > 2 and start[i250 + 1:] == ["OPT: country: US", "300 End of connection startup"],
            repr(start))
    log = [parse(line) for line in start[3:i250]]
    calls = [(k, f) for k, f in log if k in ("CIDLOG", "BLKLOG", "HUPLOG")]
    ends = [(k, f) for k, f in log if k == "ENDLOG"]
    t.check("one CIDLOG:/BLKLOG: line per logged call, oldest first",
            [f.get("NMBR") for _, f in calls] == [expected_nmbr(r) for r in rows], repr(calls))
    t.check("every log line has DATE, TIME, LINE, NMBR, MESG and NAME",
            all({"DATE", "TIME", "LINE", "NMBR", "MESG", "NAME"} <= set(f) for _, f in calls))
    t.check("DATE mmddyyyy and TIME hhmm of each call (local time)",
            [(f["DATE"], f["TIME"]) for _, f in calls] ==
            [ncid_date(int(datetime.datetime.strptime(r["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
                           .replace(tzinfo=datetime.timezone.utc).timestamp() * 1e6))
             for r in rows], repr(calls))
    finished = [r for r in rows if r["state"] in ("missed", "ended") and r["action"] == "allow"]
    t.check("an ENDLOG: line per finished call", len(ends) == len(finished), repr(ends))
    t.check("the ended TCP call's ENDLOG: says BYE, CTYPE IN",
            any(f.get("NMBR") == "101" and f.get("HTYPE") == "BYE" and f.get("CTYPE") == "IN"
                for _, f in ends), repr(ends))
    blocked = [r for r in rows if r["action"] == "block"]
    t.check("blocked calls are BLKLOG: when dropped, HUPLOG: when rejected (busy, decline, gone)",
            [k for k, _ in calls if k in ("BLKLOG", "HUPLOG")] ==
            ["HUPLOG" if r.get("outcome") in ("busy", "decline", "gone") else "BLKLOG"
             for r in blocked], repr(calls))

    b = s.client(hello=("HELLO: IDENT: client nolog 1.0", "HELLO: CMD: no_log"))
    bs = b.start()
    t.check("HELLO: CMD: no_log gets 251 and no log lines",
            bs[2:] == ["251 Call log not sent", "OPT: country: US", "300 End of connection startup"],
            repr(bs))

    # Live calls reach every started client.
    s.cmd("call c1 +15551234567 JOHN*DOE")
    got = [a.calls(2), b.calls(2)]
    for who, lines in zip("ab", got):
        k0, f0 = parse(lines[0])
        k1, f1 = parse(lines[1])
        t.check("client %s: CIDINFO: RING 1 then CID: for a ringing call" % who,
                k0 == "CIDINFO" and f0.get("RING") == "1" and f0.get("LINE") == "VOIP" and
                len(f0.get("TIME", "")) == 8 and k1 == "CID", repr(lines))
        t.check("client %s: NMBR and NAME, '*' in the name as '_'" % who,
                f1.get("NMBR") == "+15551234567" and f1.get("NAME") == "JOHN_DOE", repr(lines))
    s.cmd("update c1 answered 3000")
    k, f = parse(a.calls(1)[0])
    t.check("answered: CIDINFO: RING 0 (ringing stopped)", k == "CIDINFO" and f.get("RING") == "0")
    b.calls(1)
    s.cmd("update c1 ended 3000 5000")
    lines = a.calls(2)
    k0, f0 = parse(lines[0])
    k1, f1 = parse(lines[1])
    t.check("ended: CIDINFO: RING -2 then END: HTYPE BYE, CTYPE IN",
            k0 == "CIDINFO" and f0.get("RING") == "-2" and k1 == "END" and
            f1.get("HTYPE") == "BYE" and f1.get("CTYPE") == "IN", repr(lines))
    sc = datetime.datetime.strptime(f1.get("SCALL", ""), "%m/%d/%Y %H:%M:%S")
    ec = datetime.datetime.strptime(f1.get("ECALL", ""), "%m/%d/%Y %H:%M:%S")
    t.check("SCALL to ECALL is ring plus talk time (8 s)", 7 <= (ec - sc).total_seconds() <= 9,
            repr(lines[1]))
    b.calls(2)
    s.cmd("block b1 +15550001111 SPAM")
    line = a.calls(1)[0]
    k, f = parse(line)
    t.check("a blocked call is one BLK: line", k == "BLK" and f.get("NMBR") == "+15550001111" and
            f.get("NAME") == "SPAM", line)
    b.calls(1)
    s.cmd("reject r1 +15550002222 SPAM")
    line = a.calls(1)[0]
    k, f = parse(line)
    t.check("a call rejected busy is one HUP: line", k == "HUP" and
            f.get("NMBR") == "+15550002222", line)
    b.calls(1)
    s.cmd("private p1")
    k, f = parse(a.calls(2)[1])
    t.check("a withheld number is NMBR PRIVATE, NAME PRIVATE",
            k == "CID" and f.get("NMBR") == "PRIVATE" and f.get("NAME") == "PRIVATE")
    b.calls(2)
    s.cmd("update p1 missed 4000")
    lines = a.calls(2)
    t.check("missed: CIDINFO: RING -1, END: HTYPE CANCEL",
            parse(lines[0])[1].get("RING") == "-1" and parse(lines[1])[1].get("HTYPE") == "CANCEL",
            repr(lines))
    b.calls(2)

    # Client commands.
    b.send("REQ: YO")
    t.check("REQ: YO is answered ACK: REQ YO", b.calls(1) == ["ACK: REQ YO"])
    b.send("")
    b.send("MSG: hello everyone")
    b.send("REQ: DIAL 5551234")
    b.send("HELLO: CMD: no_log")
    s.cmd("call c2 5557654321 NEXT CALLER")
    lines = b.calls(2)
    t.check("a newline, MSG:, REQ: DIAL and a late HELLO: get no answer and keep the client",
            parse(lines[0])[0] == "CIDINFO" and parse(lines[1])[1].get("NMBR") == "5557654321",
            repr(lines))
    a.calls(2)
    b.send("GOODBYE")
    t.check("GOODBYE: the server closes the connection", b.readline(5) is None)
    a.send("GOODBYE")
    a.close()
    t.check("the server is still running", s.alive())

    # 251, 252 and 253; send_log.
    nolog = serve(base + "log-calls = 0\n", "nolog")
    t.check("log-calls = 0: 251", "251 Call log not sent" in nolog.client().start())
    t.check("log-calls = 0 with HELLO: CMD: send_log: the log",
            "254 Start of call log" in nolog.client(hello=("HELLO: CMD: send_log",)).start())
    one = serve(base + "log-calls = 2\n", "one")
    st = one.client().start()
    t.check("log-calls = 2: the two newest calls",
            [parse(x)[1].get("NMBR") for x in st if x.startswith(("CIDLOG", "BLKLOG"))] ==
            [r["number"] for r in rows[-2:]], repr(st))
    empty_pcap = os.path.join(tmp, "empty.pcap")
    with open(empty_pcap, "wb") as f:
        f.write(bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000"))
    empty_db = os.path.join(tmp, "empty.db")
    read_capture_into(empty_db, empty_pcap)
    empty = serve("[log]\ndatabase = %s\n[ncid]\nlisten = 127.0.0.1:0\n" % empty_db, "empty")
    t.check("an empty call log: 252", "252 Call log empty" in empty.client().start())
    missing = serve("[log]\ndatabase = %s/nothing.db\n[ncid]\nlisten = 127.0.0.1:0\n" % tmp,
                    "missing")
    t.check("no call log file: 253", "253 No Call log" in missing.client().start())
    off = serve("[log]\nenabled = false\n[ncid]\nlisten = 127.0.0.1:0\n", "off")
    t.check("[log] enabled = false: 253", "253 No Call log" in off.client().start())
    gb = serve(base + "country = GB\nline = HOME\n", "gb")
    c = gb.client(hello=("HELLO: CMD: no_log",))
    st = c.start()
    gb.cmd("call g1 +442071234567 UK CALLER")
    k, f = parse(c.calls(2)[1])
    today = datetime.datetime.now(datetime.timezone.utc)
    t.check("country GB: OPT: country: GB, DATE ddmmyyyy, LINE HOME",
            "OPT: country: GB" in st and f.get("LINE") == "HOME" and
            f.get("DATE") in (today.strftime("%d%m%Y"),
                              (today - datetime.timedelta(seconds=5)).strftime("%d%m%Y")),
            repr((st, f)))

    # What a client sends reaches the log cleaned: no terminal escapes; CR as a space.
    c = s.client(hello=("HELLO: IDENT: \x1b[2Jevil\rclient 1.0",))
    c.start()
    c.send("\x1b]0;title\x07REQ: \x1b[31mred")
    c.send("GOODBYE")
    c.readline(5)
    logged = s.log_text()
    t.check("a client's IDENT and unknown lines are logged without control characters",
            "is [2Jevil client 1.0" in logged and "\x1b" not in logged and "\r" not in logged and
            "ignoring what sipcid does not offer: ]0;titleREQ: [31mred" in logged,
            logged[-1500:])

    # [ncid] allow: loopback is not in 10.0.0.0/8.
    fenced = serve(base + "allow = 10.0.0.0/8\n", "fenced")
    c = fenced.client(hello=())
    t.check("a client outside [ncid] allow is closed without a line", c.readline(5) is None)
    t.check("and the refusal is logged", "not in [ncid] allow" in fenced.log_text(),
            fenced.log_text())
    for srv in servers:
        status = srv.stop()
        t.check("ncid_serve %s quits cleanly" % os.path.basename(srv.conf), status == 0,
                "status %r: %s" % (status, srv.log_text()[-2000:]))
finally:
    for srv in servers:
        if srv.alive():
            srv.proc.kill()
            srv.proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(t.done())
