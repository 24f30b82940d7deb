package dev.egret.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
  @ParameterizedTest
  @CsvSource({
    "0.0.0.0, 0",
    "10.1.2.3, 167838211",
    "255.255.255.255, 4294967295",
    "192.168.0.10, 3232235530",
    "1.20.255.0, 18153216",
  })
  void dottedQuads(String text, long value) {
    IpAddress a = IpAddress.parse(text);
    assertEquals(IpAddress.of(0, Ip.v4Lo((int) value)), a);
    assertEquals(text, a.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "1.2.3.",
        "256.1.1.1",
        "1.2.3.1000",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.4a",
        "1.2.-3.4",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1,2,3,4",
        "1.2.3.4/8",
        "localhost",
        "::ffff:1.2.3.256",
        "1:2:3:4:5:6:7:8:9",
      })
  void notAddresses(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(text));
    assertEquals("not an IP address: \"" + text + "\"", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "::, ::",
    "::1, ::1",
    "fd00:1::5, fd00:1::5",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "::ffff:10.0.0.1, 10.0.0.1",
  })
  void ipv6(String text, String canonical) {
    assertEquals(canonical, IpAddress.parse(text).toString());
  }
}
