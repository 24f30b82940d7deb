package dev.egret.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by egret behave like files an admin set up: mode, symlinks, directories. */
class AtomicFileTest {
  @TempDir Path dir;

  private static void write(Path p, String s) throws IOException {
    AtomicFile.write(p, s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anExistingFileKeepsItsMode() throws IOException {
    Path f = dir.resolve("baseline.json");
    write(f, "one");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    write(f, "two");
    assertEquals("two", Files.readString(f));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void aNewFileGetsTheUsualModeNotAPrivateTempFilesMode() throws IOException {
    Path f = dir.resolve("new.json");
    write(f, "x");
    // createTempFile would make it rw-------; a new file follows the umask (022 or 002 here).
    assertTrue(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(f)).startsWith("rw-r"),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void aSymlinkIsWrittenThroughAndStaysALink() throws IOException {
    Path real = Files.createDirectory(dir.resolve("data")).resolve("baseline.json");
    write(real, "old");
    Path link =
        Files.createSymbolicLink(dir.resolve("current.json"), Path.of("data/baseline.json"));
    write(link, "new");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("new", Files.readString(real));
  }

  @Test
  void aDanglingSymlinkCreatesItsTarget() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("b.json"), Path.of("target.json"));
    write(link, "x");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("x", Files.readString(dir.resolve("target.json")));
  }

  @Test
  void aMissingDirectoryIsAnErrorNotCreated() {
    Path f = dir.resolve("typo").resolve("baseline.json");
    FileSystemException e = assertThrows(FileSystemException.class, () -> write(f, "x"));
    assertEquals(
        f + ": cannot write it, directory " + dir.resolve("typo") + " does not exist",
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("typo")));
  }

  @Test
  void aDirectoryIsNotReplacedAndIsNamed() throws IOException {
    Path d = Files.createDirectory(dir.resolve("policy.yaml"));
    FileSystemException e = assertThrows(FileSystemException.class, () -> write(d, "x"));
    assertEquals(d + ": is a directory, not a file to write", e.getMessage());
    assertTrue(Files.isDirectory(d));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp file left");
    }
  }

  @Test
  void aDirectoryNoFileCanBeCreatedInNamesTheTargetNotTheTempFile() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
    Path f = Path.of("/proc/policy.yaml");
    FileSystemException e = assertThrows(FileSystemException.class, () -> write(f, "x"));
    assertEquals(
        "/proc/policy.yaml: cannot write it in /proc: cannot create a file there", e.getMessage());
  }

  @Test
  void staleTempFilesOfDeadProcessesAreRemovedOthersKept() throws IOException {
    Path f = dir.resolve("baseline.json");
    long dead = deadPid();
    Path stale = Files.writeString(dir.resolve(".baseline.json." + dead + ".abc123.tmp"), "half");
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path busy = Files.writeString(dir.resolve(".baseline.json." + live + ".def456.tmp"), "busy");
    Path other = Files.writeString(dir.resolve(".other.json." + dead + ".abc123.tmp"), "other");
    write(f, "x");
    assertFalse(Files.exists(stale), "a dead writer's temp file is removed");
    assertTrue(Files.exists(busy), "a running writer's temp file is left alone");
    assertTrue(Files.exists(other), "another file's temp file is left alone");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(3, s.count(), "no temp file of this write is left");
    }
  }

  /** A process id that is not running: a child that has exited. */
  static long deadPid() throws IOException {
    Process p = new ProcessBuilder("true").start();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertFalse(ProcessHandle.of(p.pid()).isPresent());
    return p.pid();
  }
}
