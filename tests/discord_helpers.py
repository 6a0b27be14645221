"""The fake Discord's server side, shared by the Discord tests: a TLS server on loopback that discord.com resolves
to (test_discord.LoopbackResolver), and the guild it serves."""

from __future__ import annotations

import contextlib
import datetime as dt
import ssl
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from aiohttp import web

GUILD_ID = 700000000000000010

GUILD = {
    "id": str(GUILD_ID),
    "name": "小美玉",
    "icon": None,
    "owner_id": "1",
    "features": [],
    "roles": [
        {
            "id": str(GUILD_ID),
            "name": "@everyone",
            "permissions": "1024",
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
        }
    ],
    "emojis": [],
    "stickers": [],
    "verification_level": 0,
    "default_message_notifications": 0,
    "explicit_content_filter": 0,
    "mfa_level": 0,
    "nsfw_level": 0,
    "premium_tier": 0,
    "preferred_locale": "ja",
    "system_channel_flags": 0,
}


def certificate(tmp_path) -> tuple[str, str, str]:
    """A self-signed certificate for discord.com: (cert file, key file, PEM for the client's trust store)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "discord.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("discord.com")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    cert_file, key_file = tmp_path / "discord.pem", tmp_path / "discord.key"
    cert_file.write_text(pem)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file), pem


@contextlib.asynccontextmanager
async def served(fake: Any, tmp_path) -> AsyncIterator[Any]:
    """The fake (its `handle` answers every route) served over TLS on loopback; fake.port and fake.client_tls (a
    context trusting the fake's certificate) are set while it serves."""
    cert_file, key_file, pem = certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_tls)
    await site.start()
    fake.port = runner.addresses[0][1]
    fake.client_tls = ssl.create_default_context(cadata=pem)
    try:
        yield fake
    finally:
        await runner.cleanup()
