"""Serving the review site with waitress, a production WSGI server in pure Python."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from generator.desk.store import open_store
from generator.desk.web import create_app
from generator.errors import ConfigError, InputError
from generator.settings import Settings

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost': addresses only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as public


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 8000, threads: int = 4) -> Any:
    """A bound, not yet running waitress server for the review app (port 0 picks a free one)."""
    loopback = is_loopback(host)
    if not loopback and not settings.review_password_hash:
        raise ConfigError(
            f"refusing to serve the review page on {host} without a password: anyone who can reach it could "
            "approve drafts. Run 'marketnews review set-password' first, or use --host 127.0.0.1"
        )
    app = create_app(settings, open_store(settings), loopback_only=loopback)
    from waitress import create_server

    try:
        return create_server(app, host=host, port=port, threads=threads, ident="marketnews",
                             clear_untrusted_proxy_headers=True)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted."""
    server = make_server(settings, host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"marketnews review: http://{shown}:{server.effective_port}/ (desk {open_store(settings).location}); "
          "Ctrl+C to stop", flush=True)
    if not settings.review_password_hash:
        log.warning("no review password is set; anyone on this machine can sign in "
                    "(set one with 'marketnews review set-password')")
    try:
        server.run()
    finally:
        server.close()
