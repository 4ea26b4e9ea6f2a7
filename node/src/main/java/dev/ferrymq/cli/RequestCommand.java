package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferrymq request}: request/reply over {@code POST /requests/{address}}; prints the reply. */
@Command(name = "request", description = {"Sends a request to an event-bus address and prints the reply.",
  "Any consumer of ADDRESS in the cluster answers; PAYLOAD '-' reads it from stdin.",
  "--json gives {\"address\",\"contentType\",\"headers\",\"data\"[,\"encoding\"]}."})
final class RequestCommand implements Callable<Integer> {

  @ParentCommand
  FerryCommand top;

  @Mixin
  HelpOption help;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "the event-bus address")
  String address;

  @Parameters(index = "1", paramLabel = "PAYLOAD", description = "the request body, or '-' for stdin")
  String payload;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "how long to wait for the reply"
    + " (default: the node's, 30s)")
  String timeout;

  @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "text/plain; charset=utf-8",
    description = "of the request (default: ${DEFAULT-VALUE})")
  String contentType;

  @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "an application header (repeatable)")
  Map<String, String> headers;

  @Override
  public Integer call() throws IOException {
    Duration wait = NodeClient.TIMEOUT;
    String query = "";
    if (timeout != null) {
      wait = Exit.duration(timeout, "--timeout");
      query = "?timeout=" + wait.toMillis() + "ms";
    }
    byte[] body = payload.equals("-") ? top.io.in().readAllBytes() : payload.getBytes(StandardCharsets.UTF_8);
    NodeClient client = top.client();
    HttpRequest.Builder b = client.request("/requests/" + NodeClient.segment(address) + query,
      wait.plus(NodeClient.TIMEOUT)).header("Content-Type", contentType)
      .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    NodeClient.appHeaders(b, headers);
    HttpResponse<byte[]> r = client.ok(client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()));
    if (top.json) {
      JsonObject replyHeaders = new JsonObject();
      r.headers().map().forEach((name, values) -> {
        if (name.toLowerCase(java.util.Locale.ROOT).startsWith("ferry-header-")) {
          replyHeaders.put(name.substring("ferry-header-".length()).toLowerCase(java.util.Locale.ROOT), values.get(0));
        }
      });
      JsonObject reply = new JsonObject().put("address", address)
        .put("contentType", r.headers().firstValue("Content-Type").orElse(null)).put("headers", replyHeaders);
      String text = utf8(r.body());
      if (text != null) {
        reply.put("data", text);
      } else {
        reply.put("data", Base64.getEncoder().encodeToString(r.body())).put("encoding", "base64");
      }
      top.io.out().println(reply.encode());
    } else {
      top.io.out().write(r.body(), 0, r.body().length);
      if (r.body().length > 0 && r.body()[r.body().length - 1] != '\n' && utf8(r.body()) != null) {
        top.io.out().println();
      }
    }
    top.io.out().flush();
    return Exit.OK;
  }

  /** @return the bytes as text if they are valid UTF-8, else {@code null} */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
