package dev.egret.io;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV output: RFC 4180 quoting with {@code \n} line ends, and cells made safe for spreadsheets. */
public final class Csv {
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setRecordSeparator("\n").build();

  private Csv() {}

  public static CSVPrinter printer(Writer out, String... header) throws IOException {
    return new CSVPrinter(out, FORMAT.builder().setHeader(header).build());
  }

  /**
   * A text cell as written: control characters escaped (as for a terminal) and a leading {@code =},
   * {@code +}, {@code -}, {@code @}, tab or CR prefixed with {@code '} so that a spreadsheet shows
   * it as text instead of running it as a formula (OWASP "CSV injection").
   */
  public static String cell(String s) {
    String e = Escape.forTerminal(s);
    if (!e.isEmpty()) {
      char c = e.charAt(0);
      if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
        return "'" + e;
      }
    }
    return e;
  }
}
