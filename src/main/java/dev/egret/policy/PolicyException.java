package dev.egret.policy;

/** A policy that cannot be read, built or used; the message names the file or rule. */
public class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
