"""The HTTP client Steady talks to the Bot API with: aiohttp behind PTB's BaseRequest.

PTB's default (httpx) spends about 1 ms of CPU per call on this kind of machine, aiohttp about
0.4 ms (measured with bench/checkins.py's set-up). Steady sends two messages per reveal and up to
the paid-broadcast rate, so the client is on the hot path. PTB still does everything above the
wire: parameters, JSON, and turning status codes into RetryAfter, Forbidden, BadRequest...

Two choices keep a request cheap: bodies go as JSON (the Bot API takes it; url-encoding every
field cost more), and a proxy from the environment is looked up once per host, where aiohttp's
`trust_env` would read the environment and ~/.netrc in a worker thread on every request.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

# How every message Steady sends is read: HTML (user text is escaped), no link previews.
# The application's Defaults apply it to handler replies; the delivery loop to outbox sends.
MESSAGE_DEFAULTS = {"parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}

READ_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0


def _value(given: object, default: float | None) -> float | None:
    return default if isinstance(given, DefaultValue) else given  # type: ignore[return-value]


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded connection pool; proxies from the environment."""

    def __init__(self, pool_size: int = 64, read_timeout: float | None = READ_TIMEOUT) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"Content-Type": "application/json"},
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = _value(read_timeout, self._read_timeout)
        connect = _value(connect_timeout, CONNECT_TIMEOUT)
        pool = _value(pool_timeout, POOL_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` covers waiting for a pooled connection too.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            # aiohttp has no write timeout; Steady's requests are small form posts.
            sock_read=read,
        )
        data: bytes | aiohttp.Payload | None = None
        headers: dict[str, str] | None = None
        if request_data is not None and request_data.contains_files:
            # A picture or document: multipart/form-data, as Telegram takes uploads. The
            # session's JSON content type is replaced by the form's (it carries the boundary).
            data = _form(request_data)
            headers = {"Content-Type": data.content_type}
        elif request_data is not None:
            data = request_data.json_payload
        proxy, proxy_auth = self._proxy_for(url)
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as answer:
                return answer.status, await answer.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # The class only: aiohttp's messages can carry the URL, and the URL the token.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc

    def _proxy_for(self, url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """HTTPS_PROXY and friends (NO_PROXY honoured), as httpx would; read once per host."""
        origin = "/".join(url.split("/", 3)[:3])  # scheme://host[:port]
        if origin not in self._proxies:
            try:
                self._proxies[origin] = get_env_proxy_for_url(URL(origin))
            except LookupError:
                self._proxies[origin] = (None, None)
        return self._proxies[origin]


def _form(request_data: RequestData) -> aiohttp.Payload:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form()


class ApiCall(RequestData):
    """Parameters that are plain JSON already (ints, strings, dicts), as the outbox stores them,
    and the files a photo or document carries.

    For `BaseRequest.post`, which keeps PTB's mapping of errors to RetryAfter, Forbidden... while
    skipping what `Bot.send_message` adds around it: the delivery loop needs only the message
    id back, not a parsed Message (that parse was a sixth of the bot's CPU at full rate).
    """

    def __init__(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> None:
        super().__init__()
        self._params = params
        # Uploads by field name: (file name, bytes, MIME type), sent as multipart/form-data.
        self._files = files or {}
        self.contains_files = bool(self._files)

    @property
    def multipart_data(self) -> dict[str, tuple[str, bytes, str]]:  # type: ignore[override]
        return dict(self._files)

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self._params)

    @property
    def json_parameters(self) -> dict[str, str]:
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in self._params.items()}

    @property
    def json_payload(self) -> bytes:
        return json.dumps(self._params).encode()
