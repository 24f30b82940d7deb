package dev.egret.logs;

/** A log input egret cannot read at all; the message starts with the file name. */
public final class LogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LogException(String message) {
    super(message);
  }

  public LogException(String message, Throwable cause) {
    super(message, cause);
  }
}
