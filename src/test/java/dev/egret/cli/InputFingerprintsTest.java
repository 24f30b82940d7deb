package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.egret.baseline.SourceRecord;
import dev.egret.io.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprints taken beside the replay: the files' fingerprints, or one refusal that stops it. */
class InputFingerprintsTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void distinctFilesGiveTheirFingerprints() throws Exception {
    Path a = file("a.pcap", "one");
    Path b = file("b.log", "two");
    AtomicInteger stops = new AtomicInteger();
    InputFingerprints f =
        InputFingerprints.start(
            List.of(a.toString(), "-", b.toString()),
            List.of(),
            "b.json",
            Set.of(a.toString()),
            stops::incrementAndGet);
    assertEquals(
        Map.of(Fingerprint.of(a), a.toString(), Fingerprint.of(b), b.toString()), f.await());
    assertEquals(0, stops.get());
  }

  @Test
  void aCaptureGivenTwiceIsRefusedAndStopsTheReplay() throws Exception {
    Path a = file("a.pcap", "same");
    Path b = file("b.pcap", "same");
    AtomicInteger stops = new AtomicInteger();
    InputFingerprints f =
        InputFingerprints.start(
            List.of(a.toString(), b.toString()),
            List.of(),
            "b.json",
            Set.of(a.toString(), b.toString()),
            stops::incrementAndGet);
    UserError e = assertThrows(UserError.class, f::await);
    assertEquals(b + ": same capture as " + a + "; not counted twice", e.getMessage());
    assertEquals(1, stops.get());
  }

  @Test
  void aLogAlreadyInTheBaselineIsRefused() throws Exception {
    Path a = file("conn.log", "rows");
    SourceRecord known = new SourceRecord("zeek", "conn.log", Fingerprint.of(a), 0, 0, 1);
    AtomicInteger stops = new AtomicInteger();
    InputFingerprints f =
        InputFingerprints.start(
            List.of(a.toString()), List.of(known), "b.json", Set.of(), stops::incrementAndGet);
    UserError e = assertThrows(UserError.class, f::await);
    assertEquals(
        a + ": already in b.json (absorbed as conn.log); not counted twice", e.getMessage());
    assertEquals(1, stops.get());
  }
}
