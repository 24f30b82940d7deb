package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one text form of wire names: every octet, as a host name and inside a DNS label. */
class NameTextTest {
  private static String host(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return NameText.host(b, 0, b.length);
  }

  @Test
  void everyOctetOfAHostName() {
    for (int c = 0; c < 256; c++) {
      String expected;
      if (c >= 'A' && c <= 'Z') {
        expected = String.valueOf((char) (c + 32));
      } else if (c == '\\') {
        expected = "\\\\";
      } else if (c >= 0x21 && c <= 0x7e) {
        expected = String.valueOf((char) c);
      } else {
        expected = String.format("\\%03d", c);
      }
      assertEquals(expected, NameText.host(new byte[] {(byte) c}, 0, 1), "octet " + c);
    }
  }

  @Test
  void hostNamesKeepTheirDotsAndEscapeTheRest() {
    assertEquals("www.example.com", host("WWW.Example.COM"));
    assertEquals("a\\032b\\010.c\\\\d\\255", host("a b\n.c\\d\u00ff"));
    assertNull(NameText.host(new byte[0], 0, 0));
    assertNull(NameText.host(new byte[256], 0, 256), "over 255 octets");
    assertEquals(4 * 255, NameText.host(new byte[255], 0, 255).length(), "all escaped");
  }

  @Test
  void aDotInsideADnsLabelIsEscaped() {
    byte[] text = new byte[8];
    assertEquals(2, NameText.putOctet(text, 0, '.', true));
    assertEquals(2, NameText.width('.', true));
    assertEquals("\\.", new String(text, 0, 2, StandardCharsets.ISO_8859_1));
    assertEquals(1, NameText.putOctet(text, 0, '.', false));
    assertEquals(1, NameText.width('.', false));
  }
}
