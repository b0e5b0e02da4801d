"""The editor's password: only a salted PBKDF2 hash is configured, compared in constant time;
failed sign-ins slow down and then lock the session and the client address out for a while.

python -m dashboard.auth          # prints the hash to put in EDITOR_PASSWORD_HASH
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


def _setting(name: str, default: float) -> float:
    """A number from the environment, read at each sign-in so an operator (or a test) can tune it."""
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)  # times of failed tries within the window
    locked_until: float = 0.0


class SignInGuard:
    """Failed sign-ins counted per key (a session, a client address), for the whole process.

    Rule: the failures of a key within the last EDITOR_LOCKOUT_SECONDS (default 900) are counted;
    after each one the answer waits EDITOR_FAILURE_DELAY × 2^(n-1) seconds (default 0.5, at most
    8); the EDITOR_MAX_FAILURES-th (default 5) locks the key for EDITOR_LOCKOUT_SECONDS, during
    which every try is refused without looking at the password, the right one too. A refused try
    does not extend the lock; a successful sign-in clears the keys it was made under.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}

    @staticmethod
    def window() -> float:
        return max(_setting("EDITOR_LOCKOUT_SECONDS", 900), 0.0)

    @staticmethod
    def max_failures() -> int:
        return max(int(_setting("EDITOR_MAX_FAILURES", 5)), 1)

    def locked_for(self, keys: Iterable[str]) -> float:
        """Seconds until a sign-in under these keys is looked at again; 0 when it may go ahead."""
        now = self._clock()
        with self._lock:
            ends = [r.locked_until for k in keys if (r := self._records.get(k)) is not None]
        return max([end - now for end in ends] + [0.0])

    def failed(self, keys: Iterable[str]) -> float:
        """Count a wrong password under every key; the seconds the answer should wait."""
        now, window = self._clock(), self.window()
        worst = 0
        with self._lock:
            self._forget(now, window)
            for key in keys:
                record = self._records.setdefault(key, _Record())
                record.failures = [t for t in record.failures if now - t < window] + [now]
                if len(record.failures) >= self.max_failures():
                    record.locked_until = max(record.locked_until, now + window)
                worst = max(worst, len(record.failures))
        base = max(_setting("EDITOR_FAILURE_DELAY", 0.5), 0.0)
        return min(base * 2 ** (worst - 1), 8.0) if worst else 0.0

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def reset(self) -> None:
        """Forget every failure (tests; an operator restarting the app does the same)."""
        with self._lock:
            self._records.clear()

    def _forget(self, now: float, window: float) -> None:
        """Drop keys with no lock and no failure left in the window, so memory stays bounded."""
        stale = [
            k for k, r in self._records.items() if r.locked_until <= now and all(now - t >= window for t in r.failures)
        ]
        for key in stale:
            del self._records[key]


GUARD = SignInGuard()


def client_keys(session: str, address: str | None) -> list[str]:
    """The keys a sign-in is counted under: its session, and its client address — or, when the
    address is unknown (localhost, tests), one bucket every such client shares."""
    return [f"phiên:{session}", f"địa chỉ:{address or 'không rõ'}"]


def editor_name(raw: str) -> str:
    """The name as it goes into the corrections log: printable, single spaces, at most 80 characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in raw).split())[:80]


def wait_text(seconds: float) -> str:
    """'14 phút 5 giây' for a lockout's remaining time."""
    total = max(int(seconds + 0.999), 1)
    minutes, rest = divmod(total, 60)
    return f"{minutes} phút {rest} giây" if minutes else f"{rest} giây"


if __name__ == "__main__":
    first = getpass.getpass("Mật khẩu biên tập viên: ")
    if first != getpass.getpass("Nhập lại: "):
        raise SystemExit("Hai lần nhập không khớp.")
    print(hash_password(first))
