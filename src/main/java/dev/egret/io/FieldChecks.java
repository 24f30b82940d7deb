package dev.egret.io;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of single values read from files (addresses, prefixes, ports, protocols, dates, counts),
 * shared by every reader so that the same mistake gets the same words. Each throws {@link
 * InputException} with the field's name as the path and the value quoted, escaped for a terminal.
 */
public final class FieldChecks {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private FieldChecks() {}

  /** The value quoted for a message: escaped, and cut after 60 characters. */
  public static String quote(String s) {
    if (s == null) {
      return "nothing";
    }
    String e = Escape.forTerminal(s);
    return "\"" + (e.length() > 60 ? e.substring(0, 57) + "..." : e) + "\"";
  }

  public static String present(String field, String v) {
    if (v == null) {
      throw InputException.field(List.of(field), "missing");
    }
    return v;
  }

  public static IpAddress ip(String field, String v) {
    present(field, v);
    try {
      return IpAddress.parse(v);
    } catch (IllegalArgumentException e) {
      throw InputException.field(List.of(field), "not an IP address: " + quote(v));
    }
  }

  public static Cidr cidr(String field, String v) {
    present(field, v);
    try {
      return Cidr.parse(v);
    } catch (IllegalArgumentException e) {
      throw InputException.field(List.of(field), "not an address or prefix: " + quote(v));
    }
  }

  public static int port(String field, long v) {
    if (v < 0 || v > 65535) {
      throw InputException.field(List.of(field), "port " + v + " out of range (0 to 65535)");
    }
    return (int) v;
  }

  public static int protocol(String field, String v) {
    present(field, v);
    try {
      return Protocols.parse(v);
    } catch (IllegalArgumentException e) {
      throw InputException.field(
          List.of(field),
          "unknown protocol " + quote(v) + " (expected tcp, udp, icmp, icmp6 or 0-255)");
    }
  }

  /** A UTC day, {@code yyyy-MM-dd}, a real date. */
  public static LocalDate day(String field, String v) {
    present(field, v);
    try {
      return LocalDate.parse(v, DAY);
    } catch (DateTimeException e) {
      throw InputException.field(List.of(field), "not a date (yyyy-MM-dd): " + quote(v));
    }
  }

  public static long count(String field, long v) {
    if (v < 0) {
      throw InputException.field(List.of(field), "must not be negative, found " + v);
    }
    return v;
  }

  /** A short lower-case identifier such as a source kind ({@code file}, {@code dns}). */
  public static String word(String field, String v) {
    present(field, v);
    if (!WORD.matcher(v).matches()) {
      throw InputException.field(
          List.of(field), "expected a short lower-case word, found " + quote(v));
    }
    return v;
  }

  /** {@code first} is not after {@code last}. */
  public static void ordered(String firstField, long first, String lastField, long last) {
    if (first > last) {
      throw InputException.field(
          List.of(firstField), first + " is after " + lastField + " " + last);
    }
  }
}
