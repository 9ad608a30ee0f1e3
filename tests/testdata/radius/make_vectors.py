#!/usr/bin/env python3
"""Writes the RADIUS packet vectors of this directory (see README.md).

An implementation independent of src/radius/packet (Python hashlib and hmac), so the C++
tests that verify these packets and re-encode the replies cross-check the codec. Run it
from this directory; it rewrites every generated *.hex file and is deterministic.
"""
import hashlib
import hmac
import struct

SECRET = b"testing123"

ACCESS_REQUEST, ACCESS_ACCEPT, ACCESS_REJECT = 1, 2, 3
ACCOUNTING_REQUEST, ACCOUNTING_RESPONSE = 4, 5
STATUS_SERVER, STATUS_CLIENT = 12, 13

USER_NAME, USER_PASSWORD, CHAP_PASSWORD, SERVICE_TYPE, FRAMED_PROTOCOL = 1, 2, 3, 6, 7
REPLY_MESSAGE, STATE, CLASS, CALLING_STATION_ID, NAS_IDENTIFIER = 18, 24, 25, 31, 32
PROXY_STATE, ACCT_STATUS_TYPE, ACCT_SESSION_ID, ACCT_SESSION_TIME = 33, 40, 44, 46
ACCT_TERMINATE_CAUSE, NAS_PORT_TYPE, MESSAGE_AUTHENTICATOR = 49, 61, 80

ZERO16 = bytes(16)


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def u32(t, n):
    return attr(t, struct.pack("!I", n))


def md5(*parts):
    return hashlib.md5(b"".join(parts)).digest()


def hide_password(password, ra, secret=SECRET):
    """RFC 2865 section 5.2."""
    padded = password + bytes(-len(password) % 16 or (16 if not password else 0))
    out, prev = b"", ra
    for i in range(0, len(padded), 16):
        b = md5(secret, prev)
        c = bytes(x ^ y for x, y in zip(padded[i:i + 16], b))
        out += c
        prev = c
    return out


def header(code, ident, length, auth):
    return struct.pack("!BBH", code, ident, length) + auth


def packet(code, ident, auth, attrs, ma=False, ma_vector=None, secret=SECRET):
    """Lays out a packet; with ma, Message-Authenticator first (RFC 3579 section 3.2),
    computed with ma_vector (default: auth) in the Authenticator field."""
    body = (attr(MESSAGE_AUTHENTICATOR, ZERO16) if ma else b"") + b"".join(attrs)
    length = 20 + len(body)
    if ma:
        vec = auth if ma_vector is None else ma_vector
        mac = hmac.new(secret, header(code, ident, length, vec) + body, "md5").digest()
        body = attr(MESSAGE_AUTHENTICATOR, mac) + body[18:]
    return header(code, ident, length, auth) + body


def accounting_request(ident, attrs, ma=False, secret=SECRET):
    """RFC 2866 section 3; FreeRADIUS computes the Message-Authenticator with 16 zero
    octets in the Authenticator field."""
    p = packet(ACCOUNTING_REQUEST, ident, ZERO16, attrs, ma=ma, ma_vector=ZERO16, secret=secret)
    return p[:4] + md5(p, secret) + p[20:]


def reply(code, request, attrs, ma_vector=None, secret=SECRET):
    """RFC 2865 section 3 Response Authenticator; Message-Authenticator first; the
    request's Proxy-State copied in order."""
    ra, ident = request[4:20], request[1]
    proxy = []
    i = 20
    while i < len(request):
        t, l = request[i], request[i + 1]
        if t == PROXY_STATE:
            proxy.append(request[i:i + l])
        i += l
    p = packet(code, ident, ra, list(attrs) + proxy, ma=True,
               ma_vector=ra if ma_vector is None else ma_vector, secret=secret)
    return p[:4] + md5(p, secret) + p[20:]


def set_length(p, n):
    return p[:2] + struct.pack("!H", n) + p[4:]


def append(p, extra):
    """Appends octets and grows the Length field to cover them."""
    return set_length(p + extra, len(p) + len(extra))


def flip(p, offset, bit=0):
    return p[:offset] + bytes([p[offset] ^ (1 << bit)]) + p[offset + 1:]


def write(name, data):
    lines = [" ".join("%02x" % b for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    with open(name, "w") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))


RA1 = bytes.fromhex("5c1e5a8e0f1d4b3a9c7e2f6a1b3d5e7f")
RA2 = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
RA3 = bytes.fromhex("0123456789abcdeffedcba9876543210")
RA4 = bytes.fromhex("f00dfacecafebeef0badc0dedeadbeef")
PASSWORD = b"Passw0rd!Passw0rd"  # 17 octets: two blocks

gateway_attrs = [
    attr(USER_NAME, b"1251001002"),
    attr(USER_PASSWORD, hide_password(PASSWORD, RA1)),
    attr(NAS_IDENTIFIER, b"ocserv"),
    u32(SERVICE_TYPE, 2),
    u32(FRAMED_PROTOCOL, 1),
    u32(NAS_PORT_TYPE, 5),
    attr(CALLING_STATION_ID, b"203.0.113.7"),
]
pap = packet(ACCESS_REQUEST, 0x11, RA1, gateway_attrs)
write("ok-access_request_pap.hex", pap)

pap_ma = packet(ACCESS_REQUEST, 0x12, RA2, [
    attr(USER_NAME, b"1251001002@bm1251001002"),
    attr(USER_PASSWORD, hide_password(PASSWORD, RA2)),
    attr(NAS_IDENTIFIER, b"radclient"),
], ma=True)
write("ok-access_request_pap_ma.hex", pap_ma)
accept = reply(ACCESS_ACCEPT, pap_ma, [u32(SERVICE_TYPE, 2), attr(CLASS, b"bm1251001002")])
write("ok-access_accept_ma.hex", accept)

proxied = packet(ACCESS_REQUEST, 0x13, RA3, [
    attr(USER_NAME, b"bm1251001002\\1251001002"),
    attr(USER_PASSWORD, hide_password(b"wrong", RA3)),
    attr(PROXY_STATE, b"proxy-1"),
    attr(NAS_IDENTIFIER, b"strongswan"),
    attr(PROXY_STATE, b"\x00\x01\x02"),
], ma=True)
write("ok-access_request_proxy_state_ma.hex", proxied)
write("ok-access_reject_proxy_state.hex",
      reply(ACCESS_REJECT, proxied, [attr(REPLY_MESSAGE, b"denied")]))

status = packet(STATUS_SERVER, 0x14, RA4, [attr(NAS_IDENTIFIER, b"monitor")], ma=True)
write("ok-status_server.hex", status)
write("ok-access_accept_to_status_server.hex",
      reply(ACCESS_ACCEPT, status, [attr(REPLY_MESSAGE, b"obvpn ok")]))
write("ok-accounting_response_to_status_server.hex", reply(ACCOUNTING_RESPONSE, status, []))

start = accounting_request(0x20, [
    u32(ACCT_STATUS_TYPE, 1),
    attr(ACCT_SESSION_ID, b"5f3a-0001"),
    attr(USER_NAME, b"1251001002"),
    attr(NAS_IDENTIFIER, b"openvpn"),
])
write("ok-accounting_request_start.hex", start)
write("ok-accounting_response.hex", reply(ACCOUNTING_RESPONSE, start, [], ma_vector=ZERO16))
stop = accounting_request(0x21, [
    u32(ACCT_STATUS_TYPE, 2),
    attr(ACCT_SESSION_ID, b"5f3a-0001"),
    attr(USER_NAME, b"1251001002"),
    u32(ACCT_SESSION_TIME, 3600),
    u32(ACCT_TERMINATE_CAUSE, 1),
], ma=True)
write("ok-accounting_request_stop_ma.hex", stop)

write("ok-padding_after_length.hex", pap + b"\x00\xff\x12\x00\x01")
big = [attr(STATE, bytes([i]) * 253) for i in range(15)] + [attr(STATE, b"z" * 249)]
write("ok-max_length_4096.hex", packet(ACCESS_REQUEST, 0x30, RA1, big))
write("ok-unusual_attributes.hex", packet(ACCESS_REQUEST, 0x31, RA1, [
    attr(0, b""), attr(255, b"x" * 10), attr(REPLY_MESSAGE, b""), attr(CHAP_PASSWORD, b"\x01" * 17),
]))

# Structure (Check) failures.
write("discard-too_short-empty.hex", b"")
write("discard-too_short-19_octets.hex", pap[:19])
write("discard-length_mismatch-over_datagram.hex", set_length(pap, len(pap) + 1))
write("discard-length_mismatch-under_20.hex", set_length(pap, 19))
write("discard-length_mismatch-zero.hex", set_length(pap, 0))
write("discard-too_long-4097.hex",
      packet(ACCESS_REQUEST, 0x32, RA1, big[:15] + [attr(STATE, b"z" * 250)]))
for code in (0, 6, 255):
    write("discard-unknown_code-%d.hex" % code, bytes([code]) + pap[1:])
write("discard-bad_attribute_length-0.hex", append(pap, b"\x12\x00"))
write("discard-bad_attribute_length-1.hex", append(pap, b"\x12\x01"))
write("discard-attribute_overflow-past_end.hex", append(pap, b"\x12\x10ab"))
write("discard-attribute_overflow-lone_octet.hex", append(pap, b"\x12"))
write("discard-attribute_overflow-into_padding.hex",
      set_length(pap + b"\x12\x06abcd", len(pap) + 3))
write("discard-too_many_attributes-256.hex",
      packet(ACCESS_REQUEST, 0x33, RA1, [attr(REPLY_MESSAGE, b"")] * 256))
write("discard-message_authenticator_bad_length-17.hex",
      append(pap, attr(MESSAGE_AUTHENTICATOR, bytes(15))))
write("discard-message_authenticator_bad_length-19.hex",
      append(pap, attr(MESSAGE_AUTHENTICATOR, bytes(17))))
write("discard-duplicate_message_authenticator.hex",
      append(pap_ma, attr(MESSAGE_AUTHENTICATOR, bytes(16))))
for n in (0, 15, 17, 144):
    write("discard-user_password_bad_length-%d.hex" % n,
          packet(ACCESS_REQUEST, 0x34, RA1, [attr(USER_NAME, b"1251001002"),
                                              attr(USER_PASSWORD, b"\x55" * n)]))
write("discard-duplicate_user_password.hex",
      append(pap, attr(USER_PASSWORD, hide_password(b"again", RA1))))
write("discard-user_password_with_chap_password.hex",
      append(pap, attr(CHAP_PASSWORD, b"\x01" + bytes(16))))

# Verification failures (secret "testing123", Message-Authenticator not required).
write("discard-message_authenticator_mismatch-flipped_user_name_bit.hex", flip(pap_ma, 40))
write("discard-message_authenticator_mismatch-flipped_mac_bit.hex", flip(pap_ma, 22, 7))
write("discard-message_authenticator_mismatch-other_secret.hex",
      packet(ACCESS_REQUEST, 0x35, RA2, [attr(USER_NAME, b"1251001002")], ma=True,
             secret=b"not-the-secret"))
write("discard-message_authenticator_missing-status_server.hex",
      packet(STATUS_SERVER, 0x36, RA4, [attr(NAS_IDENTIFIER, b"monitor")]))
write("discard-proxy_state_without_message_authenticator.hex",
      append(pap, attr(PROXY_STATE, b"blast")))
write("discard-accounting_authenticator_mismatch-flipped_bit.hex", flip(start, 35))
write("discard-accounting_authenticator_mismatch-other_secret.hex",
      accounting_request(0x22, [u32(ACCT_STATUS_TYPE, 1)], secret=b"not-the-secret"))
write("discard-unexpected_code-access_accept.hex", accept)
write("discard-unexpected_code-status_client.hex",
      packet(STATUS_CLIENT, 0x37, RA4, [], ma=True))
