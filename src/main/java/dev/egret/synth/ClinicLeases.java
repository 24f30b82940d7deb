package dev.egret.synth;

import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The router's DHCP pool for the clinic's laptops ({@link ClinicWorld}): leases last a day, so a
 * laptop that comes back the next day keeps its address (RFC 2131 3.2, INIT-REBOOT), and one away
 * for a day loses it; laptops arriving without a lease get the lowest free address, in the order
 * they arrive. An address thus belongs to different laptops on different days.
 */
final class ClinicLeases {
  private final int base;

  /** Each pool address's laptop (its index among the laptops), or -1. */
  private final int[] holder;

  ClinicLeases(int base, int size) {
    this.base = base;
    this.holder = new int[size];
    Arrays.fill(holder, -1);
  }

  /**
   * The day's laptops, each at its address of the day, in the order they arrived: {@code present}
   * are those that come (in any order); the others' leases expire. A laptop the pool has no free
   * address for stays offline.
   */
  List<Host> day(List<Host> laptops, boolean[] present, SplittableRandom rnd) {
    for (int a = 0; a < holder.length; a++) {
      if (holder[a] >= 0 && !present[holder[a]]) {
        holder[a] = -1;
      }
    }
    List<Integer> arrivals = new ArrayList<>();
    for (int i = 0; i < present.length; i++) {
      if (present[i]) {
        arrivals.add(i);
      }
    }
    for (int i = arrivals.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Integer t = arrivals.get(i);
      arrivals.set(i, arrivals.get(j));
      arrivals.set(j, t);
    }
    List<Host> out = new ArrayList<>();
    for (int laptop : arrivals) {
      int a = addressOf(laptop);
      if (a < 0) {
        a = lowestFree();
        if (a < 0) {
          continue;
        }
        holder[a] = laptop;
      }
      Host h = laptops.get(laptop);
      out.add(new Host(h.index(), h.role(), base + a));
    }
    return out;
  }

  private int addressOf(int laptop) {
    for (int a = 0; a < holder.length; a++) {
      if (holder[a] == laptop) {
        return a;
      }
    }
    return -1;
  }

  private int lowestFree() {
    for (int a = 0; a < holder.length; a++) {
      if (holder[a] < 0) {
        return a;
      }
    }
    return -1;
  }
}
