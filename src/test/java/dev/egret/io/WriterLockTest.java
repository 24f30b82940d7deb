package dev.egret.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per file, across processes. */
class WriterLockTest {
  @TempDir Path dir;

  @Test
  void aSecondWriterIsRefusedWithTheHoldersPidAndCommand() throws Exception {
    Path b = dir.resolve("baseline.json");
    Process holder = LockHolder.start(b, "egret capture");
    try {
      FileSystemException e =
          assertThrows(
              FileSystemException.class,
              () -> WriterLock.acquire(b, "egret learn", false, m -> {}));
      assertEquals(
          b
              + ": in use by PID "
              + holder.pid()
              + " (egret capture); try again when it ends, or add --wait to wait for it",
          e.getMessage());
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    try (WriterLock l = WriterLock.acquire(b, "egret learn", false, m -> {})) {
      assertEquals(
          ProcessHandle.current().pid() + " egret learn\n",
          Files.readString(WriterLock.lockFile(b)));
    }
  }

  @Test
  void withWaitItSaysWhoAndTakesTheLockWhenFree() throws Exception {
    Path b = dir.resolve("baseline.json");
    Process holder = LockHolder.start(b, "egret learn");
    List<String> said = new ArrayList<>();
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
                holder.getOutputStream().close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    releaser.start();
    long t0 = System.nanoTime();
    try (WriterLock l = WriterLock.acquire(b, "egret learn", true, said::add)) {
      assertTrue(System.nanoTime() - t0 >= 250_000_000L, "waited for the holder");
    }
    releaser.join();
    assertEquals(
        List.of(b + ": in use by PID " + holder.pid() + " (egret learn); waiting for it to end"),
        said);
  }

  @Test
  void aKilledHolderLeavesNoLockBehind() throws Exception {
    Path b = dir.resolve("baseline.json");
    Process holder = LockHolder.start(b, "egret learn");
    holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    try (WriterLock l = WriterLock.acquire(b, "egret learn", false, m -> {})) {
      assertTrue(Files.exists(WriterLock.lockFile(b)));
    }
  }

  @Test
  void theLockFollowsASymlinkToTheRealFile() throws Exception {
    Path real = Files.createDirectory(dir.resolve("data")).resolve("b.json");
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
    assertEquals(dir.resolve("data").resolve("b.json.lock"), WriterLock.lockFile(link));
  }
}
