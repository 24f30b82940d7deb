package dev.egret.net;

/** IANA protocol numbers the pipeline names. */
public final class Protocols {
  public static final int ICMP = 1;
  public static final int IGMP = 2;
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int GRE = 47;
  public static final int ESP = 50;
  public static final int AH = 51;
  public static final int ICMPV6 = 58;
  public static final int VRRP = 112;
  public static final int SCTP = 132;

  private Protocols() {}

  public static String name(int proto) {
    return switch (proto) {
      case TCP -> "tcp";
      case UDP -> "udp";
      case ICMP -> "icmp";
      case ICMPV6 -> "icmp6";
      default -> Integer.toString(proto);
    };
  }

  /** Inverse of {@link #name}; accepts a number too. */
  public static int parse(String s) {
    return switch (s) {
      case "tcp" -> TCP;
      case "udp" -> UDP;
      case "icmp" -> ICMP;
      case "icmp6", "ipv6-icmp", "icmpv6" -> ICMPV6;
      default -> {
        try {
          int p = Integer.parseInt(s);
          if (p < 0 || p > 255) {
            throw new NumberFormatException();
          }
          yield p;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "unknown protocol: \"" + s + "\" (expected tcp, udp, icmp, icmp6 or 0-255)");
        }
      }
    };
  }
}
