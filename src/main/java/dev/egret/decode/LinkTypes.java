package dev.egret.decode;

/**
 * pcap link types (the LINKTYPE_ values of https://www.tcpdump.org/linktypes.html, as stored in
 * capture files) that the decoder reads, and names for summaries.
 */
public final class LinkTypes {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  public static final int NULL = 0;

  public static final int ETHERNET = 1;

  /** PPP, RFC 1661, with or without the RFC 1662 {@code ff 03} address and control bytes. */
  public static final int PPP = 9;

  /** DLT_RAW as some systems wrote it into files before LINKTYPE_RAW existed. */
  public static final int RAW_DLT12 = 12;

  /** DLT_RAW as OpenBSD numbers it. */
  public static final int RAW_DLT14 = 14;

  /** PPP in HDLC-like framing, RFC 1662. */
  public static final int PPP_HDLC = 50;

  /** PPPoE session stage, RFC 2516, without the Ethernet header. */
  public static final int PPP_ETHER = 51;

  /** Raw IP: the packet starts with an IPv4 or IPv6 header. */
  public static final int RAW = 101;

  /** Cisco HDLC: address, control and an EtherType. */
  public static final int C_HDLC = 104;

  /** OpenBSD loopback: 4-byte address family in network byte order. */
  public static final int LOOP = 108;

  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  private LinkTypes() {}

  /** Whether {@link PacketDecoder} decodes packets of this link type. */
  public static boolean supported(int linkType) {
    return switch (linkType) {
      case NULL,
              ETHERNET,
              PPP,
              RAW_DLT12,
              RAW_DLT14,
              PPP_HDLC,
              PPP_ETHER,
              RAW,
              C_HDLC,
              LOOP,
              LINUX_SLL,
              IPV4,
              IPV6,
              LINUX_SLL2 ->
          true;
      default -> false;
    };
  }

  /**
   * The LINKTYPE_ name without its prefix ({@code ETHERNET}, {@code LINUX_SLL}); some link types
   * the decoder does not read are named too, so that a summary can say what was skipped. Any other
   * value gives {@code LINKTYPE_<n>}.
   */
  public static String name(int linkType) {
    return switch (linkType) {
      case NULL -> "NULL";
      case ETHERNET -> "ETHERNET";
      case PPP -> "PPP";
      case RAW_DLT12, RAW_DLT14, RAW -> "RAW";
      case PPP_HDLC -> "PPP_HDLC";
      case PPP_ETHER -> "PPP_ETHER";
      case C_HDLC -> "C_HDLC";
      case LOOP -> "LOOP";
      case LINUX_SLL -> "LINUX_SLL";
      case IPV4 -> "IPV4";
      case IPV6 -> "IPV6";
      case LINUX_SLL2 -> "LINUX_SLL2";
      case 8 -> "SLIP";
      case 105 -> "IEEE802_11";
      case 107 -> "FRELAY";
      case 117 -> "PFLOG";
      case 119 -> "IEEE802_11_PRISM";
      case 127 -> "IEEE802_11_RADIOTAP";
      case 189 -> "USB_LINUX";
      case 195 -> "IEEE802_15_4_WITHFCS";
      case 220 -> "USB_LINUX_MMAPPED";
      case 226 -> "IPNET";
      case 231 -> "DBUS";
      case 239 -> "NFLOG";
      case 258 -> "PKTAP";
      default -> "LINKTYPE_" + linkType;
    };
  }
}
