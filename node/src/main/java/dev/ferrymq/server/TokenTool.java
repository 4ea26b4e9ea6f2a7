package dev.ferrymq.server;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.Durations;
import dev.ferrymq.Grants;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ferrymq token}: mints a JWT for development and tests and prints it.
 *
 * <pre>
 * scripts/ferrymq token --publish 'orders.*' --subscribe '*' --ttl 1h
 * </pre>
 *
 * Grants: {@code --publish}, {@code --subscribe}, {@code --consume}, {@code --request} (each repeatable or
 * comma-separated), {@code --admin}. Key, first found: {@code --key PEM --alg RS256|ES256...} (a private key),
 * {@code --secret-file F}, {@code --config node.json} (its {@code gateway.auth} secret, issuer and audience), the
 * environment variable {@code FERRYMQ_JWT_SECRET}. Also {@code --sub} (default {@code dev}), {@code --iss},
 * {@code --aud}, {@code --ttl} (default 1h).
 */
final class TokenTool {

  static final String SECRET_ENV = "FERRYMQ_JWT_SECRET";

  private TokenTool() {
  }

  /** @return the process exit status: 0 with the token on {@code out}, 2 with the reason on {@code err} */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, JsonArray> grants = new LinkedHashMap<>();
    JsonObject claims = new JsonObject().put("sub", "dev");
    Duration ttl = Duration.ofHours(1);
    boolean admin = false;
    String key = null;
    String alg = null;
    String secretFile = null;
    AuthOptions auth = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--admin")) {
          admin = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--publish", "--subscribe", "--consume", "--request" -> {
            JsonArray list = grants.computeIfAbsent(a.substring(2), k -> new JsonArray());
            for (String p : v.split(",")) {
              list.add(p.trim());
            }
          }
          case "--ttl" -> ttl = Durations.check(Durations.parse(v, "ttl"), Duration.ofSeconds(1),
            Duration.ofDays(366), "ttl");
          case "--sub" -> claims.put("sub", v);
          case "--iss" -> claims.put("iss", v);
          case "--aud" -> claims.put("aud", v);
          case "--key" -> key = v;
          case "--alg" -> alg = v;
          case "--secret-file" -> secretFile = v;
          case "--config" -> auth = new AuthOptions(new JsonObject(Files.readString(Path.of(v)))
            .getJsonObject("gateway", new JsonObject()).getJsonObject("auth", new JsonObject()));
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      JsonObject grant = new JsonObject();
      grants.forEach(grant::put);
      grant.put("admin", admin);
      claims.put("ferrymq", Grants.fromJson(grant).toJson());
      if (auth != null) {
        putAbsent(claims, "iss", auth.getIssuer());
        putAbsent(claims, "aud", auth.getAudience());
      }
      long now = System.currentTimeMillis() / 1000;
      claims.put("iat", now).put("exp", now + ttl.toSeconds());
      PubSecKeyOptions signingKey = signingKey(key, alg, secretFile, auth);
      Vertx vertx = Vertx.vertx();
      try {
        String token = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(signingKey))
          .generateToken(claims, new JWTOptions().setAlgorithm(signingKey.getAlgorithm()).setNoTimestamp(true));
        out.println(token);
      } finally {
        vertx.close();
      }
      return 0;
    } catch (Exception e) {
      err.println("ferrymq token: " + e.getMessage());
      return 2;
    }
  }

  private static PubSecKeyOptions signingKey(String key, String alg, String secretFile, AuthOptions auth)
    throws java.io.IOException {
    if (key != null) {
      String a = alg != null ? alg : auth != null ? auth.getAlgorithm() : "RS256";
      return new PubSecKeyOptions().setAlgorithm(a).setBuffer(Files.readString(Path.of(key)));
    }
    String secret = null;
    String a = alg != null ? alg : auth != null ? auth.getAlgorithm() : "HS256";
    if (secretFile != null) {
      secret = Files.readString(Path.of(secretFile)).trim();
    } else if (auth != null && (auth.getSecret() != null || auth.getSecretFile() != null)) {
      secret = auth.getSecret() != null ? auth.getSecret() : Files.readString(Path.of(auth.getSecretFile())).trim();
    } else if (System.getenv(SECRET_ENV) != null) {
      secret = System.getenv(SECRET_ENV).trim();
    }
    if (secret == null) {
      throw new IllegalArgumentException("no signing key: give --config node.json, --secret-file F, --key PEM --alg A"
        + " or set " + SECRET_ENV);
    }
    if (!a.startsWith("HS") || secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
      < AuthOptions.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("an HMAC secret of at least " + AuthOptions.MIN_SECRET_BYTES
        + " bytes is needed for " + a);
    }
    return new PubSecKeyOptions().setAlgorithm(a).setBuffer(secret);
  }

  private static void putAbsent(JsonObject claims, String key, String value) {
    if (value != null && !claims.containsKey(key)) {
      claims.put(key, value);
    }
  }
}
