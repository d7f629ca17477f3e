#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The list server the refresh test fetches from, on 127.0.0.1 only.
#   list_server.py PORT_FILE LOG_FILE
# Paths: /ok (a list with ETag "v1" and Last-Modified; 304 when the request
# names that ETag), /error (500), /hang (reads the request, never answers),
# /garbage (an HTML page), /big (more than the test's max-size).
# Each request is logged as "PATH If-None-Match=... If-Modified-Since=...".
import http.server
import os
import sys
import threading
import time

port_file, log_file = sys.argv[1], sys.argv[2]
ETAG = '"v1"'
MODIFIED = 'Mon, 30 Nov 2026 12:00:00 GMT'
BODY = b'# spam\n+12125550100\n2125550101\n(212) 555-0102\n'
stop = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=b'', headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(log_file, 'a') as f:
            f.write('%s If-None-Match=%s If-Modified-Since=%s\n' % (
                self.path, self.headers.get('If-None-Match'),
                self.headers.get('If-Modified-Since')))
        if self.path == '/ok':
            if self.headers.get('If-None-Match') == ETAG:
                self.reply(304, headers=[('ETag', ETAG)])
            else:
                self.reply(200, BODY, [('ETag', ETAG), ('Last-Modified', MODIFIED)])
        elif self.path == '/error':
            self.reply(500, b'oops\n')
        elif self.path == '/hang':
            stop.wait(30)  # bounded: the test is long gone by then
        elif self.path == '/garbage':
            self.reply(200, b'<html>\n<body>\nNot here\n</body>\n</html>\n')
        elif self.path == '/big':
            self.reply(200, b'2125550100\n' * 20000)
        else:
            self.reply(404)


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
server.daemon_threads = True
with open(port_file + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + '.tmp', port_file)
deadline = time.monotonic() + 120  # never outlives a stuck test by much
server.timeout = 1
while time.monotonic() < deadline:
    server.handle_request()
stop.set()
