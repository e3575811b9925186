"""Configuration: read once from TOML and `ZMOT_<SECTION>_<KEY>` variables into typed settings."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import secrets
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from server.errors import ConfigError

__all__ = [
    "BriefingSettings",
    "FetchSettings",
    "NotifySettings",
    "NotifyTarget",
    "PluginSettings",
    "PrivacySettings",
    "SearchSettings",
    "ServerSettings",
    "Settings",
    "StoreSettings",
    "WatchSettings",
    "load_settings",
    "searxng_search_url",
    "pairing_code",
    "serving_settings",
]

PAIRING_FILE = "pairing-token"  # beside the SQLite store: the code `zmot serve` pairs the extension with


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8750
    tokens: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=list)
    # Names the Host header may carry besides loopback names and `host`: a reverse proxy's, a LAN name.
    hosts: list[str] = field(default_factory=list)
    # With no tokens, `zmot serve` makes a pairing code once and requires it; false leaves a loopback
    # server open to every local program (the Origin, Host and JSON checks still keep web pages out).
    pairing: bool = True
    max_connections: int = 1000  # open at once; kept below the file descriptor limit
    head_timeout_s: float = 10.0  # a request head not complete by then closes its connection
    body_timeout_s: float = 60.0  # a request body not complete by then gets 408


@dataclass(frozen=True)
class StoreSettings:
    backend: str = "sqlite"
    path: str = ""  # empty: zmot.sqlite3 in the user's data directory
    redis_url: str = ""
    redis_prefix: str = "zmot:"  # zmot's keys in Redis start with this, so one Redis can hold other data

    def sqlite_path(self) -> Path:
        if self.path:
            return Path(self.path).expanduser()
        return Path(platformdirs.user_data_dir("zmot")) / "zmot.sqlite3"


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout_s: float = 5.0
    first_byte_timeout_s: float = 10.0
    total_timeout_s: float = 20.0
    max_bytes: int = 8_000_000
    max_header_bytes: int = 16_384
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_interval_s: float = 0.1
    user_agent: str = ""  # empty: "zmot/<version> (+self-hosted shopping research)"
    respect_robots: bool = True
    cache_ttl_s: int = 3600
    # "host" or "host:port" -> "ip:port", like curl's --resolve; the operator's own, may be private.
    resolve: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BriefingSettings:
    deadline_s: float = 3.0
    max_reviews: int = 100
    max_mentions: int = 10
    max_offers: int = 10
    ttl_s: int = 6 * 3600
    watch_interval_s: int = 6 * 3600  # how often a watched product's page is checked again


NO_SEARCH = "none"  # search.provider or search.default: no search provider at all


@dataclass(frozen=True)
class SearchSettings:
    """Which search providers a briefing asks, and where.

    `provider` (one) or `providers` (several, their results merged); with neither, `default`: the keyless
    metasearch, so that a fresh install finds mentions and offers. "none" in either place means no search.
    `url` is the address of SearXNG when it is among the providers, else of the first provider; `urls`
    gives any provider its own. A SearXNG address may be the instance's base URL or its /search URL: it is
    made to end in /search when the settings are read (once), so that the provider and the fetcher's
    allowance agree."""

    provider: str = ""
    providers: list[str] = field(default_factory=list)
    url: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    default: str = "ddgs"

    def normalised(self) -> SearchSettings:
        """SearXNG's address made to end in /search, whichever of its URLs was given."""
        names = self.chosen()
        url = self.url
        if url and names and self._url_owner(names) == "searxng":
            url = searxng_search_url(url)
        urls = dict(self.urls)
        if urls.get("searxng"):
            urls["searxng"] = searxng_search_url(urls["searxng"])
        return dataclasses.replace(self, url=url, urls=urls)

    def chosen(self) -> list[str]:
        """The providers a briefing asks, in order of preference; empty for no search."""
        names = list(self.providers) or ([self.provider] if self.provider else [self.default])
        return [name for name in dict.fromkeys(names) if name and name != NO_SEARCH]

    @property
    def is_default(self) -> bool:
        """True when no provider is configured and the keyless default is asked."""
        return not self.providers and not self.provider and self.default not in ("", NO_SEARCH)

    def url_for(self, name: str) -> str:
        """The address `name` is asked at: its own in `urls`, or `url` if it owns that, else "" (its
        public address)."""
        if self.urls.get(name):
            return self.urls[name]
        names = self.chosen()
        return self.url if names and name == self._url_owner(names) else ""

    def for_provider(self, name: str) -> SearchSettings:
        """These settings as one provider sees them: its own address in `url`."""
        return dataclasses.replace(self, provider=name, providers=[], url=self.url_for(name), urls={})

    def operator_urls(self) -> list[str]:
        """Every configured provider address: the operator's own, which may be private."""
        return [u for u in dict.fromkeys([self.url, *self.urls.values()]) if u]

    @staticmethod
    def _url_owner(names: list[str]) -> str:
        return "searxng" if "searxng" in names else names[0]


def searxng_search_url(url: str) -> str:
    """A SearXNG instance's /search address from its base URL or its /search URL (as people copy
    either): "http://10.0.0.2:8888" and "http://10.0.0.2:8888/search/" both give ".../search"."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path.endswith("/search"):
        path += "/search"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


@dataclass(frozen=True)
class PrivacySettings:
    """What a briefing may fetch beyond the page the shopper sent.

    `beyond = false` keeps a briefing to that page alone: no search, no other shops, no further review
    pages, no shop data endpoints (and so no robots.txt of those sites)."""

    beyond: bool = True


@dataclass(frozen=True)
class NotifyTarget:
    """Where one client's alerts go besides `notify.urls`: its own Apprise URLs."""

    urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NotifySettings:
    """Where alerts go, as Apprise URLs (ntfy://, tgram://, mailto://, json://, …; any Apprise service).

    `urls` get every alert. `tokens` gives a client its own: `[notify.tokens."<token or token id>"]` with
    `urls = [...]`, keyed by one of server.tokens or its id (`zmot notify test` shows it), so that the
    secret need not be written twice. `timeout_s` bounds each sending."""

    urls: list[str] = field(default_factory=list)
    tokens: dict[str, NotifyTarget] = field(default_factory=dict)
    timeout_s: float = 10.0


@dataclass(frozen=True)
class WatchSettings:
    """How watched pages are checked. A new price or availability counts once a later check sees it again
    or `confirm_after_s` has passed since it was first seen (0: at once), and the page is then checked
    again that soon; `jitter` spreads checks over that share of their interval; alerts are kept
    `alerts_keep_s` for GET /v1/alerts; the server looks for due watches every `tick_s`."""

    confirm_after_s: float = 3600.0
    jitter: float = 0.05
    alerts_keep_s: float = 14 * 24 * 3600.0
    tick_s: float = 30.0


@dataclass(frozen=True)
class PluginSettings:
    disabled: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    server: ServerSettings = field(default_factory=ServerSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    briefing: BriefingSettings = field(default_factory=BriefingSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    plugins: PluginSettings = field(default_factory=PluginSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    watch: WatchSettings = field(default_factory=WatchSettings)

    def __post_init__(self) -> None:
        """Per-client alert URLs must name a client: checked across sections, once they are all read."""
        if self.notify.tokens:
            from server.notify.targets import check_token_keys  # only when per-client URLs are set

            check_token_keys(self.notify, self.server.tokens)

    def check_serving(self) -> None:
        """Refuse to serve beyond loopback without a token: the API would be open to the network."""
        server = self.server
        if not server.tokens and not server.pairing and not _is_loopback_host(server.host):
            raise ConfigError(
                f"server.host = {server.host!r} is reachable beyond this machine and server.pairing is off; "
                "set server.tokens (or ZMOT_SERVER_TOKENS) so that only your clients can use it"
            )


def serving_settings(settings: Settings) -> tuple[Settings, str | None]:
    """The settings `zmot serve` runs with, and the pairing code when that became the token: configured
    tokens win; with none and pairing on, the pairing code is the server's one token."""
    server = settings.server
    if server.tokens or not server.pairing:
        return settings, None
    code = pairing_code(settings)
    paired = dataclasses.replace(server, tokens=[code])
    return dataclasses.replace(settings, server=paired), code


def pairing_code(settings: Settings) -> str:
    """The code in `pairing-token` beside the SQLite store, made at the first call and kept: the extension
    is paired once. The file is readable by its owner only, and never seen half written."""
    path = settings.store.sqlite_path().parent / PAIRING_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{PAIRING_FILE}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(16) + "\n")
        try:
            os.link(draft, path)  # fails if another zmot made it meanwhile: theirs is kept
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    code = path.read_text(encoding="utf-8", errors="replace").strip()
    if not _is_token(code):
        raise ConfigError(f"{path} does not hold a pairing code; delete it to have a new one made")
    return code


def load_settings(
    path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> Settings:
    """Read settings: `path`, else $ZMOT_CONFIG, else ./zmot.toml if present; then environment, then
    `overrides` (what the command line says). Raises ConfigError with a readable message."""
    env = os.environ if env is None else env
    data: dict[str, dict[str, object]] = {}
    source = path or env.get("ZMOT_CONFIG") or ("zmot.toml" if Path("zmot.toml").is_file() else None)
    if source:
        data = _read_toml(Path(source))
    sections = {f.name: f.type for f in dataclasses.fields(Settings)}
    for name in data:
        if name not in sections:
            raise ConfigError(f"unknown section [{name}]; known: {', '.join(sections)}")
        if not isinstance(data[name], dict):
            raise ConfigError(f"[{name}] must be a table")
    built = {}
    for f in dataclasses.fields(Settings):
        cls = typing.get_type_hints(Settings)[f.name]
        values = dict(data.get(f.name, {}))
        values.update(_env_values(f.name, cls, env))
        values.update((overrides or {}).get(f.name, {}))
        built[f.name] = _build_section(f.name, cls, values)
    return Settings(**built)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _env_values(section: str, cls: type, env: Mapping[str, str]) -> dict[str, object]:
    prefix = f"ZMOT_{section.upper()}_"
    keys = {f.name.upper(): f.name for f in dataclasses.fields(cls)}
    values: dict[str, object] = {}
    for name, raw in env.items():
        if not name.startswith(prefix):
            continue
        key = keys.get(name[len(prefix) :])
        if key is None:
            raise ConfigError(
                f"unknown environment variable {name}; [{section}] has: {', '.join(keys.values())}"
            )
        values[key] = _EnvText(raw)
    return values


class _EnvText(str):
    """A value from the environment: text to be converted to the key's type."""


def _build_section(section: str, cls: type, values: dict[str, object]):
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown key {section}.{key}; [{section}] has: {', '.join(known)}")
        kwargs[key] = _convert(f"{section}.{key}", hints[key], value)
    settings = cls(**kwargs)
    _validate(section, settings)
    if isinstance(settings, SearchSettings):
        settings = settings.normalised()
    return settings


def _convert(name: str, hint: object, value: object) -> object:
    origin = typing.get_origin(hint) or hint
    from_env = isinstance(value, _EnvText)
    try:
        if origin is bool:
            if from_env:
                return _env_bool(value)
            if isinstance(value, bool):
                return value
        elif origin is int:
            if from_env:
                return int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif origin is float:
            if from_env:
                return float(value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif origin is str:
            if isinstance(value, str):
                return str(value)
        elif origin is list:
            if from_env:
                return [part.strip() for part in value.split(",") if part.strip()]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return list(value)
        elif origin is dict and dataclasses.is_dataclass(typing.get_args(hint)[-1]):
            if from_env:
                raise ConfigError(f"{name} is a table of tables: set it in the config file")
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f'{name} holds tables, like [{name}."<key>"]; not {value!r}')
            cls = typing.get_args(hint)[-1]
            return {k: _build_section(f"{name}.{k}", cls, dict(v)) for k, v in value.items()}
        elif origin is dict:
            if from_env:
                return _env_mapping(value)
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return dict(value)
    except ValueError:
        pass
    raise ConfigError(f"{name} must be {_type_name(hint)}, not {value!r}")


def _env_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _env_mapping(value: str) -> dict[str, str]:
    """`a=1.2.3.4:80,b=5.6.7.8:81` -> {"a": "1.2.3.4:80", "b": "5.6.7.8:81"}."""
    result = {}
    for item in value.split(","):
        if not item.strip():
            continue
        key, sep, target = item.partition("=")
        if not sep:
            raise ValueError(value)
        result[key.strip()] = target.strip()
    return result


def _type_name(hint: object) -> str:
    origin = typing.get_origin(hint) or hint
    names = {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list of strings",
        dict: "a table of strings",
    }
    if isinstance(origin, type) and origin in names:
        return names[origin]
    if isinstance(hint, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(hint))
    return str(hint)


def _validate(section: str, settings: object) -> None:
    if isinstance(settings, ServerSettings):
        _validate_server(settings)
    if isinstance(settings, StoreSettings):
        if settings.backend not in {"sqlite", "redis"}:
            raise ConfigError(f"store.backend must be 'sqlite' or 'redis', not {settings.backend!r}")
        if settings.backend == "redis" and not settings.redis_url:
            raise ConfigError("store.backend = 'redis' needs store.redis_url")
    if isinstance(settings, FetchSettings):
        for key, target in settings.resolve.items():
            _check_resolve_entry(key, target)
        for name in ("connect_timeout_s", "first_byte_timeout_s", "total_timeout_s", "max_bytes"):
            if getattr(settings, name) <= 0:
                raise ConfigError(f"fetch.{name} must be above 0")
        if settings.per_host_concurrency < 1:
            raise ConfigError("fetch.per_host_concurrency must be at least 1")
    if isinstance(settings, SearchSettings):
        _validate_search(settings)
    if isinstance(settings, NotifySettings | NotifyTarget) and settings.urls:
        from server.notify.targets import check_urls  # Apprise loads only when alerts are configured

        check_urls(section, settings.urls)
    if isinstance(settings, NotifySettings) and settings.timeout_s <= 0:
        raise ConfigError("notify.timeout_s must be above 0")
    if isinstance(settings, BriefingSettings) and settings.deadline_s <= 0:
        raise ConfigError("briefing.deadline_s must be above 0")
    if isinstance(settings, BriefingSettings) and settings.watch_interval_s < 60:
        raise ConfigError("briefing.watch_interval_s must be at least 60 (seconds)")
    if isinstance(settings, WatchSettings):
        if settings.confirm_after_s < 0:
            raise ConfigError("watch.confirm_after_s must be 0 or more (seconds)")
        if not 0.1 <= settings.tick_s <= 3600:
            raise ConfigError("watch.tick_s must be between 0.1 and 3600 (seconds)")
        if not 0 <= settings.jitter <= 0.5:
            raise ConfigError("watch.jitter must be between 0 and 0.5 (a share of the interval)")
        if settings.alerts_keep_s < 7 * 24 * 3600:
            raise ConfigError("watch.alerts_keep_s must be at least 604800 (7 days)")


def _validate_search(settings: SearchSettings) -> None:
    if settings.provider and settings.providers and settings.providers != [settings.provider]:
        raise ConfigError("set search.provider (one) or search.providers (several), not both")
    if NO_SEARCH in settings.providers and len(settings.providers) > 1:
        raise ConfigError(f"search.providers lists {NO_SEARCH!r} beside other providers")
    if settings.url and not settings.provider and not settings.providers:
        raise ConfigError(
            "search.url is set but search.provider is not: say which provider it is for "
            '(for example provider = "searxng")'
        )
    for name, url in [("url", settings.url), *((f"urls.{k}", v) for k, v in settings.urls.items())]:
        if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
            raise ConfigError(f"search.{name} must be an http(s) URL, not {url!r}")


def _validate_server(settings: ServerSettings) -> None:
    if not 0 < settings.port < 65536:
        raise ConfigError(f"server.port must be between 1 and 65535, not {settings.port}")
    if not all(_is_token(token) for token in settings.tokens):
        raise ConfigError("server.tokens: each must be printable ASCII without spaces (sent in a header)")
    if settings.max_connections < 1:
        raise ConfigError("server.max_connections must be at least 1")
    for name in ("head_timeout_s", "body_timeout_s"):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"server.{name} must be above 0")


def _is_token(text: str) -> bool:
    return bool(text) and all("!" <= ch <= "~" for ch in text)


def _check_resolve_entry(key: str, target: str) -> None:
    host, sep, port = target.rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
        if not sep or not 0 < int(port) < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"fetch.resolve[{key!r}] = {target!r} must be 'ip:port', like '127.0.0.1:8080'"
        ) from None


def _is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
