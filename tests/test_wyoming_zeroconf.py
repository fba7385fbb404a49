"""Zeroconf: with ``wyoming.zeroconf`` on, the server answers an mDNS query for its
``_wyoming._tcp`` service with its bound port (on loopback, where the test server listens); off by
default.

The query is a one-shot ("legacy unicast") mDNS query from an ephemeral port (RFC 6762 section 6.7),
answered straight to that port: a second mDNS stack on port 5353 of the same host would share the
port with the advertiser (SO_REUSEPORT), and the kernel may hand its answers to the wrong socket.
"""

import socket
import uuid
from types import SimpleNamespace

from zeroconf import DNSIncoming, DNSOutgoing, DNSQuestion, DNSService
from zeroconf.const import _CLASS_IN, _FLAGS_QR_QUERY, _MDNS_ADDR, _MDNS_PORT, _TYPE_SRV

from hub.config_load import parse_config
from hub.wyoming.server import WyomingServer

HOME = """
hub: {name: Zeroconf Test %s, area: den}
areas: [{id: den, name: Den}]
wyoming: {host: 127.0.0.1, port: 0, zeroconf: %s}
"""
NAME = uuid.uuid4().hex[:8]
"""A name of this run's own, so another run's announcements on the machine do not mix in."""


def srv_port(name: str, timeout_s: float) -> int | None:
    """The port in the SRV answer for ``<name>._wyoming._tcp.local.``; None if none came."""
    instance = f"{name}._wyoming._tcp.local."
    query = DNSOutgoing(_FLAGS_QR_QUERY)
    query.add_question(DNSQuestion(instance, _TYPE_SRV, _CLASS_IN))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
        s.bind(("127.0.0.1", 0))
        s.settimeout(timeout_s)
        for packet in query.packets():
            s.sendto(packet, (_MDNS_ADDR, _MDNS_PORT))
        try:
            data, _ = s.recvfrom(9000)
        except TimeoutError:
            return None
    ports = [r.port for r in DNSIncoming(data).answers() if isinstance(r, DNSService) and r.name.lower() == instance.lower()]
    return ports[0] if ports else None


def fake_hub_without_models(cfg):
    """Only the config: advertising loads no model and serves no request here."""
    return SimpleNamespace(cfg=cfg)


def test_enabled_zeroconf_answers_with_the_bound_port():
    cfg = parse_config(HOME % (NAME, "true"))
    with WyomingServer(fake_hub_without_models(cfg), cfg.wyoming) as server:
        assert srv_port(f"Zeroconf-Test-{NAME}", 5.0) == server.port


def test_zeroconf_is_off_by_default():
    cfg = parse_config(HOME % (NAME, "false"))
    with WyomingServer(fake_hub_without_models(cfg), cfg.wyoming):
        assert srv_port(f"Zeroconf-Test-{NAME}", 1.5) is None
