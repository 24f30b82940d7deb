package dev.egret.synth;

import static dev.egret.synth.ClinicPlanner.HOUR;

/**
 * One day of the clinic ({@link ClinicPlanner}): its opening hours ({@code open} < 0: closed), as
 * offsets from {@code dayStart}, and the answers its rotating names give, hour by hour where they
 * rotate within the day (24 entries), once for the day otherwise.
 */
record ClinicDay(
    int day,
    long dayStart,
    long open,
    long close,
    Service[] winUpdate,
    Service[] defender,
    Service[] suite,
    Service[] login,
    Service macUpdate,
    Service[] mqtt,
    Service[] upload,
    Service backup) {
  boolean isOpen() {
    return open >= 0;
  }

  /** The hour of the day of {@code t} nanoseconds into it, 0..23. */
  static int hour(long t) {
    return (int) Math.min(23, Math.max(0, t / HOUR));
  }
}
