package dev.ferrymq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferrymq.GatewayOptions;
import dev.ferrymq.http.GatewayVerticle;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeps /openapi.json true: it names exactly the routes the router serves. */
class OpenApiTest extends GatewayTestBase {

  @Test
  void openApiDescribesEveryRouteAndNothingElse() {
    // Every optional route on: the document describes them all.
    Router router = GatewayVerticle.router(vertx, broker, new GatewayOptions()
      .setMercure(new dev.ferrymq.MercureOptions().setSubscriptions(true)));
    Set<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null) {
        for (HttpMethod m : route.methods()) {
          served.add(m.name() + " " + route.getPath());
        }
      }
    }
    JsonObject doc = get("/openapi.json").bodyAsJsonObject();
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    Set<String> described = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (!key.equals("parameters")) {
          JsonObject op = paths.getJsonObject(path).getJsonObject(key);
          assertThat(op.getJsonObject("responses")).as(key + " " + path).isNotEmpty();
          described.add(key.toUpperCase() + " " + path.replaceAll("\\{([A-Za-z]+)}", ":$1"));
        }
      }
    }
    assertThat(served).hasSizeGreaterThan(20);
    assertThat(described).isEqualTo(served);
  }
}
