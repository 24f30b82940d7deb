package dev.egret.logs;

import java.util.Locale;

/** The Zeek logs egret reads, by their {@code #path} (or file name): the rest are skipped. */
enum ZeekLog {
  CONN,
  DNS,
  SSL,
  HTTP,
  QUIC,
  OTHER;

  /** The log of a {@code #path} value or a JSON {@code _path}. */
  static ZeekLog ofPath(String path) {
    return switch (path) {
      case "conn" -> CONN;
      case "dns" -> DNS;
      case "ssl" -> SSL;
      case "http" -> HTTP;
      case "quic" -> QUIC;
      default -> OTHER;
    };
  }

  /**
   * The log a file name says: {@code conn.log}, {@code conn.09:00:00-10:00:00.log.gz} (a logger's
   * archive), {@code site.conn.log}; null when the name says none.
   */
  static ZeekLog ofFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (ZeekLog l : values()) {
      if (l == OTHER) {
        continue;
      }
      String p = l.name().toLowerCase(Locale.ROOT);
      if (n.startsWith(p + ".") || n.contains("." + p + ".") || n.contains("_" + p + ".")) {
        return l;
      }
    }
    return null;
  }

  /** {@code fileName} without the name of the log it holds ({@link #ofFileName}). */
  static String withoutLogName(String fileName) {
    ZeekLog l = ofFileName(fileName);
    if (l == null) {
      return fileName;
    }
    String p = l.label();
    String n = fileName.toLowerCase(Locale.ROOT);
    int at =
        n.startsWith(p + ".") ? 0 : Math.max(n.indexOf("." + p + "."), n.indexOf("_" + p + "."));
    if (at > 0) {
      at++;
    }
    return fileName.substring(0, at) + fileName.substring(at + p.length());
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
