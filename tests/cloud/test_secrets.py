"""SecretStore over keyring, the masked Secret type, and the no-secure-store case."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import keyring
import keyring.backends.fail
import pytest

from animaze_panel.secrets import MemorySecretStore, Secret, SecretStore, SecretStoreUnavailable

from .memory_keyring import MemoryKeyring


def test_secret_is_masked_everywhere() -> None:
    secret = Secret("hunter2-key")
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret]
    assert all("hunter2" not in text for text in shown)
    assert secret.reveal() == "hunter2-key" and secret == Secret("hunter2-key") and secret
    assert not Secret("")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_set_get_delete(memory_keyring_backend: MemoryKeyring) -> None:
    store = SecretStore("animaze-panel-test")
    assert store.available() and store.get("kinetix") is None
    store.set("kinetix", Secret("abc"))
    assert memory_keyring_backend.passwords == {("animaze-panel-test", "kinetix"): "abc"}
    assert store.get("kinetix") == Secret("abc")
    store.delete("kinetix")
    store.delete("kinetix")  # deleting twice is fine
    assert store.get("kinetix") is None


def test_no_secure_backend_refuses_clearly() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        store = SecretStore()
        assert not store.available()
        actions: list[Callable[[], object]] = [
            lambda: store.set("k", Secret("v")), lambda: store.get("k")]
        for action in actions:
            with pytest.raises(SecretStoreUnavailable, match="No secure credential store"):
                action()
    finally:
        keyring.set_keyring(previous)


def test_memory_store_never_touches_the_os_keyring(
    memory_keyring_backend: MemoryKeyring,
) -> None:
    store = MemorySecretStore({"kinetix": "demo-key"})
    assert store.available() and store.get("kinetix") == Secret("demo-key")
    store.set("kinetix", Secret("typed-in-demo"))
    assert store.get("kinetix") == Secret("typed-in-demo")
    store.delete("kinetix")
    store.delete("kinetix")  # deleting twice is fine, as with the keyring
    assert store.get("kinetix") is None
    assert memory_keyring_backend.passwords == {}  # the "OS keyring" saw nothing
    assert "typed-in-demo" not in repr(store.__dict__)


def test_memory_store_works_without_any_secure_backend() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        store = MemorySecretStore({"k": "v"})
        assert store.available() and store.get("k") == Secret("v")
    finally:
        keyring.set_keyring(previous)


def test_store_over_an_explicit_backend(memory_keyring_backend: MemoryKeyring) -> None:
    mine = MemoryKeyring()
    store = SecretStore("svc", backend=mine)
    store.set("name", Secret("value"))
    assert mine.passwords == {("svc", "name"): "value"}
    assert memory_keyring_backend.passwords == {}
