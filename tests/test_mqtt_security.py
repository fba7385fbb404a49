"""The broker as real homes run it: a login (the Home Assistant Mosquitto add-on needs one) and
TLS with a CA and server certificate made here, against a real mosquitto. Right credentials work;
wrong ones get a clear error that names the cause and never the password."""

from __future__ import annotations

import datetime
import ipaddress
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hub.config import BrokerConfig, ConfigError, parse_host_port
from hub.config_load import parse_config
from hub.errors import BrokerError
from hub.mqtt.broker import PrivateBroker
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage

PASSWORD = "s3cret-Pa55"


@pytest.fixture
def login_broker(tmp_path):
    passwd = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(passwd), "hub", PASSWORD], check=True)
    with PrivateBroker(password_file=passwd) as b:
        yield b


def _cert(subject: str, key, issuer_name, issuer_key, *, ca: bool, ip: str | None = None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder, name: str):
    """A CA and a server certificate for 127.0.0.1 signed by it, as PEM files in ``folder``."""
    folder.mkdir(parents=True)
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca = _cert(f"{name} CA", ca_key, ca_name, ca_key, ca=True)
    server = _cert("127.0.0.1", server_key, ca_name, ca_key, ca=False, ip="127.0.0.1")
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem))
    (folder / "server.key").write_bytes(server_key.private_bytes(
        pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    return folder


@pytest.fixture
def tls_broker(tmp_path):
    pki = make_pki(tmp_path / "pki", "home")
    with PrivateBroker(extra_config=[f"cafile {pki / 'ca.pem'}", f"certfile {pki / 'server.pem'}",
                                     f"keyfile {pki / 'server.key'}"]) as b:
        yield b, pki


def publishes(bcfg: BrokerConfig) -> bool:
    link = MqttLink(bcfg, status_topic=None, reconnect_min_s=0.1, reconnect_max_s=0.3)
    try:
        link.connect(timeout=10)
        return link.publish_and_wait(MqttMessage("test/x", b"1"), timeout=10).ok
    finally:
        link.close()


def test_right_login_works_from_config_file_or_environment(login_broker, tmp_path, monkeypatch):
    b = login_broker
    assert publishes(BrokerConfig(host=b.host, port=b.port, username="hub", password=PASSWORD))
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    assert publishes(BrokerConfig(host=b.host, port=b.port, username="hub", password_file=str(tmp_path / "pw")))
    monkeypatch.setenv("HUB_MQTT_PASSWORD", PASSWORD)
    assert publishes(BrokerConfig(host=b.host, port=b.port, username="hub", password_env="HUB_MQTT_PASSWORD"))


@pytest.mark.parametrize("username, password", [("hub", "wrong"), ("nobody", PASSWORD), (None, None)])
def test_a_wrong_login_is_a_clear_error_without_the_password(login_broker, username, password):
    b = login_broker
    with pytest.raises(BrokerError) as e:
        publishes(BrokerConfig(host=b.host, port=b.port, username=username, password=password))
    text = str(e.value)
    assert "refused" in text and ("authori" in text.lower() or "password" in text.lower()), text
    assert PASSWORD not in text and "wrong" not in text


def test_tls_with_the_home_ca_works_and_a_stranger_ca_or_plain_mqtt_does_not(tls_broker, tmp_path):
    b, pki = tls_broker
    assert publishes(BrokerConfig(host=b.host, port=b.port, tls={"ca_file": str(pki / "ca.pem")}))
    stranger = make_pki(tmp_path / "other", "stranger")
    with pytest.raises(BrokerError, match="TLS"):
        publishes(BrokerConfig(host=b.host, port=b.port, tls={"ca_file": str(stranger / "ca.pem")}))
    with pytest.raises(BrokerError):
        publishes(BrokerConfig(host=b.host, port=b.port))


def test_broker_urls_and_login_options_in_config(tmp_path):
    assert parse_host_port("mqtts://broker.lan") == {"host": "broker.lan", "port": 8883, "tls": parse_host_port("mqtts://x")["tls"]}
    assert parse_host_port("mqtt://broker.lan:1884") == {"host": "broker.lan", "port": 1884, "tls": None}
    with pytest.raises(ValueError) as e:
        parse_host_port(f"mqtt://hub:{PASSWORD}@broker.lan")
    assert PASSWORD not in str(e.value)
    base = "hub: {name: H, broker: {host: b, username: hub, %s}}\nareas: []\ndevices: []\n"
    with pytest.raises(ConfigError, match="not several"):
        parse_config(base % f"password: {PASSWORD}, password_env: X", "c.yaml")
    with pytest.raises(ConfigError, match="no such file") as e:
        parse_config(base % "tls: {ca_file: /nonexistent/ca.pem}", "c.yaml")
    cfg = parse_config(base % f"password: {PASSWORD}", "c.yaml")
    assert PASSWORD not in repr(cfg.hub.broker) and cfg.hub.broker.secret() == PASSWORD
    moved = cfg.hub.broker.overridden("mqtts://other.lan")
    assert (moved.host, moved.port, moved.username, moved.secret()) == ("other.lan", 8883, "hub", PASSWORD)
