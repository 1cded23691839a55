"""Review sign-in: scrypt password hashes, server-side sessions and CSRF tokens.

The password hash lives in settings (``review_password_hash``), written by
``marketnews review set-password``. A session cookie carries a random token;
the store keeps only its SHA-256, the editor's name, the session's CSRF token
and a tag of the password hash, so changing the password ends every session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.desk.store import Store, now
from generator.errors import ConfigError, InputError
from generator.output import write_atomic

# scrypt at 2**15 x 8 takes ~50 ms and 32 MiB per guess: cheap for a sign-in, dear for a guesser.
_N, _R, _P, _DKLEN = 2**15, 8, 1, 32
MIN_PASSWORD_CHARS = 10
SETTING = "review_password_hash"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=128 * r * n * 2)


def hash_password(password: str) -> str:
    """'scrypt$32768$8$1$<salt>$<key>' for a new password (refused if too short)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(f"the password is too short (at least {MIN_PASSWORD_CHARS} characters)")
    salt = secrets.token_bytes(16)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(_scrypt(password, salt, _N, _R, _P, _DKLEN))}"


def check_hash_format(stored: str) -> None:
    """Raise ConfigError if ``stored`` is not a hash this module wrote."""
    parts = stored.split("$")
    try:
        ok = len(parts) == 6 and parts[0] == "scrypt" and all(int(x) > 0 for x in parts[1:4])
        ok = ok and len(_unb64(parts[4])) >= 8 and len(_unb64(parts[5])) >= 16
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            f"invalid setting {SETTING}: not a password hash; set it with 'marketnews review set-password'"
        )


def verify_password(password: str, stored: str) -> bool:
    check_hash_format(stored)
    _, n, r, p, salt, key = stored.split("$")
    expected = _unb64(key)
    actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p), len(expected))
    return hmac.compare_digest(actual, expected)


def password_tag(stored: str | None) -> str:
    """A short fingerprint of the password hash, recorded with each session."""
    return hashlib.sha256((stored or "").encode()).hexdigest()[:16]


# --- sessions ---------------------------------------------------------------------


class Session(BaseModel):
    """A signed-in editor."""

    model_config = ConfigDict(frozen=True)

    token_hash: str
    editor: str
    csrf_token: str
    expires_at: datetime
    flash: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(store: Store, editor: str, hours: float, password_hash: str | None) -> str:
    """Start a session; returns the cookie value (the only place the raw token exists)."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=hours)
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now(),))
        conn.execute(
            "INSERT INTO sessions (token_hash, editor, csrf_token, password_tag, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (_token_hash(token), editor, secrets.token_urlsafe(32), password_tag(password_hash), now(),
             expires.isoformat(timespec="seconds")),
        )
        store.log(conn, editor, "signed in")
    return token


def load_session(store: Store, token: str | None, password_hash: str | None) -> Session | None:
    """The live session for a cookie value, or None (unknown, expired, or from before a password change)."""
    if not token:
        return None
    with store.connect() as conn:
        row = conn.execute("SELECT * FROM sessions WHERE token_hash = ?", (_token_hash(token),)).fetchone()
    if row is None or row["expires_at"] < now() or row["password_tag"] != password_tag(password_hash):
        return None
    return Session.model_validate(dict(row))


def end_session(store: Store, session: Session) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (session.token_hash,))
        store.log(conn, session.editor, "signed out")


def set_flash(store: Store, session: Session, message: str | None) -> None:
    """A one-time message for the editor's next page (survives the redirect after a POST)."""
    with store.transaction() as conn:
        conn.execute("UPDATE sessions SET flash = ? WHERE token_hash = ?", (message, session.token_hash))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


# --- writing the hash into the settings file -------------------------------------


def config_file(explicit: Path | None) -> Path:
    """The settings file set-password writes: --config, else $MARKETNEWS_CONFIG, else ./marketnews.toml."""
    import os

    from generator.settings import DEFAULT_CONFIG_FILE

    return explicit or Path(os.environ.get("MARKETNEWS_CONFIG") or DEFAULT_CONFIG_FILE)


def save_password_hash(config: Path, hashed: str) -> None:
    """Set ``review_password_hash`` in a TOML settings file, keeping everything else in it as it was.

    Top-level keys must come before the first [table], so an existing line is
    replaced in place and a new one goes at the top.
    """
    import tomllib

    try:
        old = config.read_text(encoding="utf-8") if config.exists() else ""
        tomllib.loads(old)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {config}: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{config} is not valid TOML ({err}); fix it before setting a password") from None
    except RecursionError:  # tomllib reads nested arrays recursively
        raise ConfigError(f"{config} is nested too deeply to read; fix it before setting a password") from None
    line = f'{SETTING} = "{hashed}"\n'
    lines = old.splitlines(keepends=True)
    found = None
    for i, text in enumerate(lines):
        stripped = text.lstrip()
        if stripped.startswith("["):
            break  # tables begin: top-level keys cannot follow
        if stripped.split("=", 1)[0].strip() == SETTING:
            found = i
            break
    if found is None:
        lines.insert(0, line)
    else:
        lines[found] = line
    new = "".join(lines)
    if tomllib.loads(new).get(SETTING) != hashed:  # e.g. a multi-line value we did not expect
        raise ConfigError(f"cannot update {SETTING} in {config} safely; remove the existing entry and retry")
    try:
        write_atomic(config, new.encode(), mode=None if config.exists() else 0o600)  # a new one: private
    except OSError as err:
        raise ConfigError(f"cannot write {config}: {err.strerror or err}") from None
