package dev.ferrymq.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The node's HTTP API as the commands use it: the JDK's {@link HttpClient} (no event loop, quick to start), the
 * bearer token on every request, and every failure turned into a {@link CliException} with a plain message.
 */
final class NodeClient {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String base;
  private final String token;

  /** @param cacert a PEM file of certificates to trust for https (instead of the JVM's), or {@code null} */
  NodeClient(String url, String token, String cacert) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token == null || token.isBlank() ? null : token.trim();
    URI check;
    try {
      check = URI.create(this.base + "/");
    } catch (IllegalArgumentException e) {
      throw new CliException(Exit.USAGE, "--url " + url + " is not a URL");
    }
    if (!"http".equals(check.getScheme()) && !"https".equals(check.getScheme()) || check.getHost() == null) {
      throw new CliException(Exit.USAGE, "--url must be http://HOST:PORT or https://HOST:PORT, was " + url);
    }
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10));
    if (cacert != null) {
      b.sslContext(trusting(cacert));
    }
    this.http = b.build();
  }

  /** @return TLS that trusts exactly the certificates of a PEM file */
  private static SSLContext trusting(String pem) {
    try (InputStream in = Files.newInputStream(Path.of(pem))) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new CliException(Exit.USAGE, "--cacert " + pem + " holds no certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return tls;
    } catch (NoSuchFileException e) {
      throw new CliException(Exit.NOT_FOUND, "--cacert " + pem + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw new CliException(Exit.USAGE, "--cacert " + pem + " is not a PEM file of certificates (" + e.getMessage()
        + ")");
    }
  }

  /** @return a request to {@code path} (already escaped) with the token, waiting at most {@code timeout} */
  HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Sends {@code request}. @return its response, whatever the status; unreachable → {@link Exit#UNAVAILABLE} */
  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new CliException(Exit.UNAVAILABLE, "cannot reach a node at " + base + " (" + reason(e)
        + "); is it running? Give another with --url or FERRYMQ_URL");
    } catch (HttpTimeoutException e) {
      throw new CliException(Exit.UNAVAILABLE, "the node at " + base + " did not answer "
        + request.method() + " " + request.uri().getPath() + " in time");
    } catch (javax.net.ssl.SSLException e) {
      throw new CliException(Exit.UNAVAILABLE, "no TLS connection to " + base + " (" + reason(e) + "); for a"
        + " certificate of your own, give its PEM with --cacert or FERRYMQ_CACERT");
    } catch (IOException e) {
      throw new CliException(Exit.UNAVAILABLE, "lost the connection to " + base + " (" + reason(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.UNAVAILABLE, "interrupted");
    }
  }

  /** {@code GET path} → the JSON object of a 200, anything else as a {@link CliException}. */
  JsonObject getJson(String path) {
    HttpResponse<String> r = send(request(path, TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    return json(ok(r));
  }

  /** {@code POST path} with a JSON or empty body → the JSON object of a 2xx. */
  JsonObject postJson(String path, String json) {
    HttpRequest.Builder b = request(path, TIMEOUT);
    if (json == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return json(ok(send(b.build(), HttpResponse.BodyHandlers.ofString())));
  }

  /** @return {@code r} if its status is 2xx; otherwise its problem as a {@link CliException} */
  <T> HttpResponse<T> ok(HttpResponse<T> r) {
    if (r.statusCode() / 100 == 2) {
      return r;
    }
    Object body = r.body();
    String text = body instanceof String s ? s : body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
      : body instanceof InputStream in ? readQuietly(in) : "";
    throw failure(r.statusCode(), text);
  }

  /** @return the exception for an error status with its body: the problem's title and detail, in plain words */
  CliException failure(int status, String body) {
    String message = "HTTP " + status;
    try {
      JsonObject problem = new JsonObject(body);
      String title = problem.getString("title", message);
      String detail = problem.getString("detail");
      message = detail == null || detail.equalsIgnoreCase(title) ? title : title + ": " + detail;
    } catch (DecodeException | ClassCastException e) {
      // not a problem document: the status says it all
    }
    if (status == 401) {
      message += token == null ? " (give a token with --token or FERRYMQ_TOKEN)" : " (the token was not accepted)";
    }
    return new CliException(Exit.ofStatus(status), message);
  }

  static JsonObject json(HttpResponse<String> r) {
    try {
      return new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      throw new CliException(Exit.UNAVAILABLE, "the node answered something that is not a JSON object (HTTP "
        + r.statusCode() + ")");
    }
  }

  String base() {
    return base;
  }

  /** @return {@code name} escaped as one path segment */
  static String segment(String name) {
    StringBuilder sb = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  /** @return {@code value} escaped for a query string */
  static String query(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Adds each application header as {@code Ferry-Header-<name>}. */
  static void appHeaders(HttpRequest.Builder b, Map<String, String> headers) {
    if (headers != null) {
      headers.forEach((k, v) -> b.header("Ferry-Header-" + k, v));
    }
  }

  private static String reason(IOException e) {
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "no answer to the connection attempt";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String readQuietly(InputStream in) {
    try (in) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
