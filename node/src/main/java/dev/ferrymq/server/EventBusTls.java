package dev.ferrymq.server;

import dev.ferrymq.InvalidRequestException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS with client certificates for the clustered event bus: each member presents {@code certFile}/{@code keyFile}
 * and accepts only peers whose certificate chains to {@code trustFile} (a CA, or the peers' own certificates).
 * Config file form: {@code "eventBus":{"keyFile":"node.key","certFile":"node.crt","trustFile":"ca.crt"}}.
 *
 * @param keyFile PEM private key of this member
 * @param certFile PEM certificate of this member
 * @param trustFile PEM certificates trusted for peers
 */
record EventBusTls(String keyFile, String certFile, String trustFile) {

  /** @return the TLS settings of the {@code "eventBus"} config part, or {@code null} when it names none */
  static EventBusTls fromJson(JsonObject json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    String key = json.getString("keyFile");
    String cert = json.getString("certFile");
    String trust = json.getString("trustFile");
    if (key == null || cert == null || trust == null) {
      throw new InvalidRequestException("eventBus TLS needs keyFile, certFile and trustFile");
    }
    return new EventBusTls(key, cert, trust);
  }

  /** Turns on TLS with required client authentication on {@code options}. */
  EventBusOptions apply(EventBusOptions options) {
    return options.setSsl(true)
      .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(keyFile).setCertPath(certFile))
      .setTrustOptions(new PemTrustOptions().addCertPath(trustFile))
      .setClientAuth(ClientAuth.REQUIRED);
  }
}
