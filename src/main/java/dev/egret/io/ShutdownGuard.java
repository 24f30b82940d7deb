package dev.egret.io;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What Ctrl-C (SIGINT, SIGTERM) means for a command that reads for a while and then writes one
 * file: interrupted while reading, nothing is written and it says so; interrupted while writing,
 * the write is let finish (it is atomic and short) and it says the file was written.
 */
public final class ShutdownGuard implements AutoCloseable {
  private static final long WRITE_WAIT_SECONDS = 60;

  private final String file;
  private final PrintWriter err;
  private final Thread hook;
  private final CountDownLatch written = new CountDownLatch(1);
  private boolean writing;
  private boolean stopping;

  private ShutdownGuard(String file, PrintWriter err) {
    this.file = Escape.forTerminal(file);
    this.err = err;
    this.hook = new Thread(this::onShutdown, "egret-shutdown");
  }

  /** Guards the run that will write {@code file}; messages go to {@code err}. */
  public static ShutdownGuard install(String file, PrintWriter err) {
    ShutdownGuard g = new ShutdownGuard(file, err);
    Runtime.getRuntime().addShutdownHook(g.hook);
    return g;
  }

  /**
   * From here on an interruption waits for the write to end. Once an interruption has said that
   * nothing was written, this does not return: the process is exiting.
   */
  public void writing() throws InterruptedException {
    synchronized (this) {
      if (!stopping) {
        writing = true;
        return;
      }
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  private void onShutdown() {
    synchronized (this) {
      if (!writing) {
        stopping = true;
        err.println("egret: interrupted; nothing written, " + file + " is as it was");
        err.flush();
        return;
      }
    }
    try {
      if (written.await(WRITE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        err.println("egret: interrupted after " + file + " was written");
      } else {
        err.println("egret: interrupted while writing " + file + "; it is as it was");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.flush();
  }

  /** The write ended (or the run ends without one); an interruption now changes nothing. */
  @Override
  public void close() {
    written.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down already: the hook reports.
    }
  }
}
