import assert from "node:assert/strict";
import {
  cidrContains,
  formatIp,
  isIpLiteral,
  parseCidr,
  parseIPv4,
  parseIPv6,
} from "../../../src/protocol/socks5/ip_address.ts";

Deno.test("parseIPv4 accepts dotted quads only", () => {
  assert.deepEqual(parseIPv4("192.0.2.255"), Uint8Array.of(192, 0, 2, 255));
  for (
    const bad of [
      "256.0.0.1",
      "1.2.3",
      "1.2.3.4.5",
      "01.2.3.4",
      "a.b.c.d",
      "",
      "1.2.3.4 ",
    ]
  ) {
    assert.equal(parseIPv4(bad), null, bad);
  }
});

Deno.test("parseIPv6 handles compression and embedded IPv4", () => {
  const hex = (b: Uint8Array | null): string | null =>
    b === null
      ? null
      : Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  assert.equal(hex(parseIPv6("::1")), "00000000000000000000000000000001");
  assert.equal(hex(parseIPv6("::")), "0".repeat(32));
  assert.equal(hex(parseIPv6("2001:db8::")), "20010db8" + "0".repeat(24));
  assert.equal(
    hex(parseIPv6("1:2:3:4:5:6:7:8")),
    "00010002000300040005000600070008",
  );
  assert.equal(
    hex(parseIPv6("::ffff:192.0.2.1")),
    "00000000000000000000ffffc0000201",
  );
  assert.equal(
    hex(parseIPv6("FE80::A:b")),
    "fe80" + "0".repeat(20) + "000a000b",
  );
  for (
    const bad of [
      "1:2:3:4:5:6:7",
      "1::2::3",
      ":::",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "[::1]",
      "::1%eth0",
      "g::1",
      "1.2.3.4",
      "example.org",
    ]
  ) {
    assert.equal(parseIPv6(bad), null, bad);
  }
  assert.ok(
    isIpLiteral("::1") && isIpLiteral("10.0.0.1") && !isIpLiteral("localhost"),
  );
});

Deno.test("formatIp shortens IPv6 as RFC 5952 does", () => {
  assert.equal(formatIp(Uint8Array.of(127, 0, 0, 1)), "127.0.0.1");
  assert.equal(
    formatIp(parseIPv6("2001:db8:0:0:1:0:0:1")!),
    "2001:db8::1:0:0:1",
  );
  assert.equal(
    formatIp(parseIPv6("2001:db8:0:1:1:1:1:1")!),
    "2001:db8:0:1:1:1:1:1",
  );
  assert.equal(formatIp(parseIPv6("::")!), "::");
  assert.equal(formatIp(parseIPv6("fe80::")!), "fe80::");
});

Deno.test("CIDR ranges", () => {
  const net = parseCidr("192.168.0.0/16")!;
  assert.ok(cidrContains(net, "192.168.44.1"));
  assert.ok(!cidrContains(net, "192.169.0.1"));
  assert.ok(!cidrContains(net, "::1"));
  assert.ok(!cidrContains(net, "example.org"));
  const odd = parseCidr("10.0.0.0/9")!;
  assert.ok(cidrContains(odd, "10.127.255.255"));
  assert.ok(!cidrContains(odd, "10.128.0.0"));
  assert.ok(cidrContains(parseCidr("0.0.0.0/0")!, "8.8.8.8"));
  const v6 = parseCidr("fd00::/8")!;
  assert.ok(cidrContains(v6, "fd12:3456::1"));
  assert.ok(!cidrContains(v6, "fe80::1"));
  assert.ok(cidrContains(parseCidr("::1")!, "::1"));
  assert.ok(!cidrContains(parseCidr("10.0.0.1")!, "10.0.0.2"));
  for (
    const bad of [
      "10.0.0.0/33",
      "10.0.0.0/",
      "10.0.0.0/x",
      "example.org/8",
      "::/129",
    ]
  ) {
    assert.equal(parseCidr(bad), null, bad);
  }
});
