package dev.egret.io;

import java.nio.file.Path;

/**
 * A separate process that takes a {@link WriterLock} (args: file, command), prints "locked", and
 * holds it until its standard input closes.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (WriterLock l = WriterLock.acquire(Path.of(args[0]), args[1], true, m -> {})) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold
      }
    }
  }

  /** Starts a holder and waits until it has the lock. */
  public static Process start(Path file, String command) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                file.toString(),
                command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] line = new byte[7];
    int n = p.getInputStream().readNBytes(line, 0, 7);
    if (n != 7 || !new String(line, 0, n).equals("locked\n")) {
      p.destroyForcibly();
      throw new IllegalStateException("lock holder did not start");
    }
    return p;
  }
}
