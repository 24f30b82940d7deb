package dev.egret.baseline;

/** A baseline or config that cannot be read, written or combined; the message names the file. */
public class BaselineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BaselineException(String message) {
    super(message);
  }

  public BaselineException(String message, Throwable cause) {
    super(message, cause);
  }
}
