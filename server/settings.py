"""Configuration: read once from TOML and `ZMOT_<SECTION>_<KEY>` variables into typed settings.

Each part has its own module: the sections (settings_sections), reading them (settings_loading) and their
checks (settings_checks); here is the whole, how it is loaded, and the pairing code `zmot serve` makes."""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from server.errors import ConfigError
from server.settings_checks import is_loopback_host, is_token
from server.settings_loading import build_sections, read_toml
from server.settings_sections import (
    BriefingSettings,
    FetchSettings,
    NotifySettings,
    NotifyTarget,
    PluginSettings,
    PrivacySettings,
    SearchSettings,
    ServerSettings,
    StoreSettings,
    WatchSettings,
    searxng_search_url,
)

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
        if not server.tokens and not server.pairing and not is_loopback_host(server.host):
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
    if not is_token(code):
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
    source = path or env.get("ZMOT_CONFIG") or ("zmot.toml" if Path("zmot.toml").is_file() else None)
    data = read_toml(Path(source)) if source else {}
    return Settings(**build_sections(Settings, data, env, overrides or {}))
