"""The editor's password: only a salted PBKDF2 hash is configured, compared in constant time.

python -m dashboard.auth          # prints the hash to put in EDITOR_PASSWORD_HASH
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """'pbkdf2_sha256$200000$<salt hex>$<hash hex>'."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; a malformed hash never matches."""
    try:
        algorithm, iterations, salt_hex, hash_hex = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


def configured_hash(secrets_source: object = None) -> str | None:
    """EDITOR_PASSWORD_HASH from Streamlit secrets, else from the environment."""
    if secrets_source is not None:
        try:
            value = secrets_source.get("editor_password_hash")  # type: ignore[attr-defined]
            if value:
                return str(value)
        except Exception:  # noqa: BLE001 - no secrets file is a normal set-up
            pass
    return os.environ.get("EDITOR_PASSWORD_HASH") or None


if __name__ == "__main__":
    first = getpass.getpass("Mật khẩu biên tập viên: ")
    if first != getpass.getpass("Nhập lại: "):
        raise SystemExit("Hai lần nhập không khớp.")
    print(hash_password(first))
