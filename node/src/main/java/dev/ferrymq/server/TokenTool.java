package dev.ferrymq.server;

import dev.ferrymq.AuthOptions;
import dev.ferrymq.Durations;
import dev.ferrymq.Grants;
import dev.ferrymq.cli.Cli;
import dev.ferrymq.cli.HelpOption;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferrymq token}: mints a JWT for development and tests and prints it (a command of the client, {@code Cli}).
 *
 * <pre>
 * scripts/ferrymq token --publish 'orders.*' --subscribe '*' --ttl 1h
 * </pre>
 *
 * Grants: {@code --publish}, {@code --subscribe}, {@code --consume}, {@code --request} (each repeatable or
 * comma-separated), {@code --admin}. Key, first found: {@code --key PEM --alg RS256|ES256...} (a private key),
 * {@code --secret-file F}, {@code --config node.json} (its {@code gateway.auth} secret, issuer and audience), the
 * environment variable {@code FERRYMQ_JWT_SECRET}. Also {@code --sub} (default {@code dev}), {@code --iss},
 * {@code --aud}, {@code --ttl} (default 1h). Exit status: 0 with the token on stdout; 1 for a bad argument or no
 * usable key, 2 when a file named is not there, with the reason on stderr.
 */
@Command(name = "token", description = {"Mints a development JWT with the grants given and prints it.",
  "Key, first found: --key PEM --alg A, --secret-file F, --config node.json (its gateway.auth), $"
    + TokenTool.SECRET_ENV + "."})
final class TokenTool implements Callable<Integer> {

  static final String SECRET_ENV = "FERRYMQ_JWT_SECRET";

  @Option(names = "--publish", split = ",", paramLabel = "PATTERN", description = "may publish to these")
  List<String> publish;

  @Option(names = "--subscribe", split = ",", paramLabel = "PATTERN", description = "may subscribe to these")
  List<String> subscribe;

  @Option(names = "--consume", split = ",", paramLabel = "PATTERN", description = "may consume from these")
  List<String> consume;

  @Option(names = "--request", split = ",", paramLabel = "PATTERN", description = "may send requests to these")
  List<String> request;

  @Option(names = "--admin", description = "may administer (listings, options, purge, redrive, cluster)")
  boolean admin;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", description = "valid for (default: 1h)")
  String ttl;

  @Option(names = "--sub", paramLabel = "NAME", defaultValue = "dev", description = "subject (default: dev)")
  String sub;

  @Option(names = "--iss", paramLabel = "ISSUER", description = "issuer (default: the config's)")
  String iss;

  @Option(names = "--aud", paramLabel = "AUDIENCE", description = "audience (default: the config's)")
  String aud;

  @Option(names = "--key", paramLabel = "PEM", description = "a private key file (with --alg)")
  String key;

  @Option(names = "--alg", paramLabel = "ALG", description = "RS256, ES256, HS256...")
  String alg;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "an HMAC secret")
  String secretFile;

  @Option(names = "--config", paramLabel = "FILE", description = "a node config: its gateway.auth")
  String config;

  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  /** Runs {@code ferrymq token ARGS} as the client does. @return the exit status (see the class) */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String[] all = new String[args.length + 1];
    all[0] = "token";
    System.arraycopy(args, 0, all, 1, args.length);
    return Cli.run(all, InputStream.nullInputStream(), out, err, System.getenv(), new TokenTool());
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      String token = mint();
      PrintWriter out = spec.commandLine().getOut();
      out.println(token);
      out.flush();
      return 0;
    } catch (NoSuchFileException e) {
      err.println("ferrymq token: no such file: " + e.getFile());
      return 2;
    } catch (Exception e) {
      err.println("ferrymq token: " + e.getMessage());
      return 1;
    } finally {
      err.flush();
    }
  }

  private String mint() throws java.io.IOException {
    JsonObject claims = new JsonObject().put("sub", sub);
    if (iss != null) {
      claims.put("iss", iss);
    }
    if (aud != null) {
      claims.put("aud", aud);
    }
    Duration validFor = Durations.check(Durations.parse(ttl, "ttl"), Duration.ofSeconds(1), Duration.ofDays(366),
      "ttl");
    AuthOptions auth = config == null ? null : new AuthOptions(new JsonObject(Files.readString(Path.of(config)))
      .getJsonObject("gateway", new JsonObject()).getJsonObject("auth", new JsonObject()));
    Map<String, List<String>> grants = new LinkedHashMap<>();
    grants.put("publish", publish);
    grants.put("subscribe", subscribe);
    grants.put("consume", consume);
    grants.put("request", request);
    JsonObject grant = new JsonObject();
    grants.forEach((action, patterns) -> {
      if (patterns != null) {
        JsonArray list = new JsonArray();
        patterns.forEach(p -> list.add(p.trim()));
        grant.put(action, list);
      }
    });
    grant.put("admin", admin);
    claims.put("ferrymq", Grants.fromJson(grant).toJson());
    if (auth != null) {
      putAbsent(claims, "iss", auth.getIssuer());
      putAbsent(claims, "aud", auth.getAudience());
    }
    long now = System.currentTimeMillis() / 1000;
    claims.put("iat", now).put("exp", now + validFor.toSeconds());
    PubSecKeyOptions signingKey = signingKey(key, alg, secretFile, auth);
    Vertx vertx = Vertx.vertx();
    try {
      return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(signingKey))
        .generateToken(claims, new JWTOptions().setAlgorithm(signingKey.getAlgorithm()).setNoTimestamp(true));
    } finally {
      vertx.close();
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
