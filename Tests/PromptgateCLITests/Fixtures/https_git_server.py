#!/usr/bin/env python3
"""A smart-HTTP git server over TLS, for tests: git http-backend run as CGI behind Python's
http.server, on 127.0.0.1.

Usage: https_git_server.py ROOT CERTIFICATE KEY READY_FILE [AUTHORIZATION]

With CERTIFICATE "-" it serves plain http. With REDIRECT_TO set in its environment (a base URL),
it answers every request with a 302 to that base plus the request's path and query instead.

Serves the repositories under ROOT (GIT_PROJECT_ROOT, every one exported) at
https://localhost:PORT/<name>, fetch and push, with no authentication, or only to requests whose
Authorization header is AUTHORIZATION when it is given (the others get 401). PORT is one the system
picks; once the server listens it is written to READY_FILE, which appears whole (written aside,
then renamed). Requests and git's own messages go to stderr.
"""

import http.server
import os
import ssl
import subprocess
import sys
import urllib.parse

HTTP_BACKEND = "/usr/lib/git-core/git-http-backend"


class GitHandler(http.server.BaseHTTPRequestHandler):
    # Keep-alive, as git and libgit2 expect: every response says its Content-Length.
    protocol_version = "HTTP/1.1"

    def setup(self):
        # The TLS handshake here, in the request's thread: a client that gives up halfway (one
        # that does not trust the certificate) must not hold up the server.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def do_GET(self):
        redirect = os.environ.get("REDIRECT_TO")
        if redirect:
            self.send_response(302)
            self.send_header("Location", redirect + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.authorized():
            self.run_backend(b"")

    def do_POST(self):
        body = self.read_body()
        if self.authorized():
            self.run_backend(body)

    def authorized(self):
        """True, or a 401 sent, when the server wants an Authorization header this one lacks."""
        if self.server.authorization is None:
            return True
        if "Authorization" in self.headers:
            sys.stderr.write("received an Authorization header\n")
        if self.headers.get("Authorization") == self.server.authorization:
            return True
        content = b"authorization required\n"
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="promptgate tests"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        return False

    def read_body(self):
        """The request body, whole: by Content-Length, or chunked (libgit2 pushes that way)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    # Trailers, if any, end with an empty line.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()  # the CRLF after each chunk
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def run_backend(self, body):
        path, _, query = self.path.partition("?")
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            # http-backend allows push (receive-pack) to an authenticated user only.
            "REMOTE_USER": "tester",
            "REMOTE_ADDR": self.client_address[0],
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": "promptgate-tests",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.parse.unquote(path),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING"):
                environment[key] = value
        result = subprocess.run(
            [HTTP_BACKEND], input=body, stdout=subprocess.PIPE, env=environment, check=False
        )
        head, separator, content = result.stdout.partition(b"\r\n\r\n")
        if not separator:
            head, separator, content = result.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        if result.returncode != 0 and not separator:
            status, headers, content = 500, [("Content-Type", "text/plain")], b"http-backend failed\n"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format, *args):
        sys.stderr.write(format % args + "\n")
        sys.stderr.flush()


def main():
    root, certificate, key, ready = sys.argv[1:5]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GitHandler)
    server.root = root
    server.authorization = sys.argv[5] if len(sys.argv) > 5 else None
    if certificate != "-":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    with open(ready + ".part", "w") as file:
        file.write(str(server.server_address[1]))
    os.rename(ready + ".part", ready)
    server.serve_forever()


if __name__ == "__main__":
    main()
