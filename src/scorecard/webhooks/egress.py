"""Webhooks call the outside world only: no loopback, private or other internal addresses.

An organization admin chooses the address a webhook calls. Without a guard that turns
the server into a probe of its own network (127.0.0.1, localhost:5432, the cloud's
metadata service at 169.254.169.254, the office LAN) and the deliveries page into a
port scanner. So:

- an address is allowed only if it is a global unicast address: loopback, private,
  link-local, shared (CGNAT), multicast, reserved and unspecified ranges are refused,
  IPv4 written as IPv6 (``::ffff:127.0.0.1``) and odd spellings (``0x7f000001``) too;
- the host name is resolved when the webhook is registered (early, clear refusal) and
  again at every delivery, and the connection goes to the very address that was
  checked (no second lookup that DNS rebinding could answer differently);
- redirects are never followed (services._NoRedirect), and no HTTP proxy is used;
- ``SCORECARD_WEBHOOK_ALLOW_HOSTS`` lists host names and networks (CIDR) that may be
  called even so, for receivers inside a company network.

Data sources (datasources/) fetch CSV and JSON through the same guard with their own
allow-list setting (``allow_setting``, ``SCORECARD_DATA_SOURCE_ALLOW_HOSTS``).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any

from django.conf import settings

from scorecard.engine.text import gettext_noop

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: The one message shown for a refused address, at registration and in the deliveries.
REFUSED = gettext_noop("Refused: address not allowed.")


class AddressRefused(OSError):
    """The host is, or resolves to, an address webhooks may not call."""


#: The setting whose host names and networks are allowed although not on the internet.
WEBHOOK_ALLOW_SETTING = "SCORECARD_WEBHOOK_ALLOW_HOSTS"


def _allow_list(
    setting: str = WEBHOOK_ALLOW_SETTING,
) -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names: set[str] = set()
    networks = []
    for entry in getattr(settings, setting, []):
        entry = entry.strip().lower()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.rstrip("."))
    return names, networks


def address_allowed(address: IpAddress, setting: str = WEBHOOK_ALLOW_SETTING) -> bool:
    """True for an address on the internet, or one in the allow-list."""
    _, networks = _allow_list(setting)
    if any(address in network for network in networks if network.version == address.version):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return address_allowed(mapped, setting)
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _resolve(host: str, port: int) -> list[IpAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise socket.gaierror(f"the host name {host!r} cannot be resolved") from exc
    found: list[IpAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def host_named_in_allow_list(host: str, setting: str = WEBHOOK_ALLOW_SETTING) -> bool:
    names, _ = _allow_list(setting)
    return host.lower().rstrip(".") in names


def checked_address(host: str, port: int, setting: str = WEBHOOK_ALLOW_SETTING) -> str:
    """The address to connect to for ``host``; AddressRefused if any is not allowed.

    Every address the name resolves to must be allowed (a name that resolves to one
    public and one private address is refused), and the first one is used.
    """
    addresses = _resolve(host, port)
    if not addresses:
        raise socket.gaierror(f"the host name {host!r} cannot be resolved")
    allowed = all(address_allowed(address, setting) for address in addresses)
    if not host_named_in_allow_list(host, setting) and not allowed:
        raise AddressRefused(REFUSED)
    return str(addresses[0])


def registration_refused(host: str, port: int) -> bool:
    """At registration: True if the host is, or now resolves to, a refused address.

    A name that does not resolve (yet) is accepted; every delivery checks again.
    """
    try:
        checked_address(host, port)
    except AddressRefused:
        return True
    except OSError:
        return False
    return False


class _GuardedHTTPConnection(http.client.HTTPConnection):
    allow_setting = WEBHOOK_ALLOW_SETTING

    def connect(self) -> None:
        address = checked_address(self.host, self.port, self.allow_setting)
        self.sock = socket.create_connection(
            (address, self.port), self.timeout, getattr(self, "source_address", None)
        )


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    allow_setting = WEBHOOK_ALLOW_SETTING

    def connect(self) -> None:
        address = checked_address(self.host, self.port, self.allow_setting)
        sock = socket.create_connection(
            (address, self.port), self.timeout, getattr(self, "source_address", None)
        )
        # The certificate is checked against the host name, not the pinned address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    connection_class: type[http.client.HTTPConnection] = _GuardedHTTPConnection

    def http_open(self, req: Any) -> Any:
        return self.do_open(self.connection_class, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    connection_class: type[http.client.HTTPSConnection] = _GuardedHTTPSConnection

    def https_open(self, req: Any) -> Any:
        return self.do_open(self.connection_class, req, context=self._context)  # type: ignore[attr-defined]


def guarded_opener(
    *handlers: Any, allow_setting: str = WEBHOOK_ALLOW_SETTING
) -> urllib.request.OpenerDirector:
    """A urllib opener that connects only to allowed addresses, through no proxy.

    ``allow_setting`` names the setting listing the hosts and networks allowed besides
    the internet (webhooks and data sources each have their own).
    """
    http_class = type("_Connection", (_GuardedHTTPConnection,), {"allow_setting": allow_setting})
    https_class = type(
        "_SecureConnection", (_GuardedHTTPSConnection,), {"allow_setting": allow_setting}
    )
    http_handler = type("_Handler", (_GuardedHTTPHandler,), {"connection_class": http_class})
    https_handler = type(
        "_SecureHandler", (_GuardedHTTPSHandler,), {"connection_class": https_class}
    )
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), http_handler, https_handler, *handlers
    )
