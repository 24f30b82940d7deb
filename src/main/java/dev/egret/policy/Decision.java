package dev.egret.policy;

import java.util.Locale;

/**
 * One decision a person recorded about traffic the policy listed: allow it, deny it, or stop
 * showing it.
 *
 * @param id what it is about
 * @param action what to do
 * @param date when it was decided ({@code YYYY-MM-DD}), shown in the evidence; may be null
 * @param note why, in the person's words; may be null
 * @param line the line of the decisions file it was read from, for messages; 0 when not read
 */
public record Decision(DecisionId id, Action action, String date, String note, int line) {
  /** What a decision does when the policy is generated. */
  public enum Action {
    /** The traffic gets a rule, whatever the thresholds said. */
    ALLOW,
    /** The traffic gets no rule, and where a broad rule would allow it, a deny rule before it. */
    DENY,
    /** The review item or anomaly is no longer listed; nothing is allowed. */
    IGNORE;

    /** The spelling in the decisions file. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The action spelled {@code s}, or null. */
    public static Action of(String s) {
      for (Action a : values()) {
        if (a.id().equals(s)) {
          return a;
        }
      }
      return null;
    }
  }

  public Decision {
    if (id == null || action == null) {
      throw new PolicyException("a decision needs an id and an action");
    }
  }

  /** In words, for evidence: {@code allowed by the user on 2026-11-29 (ID): note}. */
  String describe() {
    String verb =
        switch (action) {
          case ALLOW -> "allowed";
          case DENY -> "denied";
          case IGNORE -> "ignored";
        };
    return verb
        + " by the user"
        + (date == null ? "" : " on " + date)
        + " ("
        + id
        + ")"
        + (note == null || note.isEmpty() ? "" : ": " + note);
  }
}
