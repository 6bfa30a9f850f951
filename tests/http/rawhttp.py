"""Raw HTTP/1.1 exchanges with `wrun serve` for tests/http/suite-serve.sh: the requests curl
will not send (malformed bytes, request trailers, pipelining, pauses inside a body).
The suite's python snippets import it (PYTHONPATH=tests/http)."""
import socket


def connect(port, timeout=20):
    """A connection to 127.0.0.1:port."""
    return socket.create_connection(("127.0.0.1", int(port)), timeout=timeout)


def read_all(s):
    """Everything the server sends until it closes the connection."""
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            return data
        data += d


def exchange(port, req):
    """Send the bytes `req` on a new connection; the whole response."""
    s = connect(port)
    s.sendall(req)
    return read_all(s)
