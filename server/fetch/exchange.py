"""One HTTP exchange for the fetcher: a single request, its capped body, its failures in words."""

from __future__ import annotations

import errno

import aiohttp
from aiohttp.http_exceptions import LineTooLong
from yarl import URL

from scrapers.base import FetchResponse
from server.errors import FetchError, FetchTimeout, TooLarge
from server.fetch.resolver import HostRefused
from server.settings import FetchSettings

__all__ = ["REDIRECT_STATUSES", "describe", "exchange", "via"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Encodings aiohttp decodes for us; the body we keep is decoded, so these headers would lie about it.
_DECODED_ENCODINGS = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd"})


async def exchange(
    session: aiohttp.ClientSession,
    url: URL,
    headers: dict[str, str],
    settings: FetchSettings,
    *,
    start: str,
    limit: int,
    truncate: bool = False,
) -> tuple[FetchResponse, str | None]:
    """GET `url` once (no redirects followed): the response, and its Location if it is a redirect.

    `start` is the URL the caller asked for, named in every error; the body is cut at `limit` bytes
    when `truncate`, else refused with TooLarge."""
    s = settings
    try:
        async with session.get(url, headers=headers, allow_redirects=False) as resp:
            location = resp.headers.get("Location") if resp.status in REDIRECT_STATUSES else None
            body = (
                b"" if location else await _read_body(resp, url, start=start, limit=limit, truncate=truncate)
            )
            return _response(url, resp, body), location
    except HostRefused as exc:  # from the resolver, which knows the host but not the URL
        raise HostRefused(
            f"refused {start}: {via(start, url)}{exc.reason}", url=start, host=exc.host, reason=exc.reason
        ) from None
    except aiohttp.ConnectionTimeoutError:
        raise FetchTimeout(f"{url}: could not connect within {s.connect_timeout_s:g} s", url=start) from None
    except aiohttp.SocketTimeoutError:
        raise FetchTimeout(
            f"{url}: the server sent nothing for {s.first_byte_timeout_s:g} s", url=start
        ) from None
    except aiohttp.ClientConnectorDNSError:
        raise FetchError(f"{url}: could not find the address of {url.host}", url=start) from None
    except aiohttp.ClientResponseError as exc:
        if _headers_too_large(exc):
            raise TooLarge(
                f"{url}: the response headers are larger than {s.max_header_bytes} bytes", url=start
            ) from None
        raise FetchError(f"{url}: the answer was not valid HTTP ({exc.message})", url=start) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise FetchError(f"{url}: {describe(exc)}", url=start) from None
    except ValueError as exc:  # a header value aiohttp will not send, a URL it will not build
        raise FetchError(f"{url}: the request could not be made ({exc})", url=start) from None


def via(start: str, url: URL) -> str:
    """How a refusal names a redirect hop: nothing for the first request."""
    return "" if str(url) == start else f"it redirects to {url}, and "


async def _read_body(
    resp: aiohttp.ClientResponse, url: URL, *, start: str, limit: int, truncate: bool
) -> bytes:
    """The (decompressed) body, refused as soon as it grows past `limit` bytes (or cut there)."""
    declared = resp.content_length
    encoded = bool(resp.headers.get("Content-Encoding"))
    if declared is not None and declared > limit and not encoded and not truncate:
        raise TooLarge(f"{url}: the body is {declared} bytes, more than the {limit} allowed", url=start)
    chunks: list[bytes] = []
    size = 0
    # Counted after decompression, chunk by chunk: a small gzip bomb stops here long before it inflates.
    async for chunk in resp.content.iter_any():
        size += len(chunk)
        if size > limit:
            if truncate:
                chunks.append(chunk[: len(chunk) - (size - limit)])
                break
            raise TooLarge(f"{url}: the body is larger than the {limit} bytes allowed", url=start)
        chunks.append(chunk)
    return b"".join(chunks)


def _response(url: URL, resp: aiohttp.ClientResponse, body: bytes) -> FetchResponse:
    headers: dict[str, str] = {}
    for name, value in resp.headers.items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if headers.get("content-encoding", "").lower() in _DECODED_ENCODINGS:
        headers.pop("content-encoding")
        headers.pop("content-length", None)
    return FetchResponse(url=str(url), status=resp.status, headers=headers, body=body)


def _headers_too_large(exc: aiohttp.ClientResponseError) -> bool:
    # The C parser raises a plain HttpProcessingError for this, the pure-Python one LineTooLong.
    if isinstance(exc.__cause__, LineTooLong):
        return True
    text = str(exc.message).lower()
    return any(words in text for words in ("got more than", "too long", "too many headers"))


def describe(exc: BaseException) -> str:
    """A failed exchange in words a user can read."""
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    if isinstance(exc, ConnectionResetError) or getattr(exc, "errno", None) == errno.ECONNRESET:
        return "the server reset the connection"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"could not connect ({exc.os_error.strerror or exc.os_error})"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the body was cut off or malformed"
    return str(exc) or type(exc).__name__
