package dev.egret.cli;

/** The process exit codes, in one place; listed in {@code egret --help}. */
public final class ExitCodes {
  /** Success; for {@code check} and {@code diff}: nothing would be blocked, no change. */
  public static final int OK = 0;

  /** Failure; for {@code check} and {@code diff}: something would be blocked, policies differ. */
  public static final int FAILURE = 1;

  /** Bad usage or unreadable input. */
  public static final int USAGE = 2;

  /** {@code apply}: a tool failed or timed out; the previous rules are back. */
  public static final int APPLY_TOOL_FAILED = 3;

  /** {@code apply}: restoring the previous rules failed as well. */
  public static final int APPLY_ROLLBACK_FAILED = 4;

  private ExitCodes() {}
}
