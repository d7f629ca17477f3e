"""Starting tests/ncid/ncid_serve (the NCID server on loopback) for a test,
talking to it, and stopping it. Every wait is bounded."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ncid_client  # noqa: E402


class Server:
    def __init__(self, serve, conf_text, tmp, name="serve"):
        self.conf = os.path.join(tmp, name + ".conf")
        with open(self.conf, "w") as f:
            f.write(conf_text)
        self.log = open(os.path.join(tmp, name + ".log"), "w+")
        self.proc = subprocess.Popen([serve, self.conf], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        first = self.proc.stdout.readline().split()
        if len(first) != 2 or first[0] != "port":
            raise RuntimeError("ncid_serve did not start: %r" % first)
        self.port = int(first[1])

    def cmd(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def client(self, hello=("HELLO: IDENT: client test 1.0",), **kw):
        return ncid_client.Client("127.0.0.1", self.port, hello, **kw)

    def alive(self):
        return self.proc.poll() is None

    def log_text(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """Quits it; returns its exit status (None if it had to be killed)."""
        if self.proc.poll() is None:
            try:
                self.cmd("quit")
                return self.proc.wait(10)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(10)
                return None
        return self.proc.returncode


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, what, ok, detail=""):
        self.n += 1
        if ok:
            print("ok %d - %s" % (self.n, what))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, what))
            for line in str(detail).splitlines():
                print("# " + line)
        sys.stdout.flush()
        return ok

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0
