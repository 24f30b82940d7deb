package dev.egret.cli;

import dev.egret.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where a command's text output goes: stdout, or a named file written atomically. */
final class Output {
  @FunctionalInterface
  interface Body {
    void write(Writer w) throws IOException;
  }

  private Output() {}

  static void to(PrintWriter stdout, String path, Body body) throws IOException {
    if (path == null || path.equals("-")) {
      body.write(stdout);
      stdout.flush();
      return;
    }
    AtomicFile.write(
        Path.of(path),
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          body.write(w);
          w.flush();
        });
  }
}
