package dev.egret.enforce;

/** A firewall tool failed, timed out or could not be started; the message is one line. */
public final class ToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }
}
