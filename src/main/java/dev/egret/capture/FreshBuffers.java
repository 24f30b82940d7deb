package dev.egret.capture;

/**
 * Marks a {@link PacketSource} whose handler gets a new array for every packet, starting at offset
 * 0: the handler may keep it after the call instead of copying it. A live capture passes such
 * arrays from the capture thread to the processing thread as they are.
 */
public interface FreshBuffers {}
