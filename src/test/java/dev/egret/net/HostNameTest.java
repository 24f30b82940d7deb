package dev.egret.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostNameTest {
  @Test
  void validNamesAreLowerCasedWithoutTheTrailingDot() {
    assertEquals("api.example.com", HostName.normalize("API.Example.com."));
    assertEquals("*.cdn.example.com", HostName.normalize("*.CDN.example.com"));
    assertEquals("3com.com", HostName.normalize("3com.com"));
    assertEquals("localhost", HostName.normalize("localhost"));
  }

  @Test
  void hostileOrMalformedNamesAreRefused() {
    String label63 = "a".repeat(63);
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertEquals(253, name253.length());
    assertEquals(name253, HostName.normalize(name253));
    for (String bad :
        new String[] {
          "",
          "a..b",
          ".a.b",
          "-a.b",
          "a-.b",
          "a_b.com",
          "a b.com",
          "a/b.com",
          "a#b.com",
          "a,b.com",
          "\"q\".com",
          "evil.example\n-A OUTPUT",
          "bücher.example",
          "xn--bcher-kva.example\u202e",
          "a".repeat(64) + ".com",
          name253 + "a",
          "*.com",
          "*",
          "**.example.com",
          "a.*.example.com",
          "192.0.2.1",
          "nul\0.com"
        }) {
      assertNull(HostName.normalize(bad), bad);
    }
  }

  @Test
  void aWildcardMatchesNamesUnderItButNotItself() {
    assertTrue(HostName.matches("*.example.com", "a.example.com"));
    assertTrue(HostName.matches("*.example.com", "A.B.Example.com."));
    assertFalse(HostName.matches("*.example.com", "example.com"));
    assertFalse(HostName.matches("*.example.com", "badexample.com"));
    assertTrue(HostName.matches("api.example.com", "API.example.com."));
    assertFalse(HostName.matches("api.example.com", "x.api.example.com"));
  }
}
