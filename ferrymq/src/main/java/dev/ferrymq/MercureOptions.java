package dev.ferrymq;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Mercure hub at {@code /.well-known/mercure} (the {@code "mercure"} part of {@link GatewayOptions}).
 * JSON form: {@code {"enabled":true,"publisherJwtKey":"…","publisherJwtAlg":"HS256","subscriberJwtKey":"…",
 * "subscriberJwtAlg":"HS256","anonymous":false,"topic":"mercure","historySize":10000,"discovery":false,
 * "cookieName":"mercureAuthorization","subscriptions":false}}.
 *
 * <p>Keys as the reference hub takes them: for {@code HS*} the secret itself, for {@code RS*}/{@code ES*} the PEM of
 * the public key. Without a subscriber key, subscriber tokens are checked with the publisher key. Without any key
 * the hub follows the gateway: open to all when the gateway runs without authentication, else nobody may publish.
 * {@link #fromEnv(MercureOptions, Map)} reads the reference hub's environment variables.
 */
public class MercureOptions {

  /** The internal FerryMQ topic that holds the hub's ordered log of updates. */
  public static final String DEFAULT_TOPIC = "mercure";
  /** Updates kept for resumption ({@code lastEventID}): the capacity of the hub topic's replicated ringbuffer. */
  public static final int DEFAULT_HISTORY_SIZE = TopicOptions.DEFAULT_CAPACITY;
  /** HMAC signatures by default, as the reference hub. */
  public static final String DEFAULT_ALG = "HS256";
  /** The cookie the Mercure specification names for a subscriber's token. */
  public static final String DEFAULT_COOKIE_NAME = "mercureAuthorization";

  private boolean enabled = true;
  private String publisherJwtKey;
  private String publisherJwtAlg = DEFAULT_ALG;
  private String subscriberJwtKey;
  private String subscriberJwtAlg = DEFAULT_ALG;
  private boolean anonymous;
  private String topic = DEFAULT_TOPIC;
  private int historySize = DEFAULT_HISTORY_SIZE;
  private boolean discovery;
  private String cookieName = DEFAULT_COOKIE_NAME;
  private boolean subscriptions;

  /** Defaults: enabled, no keys, no anonymous subscribers. */
  public MercureOptions() {
  }

  /** @param other options to copy */
  public MercureOptions(MercureOptions other) {
    this(other.toJson());
  }

  /**
   * @param json the JSON form; absent fields keep their defaults
   * @throws InvalidRequestException on a malformed field
   */
  public MercureOptions(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      enabled = json.getBoolean("enabled", enabled);
      publisherJwtKey = json.getString("publisherJwtKey");
      setPublisherJwtAlg(json.getString("publisherJwtAlg", publisherJwtAlg));
      subscriberJwtKey = json.getString("subscriberJwtKey");
      setSubscriberJwtAlg(json.getString("subscriberJwtAlg", subscriberJwtAlg));
      anonymous = json.getBoolean("anonymous", anonymous);
      setTopic(json.getString("topic", topic));
      setHistorySize(json.getInteger("historySize", historySize));
      discovery = json.getBoolean("discovery", discovery);
      setCookieName(json.getString("cookieName", cookieName));
      subscriptions = json.getBoolean("subscriptions", subscriptions);
    } catch (ClassCastException e) {
      throw new InvalidRequestException("malformed mercure options: " + e.getMessage());
    }
  }

  /**
   * Applies the reference hub's environment variables over {@code base}: {@code MERCURE_PUBLISHER_JWT_KEY},
   * {@code MERCURE_PUBLISHER_JWT_ALG}, {@code MERCURE_SUBSCRIBER_JWT_KEY}, {@code MERCURE_SUBSCRIBER_JWT_ALG}, and
   * {@code FERRYMQ_MERCURE_ANONYMOUS=true}.
   *
   * @param env the environment, usually {@code System.getenv()}
   * @return a copy of {@code base} with the variables that are set
   */
  public static MercureOptions fromEnv(MercureOptions base, Map<String, String> env) {
    MercureOptions o = new MercureOptions(base);
    String v;
    if ((v = env.get("MERCURE_PUBLISHER_JWT_KEY")) != null) {
      o.setPublisherJwtKey(v);
    }
    if ((v = env.get("MERCURE_PUBLISHER_JWT_ALG")) != null) {
      o.setPublisherJwtAlg(v);
    }
    if ((v = env.get("MERCURE_SUBSCRIBER_JWT_KEY")) != null) {
      o.setSubscriberJwtKey(v);
    }
    if ((v = env.get("MERCURE_SUBSCRIBER_JWT_ALG")) != null) {
      o.setSubscriberJwtAlg(v);
    }
    if ((v = env.get("FERRYMQ_MERCURE_ANONYMOUS")) != null) {
      o.setAnonymous(Boolean.parseBoolean(v.trim()));
    }
    return o;
  }

  /** @return the JSON form (keys included: it is the config file's form) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("enabled", enabled).put("publisherJwtAlg", publisherJwtAlg)
      .put("subscriberJwtAlg", subscriberJwtAlg).put("anonymous", anonymous).put("topic", topic)
      .put("historySize", historySize).put("discovery", discovery).put("cookieName", cookieName)
      .put("subscriptions", subscriptions);
    if (publisherJwtKey != null) {
      json.put("publisherJwtKey", publisherJwtKey);
    }
    if (subscriberJwtKey != null) {
      json.put("subscriberJwtKey", subscriberJwtKey);
    }
    return json;
  }

  private static String alg(String alg) {
    if (alg == null || !AuthOptions.ALGORITHMS.contains(alg)) {
      throw new InvalidRequestException("a Mercure JWT algorithm must be one of " + AuthOptions.ALGORITHMS
        + ", was " + alg);
    }
    return alg;
  }

  /** @return whether every node's gateway serves {@code /.well-known/mercure} */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether the gateway serves the hub */
  public MercureOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /** @return the key publisher tokens are verified with, or {@code null} */
  public String getPublisherJwtKey() {
    return publisherJwtKey;
  }

  /** @param key an HMAC secret or a PEM public key, as {@link #getPublisherJwtAlg()} needs */
  public MercureOptions setPublisherJwtKey(String key) {
    this.publisherJwtKey = key;
    return this;
  }

  /** @return the one algorithm publisher tokens must be signed with */
  public String getPublisherJwtAlg() {
    return publisherJwtAlg;
  }

  /** @param alg one of {@link AuthOptions#ALGORITHMS} */
  public MercureOptions setPublisherJwtAlg(String alg) {
    this.publisherJwtAlg = alg(alg);
    return this;
  }

  /** @return the key subscriber tokens are verified with, or {@code null} to use the publisher key */
  public String getSubscriberJwtKey() {
    return subscriberJwtKey;
  }

  /** @param key an HMAC secret or a PEM public key, as {@link #getSubscriberJwtAlg()} needs */
  public MercureOptions setSubscriberJwtKey(String key) {
    this.subscriberJwtKey = key;
    return this;
  }

  /** @return the one algorithm subscriber tokens must be signed with */
  public String getSubscriberJwtAlg() {
    return subscriberJwtAlg;
  }

  /** @param alg one of {@link AuthOptions#ALGORITHMS} */
  public MercureOptions setSubscriberJwtAlg(String alg) {
    this.subscriberJwtAlg = alg(alg);
    return this;
  }

  /** @return whether subscribers without a token may receive public updates */
  public boolean isAnonymous() {
    return anonymous;
  }

  /** @param anonymous whether subscribers without a token may receive public updates */
  public MercureOptions setAnonymous(boolean anonymous) {
    this.anonymous = anonymous;
    return this;
  }

  /** @return the FerryMQ topic holding the hub's updates */
  public String getTopic() {
    return topic;
  }

  /** @param topic a FerryMQ topic name ({@link Names}) */
  public MercureOptions setTopic(String topic) {
    this.topic = Names.check(topic);
    return this;
  }

  /** @return how many updates the hub keeps for resumption */
  public int getHistorySize() {
    return historySize;
  }

  /** @param historySize at least 1; fixed once the hub's topic exists (a ringbuffer cannot be resized) */
  public MercureOptions setHistorySize(int historySize) {
    if (historySize < 1) {
      throw new InvalidRequestException("mercure.historySize must be at least 1, was " + historySize);
    }
    this.historySize = historySize;
    return this;
  }

  /** @return whether the gateway's other responses carry {@code Link: </.well-known/mercure>; rel="mercure"} */
  public boolean isDiscovery() {
    return discovery;
  }

  /** @param discovery whether to add the discovery {@code Link} header to the gateway's other responses */
  public MercureOptions setDiscovery(boolean discovery) {
    this.discovery = discovery;
    return this;
  }

  /** @return the cookie a subscriber's token may ride in */
  public String getCookieName() {
    return cookieName;
  }

  /** @param cookieName the cookie a subscriber's token may ride in */
  public MercureOptions setCookieName(String cookieName) {
    this.cookieName = Objects.requireNonNull(cookieName, "cookieName");
    return this;
  }

  /** @return whether the hub publishes subscription events and serves the subscriptions API */
  public boolean isSubscriptions() {
    return subscriptions;
  }

  /** @param subscriptions whether the hub publishes subscription events and serves the subscriptions API */
  public MercureOptions setSubscriptions(boolean subscriptions) {
    this.subscriptions = subscriptions;
    return this;
  }
}
