/**
 * STOMP 1.0–1.2 as a protocol, with nothing of Spring or of this app: commands and their rules as data, frames,
 * headers and escaping, the incremental decoder with its limits, the encoder, the encode-once MESSAGE template and
 * heart-beat negotiation.
 */
@ApplicationModule(displayName = "STOMP protocol", allowedDependencies = {})
package io.gifchat.stomp;

import org.springframework.modulith.ApplicationModule;
