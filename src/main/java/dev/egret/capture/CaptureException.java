package dev.egret.capture;

/** A capture source that cannot be read; the message starts with the source name. */
public class CaptureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
