package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loading libpcap on a machine that has only the versioned library (Debian's libpcap0.8). */
class LivePcap4jLibraryTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(Pcap4jLiveSource.LIB_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(Pcap4jLiveSource.LIB_PROPERTY);
    } else {
      System.setProperty(Pcap4jLiveSource.LIB_PROPERTY, saved);
    }
  }

  @Test
  void theVersionedLibraryIsChosenWhenNothingIsSet() {
    Path so =
        Arrays.stream(new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"})
            .map(d -> Path.of(d, "libpcap.so.0.8"))
            .filter(Files::isReadable)
            .findFirst()
            .orElse(null);
    if (so == null) {
      // scripts/test installs libpcap0.8, which has it.
      dev.egret.testutil.Requirements.unavailable("no libpcap.so.0.8 on this machine");
    }
    System.clearProperty(Pcap4jLiveSource.LIB_PROPERTY);
    Pcap4jLiveSource.useVersionedLibrary();
    assertEquals(so.toString(), System.getProperty(Pcap4jLiveSource.LIB_PROPERTY));
  }

  @Test
  void aChoiceAlreadyMadeIsKept() {
    System.setProperty(Pcap4jLiveSource.LIB_PROPERTY, "/opt/pcap/libpcap.so.1");
    Pcap4jLiveSource.useVersionedLibrary();
    assertEquals("/opt/pcap/libpcap.so.1", System.getProperty(Pcap4jLiveSource.LIB_PROPERTY));
  }

  @Test
  void libpcapLoadsAndSaysItsVersion() {
    String v = Pcap4jLiveSource.libraryVersion();
    assertTrue(v.startsWith("libpcap version "), v);
  }

  @Test
  void devicesCanBeListedWithoutOpeningThem() {
    assertTrue(
        Pcap4jLiveSource.devices().stream().anyMatch(LiveDevice::loopback),
        "the loopback device is listed");
  }
}
