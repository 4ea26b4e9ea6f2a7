package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the gateway authenticates clients: JWTs signed with one fixed algorithm and key. JSON form (the
 * {@code "auth"} part of {@link GatewayOptions}):
 * {@code {"algorithm":"HS256","secretFile":"secret.key","issuer":"https://idp.example","audience":"ferrymq",
 * "cookieName":"ferrymq_token","leeway":"5s","anonymous":{"subscribe":["public.*"]}}}.
 *
 * <p>Keys: {@code HS256}/{@code HS384}/{@code HS512} take {@code secret} (at least 32 bytes of UTF-8) or
 * {@code secretFile} (its content, trimmed); {@code RS*}/{@code ES*} take {@code publicKeyFile} (PEM) or
 * {@code jwksFile} (a JWK set whose keys all carry this {@code alg}). Tokens signed with any other algorithm, or with
 * {@code alg: none}, are refused. Every token needs {@code exp}; {@code iss} and {@code aud} are checked when set here.
 * {@code anonymous} are {@link Grants} given to every client, with or without a token.
 */
public class AuthOptions {

  /** Algorithms accepted by configuration; exactly one is used. */
  public static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
    "ES256", "ES384", "ES512");
  /** HMAC signatures by default. */
  public static final String DEFAULT_ALGORITHM = "HS256";
  /** The cookie an {@code EventSource} carries its token in (it cannot set headers). */
  public static final String DEFAULT_COOKIE_NAME = "ferrymq_token";
  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
  /** Shortest HMAC secret accepted, in bytes. */
  public static final int MIN_SECRET_BYTES = 32;

  private String algorithm = DEFAULT_ALGORITHM;
  private String secret;
  private String secretFile;
  private String publicKeyFile;
  private String jwksFile;
  private String issuer;
  private String audience;
  private String cookieName = DEFAULT_COOKIE_NAME;
  private Duration leeway = DEFAULT_LEEWAY;
  private Grants anonymous = Grants.NONE;

  /** Defaults: HS256, no key yet. */
  public AuthOptions() {
  }

  /** @param other options to copy */
  public AuthOptions(AuthOptions other) {
    this(other.toJson());
  }

  /**
   * @param json the JSON form
   * @throws InvalidRequestException on a malformed field
   */
  public AuthOptions(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      setAlgorithm(json.getString("algorithm", algorithm));
      secret = json.getString("secret");
      secretFile = json.getString("secretFile");
      publicKeyFile = json.getString("publicKeyFile");
      jwksFile = json.getString("jwksFile");
      issuer = json.getString("issuer");
      audience = json.getString("audience");
      setCookieName(json.getString("cookieName", cookieName));
      if (json.containsKey("leeway")) {
        setLeeway(Durations.parse(json.getValue("leeway"), "leeway"));
      }
      setAnonymous(Grants.fromJson(json.getJsonObject("anonymous", new JsonObject())));
    } catch (ClassCastException e) {
      throw new InvalidRequestException("malformed auth options: " + e.getMessage());
    }
    if (secret != null) {
      setSecret(secret);
    }
  }

  /** @return the JSON form (the secret included: keep config files private) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("algorithm", algorithm).put("cookieName", cookieName)
      .put("leeway", Durations.format(leeway)).put("anonymous", anonymous.toJson());
    putIf(json, "secret", secret);
    putIf(json, "secretFile", secretFile);
    putIf(json, "publicKeyFile", publicKeyFile);
    putIf(json, "jwksFile", jwksFile);
    putIf(json, "issuer", issuer);
    putIf(json, "audience", audience);
    return json;
  }

  private static void putIf(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** @return {@code HS256}, {@code RS256}, ... */
  public String getAlgorithm() {
    return algorithm;
  }

  /** @param algorithm one of {@link #ALGORITHMS} @return this */
  public AuthOptions setAlgorithm(String algorithm) {
    if (!ALGORITHMS.contains(algorithm)) {
      throw new InvalidRequestException("auth algorithm must be one of " + new java.util.TreeSet<>(ALGORITHMS)
        + ", was " + algorithm);
    }
    this.algorithm = algorithm;
    return this;
  }

  /** @return the HMAC secret given inline, or {@code null} */
  public String getSecret() {
    return secret;
  }

  /** @param secret the HMAC secret, at least {@value #MIN_SECRET_BYTES} bytes @return this */
  public AuthOptions setSecret(String secret) {
    if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new InvalidRequestException("the auth secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.secret = secret;
    return this;
  }

  /** @return a file holding the HMAC secret, or {@code null} */
  public String getSecretFile() {
    return secretFile;
  }

  /** @param secretFile a file holding the HMAC secret (trimmed) @return this */
  public AuthOptions setSecretFile(String secretFile) {
    this.secretFile = secretFile;
    return this;
  }

  /** @return a PEM public key file for RS or ES algorithms, or {@code null} */
  public String getPublicKeyFile() {
    return publicKeyFile;
  }

  /** @param publicKeyFile a PEM ({@code -----BEGIN PUBLIC KEY-----}) file @return this */
  public AuthOptions setPublicKeyFile(String publicKeyFile) {
    this.publicKeyFile = publicKeyFile;
    return this;
  }

  /** @return a JWK set file, or {@code null} */
  public String getJwksFile() {
    return jwksFile;
  }

  /** @param jwksFile a JSON file {@code {"keys":[...]}} @return this */
  public AuthOptions setJwksFile(String jwksFile) {
    this.jwksFile = jwksFile;
    return this;
  }

  /** @return the required {@code iss}, or {@code null} for any */
  public String getIssuer() {
    return issuer;
  }

  /** @param issuer the required {@code iss} claim, or {@code null} @return this */
  public AuthOptions setIssuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** @return the required {@code aud}, or {@code null} for any */
  public String getAudience() {
    return audience;
  }

  /** @param audience a value the {@code aud} claim must contain, or {@code null} @return this */
  public AuthOptions setAudience(String audience) {
    this.audience = audience;
    return this;
  }

  /** @return the name of the token cookie */
  public String getCookieName() {
    return cookieName;
  }

  /** @param cookieName a cookie name ({@code [A-Za-z0-9_-]}) @return this */
  public AuthOptions setCookieName(String cookieName) {
    if (cookieName == null || !cookieName.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new InvalidRequestException("cookieName must match [A-Za-z0-9_-]{1,64}, was " + cookieName);
    }
    this.cookieName = cookieName;
    return this;
  }

  /** @return the clock skew tolerated */
  public Duration getLeeway() {
    return leeway;
  }

  /** @param leeway 0 to 5 minutes @return this */
  public AuthOptions setLeeway(Duration leeway) {
    this.leeway = Durations.check(leeway, Duration.ZERO, Duration.ofMinutes(5), "leeway");
    return this;
  }

  /** @return the grants every client has, with or without a token */
  public Grants getAnonymous() {
    return anonymous;
  }

  /** @param anonymous grants given to everyone, e.g. subscribe to {@code public.*} @return this */
  public AuthOptions setAnonymous(Grants anonymous) {
    this.anonymous = Objects.requireNonNull(anonymous, "anonymous");
    return this;
  }
}
