package dev.egret.net;

import java.util.List;

/**
 * A fixed list of networks asked whether it holds an address, several times per flow: each
 * network's masks and prefix side by side in one array, so that a question is a loop over longs.
 * Asked through a {@code List<Cidr>}, every network was an interface call and two mask calls under
 * C1 (the launcher's compiler), which inlines little.
 */
public final class CidrSet {
  /** Per network: the mask of the high word, the prefix's high word, then the same of the low. */
  private final long[] words;

  private CidrSet(long[] words) {
    this.words = words;
  }

  public static CidrSet of(List<Cidr> networks) {
    long[] w = new long[networks.size() * 4];
    for (int i = 0; i < networks.size(); i++) {
      Cidr c = networks.get(i);
      w[4 * i] = Cidr.maskHi(c.bits());
      w[4 * i + 1] = c.hi();
      w[4 * i + 2] = Cidr.maskLo(c.bits());
      w[4 * i + 3] = c.lo();
    }
    return new CidrSet(w);
  }

  /** Whether a network of the set holds the address; {@link Cidr#contains(long, long)} of each. */
  public boolean contains(long hi, long lo) {
    long[] w = words;
    for (int i = 0; i < w.length; i += 4) {
      if ((hi & w[i]) == w[i + 1] && (lo & w[i + 2]) == w[i + 3]) {
        return true;
      }
    }
    return false;
  }
}
