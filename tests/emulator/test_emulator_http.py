"""HTTP edge cases: bodies, lengths, methods and broken request lines.

Raw sockets and ``http.client`` here, because ``requests`` would tidy up
what these tests send on purpose. Every answer is JSON, even those that
``http.server`` makes itself.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from datetime import date

import pytest

from tt_notebook.emulator import DEMO_TOKEN, EmulatorServer, build_organisation

pytestmark = pytest.mark.integration

API = "/timetracker/api/latest/public"
HEADERS = {"x-everit-api-key": DEMO_TOKEN, "x-requested-by": "tests"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with EmulatorServer(org) as running:
        yield running


def ask(
    server: EmulatorServer,
    method: str,
    route: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, API + route, body=body, headers=headers or HEADERS)
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read()
    finally:
        connection.close()


def raw(server: EmulatorServer, data: bytes) -> bytes:
    """Send bytes as they are; return everything the server sends back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_over_ten_mebibytes_is_413_and_closes_the_connection(
    server: EmulatorServer,
) -> None:
    answer = raw(
        server,
        b"POST " + API.encode() + b"/report/details HTTP/1.1\r\n"
        b"Host: x\r\nx-everit-api-key: demo-token\r\nx-requested-by: t\r\n"
        b"Content-Length: 10485761\r\n\r\n{",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert json.loads(body) == {"message": "Request body too large."}


@pytest.mark.parametrize("length", [b"abc", b"-5"])
def test_a_bad_content_length_is_400(server: EmulatorServer, length: bytes) -> None:
    answer = raw(
        server,
        b"POST " + API.encode() + b"/report/details HTTP/1.1\r\n"
        b"Host: x\r\nContent-Length: " + length + b"\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert json.loads(body) == {"message": "Invalid Content-Length header."}


def test_a_chunked_body_is_read_whole(server: EmulatorServer) -> None:
    payload = b'{"startAt":0,"startDate":"2025-03-05","endDate":"2025-03-05"}'
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    status, _, body = ask(
        server,
        "POST",
        "/report/details",
        chunked,
        {**HEADERS, "Transfer-Encoding": "chunked"},
    )
    assert status == 200
    assert json.loads(body)["total"] == 88


def test_a_malformed_chunked_body_is_400(server: EmulatorServer) -> None:
    status, _, body = ask(
        server,
        "POST",
        "/report/details",
        b"zz\r\n{}\r\n0\r\n\r\n",
        {**HEADERS, "Transfer-Encoding": "chunked"},
    )
    assert (status, json.loads(body)) == (400, {"message": "Malformed chunked body."})


@pytest.mark.parametrize("method", ["QUERY", "TRACE", "PROPFIND"])
def test_any_other_method_on_a_known_path_is_405_with_allow(
    server: EmulatorServer, method: str
) -> None:
    status, headers, body = ask(server, method, "/tag")
    assert status == 405
    assert headers["Allow"] == "GET, POST"
    assert json.loads(body) == {
        "message": f"Method {method} is not allowed here; use GET, POST."
    }


def test_head_answers_the_head_without_a_body(server: EmulatorServer) -> None:
    status, headers, body = ask(server, "HEAD", "/tag")
    assert status == 405
    assert headers["Allow"] == "GET, POST"
    assert int(headers["Content-Length"]) > 0
    assert body == b""


def test_a_broken_request_line_gets_a_json_body(server: EmulatorServer) -> None:
    # No version could be read, so http.server answers as HTTP/0.9: a body
    # without a status line or headers.
    answer = raw(server, b"GARBAGE\r\n\r\n")
    assert json.loads(answer) == {"message": "Bad request syntax ('GARBAGE')"}


def test_a_header_line_too_long_gets_a_json_431(server: EmulatorServer) -> None:
    answer = raw(
        server, b"GET " + API.encode() + b"/tag HTTP/1.1\r\nX: " + b"a" * 70_000
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"Content-Type: application/json" in head
    assert json.loads(body) == {"message": "Line too long"}


@pytest.mark.parametrize(
    "raw_body",
    [b'{"startAt": NaN}', b'{"startAt": Infinity}', b"[" * 100_000, b"\xff\xfe"],
    ids=["nan", "infinity", "deeply-nested", "not-utf8"],
)
def test_what_is_not_strict_json_is_a_400_on_the_empty_path(
    server: EmulatorServer, raw_body: bytes
) -> None:
    status, _, body = ask(server, "POST", "/report/details", raw_body)
    assert status == 400
    assert json.loads(body) == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": "InvalidFormat", "paths": [[]]}],
    }
