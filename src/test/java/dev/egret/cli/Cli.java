package dev.egret.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs egret in-process and keeps what it printed. */
record Cli(int rc, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Cli(rc, out.toString(), err.toString());
  }

  Cli ok() {
    if (rc != 0) {
      throw new AssertionError("exit " + rc + ": " + err);
    }
    return this;
  }
}
