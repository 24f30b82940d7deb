package dev.egret.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * One writer per file: an OS lock ({@code fcntl}) on {@code <file>.lock} beside it, held from
 * before the file is read until after it is last written, so that two runs that read, add and write
 * back the same baseline cannot lose each other's work. The kernel releases the lock when the
 * holder exits, even after {@code kill -9}, so a stale lock cannot block anyone; the lock file
 * itself stays (deleting it would let a waiter and a newcomer lock two different files). It holds
 * the holder's process id and command, which a refused writer reports.
 */
public final class WriterLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WriterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of {@code target}: {@code <target>.lock} beside it (through a symlink). */
  public static Path lockFile(Path target) throws IOException {
    Path real = AtomicFile.resolveLinks(target.toAbsolutePath());
    return real.resolveSibling(real.getFileName() + ".lock");
  }

  /**
   * Takes the lock on {@code target} for {@code command} (such as {@code egret learn}). When
   * another process holds it: without {@code wait}, fails at once with a message naming the holder;
   * with {@code wait}, tells {@code waiting} who holds it and blocks until it is free.
   */
  public static WriterLock acquire(
      Path target, String command, boolean wait, Consumer<String> waiting) throws IOException {
    AtomicFile.checkParent(target);
    Path file = lockFile(target);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock l = tryLock(ch);
      if (l == null) {
        String holder = holder(ch);
        String busy = target + ": in use by " + holder;
        if (!wait) {
          throw new FileSystemException(
              busy + "; try again when it ends, or add --wait to wait for it");
        }
        waiting.accept(busy + "; waiting for it to end");
        l = ch.lock();
      }
      byte[] me =
          (ProcessHandle.current().pid() + " " + command + "\n").getBytes(StandardCharsets.UTF_8);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(me), 0);
      ch.force(false);
      return new WriterLock(ch, l);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this process (tests run several commands in one JVM)
    }
  }

  /** "PID 1234 (egret learn)" from the lock file, or a fallback when it is empty or garbled. */
  static String holder(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    ch.read(buf, 0);
    String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    int sp = s.indexOf(' ');
    if (sp <= 0 || !s.substring(0, sp).chars().allMatch(Character::isDigit)) {
      return "another egret process";
    }
    String cmd = s.substring(sp + 1);
    int nl = cmd.indexOf('\n');
    cmd = Escape.forTerminal(nl < 0 ? cmd : cmd.substring(0, nl));
    return "PID " + s.substring(0, sp) + " (" + cmd + ")";
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
