package dev.egret.drops;

import dev.egret.net.IpAddress;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the lines the kernel writes for a rule with a LOG target (iptables) or a {@code log}
 * statement (nftables), as {@code journalctl -k}, {@code /var/log/kern.log} and {@code dmesg} show
 * them:
 *
 * <pre>
 * Nov 29 20:00:01 gw kernel: [ 1234.567890] egret-drop IN= OUT=eth0 SRC=10.0.0.5 DST=203.0.113.25
 *     LEN=60 ... PROTO=TCP SPT=40000 DPT=25 WINDOW=64240 RES=0x00 SYN URGP=0 UID=33 GID=33
 * </pre>
 *
 * The fields are the kernel's {@code nf_log_syslog} format ({@code KEY=value} separated by spaces);
 * the time comes from what precedes the prefix: an ISO-8601 stamp ({@code journalctl -o
 * short-iso}), a syslog stamp (month, day, time: the year is given), {@code dmesg -T}'s bracketed
 * date, or {@code dmesg}'s seconds since boot. Only lines holding the prefix are read; a line with
 * the prefix but no {@code SRC=} or {@code DST=} is not an event ({@link #parse} returns null and
 * the caller counts it). Nothing here trusts the line: addresses must parse, numbers are bounded.
 */
public final class KernelLogParser {
  private static final Pattern ISO =
      Pattern.compile(
          "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?)(Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern SYSLOG =
      Pattern.compile("^([A-Z][a-z]{2}) +(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9}))?\\s");
  private static final Pattern DMESG_T =
      Pattern.compile(
          "^\\[([A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) (\\d{4}))\\]");
  private static final Pattern UPTIME = Pattern.compile("\\[ *(\\d{1,10})\\.(\\d{6})\\]");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ROOT);

  private final String prefix;
  private final int year;
  private final java.time.ZoneId zone;

  /**
   * @param prefix the log prefix the rules use (egret's default {@code "egret-drop "})
   * @param year the year for syslog stamps, which have none
   * @param zone the zone of syslog and {@code dmesg -T} stamps, which are local time
   */
  public KernelLogParser(String prefix, int year, java.time.ZoneId zone) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("the log prefix must not be empty");
    }
    this.prefix = prefix;
    this.year = year;
    this.zone = zone;
  }

  /** True when the line holds the prefix (an egret log line, parsable or not). */
  public boolean matches(String line) {
    return line.contains(prefix);
  }

  /** The event on this line, or null when the line is not one of egret's or lacks its fields. */
  public DropEvent parse(String line) {
    int at = line.indexOf(prefix);
    if (at < 0) {
      return null;
    }
    String fields = " " + line.substring(at + prefix.length()) + " ";
    String src = field(fields, "SRC");
    String dst = field(fields, "DST");
    if (src == null || dst == null) {
      return null;
    }
    try {
      src = IpAddress.parse(src).toString();
      dst = IpAddress.parse(dst).toString();
    } catch (RuntimeException e) {
      return null;
    }
    String proto = protocol(field(fields, "PROTO"));
    int port =
        proto.startsWith("icmp")
            ? number(field(fields, "TYPE"), 255)
            : number(field(fields, "DPT"), 65535);
    int uid = field(fields, "UID") == null ? -1 : number(field(fields, "UID"), Integer.MAX_VALUE);
    if (uid < 0 && field(fields, "UID") != null) {
      return null; // a user that is no number: not the kernel's line, and no "unknown user" either
    }
    int sport = proto.startsWith("icmp") ? 0 : number(field(fields, "SPT"), 65535);
    int length = number(field(fields, "LEN"), 65535 + 40);
    long[] time = time(line.substring(0, at));
    return new DropEvent(
        time[0],
        time[1] == 1,
        src,
        dst,
        proto,
        Math.max(0, port),
        uid,
        Math.max(0, sport),
        Math.max(0, length));
  }

  /** The value of {@code KEY=} in a space-padded field list, or null. */
  static String field(String fields, String key) {
    int i = fields.indexOf(" " + key + "=");
    if (i < 0) {
      return null;
    }
    int start = i + key.length() + 2;
    int end = fields.indexOf(' ', start);
    return fields.substring(start, end < 0 ? fields.length() : end);
  }

  static String protocol(String p) {
    if (p == null) {
      return "0";
    }
    return switch (p.toUpperCase(Locale.ROOT)) {
      case "TCP" -> "tcp";
      case "UDP" -> "udp";
      case "ICMP" -> "icmp";
      case "ICMPV6" -> "icmp6";
      default -> p.matches("\\d{1,3}") && Integer.parseInt(p) < 256 ? p : "0";
    };
  }

  /** A decimal in 0..max, else -1. */
  static int number(String s, int max) {
    if (s == null || !s.matches("\\d{1,10}")) {
      return -1;
    }
    long v = Long.parseLong(s);
    return v > max ? -1 : (int) v;
  }

  /** {ns, 1 if since boot} from the text before the prefix; {0, 0} when it holds no time. */
  long[] time(String head) {
    String h = head.stripLeading();
    Matcher m = ISO.matcher(h);
    if (m.find()) {
      try {
        String zone = m.group(2) == null ? "Z" : m.group(2);
        if (zone.length() == 5) {
          zone = zone.substring(0, 3) + ":" + zone.substring(3);
        }
        OffsetDateTime t = OffsetDateTime.parse(m.group(1).replace(',', '.') + zone);
        return new long[] {epochNs(t.toInstant()), 0};
      } catch (DateTimeParseException e) {
        // fall through to the other forms
      }
    }
    m = SYSLOG.matcher(h);
    if (m.find()) {
      LocalDateTime t = local(m.group(1), m.group(2), m.group(3), year);
      if (t != null) {
        long ns = epochNs(t.atZone(zone).toInstant());
        if (m.group(4) != null) {
          ns += Long.parseLong((m.group(4) + "000000000").substring(0, 9));
        }
        return new long[] {ns, 0};
      }
    }
    m = DMESG_T.matcher(h);
    if (m.find()) {
      LocalDateTime t = local(m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)));
      if (t != null) {
        return new long[] {epochNs(t.atZone(zone).toInstant()), 0};
      }
    }
    m = UPTIME.matcher(h);
    if (m.find()) {
      return new long[] {
        Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2)) * 1000L, 1
      };
    }
    return new long[] {0, 0};
  }

  private static LocalDateTime local(String month, String day, String time, int year) {
    try {
      int mon = java.time.Month.from(MONTH.parse(month)).getValue();
      return LocalDateTime.of(
          year,
          mon,
          Integer.parseInt(day),
          Integer.parseInt(time.substring(0, 2)),
          Integer.parseInt(time.substring(3, 5)),
          Integer.parseInt(time.substring(6, 8)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long epochNs(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
