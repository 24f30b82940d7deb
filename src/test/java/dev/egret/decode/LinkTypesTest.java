package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import org.junit.jupiter.api.Test;

class LinkTypesTest {
  @Test
  void names() {
    assertEquals("ETHERNET", LinkTypes.name(1));
    assertEquals("LINUX_SLL2", LinkTypes.name(276));
    assertEquals("RAW", LinkTypes.name(12));
    assertEquals("RAW", LinkTypes.name(101));
    assertEquals("IEEE802_11_RADIOTAP", LinkTypes.name(127));
    assertEquals("LINKTYPE_160", LinkTypes.name(160));
  }

  @Test
  void supportedMatchesWhatTheDecoderAccepts() {
    byte[] frame = new byte[2];
    for (int lt = 0; lt < 300; lt++) {
      DecodeStats stats = new DecodeStats();
      new PacketDecoder(stats).decode(lt, frame, 0, frame.length, new DecodedPacket());
      boolean unsupported = stats.get(Kind.UNSUPPORTED_LINK) == 1;
      assertEquals(!unsupported, LinkTypes.supported(lt), "link type " + lt);
      if (LinkTypes.supported(lt)) {
        assertNotEquals("LINKTYPE_" + lt, LinkTypes.name(lt));
      }
    }
    assertTrue(LinkTypes.supported(LinkTypes.PPP_ETHER));
    assertFalse(LinkTypes.supported(105));
  }
}
