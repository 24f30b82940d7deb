package dev.egret.cli;

import dev.egret.enforce.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks on standard error and waits for "yes" on standard input, which only arrives if the new rules
 * still let the operator's session through.
 */
final class StdinConfirmation implements Transaction.Confirmation {
  private final InputStream in;
  private final PrintWriter err;
  private final int seconds;

  StdinConfirmation(InputStream in, PrintWriter err, int seconds) {
    this.in = in;
    this.err = err;
    this.seconds = seconds;
  }

  @Override
  public boolean confirmed() throws InterruptedException {
    err.println(
        "egret: new rules loaded. Type yes within "
            + seconds
            + " s to keep them; otherwise they are rolled back.");
    err.flush();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return r.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String s = line.get(seconds, TimeUnit.SECONDS);
      return s != null && (s.trim().equalsIgnoreCase("yes") || s.trim().equalsIgnoreCase("y"));
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
  }
}
