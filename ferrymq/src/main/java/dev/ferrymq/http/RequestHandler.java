package dev.ferrymq.http;

import dev.ferrymq.Broker;
import dev.ferrymq.Names;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code POST /requests/:address}: request/reply over the event bus. The body and its content type go to whoever
 * consumes {@code address}; its reply comes back as 200 with the reply's content type. Timeout from
 * {@code ?timeout=} or {@code Prefer: wait=N}; 504 on timeout, 503 with no handler, 502 when the handler failed.
 */
final class RequestHandler {

  private final Broker broker;

  RequestHandler(Broker broker) {
    this.broker = broker;
  }

  void handle(RoutingContext ctx) {
    String address = Names.check(ctx.pathParam("address"));
    Map<String, String> headers = Params.appHeaders(ctx.request());
    String ct = Params.contentType(ctx.request());
    if (ct != null) {
      headers.put("content-type", ct);
    }
    broker.request(address, BodyReader.body(ctx), headers, Params.timeout(ctx)).onSuccess(reply -> {
      HttpServerResponse response = ctx.response().setStatusCode(200);
      if (reply.contentType() != null) {
        response.putHeader("Content-Type", reply.contentType());
      }
      reply.headers().forEach((k, v) -> {
        if (Names.valid(k)) {
          response.putHeader(Params.HEADER_PREFIX + k, v.replaceAll("[\\r\\n]", " "));
        }
      });
      response.end(reply.body());
    }).onFailure(ctx::fail);
  }
}
