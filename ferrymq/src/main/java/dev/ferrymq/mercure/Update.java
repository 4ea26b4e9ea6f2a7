package dev.ferrymq.mercure;

import dev.ferrymq.TopicMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Mercure update as the hub keeps it: a message of the hub's FerryMQ topic whose payload is the update's data and
 * whose headers carry the rest ({@code mercure-topics} as a JSON array, the first the canonical topic;
 * {@code mercure-id}; {@code mercure-type}, {@code mercure-retry} and {@code mercure-private} when set).
 *
 * @param topics the update's topics, canonical first (at least one)
 * @param id the update's id
 * @param type the SSE event type, or {@code null}
 * @param retry the SSE reconnection time in milliseconds, or {@code null}
 * @param privateUpdate whether only subscribers whose token allows one of its topics receive it
 * @param data the data, UTF-8 text
 */
public record Update(List<String> topics, String id, String type, Long retry, boolean privateUpdate, String data) {

  static final String TOPICS = "mercure-topics";
  static final String ID = "mercure-id";
  static final String TYPE = "mercure-type";
  static final String RETRY = "mercure-retry";
  static final String PRIVATE = "mercure-private";

  /** @return the message headers that carry this update */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TOPICS, new JsonArray(new ArrayList<>(topics)).encode());
    h.put(ID, id);
    if (type != null) {
      h.put(TYPE, type);
    }
    if (retry != null) {
      h.put(RETRY, Long.toString(retry));
    }
    if (privateUpdate) {
      h.put(PRIVATE, "true");
    }
    return h;
  }

  /** @return the payload that carries this update's data */
  public Buffer payload() {
    return Buffer.buffer(data.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the update {@code m} holds, or {@code null} when it is not one (a message published by other means) */
  public static Update of(TopicMessage m) {
    Map<String, String> h = m.headers();
    String topics = h == null ? null : h.get(TOPICS);
    String id = h == null ? null : h.get(ID);
    if (topics == null || id == null) {
      return null;
    }
    try {
      List<String> list = new ArrayList<>();
      for (Object t : new JsonArray(topics)) {
        list.add((String) t);
      }
      String retry = h.get(RETRY);
      return new Update(List.copyOf(list), id, h.get(TYPE), retry == null ? null : Long.valueOf(retry),
        "true".equals(h.get(PRIVATE)), m.payload().toString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** @return the update as one SSE event: {@code id}, {@code event} (its type), {@code retry}, a data line per line */
  public String sse() {
    StringBuilder sb = new StringBuilder(data.length() + id.length() + 32);
    sb.append("id: ").append(oneLine(id)).append('\n');
    if (type != null) {
      sb.append("event: ").append(oneLine(type)).append('\n');
    }
    if (retry != null) {
      sb.append("retry: ").append(retry).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    return sb.append('\n').toString();
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]", " ");
  }
}
