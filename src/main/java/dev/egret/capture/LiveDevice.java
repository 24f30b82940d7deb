package dev.egret.capture;

import java.util.List;

/**
 * A capture device as libpcap lists it.
 *
 * @param name what {@code -i} takes
 * @param description libpcap's description, or empty
 * @param addresses the device's IP addresses as text
 * @param up administratively up
 * @param running the link is running
 * @param loopback a loopback device
 */
public record LiveDevice(
    String name,
    String description,
    List<String> addresses,
    boolean up,
    boolean running,
    boolean loopback) {
  public LiveDevice {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("capture device without a name");
    }
    description = description == null ? "" : description;
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
  }
}
