package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baseline files egret must refuse, each with a message that names the file and the problem. */
class BaselineJsonErrorsTest {
  private static final Pattern AT = Pattern.compile(":(\\d+):(\\d+): ");

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static String sample() {
    Baseline b = new RandomBaselines(42L).next();
    return new String(BaselineJson.toBytes(b), StandardCharsets.UTF_8);
  }

  private static BaselineException refused(Path f) {
    BaselineException e = assertThrows(BaselineException.class, () -> BaselineJson.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ":"), e.getMessage());
    return e;
  }

  @Test
  void newerMajorSchemaIsRefused() throws IOException {
    Path f = file("future.json", sample().replace("\"" + Baseline.SCHEMA + "\"", "\"2.0\""));
    String m = refused(f).getMessage();
    assertTrue(m.contains("schema 2.0 is newer"), m);
    assertTrue(m.contains("upgrade egret"), m);
  }

  @Test
  void newerMajorIsRefusedEvenWhenTheRestIsUnknown() throws IOException {
    Path f = file("future2.json", "{\"schemaVersion\": \"7.3\", \"shape\": [\"whatever\"]}");
    assertTrue(refused(f).getMessage().contains("schema 7.3 is newer"));
  }

  @Test
  void newerMinorOfTheSameMajorIsRead() throws IOException {
    String s =
        sample().replace("\"" + Baseline.SCHEMA + "\"", "\"" + Baseline.SCHEMA_MAJOR + ".9\"");
    Baseline b = BaselineJson.read(file("minor.json", s));
    assertEquals(Baseline.SCHEMA_MAJOR + ".9", b.schemaVersion());
  }

  @Test
  void badSchemaVersionIsNamed() throws IOException {
    Path f = file("bad-version.json", "{\"schemaVersion\": \"one\"}");
    assertEquals(
        f
            + ":1:19: schemaVersion: expected major.minor such as "
            + Baseline.SCHEMA
            + ", found \"one\"",
        refused(f).getMessage());
  }

  @Test
  void schemaVersionMustComeFirst() throws IOException {
    Path f = file("later.json", "{\"egretVersion\": \"x\", \"schemaVersion\": \"1.0\"}");
    assertTrue(refused(f).getMessage().contains("no schemaVersion first"));
  }

  @Test
  void truncatedFileNamesLineAndColumn() throws IOException {
    String s = sample();
    String cut = s.substring(0, s.length() * 2 / 3);
    String m = refused(file("cut.json", cut)).getMessage();
    assertTrue(m.contains("the file ends in the middle of a value (cut short?)"), m);
    int[] at = position(m);
    assertEquals(cut.split("\n", -1).length, at[0], "last line: " + m);
  }

  @Test
  void garbageInTheMiddleNamesItsLine() throws IOException {
    String[] lines = sample().split("\n", -1);
    assertTrue(lines.length > 12);
    lines[10] = lines[10] + " }{ garbage";
    String m = refused(file("garbage.json", String.join("\n", lines))).getMessage();
    assertEquals(11, position(m)[0], m);
  }

  @Test
  void wrongTypeNamesItsLine() throws IOException {
    String[] lines = sample().split("\n", -1);
    int i = indexOf(lines, "\"packets\"");
    lines[i] = lines[i].replaceAll(": *[0-9]+", ": \"many\"");
    String m = refused(file("type.json", String.join("\n", lines))).getMessage();
    assertEquals(i + 1, position(m)[0], m);
  }

  @Test
  void invalidRecordIsQuoted() throws IOException {
    String[] lines = sample().split("\n", -1);
    int i = indexOf(lines, "\"port\"");
    lines[i] = lines[i].replaceAll(": *[0-9]+", ": 70000");
    String m = refused(file("port.json", String.join("\n", lines))).getMessage();
    assertTrue(m.contains("entries[0]: port 70000 out of range (0 to 65535)"), m);
    position(m);
  }

  @Test
  void unknownFieldIsRefused() throws IOException {
    String s = sample().replaceFirst("\"counters\"", "\"countres\"");
    String m = refused(file("typo.json", s)).getMessage();
    assertTrue(m.contains(": unknown field \"countres\" (expected one of counters, "), m);
    position(m);
  }

  /** Columns counted by hand: the value at fault, or the key of a repeated or unknown field. */
  @Test
  void eachKindOfValueProblemIsPlacedAtItsValue() throws IOException {
    String head = "{\"schemaVersion\":\"1.1\",\"egretVersion\":\"t\",";
    String entry =
        "{\"host\":\"10.0.0.1\",\"destination\":\"192.0.2.1\",\"protocol\":\"tcp\","
            + "\"port\":443,";
    Object[][] cases = {
      {
        head + "\"entries\":[\n" + entry + "\"flows\":[1]}]}",
        "2:82: entries[0].flows: expected a whole number"
      },
      {
        head + "\"entries\":[\n" + entry + "\"hours\":[3,null]}]}",
        "2:85: entries[0].hours[1]: expected a whole number, found \"null\""
      },
      {
        head + "\"entries\":[\n" + entry + "\"port\":80}]}",
        "2:74: entries[0]: duplicate field \"port\""
      },
      {
        head + "\"entries\":[\n" + entry + "\"days\":{}}]}",
        "2:81: entries[0].days: expected a list"
      },
      {
        head + "\"entries\":[\n" + entry + "\"internalDestination\":1}]}",
        "2:96: entries[0].internalDestination: expected true or false, found \"1\""
      },
      {
        head + "\"entries\":[\n" + entry + "\"fl\":1}]}",
        "2:74: entries[0]: unknown field \"fl\" (expected one of answered, bytesIn, bytesOut, days, destination, firstSeenNs, flows, gapSumMs, gapSumSqMs, gaps, host, hours, internalDestination, lastSeenNs, packetsIn, packetsOut, port, protocol, rejected, uid, unanswered)"
      },
      {
        head + "\"entries\":[\n{\"fl\":1}]}",
        "2:1: entries[0]: an entry needs host, destination and protocol; host is missing"
      },
      {head + "\"entries\":7}", "1:53: entries: expected a list, found \"7\""},
      {head + "\"egretVersion\":\"u\"}", "1:43: duplicate field \"egretVersion\""},
      {
        head + "\"counters\":{\"flows\":99999999999999999999}}",
        "1:63: counters.flows: expected a whole number, found \"99999999999999999999\""
      },
    };
    for (int i = 0; i < cases.length; i++) {
      Path f = file("value" + i + ".json", (String) cases[i][0]);
      assertEquals(f + ":" + cases[i][1], refused(f).getMessage(), (String) cases[i][0]);
    }
  }

  @Test
  void binaryGarbage() throws IOException {
    Path f = dir.resolve("random.json");
    byte[] b = new byte[256];
    Arrays.fill(b, (byte) 0x9c);
    Files.write(f, b);
    String m = refused(f).getMessage();
    assertTrue(m.endsWith(": not a baseline (a baseline is JSON, starting with {)"), m);
  }

  @Test
  void notAnObject() throws IOException {
    assertTrue(
        refused(file("array.json", "[1, 2]"))
            .getMessage()
            .contains("a baseline is JSON, starting"));
  }

  @Test
  void emptyFile() throws IOException {
    assertTrue(refused(file("empty.json", "")).getMessage().contains("empty file"));
  }

  @Test
  void whitespaceOnly() throws IOException {
    String m = refused(file("blank.json", "\n\n  \n")).getMessage();
    assertTrue(m.contains("not a baseline"), m);
  }

  @Test
  void directory() throws IOException {
    Path d = Files.createDirectory(dir.resolve("state.json"));
    assertTrue(refused(d).getMessage().contains("is a directory"));
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.json");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> BaselineJson.read(f));
    assertEquals(f.toString(), e.getFile());
  }

  @Test
  void parseNamesItsInput() {
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () -> BaselineJson.parse("{\"schemaVersion\":\"1.0\",".getBytes(), "stdin"));
    assertEquals("stdin:1:24: the file ends in the middle of a value (cut short?)", e.getMessage());
  }

  private static int indexOf(String[] lines, String s) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(s)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + s);
  }

  private static int[] position(String message) {
    Matcher m = AT.matcher(message);
    assertTrue(m.find(), "no line and column in: " + message);
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }
}
