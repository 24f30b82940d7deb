package dev.egret.decode;

import dev.egret.decode.DecodeStats.Kind;

/**
 * The decoder's layer readers return an offset (zero or more) on success and a negative code naming
 * a {@link Kind} when they skip the packet, so that no result object is made per packet.
 */
final class Outcome {
  private static final Kind[] KINDS = Kind.values();

  private Outcome() {}

  /** The negative code for {@code kind}. */
  static int fail(Kind kind) {
    return -1 - kind.ordinal();
  }

  /** The kind a negative code names. */
  static Kind kind(long code) {
    return KINDS[(int) (-1 - code)];
  }
}
